"""The filing pages (任职备案): what the review list shows, who may decide a filing (the approval
right over the receiving division, four eyes), what a refused decision says, where a submitted
filing goes, and what the pages cost in queries. Who sees the review list and a filing, and who
may submit, inside and outside their jurisdiction, is declared in
tests/governance/test_pages_access.py."""

import pytest
from django.urls import reverse

from governance.audit import history_of
from governance.testing import world as w
from governance.testing.factories import UserFactory, assign
from governance.testing.pages import queries_for
from governance.testing.pages import signed_in_client as client_for
from villages import services
from villages.models import FilingStatus, Position, PositionFiling, PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division

# Who may submit (add_positionfiling) inside their jurisdiction.
SUBMITTERS = {"district_admin", "town_official", "village_clerk"}


def cooperative_head_at(code: str, name: str = "黄志强") -> Position:
    return PositionFactory(
        person=PersonFactory(division=division(code), name=name),
        division=division(code),
        kind=PositionKind.COOPERATIVE_HEAD,
    )


def filing_at(code: str, world, name: str = "黄志强") -> PositionFiling:
    """A cooperative head's filing with the town, submitted by a clerk who is none of the role
    users (so that nobody here decides their own submission). Made directly: that clerk is
    assigned nowhere, so services.submit_filing would refuse them."""
    position = cooperative_head_at(code, name)
    return PositionFiling.objects.create(
        position=position,
        filed_with_id=position.filing_division_code(),
        submitted_by=UserFactory(username="submitting_clerk"),
    )


# --- the review list -------------------------------------------------------------------------


def test_the_review_list_shows_open_filings_unless_asked_for_others(world):
    waiting = filing_at(w.COOPERATIVE, world, name="待审人")
    decided = filing_at(w.OTHER_COOPERATIVE_SAME_VILLAGE, world, name="已审人")
    services.decide_filing(decided, acting_user=world.user("town_official"), accept=True)
    client = client_for(world.user("town_official"))

    default = client.get(reverse("villages:filings"))
    accepted = client.get(reverse("villages:filings"), {"status": FilingStatus.ACCEPTED})

    assert [filing.pk for filing in default.context["object_list"]] == [waiting.pk]
    assert [filing.pk for filing in accepted.context["object_list"]] == [decided.pk]


def test_the_review_list_names_a_cooperative_with_its_village(world):
    filing_at(w.COOPERATIVE, world)

    response = client_for(world.user("town_official")).get(reverse("villages:filings"))

    assert "罗村村委会 · 第一经济社" in response.text  # several villages have a 第一经济社


# --- deciding --------------------------------------------------------------------------------


def test_the_town_official_accepts_a_filing_and_the_decision_is_recorded_under_their_name(world):
    official = world.user("town_official")
    filing = filing_at(w.COOPERATIVE, world)
    url = reverse("villages:filing", args=[filing.pk])

    page = client_for(official).get(url)
    response = client_for(official).post(url, {"decision": "accept", "note": "材料齐全"}, follow=True)

    assert page.context["may_decide"] is True
    filing.refresh_from_db()
    assert (filing.status, filing.decided_by, filing.note) == (FilingStatus.ACCEPTED, official, "材料齐全")
    assert "已准予备案。" in response.text
    latest = history_of(filing).first()
    assert (latest.pgh_label, latest.pgh_context["user"]) == ("update", official.pk)


def test_a_village_clerk_sees_no_decision_form_and_a_posted_decision_is_refused(world):
    filing = filing_at(w.COOPERATIVE, world)
    url = reverse("villages:filing", args=[filing.pk])
    clerk = client_for(world.user("village_clerk"))

    assert clerk.get(url).context["may_decide"] is False
    assert clerk.post(url, {"decision": "accept"}).status_code == 403
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_a_town_official_is_not_offered_a_secretarys_filing_which_goes_to_the_district(world):
    secretary = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    filing = services.submit_filing(secretary, acting_user=world.user("village_clerk"))
    url = reverse("villages:filing", args=[filing.pk])

    official = client_for(world.user("town_official"))
    district = client_for(world.user("district_admin"))

    assert filing.filed_with_id == w.DISTRICT
    assert official.get(url).context["may_decide"] is False  # sees it, may not decide it
    assert official.post(url, {"decision": "accept"}).status_code == 403
    assert district.get(url).context["may_decide"] is True


def test_nobody_decides_their_own_submission(world):
    official = world.user("town_official")
    filing = services.submit_filing(cooperative_head_at(w.COOPERATIVE), acting_user=official)
    url = reverse("villages:filing", args=[filing.pk])

    assert client_for(official).get(url).context["may_decide"] is False
    assert client_for(official).post(url, {"decision": "accept"}).status_code == 403
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_a_decision_without_a_choice_is_a_field_error(world):
    filing = filing_at(w.COOPERATIVE, world)

    response = client_for(world.user("town_official")).post(reverse("villages:filing", args=[filing.pk]), {"note": "?"})

    assert response.status_code == 200
    assert "decision" in response.context["form"].errors
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_deciding_a_filing_twice_says_it_has_been_decided(world):
    filing = filing_at(w.COOPERATIVE, world)
    services.decide_filing(filing, acting_user=world.user("town_official"), accept=False)
    # A second reviewer of the town, whose page was opened before the first decision.
    second = UserFactory(username="second_town_official")
    assign(second, w.TOWN, "town_official")

    response = client_for(second).post(
        reverse("villages:filing", args=[filing.pk]), {"decision": "accept"}, follow=True
    )

    assert "该备案已审核。" in response.text
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED


# --- submitting ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(SUBMITTERS))
def test_a_submitted_cooperative_head_goes_to_the_town_under_the_submitters_name(world, role):
    position = cooperative_head_at(w.COOPERATIVE)

    response = client_for(world.user(role)).post(reverse("villages:position_file", args=[position.pk]))

    filing = PositionFiling.objects.get(position=position)
    assert response.status_code == 302 and response.url == reverse("villages:filing", args=[filing.pk])
    assert (filing.filed_with_id, filing.submitted_by) == (w.TOWN, world.user(role))


def test_the_person_page_offers_filing_once_and_then_shows_its_status(world):
    position = cooperative_head_at(w.COOPERATIVE)
    clerk = client_for(world.user("village_clerk"))
    person_page = reverse("villages:person", args=[position.person_id])
    button = f'id="file-position-{position.pk}"'

    before = clerk.get(person_page)
    clerk.post(reverse("villages:position_file", args=[position.pk]))
    after = clerk.get(person_page)
    again = clerk.post(reverse("villages:position_file", args=[position.pk]), follow=True)

    assert button in before.text
    assert button not in after.text and "已报备待审" in after.text
    assert "该任职已报备或已备案。" in again.text
    assert PositionFiling.objects.count() == 1


def test_positions_that_are_not_filed_are_not_offered_for_filing(world):
    representative = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)

    page = client_for(world.user("village_clerk")).get(reverse("villages:person", args=[representative.person_id]))

    assert f'id="file-position-{representative.pk}"' not in page.text


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("filings", [1, 30])
def test_the_review_list_costs_the_same_queries_whatever_the_number_of_filings(world, filings):
    for number in range(1, filings + 1):  # one current head per cooperative: a cooperative each
        filing_at(f"{w.VILLAGE}{number:03d}", world, name=f"社长{number}")
    client = client_for(world.user("town_official"))

    assert queries_for(client, reverse("villages:filings")) == 5


def test_a_filing_page_costs_a_fixed_number_of_queries(world):
    filing = filing_at(w.COOPERATIVE, world)

    # session, user, grants, the filing with its position, person and divisions (the right to
    # decide comes from the grants already loaded: no query for the town official)
    assert queries_for(client_for(world.user("town_official")), reverse("villages:filing", args=[filing.pk])) == 4


def test_home_tells_each_reviewer_how_many_filings_wait_for_them(world):
    filing_at(w.COOPERATIVE, world)  # a cooperative head: filed with the town
    secretary = PositionFactory(division=division(w.VILLAGE), kind=PositionKind.PARTY_SECRETARY)
    services.submit_filing(secretary, acting_user=world.user("village_clerk"))  # filed with the district
    own = services.submit_filing(
        cooperative_head_at(w.OTHER_COOPERATIVE_SAME_VILLAGE, "另一社长"), acting_user=world.user("town_official")
    )

    official = client_for(world.user("town_official")).get(reverse("home"))
    district = client_for(world.user("district_admin")).get(reverse("home"))
    clerk = client_for(world.user("village_clerk")).get(reverse("home"))

    assert official.context["pending_counts"]["filings"] == 1  # not the secretary's, not their own submission
    assert "有 1 条任职备案等待您审核。" in official.text
    assert district.context["pending_counts"]["filings"] == 3
    assert clerk.context["pending_counts"]["filings"] == 0  # clerks decide nothing
    assert 'id="pending-filings"' not in clerk.text
    assert own.status == FilingStatus.SUBMITTED


def test_a_filing_granted_to_one_reviewer_counts_on_their_home_page(world):
    from guardian.shortcuts import assign_perm

    reviewer = UserFactory(username="county_reviewer")
    assign(reviewer, w.OTHER_TOWN, "inspector")  # sees divisions elsewhere, decides nothing by role
    granted = filing_at(w.COOPERATIVE, world)
    filing_at(w.OTHER_COOPERATIVE_SAME_VILLAGE, world, name="未授权")
    assign_perm("villages.view_positionfiling", reviewer, granted)
    assign_perm("villages.approve_positionfiling", reviewer, granted)

    home = client_for(reviewer).get(reverse("home"))
    page = client_for(reviewer).get(reverse("villages:filing", args=[granted.pk]))

    assert home.context["pending_counts"]["filings"] == 1
    assert page.context["may_decide"] is True  # the page and the count agree
