"""Alliance pages: what each page shows, pinned query counts that do not grow with the data,
the studio page's alliances tab, history labels and the designation exports."""

import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from alliances import services
from alliances.choices import MemberStatus

from ..bad_input import today
from ..conftest import drawn_each_time, skip_or_fail
from ..factories import PersonFactory, StudioFactory
from .fixtures import add_member, alliance_with_member, batch, make_alliance

pytestmark = pytest.mark.django_db


def grow(world, alliance, n):
    """n more member studios (in several units), each with an activity, people and a photo-less entry."""
    for i in range(n):
        studio = StudioFactory(unit=world.plant_a1 if i % 2 else world.plant_b1, status="named", level="company")
        add_member(alliance, studio)
        activity = services.activity_create(
            actor=world.hq,
            alliance=alliance,
            studios=[studio],
            people=[PersonFactory(unit=studio.unit) for _ in range(2)],
            kind="exchange",
            title=f"交流{i}",
            held_on=today(),
            place="会议室",
            outsider_count=3,
            pairs_formed=0,
        )
        assert activity.pk


def counts(client, urls):
    numbers = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200, url
        numbers.append(len(ctx))
    return numbers


@pytest.mark.parametrize(("role", "expected"), [("hq", [5, 22, 7, 5]), ("studio_lead", [5, 24, 7, 5])])
def test_query_counts_are_pinned_and_do_not_grow(world, client_as, role, expected):
    alliance, _member = alliance_with_member(world)
    designations = batch("published")
    activity = services.activity_create(
        actor=world.hq,
        alliance=alliance,
        kind="exchange",
        title="首次交流",
        held_on=today(),
        place="会议室",
        outsider_count=0,
        pairs_formed=0,
    )
    client = drawn_each_time(client_as(getattr(world, role)))
    urls = [
        reverse("alliances:alliance_list"),
        alliance.get_absolute_url(),
        activity.get_absolute_url(),
        designations.get_absolute_url(),
    ]
    counts(client, urls)  # warm caches (content types, session)
    before = counts(client, urls)
    grow(world, alliance, 6)
    for i in range(5):
        make_alliance(world, name=f"联盟{i + 10}")
    assert counts(client, urls) == before == expected


def test_alliance_page_shows_members_by_tier_activities_and_figures(world, client_as):
    alliance, member = alliance_with_member(world)
    member.tier = "pilot"
    member.save()
    add_member(alliance, world.other_studio)
    services.activity_create(
        actor=world.hq,
        alliance=alliance,
        studios=[member.studio, world.other_studio],
        people=[world.lead_person],
        kind="pairing",
        title="跨单位师徒结对",
        held_on=today(),
        place="工会活动中心",
        outsider_count=9,
        pairs_formed=2,
    )
    from ..mentoring.fixtures import make_pairing

    make_pairing(world, alliance=alliance, mentor=world.lead_person, apprentice=PersonFactory(), agreement_on=today())
    response = client_as(world.studio_lead).get(alliance.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="members-pilot"' in page and 'data-testid="members-member"' in page
    assert "跨单位师徒结对" in page and world.other_studio.name in page
    figures = response.context["figures"]
    # The pairings figure counts the alliance's mentor pairings agreed in the year (pairs_formed is not summed).
    assert (figures["activities"], figures["participants"], figures["pairings"]) == (1, 10, 1)
    assert response.context["member_units"] == 2
    # The lead leaves through its own studio's row, and may not decide anything.
    assert reverse("alliances:member_exit_request", args=[member.pk]) in page
    assert reverse("alliances:member_remove", args=[member.pk]) not in page


def test_managers_see_requests_and_leads_only_their_own(world, client_as):
    alliance = make_alliance(world)
    mine = services.member_request(actor=world.studio_lead, alliance=alliance, studio=world.studio(status="named"))
    other = services.member_request(actor=world.other_lead, alliance=alliance, studio=world.other_studio)
    cadre_page = client_as(world.unit_cadre).get(alliance.get_absolute_url())
    assert {m.pk for m in cadre_page.context["pending"]} == {mine.pk, other.pk}
    assert reverse("alliances:member_admit", args=[mine.pk]) in cadre_page.content.decode()
    lead_page = client_as(world.studio_lead).get(alliance.get_absolute_url())
    assert [m.pk for m in lead_page.context["pending"]] == [mine.pk]
    assert reverse("alliances:member_admit", args=[mine.pk]) not in lead_page.content.decode()
    listed = client_as(world.unit_cadre).get(reverse("alliances:alliance_list") + "?pending=true")
    assert [a.pk for a in listed.context["table"].data] == [alliance.pk]


def test_history_names_member_changes_in_words(world, client_as):
    alliance = make_alliance(world)
    member = services.member_request(actor=world.studio_lead, alliance=alliance, studio=world.studio(status="named"))
    services.member_admit(actor=world.unit_cadre, member=member, tier="pilot", joined_on=today())
    page = client_as(world.hq).get(alliance.get_absolute_url()).content.decode()
    assert f"{MemberStatus.REQUESTED.label} → {MemberStatus.ACTIVE.label}" in page
    assert "members.status" not in page


def test_studio_page_has_an_alliances_tab(world, client_as):
    alliance, member = alliance_with_member(world)
    response = client_as(world.studio_lead).get(member.studio.get_absolute_url())
    assert [m.alliance for m in response.context["alliance_memberships"]] == [alliance]
    assert 'data-testid="tab-alliances"' in response.content.decode()
    assert response.context["can_join_alliance"]


def test_list_filters_pilot_alliances(world, client_as):
    pilot, _member = alliance_with_member(world, name="试点联盟")
    make_alliance(world, name="普通联盟")
    draft = batch("draft")
    services.designation_add(actor=world.hq, batch=draft, kind="pilot", alliance=pilot)
    services.designation_batch_publish(actor=world.hq, batch=draft)
    client = client_as(world.viewer)
    names = [a.name for a in client.get(reverse("alliances:alliance_list") + "?pilot=true").context["table"].data]
    assert names == ["试点联盟"]
    names = [a.name for a in client.get(reverse("alliances:alliance_list") + "?pilot=false").context["table"].data]
    assert names == ["普通联盟"]


def published_batch(world):
    alliance, member = alliance_with_member(world, name="车桥联盟")
    draft = batch("draft")
    services.designation_add(actor=world.hq, batch=draft, kind="pilot", alliance=alliance, citation="活动扎实")
    services.designation_add(actor=world.hq, batch=draft, kind="demonstration", studio=member.studio)
    services.designation_batch_publish(actor=world.hq, batch=draft)
    return draft, member


def test_designation_batch_exports_to_excel(world, client_as):
    draft, member = published_batch(world)
    response = client_as(world.unit_cadre).get(reverse("alliances:batch_export_xlsx", args=[draft.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 3
    assert rows[1][2] == "车桥联盟" and rows[2][2] == member.studio.name


def test_designation_batch_pdf_renders_chinese(world, client_as, tmp_path):
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    draft, _member = published_batch(world)
    response = client_as(world.hq).get(reverse("alliances:batch_export_pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "batch.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "车桥联盟" in text and draft.document_no in text
