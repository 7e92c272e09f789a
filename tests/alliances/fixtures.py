"""Builders of alliance data for the alliance tests and the permission matrix.

The alliance is led by branch A (its cadre manages it); its member is a named studio of plant A1
led by `studio_lead`. Branch B's cadre, the other lead (B1) and leadership see it but may not act.
"""

import datetime

from django.core.files.base import ContentFile

from alliances.models import (
    Activity,
    ActivityDocument,
    ActivityPhoto,
    Alliance,
    AllianceFundingEntry,
    AllianceMember,
    Designation,
    DesignationBatch,
)

from ..core.test_uploads import png_bytes

FOUNDED = datetime.date(2024, 1, 1)


def make_alliance(world, *, status="running", lead_unit=None, with_files=False, **fields):
    alliance = Alliance(
        name=fields.pop("name", f"联盟{Alliance.objects.count() + 1}"),
        theme="工艺",
        lead_unit=lead_unit or world.branch_a,
        founded_on=FOUNDED,
        status=status,
        **fields,
    )
    if with_files:
        alliance.charter.save("c.pdf", ContentFile(b"%PDF-1.4 charter"), save=False)
        alliance.agreement.save("a.pdf", ContentFile(b"%PDF-1.4 agreement"), save=False)
        alliance.logo.save("l.png", ContentFile(png_bytes()), save=False)
        alliance.logo_thumbnail.save("l.jpg", ContentFile(png_bytes()), save=False)
    alliance.save()
    return alliance


def add_member(alliance, studio, *, status="active", joined_on=datetime.date(2024, 2, 1), **fields):
    return AllianceMember.objects.create(
        alliance=alliance,
        studio=studio,
        status=status,
        joined_on=joined_on if status != "requested" else None,
        requested_on=datetime.date(2024, 1, 20) if status == "requested" else None,
        **fields,
    )


def alliance_with_member(world, **fields):
    alliance = make_alliance(world, **fields)
    studio = world.studio(status="named", level="company")
    return alliance, add_member(alliance, studio)


def alliance_pk(**fields):
    def build(world):
        return {"pk": alliance_with_member(world, **fields)[0].pk}

    return build


def member_pk(status):
    def build(world):
        alliance = make_alliance(world)
        member = add_member(alliance, world.studio(status="named", level="company"), status=status)
        return {"pk": member.pk}

    return build


def activity(world):
    alliance, member = alliance_with_member(world)
    item = Activity.objects.create(
        alliance=alliance,
        kind="exchange",
        title="技术交流会",
        held_on=datetime.date(2024, 5, 1),
        place="会议室",
        recorded_by=world.hq,
    )
    item.studios.add(member.studio)
    return item


def activity_pk(world):
    return {"pk": activity(world).pk}


def activity_photo_pk(world):
    photo = ActivityPhoto(activity=activity(world), caption="现场")
    photo.image.save("a.png", ContentFile(png_bytes()), save=False)
    photo.thumbnail.save("a.jpg", ContentFile(png_bytes()), save=False)
    photo.save()
    return {"pk": photo.pk}


def activity_document_pk(world):
    document = ActivityDocument(activity=activity(world), title="会议纪要")
    document.file.save("d.pdf", ContentFile(b"%PDF-1.4 minutes"), save=False)
    document.save()
    return {"pk": document.pk}


def funding_voucher_pk(world):
    alliance, _member = alliance_with_member(world)
    entry = AllianceFundingEntry(
        alliance=alliance, direction="in", source="special", amount=50000, entry_date=datetime.date(2024, 3, 1)
    )
    entry.voucher.save("v.pdf", ContentFile(b"%PDF-1.4 voucher"), save=False)
    entry.save()
    return {"pk": entry.pk}


def batch(status="draft", *, with_designation=False, world=None):
    item = DesignationBatch.objects.create(
        name=f"第{DesignationBatch.objects.count() + 1}批",
        designated_on=datetime.date(2024, 9, 1),
        document_no="江汽工〔2024〕30号",
        status=status,
    )
    if with_designation:
        Designation.objects.create(batch=item, kind="pilot", alliance=make_alliance(world))
    return item


def batch_pk(status):
    def build(world):
        return {"pk": batch(status, with_designation=True, world=world).pk}

    return build


def empty_draft_batch_pk(world):
    return {"pk": batch("draft").pk}


def designation_pk(world):
    item = batch("draft", with_designation=True, world=world)
    return {"pk": item.designations.get().pk}
