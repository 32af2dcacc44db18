"""The red and black lists (红黑榜) of a village in the browser:

- `divisions/<code>/honour-lists/?period=`: the clerk's page of the village's lists for a period
  (default: the year containing today), the period's nominations with the buttons the services'
  `may_*` predicates offer (approve, reject, withdraw), and the nomination form whose POST calls
  covenants.services.honour_lists.nominate. Names in full only for those who may see personal data
  where the village lies, masked (family name + `*`) for the others;
- `divisions/<code>/honour-lists/print/?period=`: the notice-board page, A4 for the browser's
  print: the village, the period, both lists with masked names, the date printed;
- `covenants/red-list-nominations/to-approve/`: the nominations waiting for the user's approval
  (the home page's count links there);
- `covenants/red-list-nominations/<pk>/<step>/`: the POST of each button, to its service.

The village and its lists: 404 outside the jurisdiction, for a division that is no village, or
without the right to view the lists; a viewer who may not nominate is refused the form's POST
with 403. Nominations come from
`RedListNomination.objects.restrict(user, action)`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from covenants import services
from covenants.choices import SanctionKind
from covenants.forms import CovenantFormMixin
from covenants.models import RedListNomination
from covenants.pages.base import RecordButtonView
from covenants.services.honour_lists import MAX_REASON_LENGTH, HonourLists, honour_lists, period_or_default
from covenants.texts import public_line
from governance.access.querysets import holds_in
from governance.clock import today
from governance.pages.widgets import PickerWidget
from governance.privacy import may_see_personal_data, name_as_seen
from villages.choices import Level
from villages.models import Division, Person

NOMINATION_RELATED = ("division__parent", "person", "nominated_by", "decided_by")


def village_of_lists(user, code: str) -> Division:
    """The village `code` whose lists `user` reads: 404 when it is no village in their
    jurisdiction or they may not view its lists (nothing of them may be known, as for a record
    outside the jurisdiction; the pages' convention, governance.testing.pages)."""
    village = get_object_or_404(
        Division.objects.restrict(user, "view").filter(level=Level.VILLAGE).select_related("parent"), code=code
    )
    if not holds_in(user, "covenants.view_redlistnomination", village.code):
        raise Http404
    return village


def the_period(request):
    """The period of ?period= (the year containing today when absent or not a period) and the
    error to show when one was given that names none."""
    label = request.GET.get("period", "").strip()
    try:
        return period_or_default(label, today()), None
    except ValidationError as error:
        return period_or_default("", today()), error.messages[0]


def sanction_line(sanction) -> dict:
    """A sanction on a board: what it is, which tier applied and why, the clause behind it, until
    when (the last day); `text` says it all in a line (covenants.texts.public_line)."""
    last_day = sanction.ends_on - datetime.timedelta(days=1) if sanction.ends_on else None
    return {
        "text": public_line(sanction),
        "tier": sanction.tier,
        "label": str(SanctionKind(sanction.kind).label),
        "covenant": sanction.covenant_title,
        "clause": sanction.clause_number,
        "last_day": last_day,
    }


def board(lists: HonourLists, *, names_visible: bool) -> dict:
    """The lists as the templates show them, names masked unless `names_visible`."""

    def shown(name: str) -> str:
        return name_as_seen(name, visible=names_visible)

    return {
        "period": lists.period,
        "counted_on": lists.counted_on,
        "red": [{"name": shown(entry.name), "reason": entry.reason} for entry in lists.red],
        "black": [
            {"name": shown(entry.name), "sanctions": [sanction_line(s) for s in entry.sanctions]}
            for entry in lists.black
        ],
    }


class NominationForm(CovenantFormMixin, forms.Form):
    """提名红榜: a person registered in the village, the period and what they did."""

    person = forms.ModelChoiceField(
        Person.objects.none(), label=gettext_lazy("被提名人"), widget=PickerWidget("villages.person")
    )
    period = forms.CharField(
        label=gettext_lazy("期间"), max_length=10, help_text=gettext_lazy("默认按自然年，如 2026。")
    )
    reason = forms.CharField(
        label=gettext_lazy("事迹"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, village, **kwargs):
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        person_field.queryset = Person.objects.restrict(user, "view").filter(division__code__startswith=village.code)
        person_field.widget.within = village.code
        person_field.widget.placeholder = _("输入姓名搜索")
        self.style_fields()


class HonourListsView(LoginRequiredMixin, FormView):
    """红黑榜: a village's lists for a period, its nominations and the nomination form."""

    template_name = "covenants/honour_lists.html"
    form_class = NominationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_of_lists(request.user, self.kwargs["code"])
            self.may_nominate = services.may_nominate(request.user, self.village.code)
            if request.method == "POST" and not self.may_nominate:
                raise PermissionDenied
            self.period, self.period_error = the_period(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "village": self.village}

    def get_initial(self):
        return {"period": self.period.label}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            nomination = services.nominate(
                acting_user=self.request.user,
                division=self.village,
                person=data["person"],
                period=data["period"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已提名，等待他人审批。"))
        return HttpResponseRedirect(lists_url(self.village.code, nomination.period))

    def get_context_data(self, **kwargs):
        user = self.request.user
        names_visible = may_see_personal_data(user, self.village.code)
        nominations = list(
            RedListNomination.objects.restrict(user, "view")
            .filter(division=self.village, period=self.period.label)
            .select_related("person", "nominated_by", "decided_by")
            .order_by("status", "person__name", "id")
        )
        rows = [
            {
                "nomination": nomination,
                "name": name_as_seen(nomination.person.name, visible=names_visible),
                "may_decide": services.may_decide_nomination(user, nomination),
                "may_withdraw": services.may_withdraw_nomination(user, nomination, today()),
            }
            for nomination in nominations
        ]
        return {
            **super().get_context_data(**kwargs),
            "division": self.village,
            "board": board(honour_lists(self.village.code, self.period, today()), names_visible=names_visible),
            "period_error": self.period_error,
            "nominations": rows,
            "may_nominate": self.may_nominate,
            "print_url": reverse("covenants:honour_lists_print", args=[self.village.code])
            + "?"
            + urlencode({"period": self.period.label}),
        }


def lists_url(code: str, period: str) -> str:
    return reverse("covenants:honour_lists", args=[code]) + "?" + urlencode({"period": period})


class HonourListsPrintView(LoginRequiredMixin, TemplateView):
    """The notice-board page of a village's lists for a period: A4, large type, masked names."""

    template_name = "covenants/honour_print.html"

    def get_context_data(self, **kwargs):
        village = village_of_lists(self.request.user, self.kwargs["code"])
        period, _error = the_period(self.request)
        return {
            **super().get_context_data(**kwargs),
            "division": village,
            "board": board(honour_lists(village.code, period, today()), names_visible=False),
            "printed_on": today(),
        }


class NominationsToApproveView(LoginRequiredMixin, TemplateView):
    """The nominations waiting for the user's approval, in their jurisdiction (four eyes: not
    their own), oldest first."""

    template_name = "covenants/honour_to_approve.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        nominations = (
            RedListNomination.objects.awaiting_approval_by(user)
            .select_related(*NOMINATION_RELATED)
            .order_by("nominated_at", "id")
        )
        rows = [
            {
                "nomination": nomination,
                "name": name_as_seen(
                    nomination.person.name, visible=may_see_personal_data(user, nomination.person.division_id)
                ),
                "lists_url": lists_url(nomination.division_id, nomination.period),
            }
            for nomination in nominations[:200]
        ]
        return {**super().get_context_data(**kwargs), "rows": rows}


class NominationStepView(RecordButtonView):
    """The POST of a nomination's button: `step` names the service, `scope_action` the right it
    needs; back to the lists of the nomination's village and period."""

    queryset = RedListNomination.objects.all()

    def success_url_for(self, result) -> str:
        return lists_url(self.object.division_id, self.object.period)


class NominationApproveView(NominationStepView):
    scope_action = "approve"
    step = services.approve_nomination
    success_message = gettext_lazy("已批准，列入红榜。")


class NominationRejectView(NominationStepView):
    scope_action = "approve"
    step = services.reject_nomination
    success_message = gettext_lazy("已不予批准该提名。")


class NominationWithdrawView(NominationStepView):
    scope_action = "change"
    step = services.withdraw_nomination
    success_message = gettext_lazy("已撤回该提名。")


def public_honour_lists(division) -> dict | None:
    """The village's red and black lists of the current period on its public page: names masked,
    never an ID number or a phone; left out when both are empty. Three queries."""
    if division.level != Level.VILLAGE:
        return None
    shown = board(honour_lists(division.code, period_or_default("", today()), today()), names_visible=False)
    if not shown["red"] and not shown["black"]:
        return None
    return shown
