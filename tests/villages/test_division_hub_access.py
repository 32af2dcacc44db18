"""What a cooperative's clerk reads above their cooperative (issue 16 point 3): the covenants in
force of their village, which bind the cooperative's members (covenants.querysets,
binding_covenants_condition: the pages and the API alike), and no scheme above them that does not
assess cooperatives (supervision.querysets.SchemeQuerySet.readable_by)."""

import pytest
from django.urls import reverse

from covenants.choices import VersionStatus
from covenants.models import Clause, Covenant, CovenantVersion
from covenants.testing.factories import ClauseFactory, CovenantFactory, CovenantVersionFactory, published_covenant
from governance.testing import world as w
from governance.testing.api import client_as, results_of
from governance.testing.pages import signed_in_client as client_for
from supervision.choices import UnitLevel
from supervision.models import Scheme
from supervision.testing.factories import scheme
from villages.testing.factories import division


@pytest.fixture
def covenants(world):
    """The village's general covenant: version 1 superseded, 2 in force, 3 a draft (each with a
    clause); a special covenant of the village with a draft only; the next village's covenant."""
    general = CovenantFactory(division=division(w.VILLAGE))
    old = CovenantVersionFactory(covenant=general, number=1, status=VersionStatus.SUPERSEDED)
    in_force = CovenantVersionFactory(covenant=general, number=2, status=VersionStatus.PUBLISHED)
    draft = CovenantVersionFactory(covenant=general, number=3, status=VersionStatus.DRAFT)
    clauses = {
        "old": ClauseFactory(version=old, number=1, text="旧条款。"),
        "in_force": ClauseFactory(version=in_force, number=1, text="施行中的条款。"),
        "draft": ClauseFactory(version=draft, number=1, text="草稿条款。"),
    }
    special = CovenantFactory(division=division(w.VILLAGE), kind="special", title="尚在起草的公约")
    special_draft = CovenantVersionFactory(covenant=special, number=1, status=VersionStatus.DRAFT)
    next_door = published_covenant(w.OTHER_VILLAGE_SAME_TOWN)
    return {
        "general": general,
        "in_force": in_force,
        "old": old,
        "draft": draft,
        "special": special,
        "special_draft": special_draft,
        "next_door": next_door,
        "clauses": clauses,
    }


# --- the querysets -----------------------------------------------------------------------------


def test_a_cooperative_clerk_reads_the_covenant_of_their_village_in_force_and_nothing_else(world, covenants):
    clerk = world.user("coop_clerk")

    assert list(Covenant.objects.restrict(clerk, "view")) == [covenants["general"]]
    assert list(CovenantVersion.objects.restrict(clerk, "view")) == [covenants["in_force"]]
    assert list(Clause.objects.restrict(clerk, "view")) == [covenants["clauses"]["in_force"]]


def test_reading_the_village_covenant_gives_the_cooperative_clerk_no_right_to_change_it(world, covenants):
    clerk = world.user("coop_clerk")

    for model in (Covenant, CovenantVersion, Clause):
        assert not model.objects.restrict(clerk, "change").exists()


def test_a_village_without_a_covenant_in_force_shows_the_cooperative_clerk_nothing(world, covenants):
    covenants["in_force"].status = VersionStatus.SUPERSEDED
    covenants["in_force"].save(update_fields=["status"])
    clerk = world.user("coop_clerk")

    assert not Covenant.objects.restrict(clerk, "view").exists()
    assert not CovenantVersion.objects.restrict(clerk, "view").exists()
    assert not Clause.objects.restrict(clerk, "view").exists()


def test_the_village_clerk_still_reads_every_version_of_the_village(world, covenants):
    clerk = world.user("village_clerk")

    assert set(CovenantVersion.objects.restrict(clerk, "view")) == {
        covenants["old"],
        covenants["in_force"],
        covenants["draft"],
        covenants["special_draft"],
    }


def test_the_outsider_reads_no_covenant(world, covenants):
    assert not Covenant.objects.restrict(world.outsider, "view").exists()
    assert not Clause.objects.restrict(world.outsider, "view").exists()


# --- the pages ---------------------------------------------------------------------------------


def test_the_cooperative_clerk_opens_the_village_covenant_with_its_clauses_in_force(world, covenants):
    client = client_for(world.user("coop_clerk"))

    response = client.get(reverse("covenants:covenant", args=[covenants["general"].pk]))

    assert response.status_code == 200
    assert "施行中的条款。" in response.text
    assert "草稿条款。" not in response.text
    assert "旧条款。" not in response.text


@pytest.mark.parametrize(
    ("url_name", "record"),
    [("covenants:covenant", "special"), ("covenants:version", "draft"), ("covenants:version", "old")],
)
def test_the_cooperative_clerk_cannot_open_a_draft_or_a_covenant_not_in_force(world, covenants, url_name, record):
    response = client_for(world.user("coop_clerk")).get(reverse(url_name, args=[covenants[record].pk]))

    assert response.status_code == 404


def test_the_cooperative_clerk_cannot_open_the_next_villages_covenant(world, covenants):
    response = client_for(world.user("coop_clerk")).get(
        reverse("covenants:covenant", args=[covenants["next_door"].covenant_id])
    )

    assert response.status_code == 404


def test_the_covenants_list_shows_the_cooperative_clerk_their_villages_covenant(world, covenants):
    response = client_for(world.user("coop_clerk")).get(reverse("covenants:covenants") + f"?division={w.VILLAGE}")

    assert response.status_code == 200
    assert covenants["general"].title in response.text
    assert "尚在起草的公约" not in response.text
    assert covenants["next_door"].covenant.title not in response.text


# --- the API -----------------------------------------------------------------------------------


def test_the_api_gives_the_cooperative_clerk_the_village_covenant_in_force_and_its_clauses(world, covenants):
    client = client_as("coop_clerk")

    assert [row["id"] for row in results_of(client.get("/api/v1/covenants/"))] == [covenants["general"].pk]
    assert [row["id"] for row in results_of(client.get("/api/v1/covenant-versions/"))] == [covenants["in_force"].pk]
    assert [row["id"] for row in results_of(client.get("/api/v1/clauses/"))] == [covenants["clauses"]["in_force"].pk]
    assert client.get(f"/api/v1/covenant-versions/{covenants['draft'].pk}/").status_code == 404
    assert client.get(f"/api/v1/covenants/{covenants['next_door'].covenant_id}/").status_code == 404


# --- the schemes above a cooperative -----------------------------------------------------------


@pytest.fixture
def town_schemes(world):
    return {
        "villages": scheme(w.TOWN, name="村（社区）考核方案", level=UnitLevel.VILLAGE),
        "cooperatives": scheme(w.TOWN, name="经济社考核方案", level=UnitLevel.COOPERATIVE),
        "district_villages": scheme(w.DISTRICT, name="区村（社区）考核方案", level=UnitLevel.VILLAGE),
    }


def test_a_cooperative_clerk_reads_the_schemes_that_assess_cooperatives_only(world, town_schemes):
    readable = set(Scheme.objects.readable_by(world.user("coop_clerk")))

    assert readable == {town_schemes["cooperatives"]}


def test_a_village_clerk_still_reads_the_schemes_of_villages_and_cooperatives_above(world, town_schemes):
    readable = set(Scheme.objects.readable_by(world.user("village_clerk")))

    assert readable == set(town_schemes.values())


def test_the_cooperative_clerks_scheme_list_shows_no_scheme_of_villages(world, town_schemes):
    response = client_for(world.user("coop_clerk")).get(reverse("supervision:scheme_list"))

    assert response.status_code == 200
    assert "经济社考核方案" in response.text
    assert "村（社区）考核方案" not in response.text
    results = client_for(world.user("coop_clerk")).get(
        reverse("supervision:results", args=[town_schemes["villages"].pk])
    )
    assert results.status_code == 404
