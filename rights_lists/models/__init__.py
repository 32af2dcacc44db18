"""The models of the rights_lists app, one module per aggregate:

- lists: matters-power lists (事权清单) — RightsList versions, their ListItems, a district
  template's Adoptions;
- meeting_rules: a district's own QuorumRule per body;
- decisions: Decision (四议两公开) with its DecisionSteps, Publications, Implementation and
  DecisionAttachments;
- admission: AdmissionRequest (村级事项准入);
- transactions: AssetTransaction (集体资产交易) with its Bidders and AssetTransactionFiles.

Every model is re-exported here, so that `from rights_lists.models import X` and the migrations
keep working.
"""

from rights_lists.models.admission import AdmissionRequest
from rights_lists.models.decisions import Decision, DecisionAttachment, DecisionStep, Implementation, Publication
from rights_lists.models.lists import Adoption, ListItem, RightsList
from rights_lists.models.meeting_rules import QuorumRule
from rights_lists.models.transactions import AssetTransaction, AssetTransactionFile, Bidder

__all__ = [
    "Adoption",
    "AdmissionRequest",
    "AssetTransaction",
    "AssetTransactionFile",
    "Bidder",
    "Decision",
    "DecisionAttachment",
    "DecisionStep",
    "Implementation",
    "ListItem",
    "Publication",
    "QuorumRule",
    "RightsList",
]
