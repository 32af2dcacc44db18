"""What an award run's payout lines show of their people, on the page, in the API and on the
bank's sheet: one rule for the three (governance.privacy)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from covenants.models import AwardPayout, AwardRun
from governance.money import fen_to_yuan
from governance.privacy import mask_id_number, mask_name, may_see_personal_data
from villages.models import Person


def payee_as_seen(user, person: Person) -> tuple[str, str]:
    """The person's name and ID number as `user` sees them: in full for a user who may see
    personal data where the person is registered (the clerk who takes the sheet to the bank),
    masked for everyone else, as on every other output."""
    if may_see_personal_data(user, person.division_id):
        return person.name, person.id_number
    return mask_name(person.name), mask_id_number(person.id_number)


def kept_fen_of(run: AwardRun) -> int:
    """What the run keeps in its fund: its annotation (with_totals), or read in one query."""
    if hasattr(run, "kept_fen"):
        return run.kept_fen
    return AwardRun.objects.with_totals().values_list("kept_fen", flat=True).get(pk=run.pk)


def bank_sheet(user, run: AwardRun) -> bytes:
    """The bank's sheet of a run: one row per member paid (序号, 姓名, 身份证号, 股份, 金额（元）),
    a total row of what is paid, then what stays in the fund (the withheld members' entitlements)
    and the fund itself (paid + kept = fund); names and ID numbers as `user` sees them
    (payee_as_seen). `run` comes with its totals (AwardRunQuerySet.with_totals) or they are read:
    one query more."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{run.division_id}-{run.period}"
    sheet.append([_("序号"), _("姓名"), _("身份证号"), _("股份"), _("金额（元）")])
    total = 0
    for number, payout in enumerate(
        AwardPayout.objects.restrict(user, "view").lines_of(run).filter(amount_fen__gt=0), 1
    ):
        name, id_number = payee_as_seen(user, payout.person)
        sheet.append([number, name, id_number, payout.shares, fen_to_yuan(payout.amount_fen)])
        total += payout.amount_fen
    sheet.append([_("合计"), None, None, None, fen_to_yuan(total)])
    sheet.append([_("留存奖励资金"), None, None, None, fen_to_yuan(kept_fen_of(run))])
    sheet.append([_("奖励资金"), None, None, None, fen_to_yuan(run.fund_fen)])
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "0.00"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
