"""A wrong funding line is never edited or deleted: a reversing line (冲销) of the opposite amount,
dated like it, cancels it in the ledger's balance, the eligibility check and the year's funding
figures, and the reason is kept. The studios' and the alliances' ledgers alike."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from alliances import services as alliance_services
from alliances.models import AllianceFundingEntry
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent
from reports.indicators import compute
from studios import services
from studios.models import FundingEntry
from studios.selectors import funding_ledger, funding_totals

from ..alliances.fixtures import alliance_with_member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


def _line(world, studio, amount="20000", direction="in", **fields):
    purpose = {"source": "founding"} if direction == "in" else {"use": "equipment"}
    return services.funding_add(
        actor=world.studio_lead,
        studio=studio,
        direction=direction,
        amount=Decimal(amount),
        entry_date=DAY,
        **{**purpose, **fields},
    )


def test_a_reversed_line_counts_nowhere_and_stays_in_the_ledger(world):
    studio = world.studio(status="named", level="company")
    _line(world, studio, "50000")
    wrong = _line(world, studio, "2000", direction="out")
    reversal = services.funding_reverse(actor=world.unit_cadre, entry=wrong, reason="重复录入，应为一笔")
    assert (reversal.amount, reversal.entry_date, reversal.use, reversal.direction) == (
        Decimal("-2000"),
        DAY,
        "equipment",
        "out",
    )
    assert reversal.description == "重复录入，应为一笔" and reversal.reverses == wrong
    totals = funding_totals(studio)
    assert (totals["income"], totals["spending"], totals["balance"]) == (Decimal("50000"), 0, Decimal("50000"))
    lines = list(funding_ledger(studio))
    assert [(line.signed_amount, line.balance, line.is_reversed) for line in lines] == [
        (Decimal("50000"), Decimal("50000"), False),
        (Decimal("-2000"), Decimal("48000"), True),
        (Decimal("2000"), Decimal("50000"), False),
    ]
    spent = compute("funding_out", 2025, world.root)
    assert spent.rows == [] or all(row.values["lines"] == 0 and row.values["amount"] == 0 for row in spent.rows)
    event = AuditEvent.objects.filter(action="funding_reverse").get()
    assert event.object_id == str(studio.pk) and event.actor == world.unit_cadre
    assert "重复录入" in event.comment and "2,000.00" in event.comment


def test_a_line_is_reversed_once_and_a_reversal_not_at_all(world):
    studio = world.studio()
    wrong = _line(world, studio)
    reversal = services.funding_reverse(actor=world.studio_lead, entry=wrong, reason="金额有误")
    with pytest.raises(TransitionNotAllowed):
        services.funding_reverse(actor=world.studio_lead, entry=wrong, reason="再次")
    with pytest.raises(TransitionNotAllowed):
        services.funding_reverse(actor=world.studio_lead, entry=reversal, reason="撤销冲销")
    assert FundingEntry.objects.filter(studio=studio).count() == 2
    # The database holds it too: one reversal per line, and only a reversal is negative.
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingEntry.objects.create(
            studio=studio, direction="in", source="founding", amount=-1, entry_date=DAY, reverses=wrong
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingEntry.objects.create(studio=studio, direction="in", source="founding", amount=-1, entry_date=DAY)


def test_the_reason_is_required_and_fits_the_description(world):
    studio = world.studio()
    wrong = _line(world, studio)
    for reason in ("", "   ", "长" * 201):
        with pytest.raises(ValidationError) as error:
            services.funding_reverse(actor=world.studio_lead, entry=wrong, reason=reason)
        assert "comment" in error.value.error_dict
    assert not FundingEntry.objects.filter(reverses=wrong).exists()


def test_who_may_reverse(world):
    studio = world.studio()
    wrong = _line(world, studio)
    for actor in (world.viewer, world.expert, world.unit_cadre_other, world.other_lead):
        with pytest.raises(PermissionDenied):
            services.funding_reverse(actor=actor, entry=wrong, reason="x")
    assert not FundingEntry.objects.filter(reverses=wrong).exists()


def test_an_alliance_line_is_reversed_the_same_way(world):
    alliance, _member = alliance_with_member(world)
    wrong = alliance_services.funding_add(
        actor=world.hq, alliance=alliance, direction="in", source="special", amount=Decimal("8000"), entry_date=DAY
    )
    alliance_services.funding_reverse(actor=world.hq, entry=wrong, reason="拨款单位填错")
    assert AllianceFundingEntry.objects.filter(alliance=alliance).count() == 2
    received = compute("funding_in", 2025, world.root)
    assert all(row.values["amount"] == 0 and row.values["lines"] == 0 for row in received.rows)
    assert AuditEvent.objects.filter(action="funding_reverse", object_id=str(alliance.pk)).count() == 1


def test_the_ledger_offers_the_reversal_and_shows_it(world, client_as):
    studio = world.studio(status="named", level="company")
    wrong = _line(world, studio, "3000")
    url = reverse("studios:funding_reverse", args=[wrong.pk])
    assert url not in client_as(world.viewer).get(studio.get_absolute_url()).content.decode()
    client = client_as(world.studio_lead)
    assert url in client.get(studio.get_absolute_url()).content.decode()
    confirm = client.get(url).content.decode()
    assert "2025-03-01" in confirm and "¥3,000.00" in confirm
    refused = client.post(url, {"comment": ""})
    assert refused.status_code == 400 and refused.context["form"].errors["comment"]
    assert not FundingEntry.objects.filter(reverses=wrong).exists()
    response = client.post(url, {"comment": "票据金额为300元"})
    assert response.status_code == 302 and response["Location"].endswith("#funding")
    page = client.get(studio.get_absolute_url()).content.decode()
    assert "冲销" in page and "已冲销" in page and "票据金额为300元" in page
    assert url not in page, "a reversed line is not reversed twice"
    assert client.post(url, {"comment": "再次"}).status_code == 409
