"""factory_boy factories of rights_lists' records, for this app's tests and any other app's.

`district_template(kind)` gives the district a published template with one item of each procedure;
`adopted_template(village)` adopts it in a village; `decision_on(village, procedure)` opens a
decision there on the item of that procedure. The factories build the rest one by one.
"""

import datetime
import hashlib

import factory

from governance.testing.factories import UserFactory
from rights_lists.choices import VILLAGE_CODE_LENGTH, Body, DecisionState, ListKind, ListStatus, Procedure, Step
from rights_lists.models import Adoption, Decision, DecisionStep, ListItem, RightsList
from villages.testing.factories import PersonFactory, division

DISTRICT = "440605"
VALID_FROM = datetime.date(2024, 1, 1)


class RightsListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsList

    owner = factory.LazyFunction(lambda: division(DISTRICT))
    kind = ListKind.VILLAGE_MATTERS
    title = factory.LazyAttribute(lambda rights_list: f"{rights_list.owner.name}{ListKind(rights_list.kind).label}")
    version = 1
    status = ListStatus.PUBLISHED
    valid_from = VALID_FROM


class ListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListItem

    list = factory.SubFactory(RightsListFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"事项{n + 1}")
    category = "集体资产"
    basis = "村民委员会组织法第二十四条"
    responsible_body = "村委会"
    procedure = Procedure.FOUR_DELIBERATIONS
    publicity_days = 5


def district_template(kind: str = ListKind.VILLAGE_MATTERS, code: str = DISTRICT, **fields) -> RightsList:
    """A published district template with item "1" (four_deliberations), "2" (committee, the full
    procedure above 50,000 yuan) and "3" (town_review)."""
    template = RightsListFactory(owner=division(code), kind=kind, **fields)
    ListItemFactory(list=template, number="1", title="集体土地发包、出租", procedure=Procedure.FOUR_DELIBERATIONS)
    ListItemFactory(
        list=template,
        number="2",
        title="村级小额工程建设",
        procedure=Procedure.COMMITTEE,
        full_procedure_above_fen=5_000_000,
    )
    ListItemFactory(list=template, number="3", title="集体资产处置", procedure=Procedure.TOWN_REVIEW)
    return template


def adopt(template: RightsList, code: str) -> Adoption:
    return Adoption.objects.create(template=template, division=division(code), adopted_on=VALID_FROM)


def adopted_template(code: str, kind: str = ListKind.VILLAGE_MATTERS) -> RightsList:
    """A district template (reused when there is one of this kind) adopted in the village `code`."""
    template = RightsList.objects.filter(owner_id=DISTRICT, kind=kind, status=ListStatus.PUBLISHED).first()
    template = template or district_template(kind)
    if not Adoption.objects.filter(template=template, division_id=code[:VILLAGE_CODE_LENGTH]).exists():
        adopt(template, code[:VILLAGE_CODE_LENGTH])
    return template


class DecisionFactory(factory.django.DjangoModelFactory):
    """An open decision of a village on an item of an adopted template (four_deliberations)."""

    class Meta:
        model = Decision

    division = factory.LazyFunction(lambda: division("440605124001"))
    item = factory.LazyAttribute(lambda decision: adopted_template(decision.division.code).items.get(number="1"))
    title = factory.Sequence(lambda n: f"决策事项{n + 1}")
    procedure = factory.LazyAttribute(lambda decision: decision.item.procedure)
    state = DecisionState.OPEN
    opened_by = factory.LazyFunction(lambda: UserFactory())


def decision_on(code: str, procedure: str = Procedure.FOUR_DELIBERATIONS, **fields) -> Decision:
    """An open decision in `code` on the adopted template's item of that procedure."""
    item = adopted_template(code).items.get(procedure=procedure)
    return DecisionFactory(division=division(code), item=item, procedure=procedure, **fields)


class DecisionStepFactory(factory.django.DjangoModelFactory):
    """A proposal of the party committee: 5 of 5 present, adopted unanimously."""

    class Meta:
        model = DecisionStep

    decision = factory.SubFactory(DecisionFactory)
    step = Step.PROPOSAL
    body = Body.PARTY_COMMITTEE
    held_on = datetime.date(2025, 3, 1)
    expected = 5
    present = 5
    votes_for = 5
    adopted = True
    recorded_by = factory.LazyFunction(lambda: UserFactory())


# The smallest bytes governance.uploads recognises as a PDF.
PDF_BYTES = b"%PDF-1.7\n%%EOF\n"


class DecisionAttachmentFactory(factory.django.DjangoModelFactory):
    """The minutes of a decision as a PDF, uploaded by its opener, stored under
    PRIVATE_MEDIA_ROOT (point it at a temporary folder in tests)."""

    class Meta:
        model = "rights_lists.DecisionAttachment"

    decision = factory.SubFactory(DecisionFactory)
    file = factory.django.FileField(data=PDF_BYTES, filename="minutes.pdf")
    original_name = "会议记录.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = factory.LazyFunction(lambda: hashlib.sha256(PDF_BYTES).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda attachment: attachment.decision.opened_by)


# --- village matter admission and collective asset transactions ----------------------------------


def three_lists(code: str = DISTRICT) -> dict[str, RightsList]:
    """The district's three lists (reused when there are), adopted by no one: {kind: list}, each
    with item "1" titled after its kind (依法履职1, 协助办理1, 负面1)."""
    titles = {ListKind.DUTIES_BY_LAW: "依法履职1", ListKind.ASSISTED_DUTIES: "协助办理1", ListKind.NEGATIVE: "负面1"}
    lists = {}
    for kind, title in titles.items():
        rights_list = RightsList.objects.filter(owner_id=code, kind=kind, status=ListStatus.PUBLISHED).first()
        if rights_list is None:
            rights_list = RightsListFactory(owner=division(code), kind=kind)
            ListItemFactory(list=rights_list, number="1", title=title, procedure=Procedure.COMMITTEE)
        lists[kind] = rights_list
    return lists


def adopted_three_lists(code: str) -> dict[str, RightsList]:
    """The district's three lists adopted in the village `code`."""
    lists = three_lists()
    for rights_list in lists.values():
        if not Adoption.objects.filter(template=rights_list, division_id=code[:VILLAGE_CODE_LENGTH]).exists():
            adopt(rights_list, code[:VILLAGE_CODE_LENGTH])
    return lists


def town_negative_list(town: str = "440605124", *titles: str) -> RightsList:
    """The town's negative list of projects, published, with one item per title (default: 高污染项目)."""
    rights_list = RightsListFactory(owner=division(town), kind=ListKind.TOWN_NEGATIVE_PROJECTS)
    for number, title in enumerate(titles or ("高污染项目",), 1):
        ListItemFactory(list=rights_list, number=str(number), title=title, procedure=Procedure.TOWN_REVIEW)
    return rights_list


class AdmissionRequestFactory(factory.django.DjangoModelFactory):
    """A request refused because the matter is on no list, filed by a user of its own."""

    class Meta:
        model = "rights_lists.AdmissionRequest"

    division = factory.LazyFunction(lambda: division("440605124001"))
    requester = "区民政局"
    matter = factory.Sequence(lambda n: f"要求村（社区）承担的事项{n + 1}")
    requested_on = datetime.date(2025, 3, 1)
    outcome = "refused"
    filed_by = factory.LazyFunction(lambda: UserFactory())


class AssetTransactionFactory(factory.django.DjangoModelFactory):
    """A lease of a fish pond filed for the town's review, on no list item, without bidders."""

    class Meta:
        model = "rights_lists.AssetTransaction"

    division = factory.LazyFunction(lambda: division("440605124001"))
    asset = factory.Sequence(lambda n: f"鱼塘{n + 1}号")
    kind = "lease"
    purpose = "水产养殖"
    term_months = 60
    reserve_price_fen = 1_000_000
    bidding_on = datetime.date(2025, 6, 1)
    filed_by = factory.LazyFunction(lambda: UserFactory())


class BidderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rights_lists.Bidder"

    transaction = factory.SubFactory(AssetTransactionFactory)
    person = factory.LazyAttribute(lambda bidder: PersonFactory(division=bidder.transaction.division))
    bid_fen = 1_200_000
