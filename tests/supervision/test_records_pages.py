"""The supervision register's pages (supervision/pages/records.py): access matrices of each kind's
list, a record's page, correcting it, an audit's follow-up, the negative list and the leadership
posts without an integrity talk; filing from the browser through the service, the correction
chain on both records' pages, field errors, and pinned query counts."""

import datetime

import pytest
from django.urls import reverse

from governance import clock
from governance.testing import world as w
from governance.testing.pages import PageAccessTests, queries_for, signed_in_client
from supervision.models import DisciplinarySanction, EconomicAudit
from supervision.testing.record_factories import (
    ConductNegativeItemFactory,
    DisciplinarySanctionFactory,
    EconomicAuditFactory,
    IntegrityTalkFactory,
    MajorMatterReportFactory,
)
from villages.choices import Level, PositionKind
from villages.testing.factories import PersonFactory, PositionFactory, division

D = datetime.date
READERS = {"district_admin", "inspector", "town_official"}
FILERS = {"district_admin", "inspector"}


def sanction_post(sanction) -> dict:
    return {
        "person": sanction.person_id,
        "kind": "warning",
        "decided_on": "2025-06-01",
        "decided_by": "区纪委",
        "basis": "《中国共产党纪律处分条例》",
        "facts": "违规过问集体物业出租。",
        "deduction_percent": "5",
        "deduction_months": "",
        "correction_reason": "决定书载明 5%。",
    }


class TestSanctionListPage(PageAccessTests):
    viewers = READERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:record_list", args=["sanctions"])

    def make_object(self, code):
        return DisciplinarySanctionFactory(division=division(code), facts=f"事实{code}", decided_by=f"机关{code}")

    def marker(self, sanction):
        return f"机关{sanction.division_id}"


class TestMajorMatterListPage(PageAccessTests):
    viewers = FILERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:record_list", args=["major-matters"])

    def make_object(self, code):
        return MajorMatterReportFactory(division=division(code))

    def marker(self, report):
        return f"/supervision/register/major-matters/{report.pk}/"


class TestSanctionPage(PageAccessTests):
    viewers = READERS

    def url(self, sanction):
        return reverse("supervision:record", args=["sanctions", sanction.pk])

    def make_object(self, code):
        return DisciplinarySanctionFactory(division=division(code))


class TestIntegrityTalkPage(PageAccessTests):
    viewers = READERS

    def url(self, talk):
        return reverse("supervision:record", args=["integrity-talks", talk.pk])

    def make_object(self, code):
        return IntegrityTalkFactory(division=division(code))


class TestSanctionCorrectionPage(PageAccessTests):
    viewers = READERS
    posters = FILERS

    def url(self, sanction):
        return reverse("supervision:record_correct", args=["sanctions", sanction.pk])

    def make_object(self, code):
        return DisciplinarySanctionFactory(division=division(code))

    def post_data(self, sanction):
        return sanction_post(sanction)


class TestAuditFollowUpPage(PageAccessTests):
    viewers = READERS
    posters = FILERS

    def url(self, audit):
        return reverse("supervision:audit_follow_up", args=[audit.pk])

    def make_object(self, code):
        return EconomicAuditFactory(division=division(code))

    def post_data(self, audit):
        return {"done_on": "2024-06-01", "result": "已追缴欠收租金。"}


class TestNegativeListPage(PageAccessTests):
    viewers = READERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:negative_list")

    def make_object(self, code):
        return ConductNegativeItemFactory(division=division(code), text=f"负面行为{code}")

    def marker(self, item):
        return item.text


class TestTalklessPostsPage(PageAccessTests):
    viewers = READERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:talkless_posts")

    def make_object(self, code):
        place = division(code)
        kind = PositionKind.COOPERATIVE_HEAD if place.level == Level.COOPERATIVE else PositionKind.PARTY_SECRETARY
        return PositionFactory(division=place, kind=kind, person=PersonFactory(division=place, name=f"干部{code}"))

    def marker(self, position):
        return position.person.name


class TestUnauditedDeparturesPage(PageAccessTests):
    viewers = READERS
    is_list = True

    def url(self, obj):
        return reverse("supervision:unaudited_departures")

    def make_object(self, code):
        place = division(code)
        kind = PositionKind.COOPERATIVE_HEAD if place.level == Level.COOPERATIVE else PositionKind.PARTY_SECRETARY
        return PositionFactory(
            division=place,
            kind=kind,
            person=PersonFactory(division=place, name=f"离任{code}"),
            ended_on=clock.today(),
        )

    def marker(self, position):
        return position.person.name


pytestmark = pytest.mark.django_db


def test_an_inspector_files_a_sanction_from_the_register_and_is_sent_to_its_page(world):
    person = PersonFactory(division=division(w.VILLAGE))
    client = signed_in_client(world.user("inspector"))
    data = {**sanction_post(DisciplinarySanction(person=person)), "correction_reason": ""}

    response = client.post(reverse("supervision:record_add", args=["sanctions"]), data)

    sanction = DisciplinarySanction.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:record", args=["sanctions", sanction.pk])
    assert (sanction.deduction_percent, sanction.deduction_months) == (5, 6)
    assert sanction.recorded_by == world.user("inspector")


def test_a_town_official_may_not_open_the_sanction_form(world):
    client = signed_in_client(world.user("town_official"))

    assert client.get(reverse("supervision:record_add", args=["sanctions"])).status_code == 403


def test_an_unknown_kind_of_record_is_404(world):
    client = signed_in_client(world.user("inspector"))

    assert client.get(reverse("supervision:record_list", args=["secrets"])).status_code == 404


def test_the_services_refusal_comes_back_as_a_field_error(world):
    person = PersonFactory(division=division(w.VILLAGE))
    client = signed_in_client(world.user("inspector"))
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    data = {**sanction_post(DisciplinarySanction(person=person)), "decided_on": tomorrow}

    response = client.post(reverse("supervision:record_add", args=["sanctions"]), data)

    assert response.status_code == 200
    assert "日期不能晚于今天" in response.text
    assert not DisciplinarySanction.objects.exists()


def test_a_corrected_record_names_its_correction_and_the_correction_names_it(world):
    old = DisciplinarySanctionFactory(division=division(w.VILLAGE))
    client = signed_in_client(world.user("inspector"))

    client.post(reverse("supervision:record_correct", args=["sanctions", old.pk]), sanction_post(old))

    new = DisciplinarySanction.objects.get(corrects=old)
    old_page = client.get(reverse("supervision:record", args=["sanctions", old.pk])).text
    new_page = client.get(reverse("supervision:record", args=["sanctions", new.pk])).text
    assert reverse("supervision:record", args=["sanctions", new.pk]) in old_page
    assert 'id="correct-record"' not in old_page, "only the latest record is corrected"
    assert reverse("supervision:record", args=["sanctions", old.pk]) in new_page
    assert "决定书载明 5%。" in new_page


def test_the_register_shows_current_records_by_default_and_all_when_asked(world):
    old = DisciplinarySanctionFactory(division=division(w.VILLAGE), decided_by="原机关")
    DisciplinarySanctionFactory(
        division=division(w.VILLAGE), person=old.person, corrects=old, correction_reason="更正。", decided_by="新机关"
    )
    client = signed_in_client(world.user("inspector"))
    url = reverse("supervision:record_list", args=["sanctions"])

    current = client.get(url).text
    everything = client.get(url, {"standing": "unknown"}).text

    assert "新机关" in current and "原机关" not in current
    assert "新机关" in everything and "原机关" in everything


def test_the_audit_page_offers_the_follow_up_only_while_it_is_open(world):
    audit = EconomicAuditFactory(division=division(w.VILLAGE))
    client = signed_in_client(world.user("inspector"))
    url = reverse("supervision:record", args=["audits", audit.pk])
    assert 'id="record-follow-up"' in client.get(url).text

    client.post(reverse("supervision:audit_follow_up", args=[audit.pk]), {"done_on": "2024-06-01", "result": "已追缴"})

    assert EconomicAudit.objects.get().follow_up_done_on == D(2024, 6, 1)
    assert 'id="record-follow-up"' not in client.get(url).text


def test_the_register_goes_to_the_first_kind_the_visitor_reads(world):
    response = signed_in_client(world.user("town_official")).get(reverse("supervision:register"))

    assert response.status_code == 302
    assert response.url == reverse("supervision:record_list", args=["sanctions"])


def test_a_clerk_finds_no_register(world):
    assert signed_in_client(world.user("village_clerk")).get(reverse("supervision:register")).status_code == 404


_heads = iter(range(100, 1000))


def _talkless_post():
    """A cooperative head with no talk (a one-holder post: each in a cooperative of its own), and
    posts that are never flagged beside it."""
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.VILLAGER_REPRESENTATIVE)
    return PositionFactory(division=division(f"{w.VILLAGE}{next(_heads):03d}"), kind=PositionKind.COOPERATIVE_HEAD)


def _departure():
    """A cooperative head who left today without an audit on leaving (each in a cooperative of
    its own), and a member who left beside it (never flagged)."""
    PositionFactory(division=division(w.VILLAGE), kind=PositionKind.COMMITTEE_MEMBER, ended_on=clock.today())
    return PositionFactory(
        division=division(f"{w.VILLAGE}{next(_heads):03d}"), kind=PositionKind.COOPERATIVE_HEAD, ended_on=clock.today()
    )


# Page → (one more row, its URL).
LIST_PAGES = {
    "sanctions": (DisciplinarySanctionFactory, lambda: reverse("supervision:record_list", args=["sanctions"])),
    "audits": (EconomicAuditFactory, lambda: reverse("supervision:record_list", args=["audits"])),
    "negative list": (ConductNegativeItemFactory, lambda: reverse("supervision:negative_list")),
    "talkless posts": (_talkless_post, lambda: reverse("supervision:talkless_posts")),
    "unaudited departures": (_departure, lambda: reverse("supervision:unaudited_departures")),
}
# What each costs, whatever its rows: the session, the user, their grants, the count and the page.
PINNED = {"sanctions": 5, "audits": 5, "negative list": 5, "talkless posts": 5, "unaudited departures": 5}


@pytest.mark.parametrize("page", LIST_PAGES)
def test_a_register_page_costs_the_same_queries_for_one_row_and_for_several(world, page):
    make, url = LIST_PAGES[page]
    make()
    one = queries_for(signed_in_client(world.user("inspector")), url())
    for _ in range(5):
        make()

    several = queries_for(signed_in_client(world.user("inspector")), url())

    assert one == several == PINNED[page]


def test_a_persons_page_shows_an_inspector_the_standing_records_and_a_town_official_none(world):
    sanction = DisciplinarySanctionFactory(division=division(w.VILLAGE), decided_on=clock.today())
    url = reverse("villages:person", args=[sanction.person_id])

    inspector_page = signed_in_client(world.user("inspector")).get(url).text
    official_page = signed_in_client(world.user("town_official")).get(url).text

    assert 'id="supervision-records"' in inspector_page
    assert reverse("supervision:record", args=["sanctions", sanction.pk]) in inspector_page
    assert "扣减执行中" in inspector_page
    assert 'id="supervision-records"' not in official_page
