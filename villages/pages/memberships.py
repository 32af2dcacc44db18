"""Pages of memberships of a cooperative's collective economic organisation (成员资格):
registering a member and recording their leaving (退出)."""

from django.utils.translation import gettext_lazy as _

from villages.forms import LeaveCooperativeForm, MembershipForm
from villages.models import Membership, Person
from villages.pages.base import EndRecordView, RecordOfPersonCreateView


class MembershipCreateView(RecordOfPersonCreateView):
    """登记成员资格: register a person as a member of a cooperative's collective economic
    organisation (people/<pk>/memberships/new/)."""

    model = Membership
    form_class = MembershipForm
    template_name = "villages/membership_form.html"
    success_message = _("已登记成员资格：%(name)s。")

    def places(self, person: Person) -> list[str]:
        return person.cooperative_codes_open_to()

    def success_name(self) -> str:
        return f"{self.person.name}，{self.object.cooperative.qualified_name}"


class MembershipLeaveView(EndRecordView):
    """登记退出 (memberships/<pk>/leave/): the member leaves the cooperative's organisation."""

    model = Membership
    form_class = LeaveCooperativeForm
    end_field = "left_on"
    related = ("person", "cooperative__parent")
    success_message = _("已登记退出：%(name)s。")
    extra_context = {"heading": _("登记退出"), "note": _("成员资格记录会保留，显示退出日期。")}

    def describe(self, membership: Membership) -> str:
        return _("%(cooperative)s成员 · %(day)s 加入") % {
            "cooperative": membership.cooperative.qualified_name,
            "day": membership.joined_on,
        }

    def success_name(self) -> str:
        return f"{self.object.person.name}，{self.object.cooperative.qualified_name}"
