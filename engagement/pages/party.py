"""The pages of party members' service (党员设岗定责、积分; Guangxi §10):

- 服务岗 `party/posts/`: the posts of the jurisdiction with how many members hold each;
- a village's posts `party/villages/<code>/`: each post with its current holders (a 离岗 link
  each), the members holding no post, and the forms to add a post, claim one, award points;
- 积分规则 `party/point-rules/`: the district's rules, added and changed by its administrator;
- 党员积分 `party/points/` and the phone form to award points in a village;
- 先锋指数 `party/pioneer-index/?division=&period=`: per branch, then its members;
- 村民积分 `party/villager-points/` and its form, where the village keeps villagers' points.

Every row comes from restrict() (or PointRuleQuerySet.readable_by for the district's rules); a
village outside the visitor's jurisdiction is 404, one they view without the right to write 403.
Writes are engagement.services.party's; their field errors come back onto the forms.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from engagement.choices import PointActivity
from engagement.forms.party import (
    AwardPointsForm,
    ClaimPostForm,
    LeavePostForm,
    PointRuleForm,
    ServicePostForm,
    VillagerPointsForm,
)
from engagement.models import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry
from engagement.pages.places import village_where
from engagement.querysets.party import pioneer_table, without_post
from engagement.services import party as services
from governance import clock
from governance.access.querysets import (
    FORBIDDEN,
    assigned_codes,
    holds_anywhere,
    holds_in,
    jurisdiction_codes,
    write_target_refusal,
)
from governance.audit import acting_as
from governance.pages.actions import ServiceFormView
from governance.pages.mixins import ScopedFilterListView
from governance.periods import Period
from villages.choices import Level
from villages.filters import division_picker
from villages.models import Division, PartyMembership

VIEW_POSTS = "engagement.view_servicepost"
VIEW_POINTS = "engagement.view_pointentry"
VIEW_RULES = "engagement.view_pointrule"
VIEW_VILLAGER_POINTS = "engagement.view_villagerpointentry"


def may_view_posts(user) -> bool:
    """The navigation's items of posts and points: for those who view service posts somewhere."""
    return holds_anywhere(user, VIEW_POSTS)


def may_view_points(user) -> bool:
    return holds_anywhere(user, VIEW_POINTS)


def may_view_rules(user) -> bool:
    return holds_anywhere(user, VIEW_RULES)


def may_view_villager_points(user) -> bool:
    return holds_anywhere(user, VIEW_VILLAGER_POINTS)


def village_url(code: str) -> str:
    return reverse("engagement:party_village_posts", args=[code])


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubtreeFilterSet(django_filters.FilterSet):
    """By village or town (its subtree): `scope_path` names the division's code of the row."""

    scope_path = "division__code"
    division = django_filters.CharFilter(
        method="filter_subtree", label=gettext_lazy("村（社区）（含下级）"), widget=division_picker()
    )

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(**{f"{self.scope_path}__startswith": value}) if value else queryset


class PostPageFilterSet(SubtreeFilterSet):
    class Meta:
        model = ServicePost
        fields = ["division"]


class PointPageFilterSet(SubtreeFilterSet):
    scope_path = "member__branch__code"
    activity = django_filters.ChoiceFilter(choices=PointActivity.choices, label=gettext_lazy("积分项目"))
    earned_from = django_filters.DateFilter(
        field_name="earned_on", lookup_expr="gte", label=gettext_lazy("日期（起）"), widget=date_input()
    )
    earned_to = django_filters.DateFilter(
        field_name="earned_on", lookup_expr="lte", label=gettext_lazy("日期（止）"), widget=date_input()
    )

    class Meta:
        model = PointEntry
        fields = ["division", "activity", "earned_from", "earned_to"]


class VillagerPointPageFilterSet(SubtreeFilterSet):
    class Meta:
        model = VillagerPointEntry
        fields = ["division"]


def single_village(user, perm: str) -> str | None:
    """The one village where `user` holds `perm`, for a button that needs no choice; else None."""
    codes = jurisdiction_codes(user, perm)
    return codes[0] if len(codes) == 1 and len(codes[0]) == 12 else None


# --- service posts --------------------------------------------------------------------------------


class PostListView(ScopedFilterListView):
    """服务岗: the posts of the jurisdiction, each with how many party members hold it now."""

    model = ServicePost
    filterset_class = PostPageFilterSet
    shown_filters = ("division",)
    template_name = "engagement/party_posts.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("division__parent")
            .annotate(holders=Count("claims", filter=Q(claims__left_on__isnull=True)))
            .order_by("division_id", "name", "id")
        )


class VillagePostsView(LoginRequiredMixin, TemplateView):
    """A village's posts (party/villages/<code>/): each with its current holders, the members
    who hold none today (设岗定责: each holds at least one), and the buttons of who may write.
    Four queries whatever the number of posts and members."""

    template_name = "engagement/party_village_posts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        village = village_where(user, VIEW_POSTS, self.kwargs["code"])
        on = clock.today()
        holding = PostClaim.objects.filter(left_on__isnull=True).select_related("member__person").order_by("id")
        posts = (
            ServicePost.objects.restrict(user, "view")
            .filter(division=village)
            .prefetch_related(Prefetch("claims", queryset=holding, to_attr="holding"))
            .order_by("name", "id")
        )
        idle = (
            without_post(PartyMembership.objects.restrict(user, "view").filter(branch=village), on)
            .select_related("person")
            .order_by("person__name", "id")
        )
        context.update(
            village=village,
            posts=list(posts),
            without_post=list(idle),
            may_add_post=holds_in(user, "engagement.add_servicepost", village.code),
            may_claim=holds_in(user, "engagement.add_postclaim", village.code),
            may_leave=holds_in(user, "engagement.change_postclaim", village.code),
            may_award=holds_in(user, "engagement.add_pointentry", village.code),
        )
        return context


def members_without_post(user, perm: str = VIEW_POSTS):
    """The party members of the branches where `user` holds `perm` who hold no post today: the
    home page's count (with the right to record claims) and the list it links to."""
    members = PartyMembership.objects.restrict(user, "view").where_held(user, perm, "branch__code")
    return without_post(members, clock.today())


class MembersWithoutPostView(LoginRequiredMixin, ListView):
    """尚未认岗的党员 (party/members-without-post/): the party members of the jurisdiction holding no
    service post today, each with a link to their village's posts. Two queries a page."""

    template_name = "engagement/party_members_without_post.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            members_without_post(self.request.user)
            .select_related("person", "branch")
            .order_by("branch_id", "person__name", "id")
        )


class VillageFormView(LoginRequiredMixin, FormView):
    """A form about a village: found (404) and checked (403) before the form is shown or read."""

    view_perm = VIEW_POSTS
    write_perm = ""
    heading = ""
    template_name = "engagement/party_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_where(request.user, self.view_perm, self.kwargs["code"], write_perm=self.write_perm)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "village_code": self.village.code}

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.success_url())

    def success_url(self) -> str:
        return village_url(self.village.code)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.village,
            "heading": self.heading,
            "cancel_url": self.success_url(),
        }


class PostCreateView(VillageFormView):
    """新建服务岗 (party/villages/<code>/posts/new/)."""

    form_class = ServicePostForm
    write_perm = "engagement.add_servicepost"
    heading = gettext_lazy("新建服务岗")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("village_code")
        return kwargs

    def perform(self, form):
        post = services.create_post(acting_user=self.request.user, village_code=self.village.code, **form.cleaned_data)
        return _("已新建服务岗“%(name)s”。") % {"name": post.name}


class ClaimCreateView(VillageFormView):
    """认岗 (party/villages/<code>/claims/new/): a post of the village, a member of its party
    organisation, the day (today by default). `?post=<id>` preselects the post."""

    form_class = ClaimPostForm
    write_perm = "engagement.add_postclaim"
    heading = gettext_lazy("党员认岗")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["post"] = forms.ModelChoiceField(
            ServicePost.objects.restrict(self.request.user, "view").filter(division=self.village).order_by("name"),
            label=gettext_lazy("服务岗"),
            empty_label=gettext_lazy("请选择服务岗"),
            initial=self.request.GET.get("post"),
            widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
        )
        form.order_fields(["post", "member", "claimed_on"])
        return form

    def perform(self, form):
        data = form.cleaned_data
        claim = services.claim_post(
            acting_user=self.request.user, post=data["post"], member=data["member"], claimed_on=data["claimed_on"]
        )
        return _("%(member)s 已认领“%(post)s”。") % {"member": claim.member.person.name, "post": claim.post.name}


class LeavePostView(ServiceFormView):
    """离岗 (party/claims/<pk>/leave/): the day the member leaves the post (today by default)."""

    queryset = PostClaim.objects.select_related("post__division", "member__person")
    scope_action = "change"
    form_class = LeavePostForm
    template_name = "engagement/party_form.html"

    @property
    def heading(self):
        return _("离岗：%(member)s · %(post)s") % {
            "member": self.object.member.person.name,
            "post": self.object.post.name,
        }

    @property
    def success_message(self):
        return _("已登记离岗。")

    def perform(self, form):
        return services.leave_post(self.object, acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return village_url(self.object.post.division_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "village": self.object.post.division,
            "cancel_url": village_url(self.object.post.division_id),
        }


# --- point rules -----------------------------------------------------------------------------------


class PointRuleListView(LoginRequiredMixin, TemplateView):
    """积分规则: the rules of the districts the visitor works in (the district's data, read from
    above), with the buttons of the district's administrator. One query."""

    template_name = "engagement/party_point_rules.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rules = PointRule.objects.readable_by(user).select_related("district").order_by("district_id", "activity")
        context.update(
            rules=list(rules),
            may_add=holds_anywhere(user, "engagement.add_pointrule"),
            may_change=holds_anywhere(user, "engagement.change_pointrule"),
        )
        return context


def districts_where(user, perm: str):
    """The districts where `user` holds `perm` (the rule form's choices)."""
    condition = Q()
    for code in jurisdiction_codes(user, perm):
        condition |= Q(code__startswith=code) | Q(code=code[:6])
    districts = Division.objects.filter(level=Level.DISTRICT)
    return districts.filter(condition).order_by("code") if condition else districts.none()


class PointRuleFormView(LoginRequiredMixin, FormView):
    """A rule added (party/point-rules/new/) or changed (party/point-rules/<pk>/edit/) by the
    district's administrator: 404 for a rule the visitor does not read, 403 to a reader."""

    form_class = PointRuleForm
    template_name = "engagement/party_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.rule = None
            user = request.user
            if "pk" in self.kwargs:
                self.rule = get_object_or_404(PointRule.objects.readable_by(user), pk=self.kwargs["pk"])
                if not PointRule.objects.restrict(user, "change").filter(pk=self.rule.pk).exists():
                    raise PermissionDenied
            elif not holds_anywhere(user, "engagement.add_pointrule"):
                if holds_anywhere(user, VIEW_RULES):
                    raise PermissionDenied
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def action(self) -> str:
        return "change" if self.rule is not None else "add"

    def get_form_kwargs(self):
        perm = f"engagement.{self.action}_pointrule"
        return {
            **super().get_form_kwargs(),
            "instance": self.rule,
            "districts": districts_where(self.request.user, perm),
        }

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic(), acting_as(user):
            rule = form.save()
            refusal = write_target_refusal(user, rule, self.action)
            if refusal == FORBIDDEN:
                raise PermissionDenied
            if refusal is not None:
                raise Http404
        messages.success(self.request, _("已保存积分规则。"))
        return HttpResponseRedirect(reverse("engagement:party_point_rules"))

    def get_context_data(self, **kwargs):
        heading = _("修改积分规则") if self.rule is not None else _("新建积分规则")
        return {
            **super().get_context_data(**kwargs),
            "heading": heading,
            "cancel_url": reverse("engagement:party_point_rules"),
        }


# --- points ----------------------------------------------------------------------------------------


class PointListView(ScopedFilterListView):
    """党员积分: the points of the jurisdiction's party members, newest first."""

    model = PointEntry
    filterset_class = PointPageFilterSet
    shown_filters = ("division", "activity", "earned_from", "earned_to")
    template_name = "engagement/party_points.html"

    def get_queryset(self):
        return super().get_queryset().select_related("member__person", "member__branch").order_by("-earned_on", "-id")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "award_village": single_village(self.request.user, "engagement.add_pointentry"),
        }


class AwardPointsView(VillageFormView):
    """记积分 (party/villages/<code>/points/award/): on a phone, a member, the activity, the day;
    the district's rule sets the points (an activity without a rule is refused on its field)."""

    form_class = AwardPointsForm
    view_perm = VIEW_POINTS
    write_perm = "engagement.add_pointentry"
    heading = gettext_lazy("记党员积分")

    def perform(self, form):
        entry = services.award_points(acting_user=self.request.user, **form.cleaned_data)
        return _("已为 %(member)s 记 %(points)d 分。") % {"member": entry.member.person.name, "points": entry.points}

    def success_url(self) -> str:
        return reverse("engagement:party_points") + f"?division={self.village.code}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = list(PointRule.objects.of_district_of(self.village.code).order_by("activity"))
        return context


class PeriodForm(forms.Form):
    division = forms.CharField(label=gettext_lazy("区划代码"), max_length=15, required=False)
    period = forms.CharField(label=gettext_lazy("期间"), max_length=7, required=False)

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"] or str(clock.today().year))


class PioneerIndexView(LoginRequiredMixin, TemplateView):
    """先锋指数 (`?division=&period=`): per branch its members, points and average (the branch's
    index), then its members with their index (points over the average × 100). One query for the
    table whatever the number of members."""

    template_name = "engagement/party_pioneer_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not holds_anywhere(user, VIEW_POINTS):
            raise Http404
        form = PeriodForm(self.request.GET or None)
        period = Period.parse(str(clock.today().year))
        code = ""
        if form.is_bound and form.is_valid():
            period = form.cleaned_data["period"]
            code = form.cleaned_data["division"]
        if not code:
            codes = [c for c in assigned_codes(user) if holds_in(user, VIEW_POINTS, c)]
            code = codes[0] if len(codes) == 1 else ""
        if not code or not (code.isascii() and code.isdigit()) or not holds_in(user, VIEW_POINTS, code):
            raise Http404
        division = get_object_or_404(Division, code=code)
        members = (
            PartyMembership.objects.restrict(user, "view")
            .where_held(user, VIEW_POINTS, "branch__code")
            .filter(branch__code__startswith=code)
        )
        context.update(
            division=division, period=period, form=form, branches=pioneer_table(members, period.start, period.end)
        )
        return context


# --- villagers' points -----------------------------------------------------------------------------


class VillagerPointListView(ScopedFilterListView):
    """村民积分: villagers' points kept by the villages of the jurisdiction."""

    model = VillagerPointEntry
    filterset_class = VillagerPointPageFilterSet
    shown_filters = ("division",)
    template_name = "engagement/party_villager_points.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "division").order_by("-earned_on", "-id")

    def get_context_data(self, **kwargs):
        village = single_village(self.request.user, "engagement.add_villagerpointentry")
        return {**super().get_context_data(**kwargs), "add_village": village}


class VillagerPointsCreateView(VillageFormView):
    """记村民积分 (party/villages/<code>/villager-points/new/)."""

    form_class = VillagerPointsForm
    view_perm = VIEW_VILLAGER_POINTS
    write_perm = "engagement.add_villagerpointentry"
    heading = gettext_lazy("记村民积分")

    def perform(self, form):
        entry = services.record_villager_points(
            acting_user=self.request.user, village_code=self.village.code, **form.cleaned_data
        )
        return _("已为 %(person)s 记 %(points)d 分。") % {"person": entry.person.name, "points": entry.points}

    def success_url(self) -> str:
        return reverse("engagement:party_villager_points") + f"?division={self.village.code}"


URLS: list = [
    path("party/posts/", PostListView.as_view(), name="party_posts"),
    path("party/villages/<str:code>/", VillagePostsView.as_view(), name="party_village_posts"),
    path("party/members-without-post/", MembersWithoutPostView.as_view(), name="party_members_without_post"),
    path("party/villages/<str:code>/posts/new/", PostCreateView.as_view(), name="party_post_add"),
    path("party/villages/<str:code>/claims/new/", ClaimCreateView.as_view(), name="party_claim_add"),
    path("party/claims/<int:pk>/leave/", LeavePostView.as_view(), name="party_claim_leave"),
    path("party/point-rules/", PointRuleListView.as_view(), name="party_point_rules"),
    path("party/point-rules/new/", PointRuleFormView.as_view(), name="party_point_rule_add"),
    path("party/point-rules/<int:pk>/edit/", PointRuleFormView.as_view(), name="party_point_rule_edit"),
    path("party/points/", PointListView.as_view(), name="party_points"),
    path("party/villages/<str:code>/points/award/", AwardPointsView.as_view(), name="party_points_award"),
    path("party/pioneer-index/", PioneerIndexView.as_view(), name="party_pioneer_index"),
    path("party/villager-points/", VillagerPointListView.as_view(), name="party_villager_points"),
    path(
        "party/villages/<str:code>/villager-points/new/",
        VillagerPointsCreateView.as_view(),
        name="party_villager_points_add",
    ),
]
