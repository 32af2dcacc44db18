"""Covenant review by kind (DESIGN.md section 3; Nanhai covenant opinions: 民政局指导一般公约,
区相关职能部门指导专项公约): a general covenant's version is reviewed and filed by the district's
civil affairs bureau, a special one by the department of its kind (REVIEWING_DEPARTMENT); the
reviewers are the members of that department in the district, never chosen by the village; the
district administrator reviews any kind; nobody reviews their own submission."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from covenants import services
from covenants.choices import REVIEWING_DEPARTMENT, CovenantKind, VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion
from covenants.testing.factories import ClauseFactory, CovenantFactory, CovenantVersionFactory
from governance.departments import DepartmentCode, DepartmentMember
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign, join_department
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages.testing.factories import division

ON = datetime.date(2026, 3, 10)


def submitted(code: str, kind: str = CovenantKind.GENERAL, by=None) -> CovenantVersion:
    """A version 1 submitted for review in the village of `code`, with one clause, submitted by
    `by` (a clerk who is none of the world's users by default)."""
    covenant = CovenantFactory(division=division(code), kind=kind, title=f"{code}{kind}公约")
    version = CovenantVersionFactory(
        covenant=covenant,
        number=1,
        status=VersionStatus.SUBMITTED,
        adopted_on=datetime.date(2026, 3, 1),
        published_on=None,
        submitted_by=by or UserFactory(),
    )
    ClauseFactory(version=version, number=1, text="条款。")
    return version


def member_of(department: str, district: str = w.DISTRICT, username: str | None = None):
    user = UserFactory(username=username or f"{department}_{district}")
    join_department(user, district, department)
    return user


@pytest.fixture
def civil_affairs(world):
    return member_of(DepartmentCode.CIVIL_AFFAIRS)


@pytest.fixture
def natural_resources(world):
    return member_of(DepartmentCode.NATURAL_RESOURCES)


def move(version, user, to):
    return services.move_version(version, acting_user=user, to=to, on=ON)


# --- the rule as data ------------------------------------------------------------------------------


def test_every_covenant_kind_is_reviewed_by_a_standard_department():
    assert set(REVIEWING_DEPARTMENT) == set(CovenantKind.values)
    assert set(REVIEWING_DEPARTMENT.values()) <= set(DepartmentCode.values)


def test_general_covenants_go_to_civil_affairs_and_homesteads_to_natural_resources():
    assert REVIEWING_DEPARTMENT[CovenantKind.GENERAL] == DepartmentCode.CIVIL_AFFAIRS
    assert REVIEWING_DEPARTMENT[CovenantKind.HOMESTEAD] == DepartmentCode.NATURAL_RESOURCES
    assert REVIEWING_DEPARTMENT[CovenantKind.COLLECTIVE_ECONOMY] == DepartmentCode.AGRICULTURE_RURAL


# --- who reviews which -----------------------------------------------------------------------------


def test_a_general_covenant_is_reviewed_and_filed_by_the_civil_affairs_member(civil_affairs):
    version = submitted(w.VILLAGE)

    move(version, civil_affairs, VersionStatus.UNDER_REVIEW)
    move(version, civil_affairs, VersionStatus.FILED)

    version.refresh_from_db()
    assert (version.status, version.reviewed_by, version.filed_on) == (VersionStatus.FILED, civil_affairs, ON)


def test_a_general_covenant_is_refused_to_the_natural_resources_member(natural_resources):
    version = submitted(w.VILLAGE)

    with pytest.raises(PermissionDenied):
        move(version, natural_resources, VersionStatus.UNDER_REVIEW)
    assert not services.may_review_version(natural_resources, version)
    page = client_for(natural_resources).get(reverse("covenants:version", args=[version.pk]))
    assert page.status_code == 404  # they hold nothing in the tree: the version is not theirs to know


def test_a_homestead_covenant_is_reviewed_by_natural_resources_and_refused_to_civil_affairs(
    civil_affairs, natural_resources
):
    version = submitted(w.VILLAGE, CovenantKind.HOMESTEAD)

    with pytest.raises(PermissionDenied):
        move(version, civil_affairs, VersionStatus.UNDER_REVIEW)
    move(version, natural_resources, VersionStatus.UNDER_REVIEW)
    move(version, natural_resources, VersionStatus.FILED)

    assert CovenantVersion.objects.get(pk=version.pk).status == VersionStatus.FILED
    assert client_for(civil_affairs).get(reverse("covenants:version", args=[version.pk])).status_code == 404


def test_the_members_reviewer_pages_open_for_their_kind_and_are_refused_for_another(civil_affairs):
    general, homestead = submitted(w.VILLAGE), submitted(w.VILLAGE, CovenantKind.HOMESTEAD)
    client = client_for(civil_affairs)

    page = client.get(reverse("covenants:version", args=[general.pk]))
    review = client.post(reverse("covenants:clause_review", args=[general.clauses.get().pk]), {"comment": "可以。"})
    refused = client.post(reverse("covenants:clause_review", args=[homestead.clauses.get().pk]), {"comment": "?"})
    moved = client.post(
        reverse("covenants:version_move", args=[general.pk]), {"to": "under_review", "on": "2026-03-10"}
    )

    assert page.status_code == 200 and "条款。" in page.text
    assert 'id="move-under_review"' in page.text
    assert review.status_code == 302 and general.clauses.get().review_comment == "可以。"
    assert refused.status_code == 404 and Clause.objects.get(version=homestead).review_comment == ""
    assert moved.status_code == 302 and CovenantVersion.objects.get(pk=general.pk).status == VersionStatus.UNDER_REVIEW


def test_a_member_of_another_districts_department_reviews_nothing_here(world):
    far_civil_affairs = member_of(DepartmentCode.CIVIL_AFFAIRS, w.FAR_DISTRICT)
    here, there = submitted(w.VILLAGE), submitted(w.FAR_VILLAGE)

    with pytest.raises(PermissionDenied):
        move(here, far_civil_affairs, VersionStatus.UNDER_REVIEW)
    assert list(CovenantVersion.objects.awaiting_review_by(far_civil_affairs)) == [there]
    move(there, far_civil_affairs, VersionStatus.UNDER_REVIEW)


def test_a_member_of_a_department_that_reviews_no_covenant_sees_none(world):
    finance = member_of(DepartmentCode.FINANCE)
    submitted(w.VILLAGE)

    assert not CovenantVersion.objects.restrict(finance, "view").exists()
    assert not Covenant.objects.restrict(finance, "view").exists()
    assert not Clause.objects.restrict(finance, "view").exists()


def test_the_district_administrator_reviews_any_kind(world):
    admin = world.user("district_admin")
    versions = [submitted(w.VILLAGE, kind) for kind in (CovenantKind.GENERAL, CovenantKind.HOMESTEAD)]

    for version in versions:
        move(version, admin, VersionStatus.UNDER_REVIEW)

    assert {v.status for v in CovenantVersion.objects.filter(pk__in=[v.pk for v in versions])} == {
        VersionStatus.UNDER_REVIEW
    }


def test_a_member_never_reviews_their_own_submission(world):
    clerk = world.user("village_clerk")
    join_department(clerk, w.DISTRICT, DepartmentCode.CIVIL_AFFAIRS)  # also works for the bureau
    own = submitted(w.VILLAGE, by=clerk)

    with pytest.raises(PermissionDenied):
        move(own, clerk, VersionStatus.UNDER_REVIEW)
    assert not services.may_review_version(clerk, own)
    assert list(CovenantVersion.objects.awaiting_review_by(clerk)) == []


def test_an_outsider_sees_nothing(world, civil_affairs):
    version = submitted(w.VILLAGE)
    outsider = client_for(world.outsider)

    assert outsider.get(reverse("covenants:version", args=[version.pk])).status_code == 404
    assert list(outsider.get(reverse("covenants:reviews")).context["versions"]) == []
    assert not CovenantVersion.objects.restrict(world.outsider, "review").exists()


def test_an_inactive_member_reviews_nothing(civil_affairs):
    version = submitted(w.VILLAGE)
    civil_affairs.is_active = False
    civil_affairs.save()

    assert not CovenantVersion.objects.restrict(civil_affairs, "review").filter(pk=version.pk).exists()


# --- the queue and the home count ------------------------------------------------------------------


def test_each_reviewer_queues_only_the_versions_of_their_departments_kinds(world, civil_affairs, natural_resources):
    general = submitted(w.VILLAGE)
    other_general = submitted(w.OTHER_TOWN_VILLAGE)
    homestead = submitted(w.VILLAGE, CovenantKind.HOMESTEAD)
    submitted(w.VILLAGE, CovenantKind.PARKING)  # the public security sub-bureau's
    submitted(w.FAR_VILLAGE)  # another district's
    draft = submitted(w.OTHER_VILLAGE_SAME_TOWN)
    CovenantVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.DRAFT)

    def queue(user):
        return {v.pk for v in client_for(user).get(reverse("covenants:reviews")).context["versions"]}

    assert queue(civil_affairs) == {general.pk, other_general.pk}
    assert queue(natural_resources) == {homestead.pk}
    assert len(queue(world.user("district_admin"))) == 4
    assert queue(world.user("town_official")) == set()


def test_the_home_page_counts_the_versions_waiting_for_the_reviewer(civil_affairs, natural_resources):
    submitted(w.VILLAGE)
    submitted(w.OTHER_TOWN_VILLAGE)

    home = client_for(civil_affairs).get(reverse("home"))
    other = client_for(natural_resources).get(reverse("home"))

    assert home.context["pending_counts"]["versions_to_review"] == 2
    assert other.context["pending_counts"].get("versions_to_review", 0) == 0


def test_the_members_queue_costs_the_same_queries_for_one_version_and_for_many(civil_affairs):
    client = client_for(civil_affairs)
    url = reverse("covenants:reviews")
    submitted(w.VILLAGE)
    one = queries_for(client, url)
    submitted(w.OTHER_VILLAGE_SAME_TOWN)
    submitted(w.OTHER_TOWN_VILLAGE)

    assert queries_for(client, url) == one
    assert len(client.get(url).context["versions"]) == 3


def test_the_api_lists_a_members_versions_of_their_kinds_only(civil_affairs):
    from governance.testing.schema import SchemaCheckedAPIClient as APIClient

    general = submitted(w.VILLAGE)
    submitted(w.VILLAGE, CovenantKind.HOMESTEAD)
    client = APIClient()
    client.force_authenticate(civil_affairs)

    listed = client.get("/api/v1/covenant-versions/")

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [general.pk]


# --- nobody chooses a reviewer, and a department without one is said so ---------------------------


def test_the_village_chooses_no_reviewer(world):
    version = submitted(w.VILLAGE)
    clerk = client_for(world.user("village_clerk"))

    old_page = clerk.post(f"/covenants/versions/{version.pk}/reviewer/", {"username": "district_admin"})
    page = clerk.get(reverse("covenants:version", args=[version.pk]))

    assert old_page.status_code == 404
    assert 'id="assign-reviewer"' not in page.text
    assert not hasattr(services, "assign_reviewer")


@pytest.mark.parametrize("who", ["village_clerk", "district_admin"])
def test_a_version_whose_district_has_no_reviewer_for_its_department_says_so(world, who):
    version = submitted(w.VILLAGE)

    page = client_for(world.user(who)).get(reverse("covenants:version", args=[version.pk]))

    assert "南海区尚未设置民政局审查人员" in page.text


def test_the_message_goes_once_the_department_has_a_member(world):
    version = submitted(w.VILLAGE)
    homestead = submitted(w.VILLAGE, CovenantKind.HOMESTEAD)
    member_of(DepartmentCode.CIVIL_AFFAIRS)
    clerk = client_for(world.user("village_clerk"))

    page = clerk.get(reverse("covenants:version", args=[version.pk]))
    homestead_page = clerk.get(reverse("covenants:version", args=[homestead.pk]))

    assert 'id="missing-reviewers"' not in page.text
    assert "南海区尚未设置自然资源局审查人员" in homestead_page.text


def test_an_inactive_member_does_not_count_as_the_departments_reviewer(world, civil_affairs):
    civil_affairs.is_active = False
    civil_affairs.save()

    assert "南海区尚未设置民政局审查人员" in services.missing_reviewers(submitted(w.VILLAGE).covenant)


def test_the_message_names_the_department_as_the_district_calls_it(world):
    from governance.departments import Department, ensure_departments

    ensure_departments(w.DISTRICT)
    Department.objects.filter(district_id=w.DISTRICT, code="industry_information").update(name="经济促进局")

    message = services.missing_reviewers(submitted(w.VILLAGE, CovenantKind.INDUSTRIAL_PARK).covenant)

    assert "南海区尚未设置经济促进局审查人员" in message


def test_no_message_for_a_draft_nor_for_who_cannot_change_the_version(world):
    draft = submitted(w.VILLAGE)
    CovenantVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.DRAFT)
    version = submitted(w.OTHER_VILLAGE_SAME_TOWN)

    draft_page = client_for(world.user("village_clerk")).get(reverse("covenants:version", args=[draft.pk]))
    official_page = client_for(world.user("town_official")).get(reverse("covenants:version", args=[version.pk]))

    assert 'id="missing-reviewers"' not in draft_page.text
    assert 'id="missing-reviewers"' not in official_page.text


def test_a_members_rights_follow_their_membership(world):
    user = UserFactory(username="later_member")
    version = submitted(w.VILLAGE)
    assert not CovenantVersion.objects.restrict(user, "review").exists()

    member = join_department(user, w.DISTRICT, DepartmentCode.CIVIL_AFFAIRS)
    assert list(CovenantVersion.objects.restrict(user, "review")) == [version]

    DepartmentMember.objects.filter(pk=member.pk).delete()
    assign(user, w.OTHER_TOWN, "inspector")  # forgets the cached grants and departments
    assert not CovenantVersion.objects.restrict(user, "review").exists()


@pytest.mark.parametrize("kind", CovenantKind.values)
def test_the_pages_predicate_and_the_queryset_agree_for_every_kind_and_department(world, kind):
    version = CovenantVersion.objects.select_related("covenant").get(pk=submitted(w.VILLAGE, kind).pk)
    members = {code: member_of(code) for code in sorted(set(REVIEWING_DEPARTMENT.values()))}

    for code, user in members.items():
        in_queryset = CovenantVersion.objects.restrict(user, "review").filter(pk=version.pk).exists()
        assert services.may_review_version(user, version) == in_queryset == (REVIEWING_DEPARTMENT[kind] == code)
