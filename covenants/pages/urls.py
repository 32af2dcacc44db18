from django.urls import path

from covenants.pages import awards, covenants, editor, evidence, honour_lists, versions, violations

app_name = "covenants"
urlpatterns = [
    path("covenants/violations/", violations.ViolationListView.as_view(), name="violations"),
    path(
        "covenants/violations/to-confirm/", violations.ViolationsToConfirmView.as_view(), name="violations_to_confirm"
    ),
    path("covenants/violations/<int:pk>/", violations.ViolationDetailView.as_view(), name="violation"),
    path("covenants/violations/<int:pk>/confirm/", violations.ViolationConfirmView.as_view(), name="violation_confirm"),
    path("covenants/violations/<int:pk>/appeal/", violations.ViolationAppealView.as_view(), name="violation_appeal"),
    path(
        "covenants/violations/<int:pk>/decide-appeal/",
        violations.ViolationDecideAppealView.as_view(),
        name="violation_decide_appeal",
    ),
    path("covenants/violations/<int:pk>/rectify/", violations.ViolationRectifyView.as_view(), name="violation_rectify"),
    path("covenants/violations/<int:pk>/refer/", violations.ViolationReferView.as_view(), name="violation_refer"),
    path(
        "covenants/violations/<int:pk>/evidence/", evidence.ViolationEvidenceView.as_view(), name="violation_evidence"
    ),
    path("divisions/<str:code>/violations/new/", violations.ViolationCreateView.as_view(), name="violation_add"),
    path("covenants/", covenants.CovenantListView.as_view(), name="covenants"),
    path("covenants/<int:pk>/", covenants.CovenantDetailView.as_view(), name="covenant"),
    path("covenants/versions/<int:pk>/", versions.VersionDetailView.as_view(), name="version"),
    path("divisions/<str:code>/covenants/new/", editor.CovenantCreateView.as_view(), name="covenant_add"),
    path("covenants/<int:pk>/versions/new/", editor.VersionStartView.as_view(), name="version_start"),
    path("covenants/versions/<int:pk>/edit/", editor.VersionEditView.as_view(), name="version_edit"),
    path("covenants/versions/<int:pk>/move/", editor.VersionMoveView.as_view(), name="version_move"),
    path("covenants/versions/<int:pk>/clauses/new/", editor.ClauseCreateView.as_view(), name="clause_add"),
    path("covenants/clauses/<int:pk>/edit/", editor.ClauseEditView.as_view(), name="clause_edit"),
    path("covenants/clauses/<int:pk>/remove/", editor.ClauseRemoveView.as_view(), name="clause_remove"),
    path("covenants/clauses/<int:pk>/review/", editor.ClauseReviewView.as_view(), name="clause_review"),
    path("covenants/reviews/", editor.ReviewQueueView.as_view(), name="reviews"),
    path("divisions/<str:code>/award-runs/", awards.AwardRunListView.as_view(), name="award_runs"),
    path("covenants/award-runs/<int:pk>/", awards.AwardRunDetailView.as_view(), name="award_run"),
    path("covenants/award-runs/<int:pk>/approve/", awards.AwardRunApproveView.as_view(), name="award_run_approve"),
    path(
        "covenants/award-runs/<int:pk>/recompute/", awards.AwardRunRecomputeView.as_view(), name="award_run_recompute"
    ),
    path("covenants/award-runs/<int:pk>/discard/", awards.AwardRunDiscardView.as_view(), name="award_run_discard"),
    path("divisions/<str:code>/honour-lists/", honour_lists.HonourListsView.as_view(), name="honour_lists"),
    path(
        "divisions/<str:code>/honour-lists/print/",
        honour_lists.HonourListsPrintView.as_view(),
        name="honour_lists_print",
    ),
    path(
        "covenants/red-list-nominations/to-approve/",
        honour_lists.NominationsToApproveView.as_view(),
        name="nominations_to_approve",
    ),
    path(
        "covenants/red-list-nominations/<int:pk>/approve/",
        honour_lists.NominationApproveView.as_view(),
        name="nomination_approve",
    ),
    path(
        "covenants/red-list-nominations/<int:pk>/reject/",
        honour_lists.NominationRejectView.as_view(),
        name="nomination_reject",
    ),
    path(
        "covenants/red-list-nominations/<int:pk>/withdraw/",
        honour_lists.NominationWithdrawView.as_view(),
        name="nomination_withdraw",
    ),
]
