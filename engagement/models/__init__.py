from engagement.models.centres import Drill, EmergencyPlan, OperatingFund, ServiceCentre
from engagement.models.contact import ContactDay, ContactLink
from engagement.models.deliberation import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from engagement.models.party import PointEntry, PointRule, PostClaim, ServicePost, VillagerPointEntry
from engagement.models.visits import KeptContact, Visit, VisitingCadre

__all__ = [
    "BodyMember",
    "CatalogueEntry",
    "ContactDay",
    "ContactLink",
    "DeliberationBody",
    "Drill",
    "EmergencyPlan",
    "KeptContact",
    "Meeting",
    "OperatingFund",
    "PointEntry",
    "PointRule",
    "PostClaim",
    "ServiceCentre",
    "ServicePost",
    "Topic",
    "VillagerPointEntry",
    "Visit",
    "VisitingCadre",
]
