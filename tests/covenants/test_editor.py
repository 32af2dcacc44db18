"""Writing covenant texts: a covenant, its versions and their clauses, review with notes per
clause and the flags the opinions exclude (law repeated, empty slogans), four eyes, filing and
publication, in the services and in the browser pages, with their access matrix and query counts."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from covenants import services
from covenants.choices import CovenantKind, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion
from covenants.testing.factories import ClauseFactory, CovenantFactory, CovenantVersionFactory, published_covenant
from governance.testing import world as w
from governance.testing.factories import UserFactory, join_department
from governance.testing.pages import PageAccessTests, queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.testing.factories import division

ROLES = list(w.ROLE_HOME)
VILLAGE_VIEWERS = set(ROLES) - {"coop_clerk"}  # who view the village (a page on it: 403 without the right)
TEXT_VIEWERS = VILLAGE_VIEWERS - {"grid_worker"}  # covenants/grants.py names no grid worker
WRITERS = {"district_admin", "village_clerk"}  # covenants/grants.py: the texts are the village's
VILLAGE_PLACES = {role: (w.VILLAGE, w.JUST_OUTSIDE[role]) for role in ROLES}
VILLAGE_PLACES["coop_clerk"] = (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE)
ADOPTED = datetime.date(2026, 3, 1)


def draft_in(code: str, **extra) -> CovenantVersion:
    """A draft version 1 of a parking covenant of the village of `code`, with one clause."""
    covenant = CovenantFactory(division=division(code[:12]), kind=CovenantKind.PARKING, title=f"{code}停车公约")
    fields = {"status": VersionStatus.DRAFT, "published_on": None, "adopted_on": ADOPTED, **extra}
    version = CovenantVersionFactory(covenant=covenant, number=1, **fields)
    ClauseFactory(version=version, number=1, text="车辆按位停放。")
    return version


def submitted_in(code: str) -> CovenantVersion:
    """A version submitted by a clerk who is none of the role users."""
    return draft_in(code, status=VersionStatus.SUBMITTED, submitted_by=UserFactory())


# --- the access matrix ---------------------------------------------------------------------------


class TestCovenantList(PageAccessTests):
    is_list = True
    viewers = TEXT_VIEWERS
    places = VILLAGE_PLACES

    def url(self, _none):
        return reverse("covenants:covenants")

    def make_object(self, code):
        return draft_in(code).covenant

    def marker(self, covenant):
        return covenant.title


class TestCovenantCreatePage(PageAccessTests):
    viewers = VILLAGE_VIEWERS
    posters = WRITERS
    places = VILLAGE_PLACES

    def url(self, place):
        return reverse("covenants:covenant_add", args=[place.code])

    def make_object(self, code):
        return SimpleNamespace(code=code)

    def post_data(self, place):
        return {"kind": CovenantKind.GARBAGE_SORTING, "title": "垃圾分类公约", "repeat_window_months": 12}


class TestClauseAddPage(PageAccessTests):
    viewers = TEXT_VIEWERS
    posters = WRITERS
    places = VILLAGE_PLACES

    def url(self, version):
        return reverse("covenants:clause_add", args=[version.pk])

    def make_object(self, code):
        return draft_in(code)

    def post_data(self, version):
        return {"number": 2, "text": "不得占用消防通道。", "category": "停车", "withholds_award": "on"}


class TestClauseEditPage(PageAccessTests):
    viewers = TEXT_VIEWERS
    posters = WRITERS
    places = VILLAGE_PLACES

    def url(self, clause):
        return reverse("covenants:clause_edit", args=[clause.pk])

    def make_object(self, code):
        return draft_in(code).clauses.get()

    def post_data(self, clause):
        return {"number": 1, "text": "车辆按划定车位停放。"}


class TestReviewQueue(PageAccessTests):
    """Only the district administrator reviews in a subtree; the members of the department of a
    covenant's kind review its versions without a role (tests/covenants/test_review_by_kind.py)."""

    is_list = True
    viewers = {"district_admin"}
    places = VILLAGE_PLACES

    def url(self, _none):
        return reverse("covenants:reviews")

    def make_object(self, code):
        return submitted_in(code)

    def marker(self, version):
        return version.covenant.title


# --- the services --------------------------------------------------------------------------------


def test_a_new_version_starts_from_the_clauses_of_the_latest_and_only_one_is_in_progress(world):
    published = published_covenant(w.VILLAGE)
    clerk = world.user("village_clerk")

    draft = services.start_version(published.covenant, acting_user=clerk)

    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert list(draft.clauses.values_list("number", "text")) == list(published.clauses.values_list("number", "text"))
    assert draft.clauses.get(number=4).compensation_fen == 50_000
    with pytest.raises(ValidationError) as refused:
        services.start_version(published.covenant, acting_user=clerk)
    assert "第2版尚在修订或审查中" in str(refused.value)


def test_only_a_draft_or_returned_version_is_edited(world):
    version = published_covenant(w.VILLAGE)
    clerk = world.user("village_clerk")

    with pytest.raises(ValidationError) as refused:
        services.save_clause(version, acting_user=clerk, number=9, text="新条款。")

    assert "不能修改" in str(refused.value)
    assert not version.clauses.filter(number=9).exists()


def test_two_clauses_of_a_version_never_share_a_number(world):
    version = draft_in(w.VILLAGE)

    with pytest.raises(ValidationError) as refused:
        services.save_clause(version, acting_user=world.user("village_clerk"), number=1, text="重复的条号。")

    assert refused.value.message_dict["number"] == ["本版本已有第1条。"]


def test_a_version_is_submitted_only_with_clauses_and_the_assemblys_adoption_day(world):
    version = draft_in(w.VILLAGE)
    version.adopted_on = None
    version.save()
    clerk = world.user("village_clerk")

    with pytest.raises(ValidationError) as refused:
        services.move_version(version, acting_user=clerk, to=VersionStatus.SUBMITTED, on=ADOPTED)
    assert "adopted_on" in refused.value.message_dict

    services.edit_version(version, acting_user=clerk, adopted_on=ADOPTED)
    moved = services.move_version(version, acting_user=clerk, to=VersionStatus.SUBMITTED, on=ADOPTED)
    assert (moved.status, moved.submitted_by) == (VersionStatus.SUBMITTED, clerk)


def test_a_version_with_a_flagged_clause_cannot_be_filed_but_is_returned(world):
    version = submitted_in(w.VILLAGE)
    admin = world.user("district_admin")
    clause = version.clauses.get()

    services.review_clause(clause, acting_user=admin, comment="照抄道路交通安全法。", repeats_law=True)
    services.move_version(version, acting_user=admin, to=VersionStatus.UNDER_REVIEW, on=ADOPTED)
    with pytest.raises(ValidationError) as refused:
        services.move_version(version, acting_user=admin, to=VersionStatus.FILED, on=ADOPTED)
    assert "第 1 条" in str(refused.value)

    returned = services.move_version(version, acting_user=admin, to=VersionStatus.RETURNED, on=ADOPTED)
    assert returned.status == VersionStatus.RETURNED
    # The clerk rewrites the clause: the reviewer's notes on the old text no longer apply.
    rewritten = services.save_clause(
        returned, acting_user=world.user("village_clerk"), clause=clause, number=1, text="车辆停放在本户门前车位。"
    )
    assert (rewritten.repeats_law, rewritten.review_comment) == (False, "")


def test_the_submitter_never_reviews_their_own_version(world):
    admin = world.user("district_admin")
    version = draft_in(w.VILLAGE)
    services.move_version(version, acting_user=admin, to=VersionStatus.SUBMITTED, on=ADOPTED)

    with pytest.raises(PermissionDenied):
        services.review_clause(version.clauses.get(), acting_user=admin, comment="自己审自己。")
    with pytest.raises(PermissionDenied):
        services.move_version(version, acting_user=admin, to=VersionStatus.UNDER_REVIEW, on=ADOPTED)
    assert not services.may_review_version(admin, CovenantVersion.objects.get(pk=version.pk))


def test_a_reviewing_departments_member_notes_clauses_of_its_kinds_in_its_district_only(world):
    version = submitted_in(w.VILLAGE)  # a parking covenant: the public security sub-bureau's
    far = submitted_in(w.FAR_VILLAGE)
    police = UserFactory(username="gongan")
    join_department(police, w.DISTRICT, "public_security")

    services.review_clause(version.clauses.get(), acting_user=police, comment="条文清楚。")

    assert version.clauses.get().review_comment == "条文清楚。"
    with pytest.raises(PermissionDenied):
        services.review_clause(far.clauses.get(), acting_user=police, comment="不在本区。")


# --- the pages -----------------------------------------------------------------------------------


def test_a_covenant_goes_from_a_new_draft_through_review_to_the_public_page(world):
    clerk, reviewer = client_for(world.user("village_clerk")), UserFactory(username="gongan")
    join_department(reviewer, w.DISTRICT, "public_security")  # parking: REVIEWING_DEPARTMENT
    reviewer_client = client_for(reviewer)

    response = clerk.post(
        reverse("covenants:covenant_add", args=[w.VILLAGE]),
        {"kind": CovenantKind.PARKING, "title": "停车管理公约", "repeat_window_months": 6},
    )
    covenant = Covenant.objects.get(title="停车管理公约")
    assert response.url == reverse("covenants:covenant", args=[covenant.pk])
    response = clerk.post(reverse("covenants:version_start", args=[covenant.pk]))
    version = covenant.versions.get()
    assert response.url == reverse("covenants:version", args=[version.pk])
    for number, text in ((1, "车辆按划定车位停放。"), (2, "不得占用消防通道。")):
        response = clerk.post(
            reverse("covenants:clause_add", args=[version.pk]),
            {"number": number, "text": text, "category": "停车", "restricts_vehicle_access": "on"},
        )
        assert response.status_code == 302
    clerk.post(reverse("covenants:version_edit", args=[version.pk]), {"adopted_on": "2026-03-01"})
    clerk.post(reverse("covenants:version_move", args=[version.pk]), {"to": "submitted", "on": "2026-03-02"})

    queue = reviewer_client.get(reverse("covenants:reviews"))
    assert [v.pk for v in queue.context["versions"]] == [version.pk]
    clause = version.clauses.get(number=2)
    response = reviewer_client.post(
        reverse("covenants:clause_review", args=[clause.pk]), {"comment": "宜写明处理办法。"}
    )
    assert response.status_code == 302, response.status_code
    for step in ("under_review", "filed"):
        response = reviewer_client.post(
            reverse("covenants:version_move", args=[version.pk]), {"to": step, "on": "2026-03-10"}
        )
        assert response.status_code == 302, response.context["form"].errors
    clerk.post(reverse("covenants:version_move", args=[version.pk]), {"to": "published", "on": "2026-03-15"})

    version.refresh_from_db()
    assert (version.status, version.filed_on, version.published_on) == (
        VersionStatus.PUBLISHED,
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 15),
    )
    assert version.reviewed_by == reviewer and version.submitted_by == world.user("village_clerk")
    page = clerk.get(reverse("covenants:version", args=[version.pk]))
    assert "宜写明处理办法。" in page.text
    public = Client().get(reverse("public_division", args=[w.VILLAGE]))
    assert "不得占用消防通道。" in public.text


def test_the_move_page_offers_only_the_moves_open_to_the_visitor(world):
    version = submitted_in(w.VILLAGE)

    clerk_page = client_for(world.user("village_clerk")).get(reverse("covenants:version_move", args=[version.pk]))
    admin_page = client_for(world.user("district_admin")).get(reverse("covenants:version_move", args=[version.pk]))

    assert clerk_page.status_code == 403  # a submitted version waits for its reviewer
    assert [value for value, _label in admin_page.context["form"].fields["to"].choices] == [
        VersionStatus.UNDER_REVIEW,
        VersionStatus.RETURNED,
    ]


def test_a_clause_with_a_taken_number_is_a_field_error_on_the_page(world):
    version = draft_in(w.VILLAGE)

    response = client_for(world.user("village_clerk")).post(
        reverse("covenants:clause_add", args=[version.pk]), {"number": 1, "text": "又一条第1条。"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["本版本已有第1条。"]
    assert version.clauses.count() == 1


def test_a_compensation_entered_in_yuan_is_kept_in_fen(world):
    version = draft_in(w.VILLAGE)

    client_for(world.user("village_clerk")).post(
        reverse("covenants:clause_add", args=[version.pk]),
        {"number": 2, "text": "损坏公共设施照价赔偿。", "compensation_yuan": "123.45"},
    )

    assert Clause.objects.get(version=version, number=2).compensation_fen == 12_345


def test_the_covenant_list_costs_the_same_queries_for_one_covenant_and_for_many(world):
    client = client_for(world.user("town_official"))
    url = reverse("covenants:covenants")
    draft_in(w.VILLAGE)
    one = queries_for(client, url)
    published_covenant(w.VILLAGE)
    published_covenant(w.OTHER_VILLAGE_SAME_TOWN)

    assert queries_for(client, url) == one
    assert len(client.get(url).context["object_list"]) == 3


def test_the_review_queue_and_the_menu_bar_name_people_family_name_first(world):
    version = submitted_in(w.VILLAGE)
    version.submitted_by.last_name, version.submitted_by.first_name = "黄", "秀玲"
    version.submitted_by.save()
    reviewer = world.user("district_admin")
    reviewer.last_name, reviewer.first_name = "吴", "建华"
    reviewer.save()

    response = client_for(reviewer).get(reverse("covenants:reviews"))

    assert "<td>黄秀玲</td>" in response.text
    assert "秀玲 黄" not in response.text
    assert 'id="current-user" title="吴建华">吴建华</span>' in response.text


def test_the_review_queue_costs_the_same_queries_for_one_version_and_for_many(world):
    client = client_for(world.user("district_admin"))
    url = reverse("covenants:reviews")
    submitted_in(w.VILLAGE)
    one = queries_for(client, url)
    submitted_in(w.OTHER_VILLAGE_SAME_TOWN)

    assert queries_for(client, url) == one
