"""What the rights_lists app contributes to the portal (governance/registry.py): its role grants,
its API router and its part of the demo. Called from RightsListsConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from governance.registry import NavItem, Panel, registry

# The app's pages share one drop-down of the top bar.
RIGHTS_LISTS_GROUP = _("事权与决策")


def register() -> None:
    from rights_lists.grants import GRANTS

    registry.add_grants(GRANTS)
    registry.add_api_urls("rights_lists.api.urls")
    from rights_lists.api.reports import DecisionsByStateReport, FullProcedureShareReport, OverduePublicationsReport

    registry.add_report(DecisionsByStateReport)
    registry.add_report(FullProcedureShareReport)
    registry.add_report(OverduePublicationsReport)
    registry.demo_steps["rights_lists"] = load_demo_step
    # Minutes and other files of decisions, downloadable at /files/rights_lists.decisionattachment/<pk>/.
    registry.add_private_file_model("rights_lists.DecisionAttachment")
    register_pages()
    register_admission_and_transactions()
    register_division_links()
    register_merge_counts()


def register_merge_counts() -> None:
    """What a village merged away (撤并) carries over of its lists and decisions (the merge
    page's preview)."""
    from governance.registry import MergeCount
    from rights_lists.models import AdmissionRequest, AssetTransaction, Decision

    for line in (
        MergeCount.of("decisions", _("决策"), Decision, order=50),
        MergeCount.of("admission_requests", _("村级事务准入申请"), AdmissionRequest, order=51),
        MergeCount.of("asset_transactions", _("集体资产交易"), AssetTransaction, order=52),
    ):
        registry.merge_counts[line.key] = line


# The URL names under which the navigation's 清单与决策 is shown active.
DECISION_PAGES = (
    "rights_lists:lists",
    "rights_lists:list",
    "rights_lists:items_in_force",
    "rights_lists:decisions",
    "rights_lists:reviews",
    "rights_lists:decision_open",
    "rights_lists:decision",
    "rights_lists:step_record",
    "rights_lists:publish",
    "rights_lists:implementation",
    "rights_lists:withdraw",
    "rights_lists:attachment_add",
)


def register_pages() -> None:
    from rights_lists.pages.public import public_decisions

    registry.add_page_urls("rights_lists.pages.urls")
    registry.nav["rights_lists"] = NavItem(
        "rights_lists",
        _("清单与决策"),
        "rights_lists:decisions",
        DECISION_PAGES,
        order=35,
        shown_to=may_view_decisions,
        group=RIGHTS_LISTS_GROUP,
    )
    registry.public_sections["decisions"] = Panel(
        key="decisions", template="rights_lists/public_decisions.html", context=public_decisions, order=20
    )
    registry.add_pending_work(
        "decisions_to_review",
        ngettext_lazy("%(count)d 项决策待镇级审核。", "%(count)d 项决策待镇级审核。", "count"),
        count=decisions_to_review,
        url_name="rights_lists:reviews",
        link_label=_("去审核"),
        order=35,
    )


def register_division_links() -> None:
    """The links of a village's or cooperative's page (villages' hub) to its decisions and the
    list items in force there (三张清单)."""
    from governance.registry import DivisionLink

    registry.division_links["decisions"] = DivisionLink(
        "decisions", RIGHTS_LISTS_GROUP, _("决策"), decisions_link, levels=("village", "cooperative"), order=20
    )
    registry.division_links["items_in_force"] = DivisionLink(
        "items_in_force",
        RIGHTS_LISTS_GROUP,
        _("施行中的清单事项（三张清单）"),
        items_in_force_link,
        levels=("village", "cooperative"),
        order=22,
    )


def decisions_link(division, user):
    """The division's decisions the user views, open and adopted counted: one query."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from governance.access.querysets import holds_anywhere
    from governance.registry import HubLink
    from rights_lists.choices import ADOPTED_STATES, DecisionState
    from rights_lists.models import Decision

    if not holds_anywhere(user, "rights_lists.view_decision"):
        return None
    counts = (
        Decision.objects.restrict(user, "view")
        .filter(division_id=division.code)
        .aggregate(
            open=Count("pk", filter=Q(state=DecisionState.OPEN)),
            adopted=Count("pk", filter=Q(state__in=ADOPTED_STATES)),
        )
    )
    summary = _("审议中 %(open)d · 已通过 %(adopted)d") % counts
    return HubLink(url=f"{reverse('rights_lists:decisions')}?division={division.code}", count=summary)


def items_in_force_link(division, user):
    """The list items in force at the division, for who reads lists there (no query)."""
    from django.urls import reverse

    from governance.access.querysets import holds_in
    from governance.registry import HubLink

    if not holds_in(user, "rights_lists.view_listitem", division.code):
        return None
    return HubLink(url=reverse("rights_lists:items_in_force", args=[division.code]))


def may_view_decisions(user) -> bool:
    """The navigation's 清单与决策 item: for those who view decisions somewhere."""
    from governance.access.querysets import holds_anywhere

    return holds_anywhere(user, "rights_lists.view_decision")


def decisions_to_review(user) -> int:
    """Counted only for those who review somewhere (no query for the others)."""
    from governance.access.querysets import jurisdiction_codes
    from rights_lists.models import Decision

    if not (user.is_superuser or jurisdiction_codes(user, "rights_lists.review_decision")):
        return 0
    return Decision.objects.awaiting_review_by(user).count()


def load_demo_step() -> str:
    """The rights_lists part of manage.py load_demo (rights_lists/demo/); its one-line summary."""
    from rights_lists.demo.lists import load_demo_lists

    return load_demo_lists()


# --- village matter admission and collective asset transactions ---------------------------------

ADMISSION_PAGES = (
    "rights_lists:admission_requests",
    "rights_lists:admission_file",
    "rights_lists:admission_exception",
)
TRANSACTION_PAGES = (
    "rights_lists:transactions",
    "rights_lists:transaction_reviews",
    "rights_lists:transaction",
    "rights_lists:transaction_review",
    "rights_lists:transaction_conclude",
)


def register_admission_and_transactions() -> None:
    from rights_lists.api.reports import AdmissionBurdenReport

    registry.add_report(AdmissionBurdenReport)
    # Contracts and bidding records, downloadable at /files/rights_lists.assettransactionfile/<pk>/.
    registry.add_private_file_model("rights_lists.AssetTransactionFile")
    registry.nav["rights_lists_admission"] = NavItem(
        "rights_lists_admission",
        _("事项准入"),
        "rights_lists:admission_requests",
        ADMISSION_PAGES,
        order=36,
        shown_to=lambda user: _views(user, "admissionrequest"),
        group=RIGHTS_LISTS_GROUP,
    )
    registry.nav["rights_lists_transactions"] = NavItem(
        "rights_lists_transactions",
        _("资产交易"),
        "rights_lists:transactions",
        TRANSACTION_PAGES,
        order=37,
        shown_to=lambda user: _views(user, "assettransaction"),
        group=RIGHTS_LISTS_GROUP,
    )
    registry.add_pending_work(
        "transactions_to_review",
        ngettext_lazy("%(count)d 项集体资产交易待镇级审核。", "%(count)d 项集体资产交易待镇级审核。", "count"),
        count=transactions_to_review,
        url_name="rights_lists:transaction_reviews",
        link_label=_("去审核"),
        order=36,
    )


def _views(user, model_name: str) -> bool:
    from governance.access.querysets import holds_anywhere

    return holds_anywhere(user, f"rights_lists.view_{model_name}")


def transactions_to_review(user) -> int:
    """Counted only for those who review transactions somewhere (no query for the others)."""
    from governance.access.querysets import jurisdiction_codes
    from rights_lists.models import AssetTransaction

    if not (user.is_superuser or jurisdiction_codes(user, "rights_lists.review_assettransaction")):
        return 0
    return AssetTransaction.objects.awaiting_review_by(user).count()
