"""The pages of deliberation (议事协商):

- 议事会: the bodies of the jurisdiction (deliberation/bodies/); a village's body with its members,
  rules and meetings (divisions/<code>/deliberation/); forms to set up and edit a body, add a
  member, record a meeting;
- 协商会议: the meetings of the jurisdiction (deliberation/meetings/);
- 指导目录: the district's guiding catalogue (deliberation/catalogue/), read by everyone who works in
  the district, kept by the district (new and edit forms);
- 协商议题: topics under tabs (to pre-review, to deliberate, done, all) with each tab's count;
  the propose form, the pre-review form (for who holds review_topic where the body lies, never the
  proposer: four eyes) and the deliberate form (meeting, outcome, decision link).

Every record comes from the restricted querysets (404 outside the jurisdiction, 403 inside it
without the right); the steps are engagement.services.deliberation's, whose refusals come back
onto the form in Chinese. Each list costs a fixed number of queries whatever its rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from engagement.choices import TopicStatus
from engagement.filters.deliberation import BodyPageFilterSet, MeetingPageFilterSet, TopicPageFilterSet
from engagement.forms.deliberation import (
    BodyForm,
    CatalogueEntryForm,
    DeliberateTopicForm,
    MeetingForm,
    MemberForm,
    ProposeTopicForm,
    ReviewTopicForm,
)
from engagement.models import CatalogueEntry, DeliberationBody, Meeting, Topic
from engagement.pages.places import village_in_jurisdiction
from engagement.querysets.deliberation import DONE, TO_DELIBERATE, TO_REVIEW
from engagement.services import deliberation as services
from governance.access.querysets import assigned_codes, held_condition, holds_anywhere, holds_in
from governance.guards import is_own_record
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import ScopedFilterListView, ScopedWriteMixin, object_for
from rights_lists.models import Decision
from villages.choices import Level
from villages.models import Division

VIEW_BODY = "engagement.view_deliberationbody"
VIEW_TOPIC = "engagement.view_topic"
VIEW_MEETING = "engagement.view_meeting"
VIEW_CATALOGUE = "engagement.view_catalogueentry"


def may_view_bodies(user) -> bool:
    return holds_anywhere(user, VIEW_BODY)


def may_view_topics(user) -> bool:
    return holds_anywhere(user, VIEW_TOPIC)


def may_view_meetings(user) -> bool:
    return holds_anywhere(user, VIEW_MEETING)


def may_view_catalogue(user) -> bool:
    return holds_anywhere(user, VIEW_CATALOGUE)


def village_url(code: str) -> str:
    return reverse("engagement:deliberation_village", args=[code])


# --- bodies -----------------------------------------------------------------------------------------


class BodyListView(ScopedFilterListView):
    """议事会: the bodies of the jurisdiction with their members and meetings (one GROUP BY)."""

    model = DeliberationBody
    filterset_class = BodyPageFilterSet
    shown_filters = ("division",)
    template_name = "engagement/deliberation_bodies.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("division__parent")
            .annotate(member_count=Count("members", distinct=True), meeting_count=Count("meetings", distinct=True))
            .order_by("division_id")
        )


class VillageBodyView(LoginRequiredMixin, TemplateView):
    """A village's deliberation body (divisions/<code>/deliberation/): its rules, members and latest
    meetings, with the buttons of what the visitor may do; "not set up" when it has none."""

    template_name = "engagement/deliberation_village.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        code = self.kwargs["code"]
        if not holds_in(user, VIEW_BODY, code):
            raise Http404
        village = get_object_or_404(Division.objects.filter(level=Level.VILLAGE).select_related("parent"), code=code)
        body = DeliberationBody.objects.restrict(user, "view").filter(division=village).first()
        members = list(body.members.select_related("person").order_by("id")) if body else []
        meetings = list(body.meetings.annotate(topic_count=Count("topics"))[:20]) if body else []
        context.update(
            village=village,
            body=body,
            members=members,
            meetings=meetings,
            may_add_body=body is None and holds_in(user, "engagement.add_deliberationbody", code),
            may_change_body=body is not None and holds_in(user, "engagement.change_deliberationbody", code),
            may_add_member=body is not None and holds_in(user, "engagement.add_bodymember", code),
            may_add_meeting=body is not None and holds_in(user, "engagement.add_meeting", code),
            may_propose=body is not None and holds_in(user, "engagement.add_topic", code),
        )
        return context


class BodyCreateView(ScopedWriteMixin, CreateView):
    """设立议事会 (divisions/<code>/deliberation/new/): 404 outside the jurisdiction, 403 without the
    right; one body per village."""

    form_class = BodyForm
    template_name = "engagement/deliberation_form.html"
    success_message = gettext_lazy("已设立议事会“%(name)s”。")

    def find_target(self):
        self.village = village_in_jurisdiction(self.request.user, self.kwargs["code"])
        if not holds_in(self.request.user, "engagement.add_deliberationbody", self.village.code):
            raise PermissionDenied
        if DeliberationBody.objects.filter(division=self.village).exists():
            raise PermissionDenied

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = DeliberationBody(division=self.village)
        return kwargs

    def get_success_url(self):
        return village_url(self.village.code)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.village,
            "heading": _("设立议事会"),
            "cancel_url": village_url(self.village.code),
        }


class BodyEditView(ScopedWriteMixin, UpdateView):
    """修改议事会 (deliberation/bodies/<pk>/edit/): its name, rules, the day it was formed."""

    form_class = BodyForm
    template_name = "engagement/deliberation_form.html"
    write_action = "change"
    success_message = gettext_lazy("已保存议事会“%(name)s”。")

    def find_target(self):
        self.object = object_for(
            self.request.user, DeliberationBody.objects.select_related("division"), "change", pk=self.kwargs["pk"]
        )

    def get_object(self, queryset=None):
        return self.object

    def get_success_url(self):
        return village_url(self.object.division_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.object.division,
            "heading": _("修改议事会"),
            "cancel_url": village_url(self.object.division_id),
        }


class BodyStepView(ServiceFormView):
    """A form about one body found in scope: adding a member, recording a meeting."""

    queryset = DeliberationBody.objects.select_related("division")
    scope_action = "view"
    template_name = "engagement/deliberation_form.html"
    permission = ""

    def check_step(self, user, body):
        if not holds_in(user, self.permission, body.division_id):
            raise PermissionDenied

    def success_url_for(self, result) -> str:
        return village_url(self.object.division_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.object.division,
            "cancel_url": village_url(self.object.division_id),
        }


class MemberAddView(BodyStepView):
    """添加成员 (deliberation/bodies/<pk>/members/new/)."""

    form_class = MemberForm
    permission = "engagement.add_bodymember"

    @property
    def heading(self):
        return _("添加议事会成员")

    @property
    def success_message(self):
        return _("已添加议事会成员。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.object}

    def perform(self, form):
        return services.add_member(
            body=self.object,
            acting_user=self.request.user,
            person_id=form.cleaned_data["person"].pk,
            role=form.cleaned_data["role"],
        )


class MeetingAddView(BodyStepView):
    """登记协商会议 (deliberation/bodies/<pk>/meetings/new/)."""

    form_class = MeetingForm
    permission = "engagement.add_meeting"

    @property
    def heading(self):
        return _("登记协商会议")

    @property
    def success_message(self):
        return _("已登记协商会议。")

    def perform(self, form):
        meeting = form.save(commit=False)
        meeting.body = self.object
        meeting.save()
        return meeting


# --- meetings ---------------------------------------------------------------------------------------


class MeetingListView(ScopedFilterListView):
    """协商会议: the meetings of the jurisdiction, newest first, with how many topics each deliberated."""

    model = Meeting
    filterset_class = MeetingPageFilterSet
    shown_filters = ("division",)
    template_name = "engagement/deliberation_meetings.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("body__division")
            .annotate(topic_count=Count("topics"))
            .order_by("-held_on", "-id")
        )


# --- the catalogue ----------------------------------------------------------------------------------


class CatalogueView(LoginRequiredMixin, TemplateView):
    """指导目录: the catalogue of the visitor's district(s), read from above; the district edits it."""

    template_name = "engagement/deliberation_catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not may_view_catalogue(user):
            raise Http404
        entries = list(
            CatalogueEntry.objects.readable_by(user).select_related("district").order_by("district_id", "title")
        )
        for entry in entries:
            entry.may_change = holds_in(user, "engagement.change_catalogueentry", entry.district_id)
        districts = [code for code in assigned_codes(user) if len(code) == 6]
        context.update(
            entries=entries,
            add_districts=[code for code in districts if holds_in(user, "engagement.add_catalogueentry", code)],
        )
        return context


class CatalogueEntryCreateView(ScopedWriteMixin, CreateView):
    """新增目录类别 (deliberation/catalogue/<district code>/new/): the district's admin."""

    form_class = CatalogueEntryForm
    template_name = "engagement/deliberation_form.html"
    success_message = gettext_lazy("已新增目录类别“%(name)s”。")

    def find_target(self):
        code = self.kwargs["code"]
        if not self.request.user.is_superuser and not any(
            code.startswith(c) for c in assigned_codes(self.request.user)
        ):
            raise Http404
        self.district = get_object_or_404(Division, code=code, level=Level.DISTRICT)
        if not holds_in(self.request.user, "engagement.add_catalogueentry", code):
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "district": self.district}

    def get_success_url(self):
        return reverse("engagement:deliberation_catalogue")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("新增目录类别"),
            "subheading": self.district.name,
            "cancel_url": reverse("engagement:deliberation_catalogue"),
        }


class CatalogueEntryEditView(ScopedWriteMixin, UpdateView):
    """修改目录类别 (deliberation/catalogue/entries/<pk>/edit/)."""

    form_class = CatalogueEntryForm
    template_name = "engagement/deliberation_form.html"
    write_action = "change"
    success_message = gettext_lazy("已保存目录类别“%(name)s”。")

    def find_target(self):
        self.object = object_for(self.request.user, CatalogueEntry.objects.all(), "change", pk=self.kwargs["pk"])

    def get_object(self, queryset=None):
        return self.object

    def get_success_url(self):
        return reverse("engagement:deliberation_catalogue")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("修改目录类别"),
            "cancel_url": reverse("engagement:deliberation_catalogue"),
        }


# --- topics -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    url_name: str
    condition: Q


TABS: tuple[Tab, ...] = (
    Tab("to_review", gettext_lazy("待预审"), "engagement:deliberation_topics_to_review", TO_REVIEW),
    Tab("to_deliberate", gettext_lazy("待协商"), "engagement:deliberation_topics_to_deliberate", TO_DELIBERATE),
    Tab("done", gettext_lazy("已办结"), "engagement:deliberation_topics_done", DONE),
    Tab("all", gettext_lazy("全部"), "engagement:deliberation_topics", Q()),
)
TABS_BY_KEY = {tab.key: tab for tab in TABS}


class TopicListView(ScopedFilterListView):
    """协商议题 (deliberation/topics/ and a path per tab): one page of the tab's topics and every
    tab's count under the same filters (one aggregate), in a fixed number of queries."""

    model = Topic
    filterset_class = TopicPageFilterSet
    shown_filters = ("division",)
    template_name = "engagement/deliberation_topics.html"
    tab = "all"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filtered = kwargs.pop("object_list", self.object_list)
        counts = filtered.order_by().aggregate(**{tab.key: Count("id", filter=tab.condition) for tab in TABS})
        tab = TABS_BY_KEY[self.tab]
        rows = (
            filtered.filter(tab.condition)
            .select_related("body__division", "entry", "proposed_by", "reviewed_by", "meeting", "decision")
            .order_by("-proposed_on", "-id")
        )
        context = super().get_context_data(object_list=rows, **kwargs)
        for topic in context["object_list"]:
            code = topic.body.division_id
            topic.may_review = (
                topic.status == TopicStatus.PROPOSED
                and holds_in(user, "engagement.review_topic", code)
                and not is_own_record(topic.proposed_by_id, user)
            )
            topic.may_deliberate = topic.status == TopicStatus.APPROVED and holds_in(
                user, "engagement.change_topic", code
            )
        context.update(
            tab=tab,
            tabs=[{"tab": each, "count": counts[each.key], "active": each.key == tab.key} for each in TABS],
            may_propose=holds_anywhere(user, "engagement.add_topic"),
        )
        return context


class TopicProposeView(LoginRequiredMixin, FormView):
    """提出议题 (deliberation/topics/propose/): to a body where the visitor may add topics, from the
    catalogue of its district (engagement.services.deliberation.propose_topic)."""

    form_class = ProposeTopicForm
    template_name = "engagement/deliberation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not holds_anywhere(request.user, "engagement.add_topic"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "bodies": bodies_for_topics(user),
            "entries": CatalogueEntry.objects.readable_by(user).filter(active=True).order_by("district_id", "title"),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            topic = services.propose_topic(
                acting_user=self.request.user,
                body=data["body"],
                entry=data["entry"],
                title=data["title"],
                proposed_on=data["proposed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已提出议题“%(title)s”，待预审。") % {"title": topic.title})
        return HttpResponseRedirect(reverse("engagement:deliberation_topics_to_review"))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("提出议题"),
            "cancel_url": reverse("engagement:deliberation_topics"),
        }


def bodies_for_topics(user):
    """The bodies where `user` may propose topics (add_topic where the body lies)."""
    if user.is_superuser:
        return DeliberationBody.objects.select_related("division").order_by("division_id")
    condition = held_condition(user, "engagement.add_topic", "division__code")
    if condition is None:
        return DeliberationBody.objects.none()
    return DeliberationBody.objects.filter(condition).select_related("division").order_by("division_id")


class TopicStepView(ServiceFormView):
    queryset = Topic.objects.select_related("body__division", "entry", "proposed_by")
    template_name = "engagement/deliberation_form.html"

    def success_url_for(self, result) -> str:
        return reverse("engagement:deliberation_topics")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "topic": self.object,
            "subheading": f"{self.object.body.division.name} · {self.object.title}",
            "cancel_url": reverse("engagement:deliberation_topics"),
        }


class TopicReviewView(TopicStepView):
    """预审 (deliberation/topics/<pk>/review/): for who holds review_topic where the body lies, never
    the proposer (four eyes: 403)."""

    form_class = ReviewTopicForm
    scope_action = "review"

    @property
    def heading(self):
        return _("议题预审")

    @property
    def success_message(self):
        return _("已记录预审结论。")

    def check_step(self, user, topic):
        if is_own_record(topic.proposed_by_id, user):
            raise PermissionDenied

    def perform(self, form):
        return services.review_topic(self.object, acting_user=self.request.user, **form.cleaned_data)


class TopicDeliberateView(TopicStepView):
    """协商 (deliberation/topics/<pk>/deliberate/): the body's meeting, the outcome, the decision."""

    form_class = DeliberateTopicForm
    scope_action = "change"

    @property
    def heading(self):
        return _("记录协商结果")

    @property
    def success_message(self):
        return _("已记录协商结果。")

    def get_form_kwargs(self):
        topic = self.object
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "meetings": Meeting.objects.restrict(user, "view").filter(body=topic.body).order_by("-held_on", "-id"),
            "decisions": Decision.objects.restrict(user, "view")
            .filter(division__code__startswith=topic.body.division_id)
            .order_by("-id"),
        }

    def perform(self, form):
        return services.deliberate(self.object, acting_user=self.request.user, **form.cleaned_data)


URLS = [
    path("deliberation/bodies/", BodyListView.as_view(), name="deliberation_bodies"),
    path("deliberation/bodies/<int:pk>/edit/", BodyEditView.as_view(), name="deliberation_body_edit"),
    path("deliberation/bodies/<int:pk>/members/new/", MemberAddView.as_view(), name="deliberation_member_add"),
    path("deliberation/bodies/<int:pk>/meetings/new/", MeetingAddView.as_view(), name="deliberation_meeting_add"),
    path("divisions/<str:code>/deliberation/", VillageBodyView.as_view(), name="deliberation_village"),
    path("divisions/<str:code>/deliberation/new/", BodyCreateView.as_view(), name="deliberation_body_add"),
    path("deliberation/meetings/", MeetingListView.as_view(), name="deliberation_meetings"),
    path("deliberation/catalogue/", CatalogueView.as_view(), name="deliberation_catalogue"),
    path(
        "deliberation/catalogue/<str:code>/new/",
        CatalogueEntryCreateView.as_view(),
        name="deliberation_catalogue_add",
    ),
    path(
        "deliberation/catalogue/entries/<int:pk>/edit/",
        CatalogueEntryEditView.as_view(),
        name="deliberation_catalogue_edit",
    ),
    path("deliberation/topics/", TopicListView.as_view(tab="all"), name="deliberation_topics"),
    path(
        "deliberation/topics/to-review/",
        TopicListView.as_view(tab="to_review"),
        name="deliberation_topics_to_review",
    ),
    path(
        "deliberation/topics/to-deliberate/",
        TopicListView.as_view(tab="to_deliberate"),
        name="deliberation_topics_to_deliberate",
    ),
    path("deliberation/topics/done/", TopicListView.as_view(tab="done"), name="deliberation_topics_done"),
    path("deliberation/topics/propose/", TopicProposeView.as_view(), name="deliberation_topic_propose"),
    path("deliberation/topics/<int:pk>/review/", TopicReviewView.as_view(), name="deliberation_topic_review"),
    path(
        "deliberation/topics/<int:pk>/deliberate/",
        TopicDeliberateView.as_view(),
        name="deliberation_topic_deliberate",
    ),
]
