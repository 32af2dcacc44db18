"""Village matter admission (村级事项准入, rights_lists.services.admission): a request judged against the
village's three lists (admitted on the duties-by-law or assisted-duties list, refused on the
negative list or on none), the exception a town official who did not file it grants with a reason
(four eyes), the API's and the pages' access matrices, the admission-burden report, and pinned
query counts."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from governance.guards import FOUR_EYES
from governance.testing import world as w
from governance.testing.api import ANONYMOUS, CALLERS, APIViewTestCases, client_as, queries_and_rows
from governance.testing.fixtures import OUTSIDER
from governance.testing.pages import PageAccessTests, queries_for
from governance.testing.pages import signed_in_client as client_for
from rights_lists.choices import AdmissionOutcome, ListKind
from rights_lists.models import AdmissionRequest
from rights_lists.services import admission
from rights_lists.testing.factories import AdmissionRequestFactory, adopted_three_lists, three_lists
from villages.testing.factories import division

D = datetime.date
ROLES = set(w.ROLE_HOME)
READERS = ROLES - {"grid_worker"}  # rights_lists/grants.py names every role but the grid worker
VIEWERS = READERS - {"coop_clerk"}  # requests lie in villages: a cooperative's clerk sees none
FILERS = {"district_admin", "town_official", "village_clerk"}
EXCEPTERS = {"district_admin", "town_official"}

VILLAGE_PLACES = {
    "district_admin": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    "town_official": (w.OTHER_VILLAGE_SAME_TOWN, w.OTHER_TOWN_VILLAGE),
    "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "grid_worker": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
    "inspector": (w.VILLAGE, w.FAR_VILLAGE),
    "report_reader": (w.OTHER_TOWN_VILLAGE, w.FAR_VILLAGE),
    OUTSIDER: (w.VILLAGE, w.FAR_VILLAGE),
    ANONYMOUS: (w.VILLAGE, w.FAR_VILLAGE),
}
VILLAGE_LEVEL_CALLERS = tuple(who for who in CALLERS if who != "coop_clerk")


def item_of(kind: str):
    return three_lists()[kind].items.get(number="1")


MARCH_1 = D(2025, 3, 1)


def file(user, matter: str, *, code: str = w.VILLAGE, item=None, on: datetime.date = MARCH_1):
    adopted_three_lists(code)
    return admission.file_request(
        acting_user=user, division=division(code), requester="区民政局", matter=matter, requested_on=on, item=item
    )


def except_(request, user, reason: str):
    return admission.grant_exception(request, acting_user=user, reason=reason, excepted_on=D(2025, 3, 2))


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        (ListKind.DUTIES_BY_LAW, AdmissionOutcome.ADMITTED),
        (ListKind.ASSISTED_DUTIES, AdmissionOutcome.ADMITTED),
        (ListKind.NEGATIVE, AdmissionOutcome.REFUSED),
    ],
)
def test_a_matter_named_on_one_of_the_three_lists_is_judged_by_that_list(world, kind, outcome):
    request = file(world.user("town_official"), "某事项", item=item_of(kind))

    assert (request.outcome, request.list_kind, request.item) == (outcome, kind, item_of(kind))


def test_a_matter_whose_title_is_an_items_is_found_on_its_list_without_naming_it(world):
    request = file(world.user("village_clerk"), " 协助 办理1 ")

    assert (request.outcome, request.list_kind) == (AdmissionOutcome.ADMITTED, ListKind.ASSISTED_DUTIES)


def test_a_matter_on_no_list_is_refused(world):
    request = file(world.user("town_official"), "代收水费")

    assert (request.outcome, request.item, request.list_kind) == (AdmissionOutcome.REFUSED, None, "")


def test_an_item_not_in_force_in_the_village_on_the_request_date_is_refused_on_item(world):
    with pytest.raises(ValidationError) as refused:
        file(world.user("town_official"), "某事项", item=item_of(ListKind.DUTIES_BY_LAW), on=D(2023, 12, 31))

    assert "item" in refused.value.message_dict


def test_a_request_is_for_a_village_not_a_cooperative(world):
    with pytest.raises(ValidationError) as refused:
        file(world.user("village_clerk"), "代收水费", code=w.COOPERATIVE)

    assert "division" in refused.value.message_dict


def test_a_request_outside_the_filers_jurisdiction_is_refused(world):
    with pytest.raises(PermissionDenied):
        file(world.user("village_clerk"), "代收水费", code=w.OTHER_VILLAGE_SAME_TOWN)


def test_a_town_official_who_did_not_file_a_refused_request_excepts_it_with_a_reason(world):
    request = file(world.user("village_clerk"), "代收水费")

    excepted = admission.grant_exception(
        request, acting_user=world.user("town_official"), reason="防汛应急，限期三个月。", excepted_on=D(2025, 3, 2)
    )

    assert (excepted.outcome, excepted.exception_reason, excepted.excepted_by) == (
        AdmissionOutcome.EXCEPTED,
        "防汛应急，限期三个月。",
        world.user("town_official"),
    )


def test_the_filer_never_excepts_their_own_request(world):
    request = file(world.user("town_official"), "代收水费")

    with pytest.raises(PermissionDenied, match=str(FOUR_EYES)):
        except_(request, world.user("town_official"), "理由")
    assert AdmissionRequest.objects.get(pk=request.pk).outcome == AdmissionOutcome.REFUSED


def test_the_database_refuses_an_exception_by_the_filer_too(world):
    request = AdmissionRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AdmissionRequest.objects.filter(pk=request.pk).update(
            outcome=AdmissionOutcome.EXCEPTED,
            excepted_by=request.filed_by,
            excepted_on=D(2025, 3, 2),
            exception_reason="x",
        )


def test_a_village_clerk_may_not_grant_an_exception(world):
    request = file(world.user("town_official"), "代收水费")

    with pytest.raises(PermissionDenied):
        except_(request, world.user("village_clerk"), "理由")


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_exception_needs_a_reason(world, reason):
    request = file(world.user("village_clerk"), "代收水费")

    with pytest.raises(ValidationError) as refused:
        except_(request, world.user("town_official"), reason)

    assert "reason" in refused.value.message_dict


def test_an_admitted_request_needs_no_exception(world):
    request = file(world.user("village_clerk"), "依法履职1")

    with pytest.raises(ValidationError):
        except_(request, world.user("town_official"), "理由")


# A matter on the village's negative list (负面事项) is never admitted; an exception may admit only a
# matter that stands on none of the three lists (DESIGN.md section 3; Guangyuan plan, Guangxi §20).


def test_a_matter_on_the_negative_list_is_never_excepted_a_400_on_item(world):
    request = file(world.user("village_clerk"), "负面1")
    assert (request.outcome, request.list_kind) == (AdmissionOutcome.REFUSED, ListKind.NEGATIVE)

    with pytest.raises(ValidationError) as refused:
        except_(request, world.user("town_official"), "防汛应急。")

    assert "负面事项清单" in " ".join(refused.value.message_dict["item"])
    assert AdmissionRequest.objects.get(pk=request.pk).outcome == AdmissionOutcome.REFUSED


def test_a_matter_named_on_the_negative_list_is_not_excepted_either(world):
    request = file(world.user("village_clerk"), "村里要办的事", item=item_of(ListKind.NEGATIVE))

    with pytest.raises(ValidationError) as refused:
        except_(request, world.user("town_official"), "防汛应急。")

    assert "item" in refused.value.message_dict


def test_a_matter_on_none_of_the_three_lists_may_be_excepted(world):
    request = file(world.user("village_clerk"), "代收水费")

    assert admission.may_grant_exception(world.user("town_official"), request)
    assert except_(request, world.user("town_official"), "防汛应急。").outcome == AdmissionOutcome.EXCEPTED


@pytest.mark.parametrize("kind", [ListKind.DUTIES_BY_LAW, ListKind.ASSISTED_DUTIES])
def test_a_matter_on_the_first_two_lists_is_admitted_anyway_and_offers_no_exception(world, kind):
    request = file(world.user("village_clerk"), "某事项", item=item_of(kind))

    assert request.outcome == AdmissionOutcome.ADMITTED
    assert not admission.exceptable(request)
    assert not admission.may_grant_exception(world.user("town_official"), request)


def test_no_one_may_grant_an_exception_on_the_negative_list(world):
    request = file(world.user("village_clerk"), "负面1")

    assert not admission.exceptable(request)
    assert not any(admission.may_grant_exception(world.user(role), request) for role in EXCEPTERS)


def test_the_database_refuses_a_negative_list_matter_excepted_or_admitted(world):
    request = file(world.user("village_clerk"), "负面1")
    official = world.user("town_official")

    for change in (
        {"outcome": AdmissionOutcome.EXCEPTED, "excepted_by": official, "excepted_on": D(2025, 3, 2)},
        {"outcome": AdmissionOutcome.ADMITTED},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AdmissionRequest.objects.filter(pk=request.pk).update(exception_reason="x", **change)


# --- the API -------------------------------------------------------------------------------------


class TestAdmissionRequestAccess(
    APIViewTestCases.ListTests,
    APIViewTestCases.RetrieveTests,
    APIViewTestCases.HistoryTests,
    APIViewTestCases.CreateTests,
):
    basename = "admissionrequest"
    model = AdmissionRequest
    places = VILLAGE_PLACES
    viewers = VIEWERS
    adders = FILERS

    def build_objects(self, world):
        codes = sorted({code for pair in self.places.values() for code in pair})
        return {code: self.make_object(code) for code in codes}

    def pytest_generate_tests(self, metafunc):
        if "who" in metafunc.fixturenames:
            metafunc.parametrize("who", VILLAGE_LEVEL_CALLERS)
        if "where" in metafunc.fixturenames:
            metafunc.parametrize("where", ("inside", "outside"))

    def make_object(self, code):
        return AdmissionRequestFactory(division=division(code))

    def create_data(self, code, scenario, who):
        return {"division": code, "requester": "区民政局", "matter": "代收水费", "requested_on": "2025-03-01"}

    def test_an_exception_is_granted_by_a_town_official_inside_the_jurisdiction_only(self, scenario, who, where, db):
        request = self.object_at(scenario, who, where)
        url = reverse("api:admissionrequest-exception", kwargs={"pk": request.pk})

        response = client_as(who).post(url, {"reason": "防汛应急。", "excepted_on": "2025-03-02"}, format="json")

        expected = self.expected_on_one_object(who, self.place(who, where), EXCEPTERS, 200)
        assert response.status_code == expected, response.content[:500]
        outcome = AdmissionRequest.objects.get(pk=request.pk).outcome
        assert (outcome == AdmissionOutcome.EXCEPTED) == (expected == 200)


def test_a_request_filed_through_the_api_is_judged_at_once(world):
    adopted_three_lists(w.VILLAGE)

    response = client_as("town_official").post(
        reverse("api:admissionrequest-list"),
        {"division": w.VILLAGE, "requester": "狮山镇综治办", "matter": "负面1", "requested_on": "2025-03-01"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["outcome"], body["list_kind"], body["item_title"]) == ("refused", "negative", "负面1")


def test_the_filer_excepting_their_own_request_through_the_api_is_a_403(world):
    request = file(world.user("town_official"), "代收水费")

    response = client_as("town_official").post(
        reverse("api:admissionrequest-exception", kwargs={"pk": request.pk}), {"reason": "理由"}, format="json"
    )

    assert response.status_code == 403


def test_an_exception_on_a_negative_list_matter_through_the_api_is_a_400_on_item(world):
    request = file(world.user("village_clerk"), "负面1")

    response = client_as("town_official").post(
        reverse("api:admissionrequest-exception", kwargs={"pk": request.pk}),
        {"reason": "防汛应急。", "excepted_on": "2025-03-02"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "负面事项清单" in response.json()["item"][0]
    assert AdmissionRequest.objects.get(pk=request.pk).outcome == AdmissionOutcome.REFUSED


def test_requests_filter_by_outcome(world):
    adopted = file(world.user("village_clerk"), "依法履职1")
    file(world.user("village_clerk"), "代收水费")

    response = client_as("village_clerk").get(reverse("api:admissionrequest-list"), {"outcome": "admitted"})

    assert [row["id"] for row in response.json()["results"]] == [adopted.pk]


def test_the_list_of_requests_costs_the_same_queries_for_1_row_and_for_30(world):
    url = reverse("api:admissionrequest-list")
    AdmissionRequestFactory()
    with_one = queries_and_rows(client_as("village_clerk"), url, {"page_size": 1000})
    AdmissionRequestFactory.create_batch(29, excepted_by=None)
    with_many = queries_and_rows(client_as("village_clerk"), url, {"page_size": 1000})

    assert (with_one, with_many) == ((3, 1), (3, 30))


# --- the report ----------------------------------------------------------------------------------


def test_the_admission_burden_counts_each_outcome_per_village_and_requesting_body(world):
    clerk, official = world.user("village_clerk"), world.user("town_official")
    file(clerk, "依法履职1")
    refused = file(clerk, "代收水费")
    excepted = file(clerk, "代收电费")
    admission.grant_exception(excepted, acting_user=official, reason="应急。", excepted_on=D(2025, 3, 2))
    AdmissionRequestFactory(division=division(w.OTHER_VILLAGE_SAME_TOWN), requester="区住建局")
    AdmissionRequestFactory(division=division(w.VILLAGE), requester="区民政局", requested_on=D(2024, 3, 1))

    response = client_as("town_official").get(
        reverse("api:report-admission-burden"), {"division": w.TOWN, "period": "2025"}
    )

    assert response.status_code == 200, response.content
    rows = [
        (row["code"], row["requester"], row["admitted"], row["refused"], row["excepted"], row["total"])
        for row in response.json()["results"]
    ]
    assert rows == [(w.VILLAGE, "区民政局", 1, 1, 1, 3), (w.OTHER_VILLAGE_SAME_TOWN, "区住建局", 0, 1, 0, 1)]
    assert refused.outcome == "refused"


def test_the_admission_burden_is_a_csv_for_a_report_reader(world):
    AdmissionRequestFactory()

    response = client_as("report_reader").get(
        reverse("api:report-admission-burden"), {"division": w.DISTRICT, "period": "2025", "format": "csv"}
    )

    assert response.status_code == 200
    assert "区民政局" in response.content.decode("utf-8")


# --- the pages -----------------------------------------------------------------------------------
# The page matrices place requests in the cooperatives every role's jurisdiction covers (scoping
# reads a record's division code, whatever its level); the filing page needs a village.


class TestAdmissionListPage(PageAccessTests):
    is_list = True
    viewers = READERS

    def url(self, _none):
        return reverse("rights_lists:admission_requests")

    def make_object(self, code):
        return AdmissionRequestFactory(division=division(code), matter=f"事项{code}")

    def marker(self, request):
        return request.matter


class TestAdmissionExceptionPage(PageAccessTests):
    viewers = READERS
    posters = EXCEPTERS

    def url(self, request):
        return reverse("rights_lists:admission_exception", args=[request.pk])

    def make_object(self, code):
        return AdmissionRequestFactory(division=division(code))

    def post_data(self, request):
        return {"reason": "防汛应急，限期三个月。", "excepted_on": "2025-03-02"}


class TestAdmissionFilingPage(PageAccessTests):
    places = {
        "district_admin": (w.VILLAGE, w.FAR_VILLAGE),
        "town_official": (w.VILLAGE, w.OTHER_TOWN_VILLAGE),
        "village_clerk": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
        "coop_clerk": (w.COOPERATIVE, w.OTHER_COOPERATIVE_SAME_VILLAGE),  # no village: 404
        "grid_worker": (w.VILLAGE, w.OTHER_VILLAGE_SAME_TOWN),
        "inspector": (w.VILLAGE, w.FAR_VILLAGE),
        "report_reader": (w.VILLAGE, w.FAR_VILLAGE),
    }
    viewers = ROLES - {"coop_clerk"}  # who view the village (a grid worker does)
    posters = FILERS

    def url(self, place):
        return reverse("rights_lists:admission_file", args=[place.code])

    def make_object(self, code):
        adopted_three_lists(code)
        return SimpleNamespace(code=code)

    def post_data(self, place):
        return {"requester": "区民政局", "matter": "代收水费", "requested_on": "2025-03-01", "item": ""}


def test_the_filing_page_judges_the_request_and_lists_it_with_its_outcome(world):
    adopted_three_lists(w.VILLAGE)
    client = client_for(world.user("village_clerk"))
    item = item_of(ListKind.ASSISTED_DUTIES)

    response = client.post(
        reverse("rights_lists:admission_file", args=[w.VILLAGE]),
        {"requester": "区人社局", "matter": "社保参保登记", "requested_on": "2025-03-01", "item": item.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "社保参保登记" in response.text and "准入" in response.text
    assert AdmissionRequest.objects.get(matter="社保参保登记").outcome == AdmissionOutcome.ADMITTED


def test_a_refused_request_offers_its_exception_to_a_town_official_who_did_not_file_it_only(world):
    request = file(world.user("village_clerk"), "代收水费")
    exception_url = reverse("rights_lists:admission_exception", args=[request.pk])
    listed = reverse("rights_lists:admission_requests")

    assert exception_url in client_for(world.user("town_official")).get(listed).text
    assert exception_url not in client_for(world.user("village_clerk")).get(listed).text


def test_a_negative_list_request_offers_no_exception_and_its_exception_page_is_a_404(world):
    request = file(world.user("village_clerk"), "负面1")
    exception_url = reverse("rights_lists:admission_exception", args=[request.pk])
    client = client_for(world.user("town_official"))

    listed = client.get(reverse("rights_lists:admission_requests")).text

    assert "负面1" in listed and exception_url not in listed
    assert client.get(exception_url).status_code == 404
    assert client.post(exception_url, {"reason": "应急。", "excepted_on": "2025-03-02"}).status_code == 404
    assert AdmissionRequest.objects.get(pk=request.pk).outcome == AdmissionOutcome.REFUSED


def test_the_exception_page_refuses_a_blank_reason_on_the_field(world):
    request = file(world.user("village_clerk"), "代收水费")

    response = client_for(world.user("town_official")).post(
        reverse("rights_lists:admission_exception", args=[request.pk]),
        {"reason": " ", "excepted_on": "2025-03-02"},
    )

    assert response.status_code == 200
    assert AdmissionRequest.objects.get(pk=request.pk).outcome == AdmissionOutcome.REFUSED


def test_the_list_of_requests_costs_the_same_queries_for_one_row_and_for_many(world):
    client = client_for(world.user("town_official"))
    url = reverse("rights_lists:admission_requests")
    AdmissionRequestFactory()
    with_one = queries_for(client, url)
    AdmissionRequestFactory.create_batch(20)
    with_many = queries_for(client, url)

    assert (with_one, with_many) == (5, 5)


FORM_PAGES = {
    # page → (who, the URL), each read twice: the same count whatever the rows around it
    "filing form": ("village_clerk", lambda world: reverse("rights_lists:admission_file", args=[w.VILLAGE])),
    "exception form": (
        "town_official",
        lambda world: reverse(
            "rights_lists:admission_exception", args=[file(world.user("village_clerk"), "代收水费").pk]
        ),
    ),
}
PINNED_FORMS = {"filing form": 5, "exception form": 5}


@pytest.mark.parametrize("page_name", list(FORM_PAGES))
def test_a_form_page_costs_a_pinned_number_of_queries(world, page_name):
    who, url_of = FORM_PAGES[page_name]
    adopted_three_lists(w.VILLAGE)
    url = url_of(world)
    client = client_for(world.user(who))

    first = queries_for(client, url)
    AdmissionRequestFactory.create_batch(5)

    assert (first, queries_for(client, url)) == (PINNED_FORMS[page_name], PINNED_FORMS[page_name])


def test_a_requests_detail_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    request = file(world.user("village_clerk"), "代收水费")
    client = client_as("town_official")
    url = reverse("api:admissionrequest-detail", kwargs={"pk": request.pk})
    client.get(url)

    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
