"""The permission matrix: every URL the resolver knows × anonymous and every role × GET and POST.

Each cell has its expected answer written down here. A URL that is not in MATRIX (or covered by
a namespace rule) fails `test_every_url_is_in_the_matrix`, so a new view cannot be forgotten.
A refused POST (4xx, or a redirect to the login page) must leave every row unchanged.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .factories import NotificationFactory
from .matrix import LOGIN, ROLES, Row, cells, signed_in
from .mentoring.matrix_rows import MENTORING_ROWS
from .reports.dashboard_matrix_rows import DASHBOARD_ROWS
from .reports.report_matrix_rows import REPORT_ROWS
from .talent.campaign_matrix_rows import CAMPAIGN_ROWS
from .training.matrix_rows import TRAINING_ROWS


def unit_a1(world):
    return {"pk": world.plant_a1.pk}


def target_lead(world):
    return {"pk": world.target_lead.pk}


def hq_notification(world):
    return {"pk": NotificationFactory(recipient=world.hq).pk}


# Who may see plant A1: HQ, leadership, and branch A's cadre; the lead working in A1 sees its own
# unit but may not open unit pages; branch B's cadre and the expert (in B1) do not see it at all.
UNIT_VIEW = signed_in(200, unit_cadre_other=404, studio_lead=403, other_lead=404, expert=404)
UNIT_MANAGE_GET = signed_in(403, hq=200, unit_cadre_other=404, other_lead=404, expert=404)
UNIT_MANAGE_POST = signed_in(403, hq=400, unit_cadre_other=404, other_lead=404, expert=404)
# The other lead's account: branch A's cadre manages studio-lead accounts in its subtree.
USER_VIEW = signed_in(404, hq=200, unit_cadre=200, viewer=200)
USER_MANAGE_GET = signed_in(404, hq=200, unit_cadre=200, viewer=403)
LIST_GET = signed_in(200, studio_lead=403, other_lead=403, expert=403)
LIST_POST = signed_in(405, studio_lead=403, other_lead=403, expert=403)

# Studios ----------------------------------------------------------------------------------------
# Target studios are in plant A1 and led by studio_lead; branch B's cadre, the other lead and the
# expert do not see them (404); leadership sees but may not act (403).


def studio_in(status, **fields):
    def build(world):
        return {"pk": world.studio(status=status, **fields).pk}

    return build


def member_of_draft(world):
    from studios.models import Membership

    from .factories import PersonFactory

    studio = world.studio()
    person = PersonFactory(unit=world.plant_a1)
    return {"pk": Membership.objects.create(studio=studio, person=person, role="member", joined_on="2024-02-01").pk}


def photo_of_draft(world):
    from django.core.files.base import ContentFile

    from studios.models import StudioPhoto

    from .core.test_uploads import png_bytes

    photo = StudioPhoto(studio=world.studio(), caption="活动室")
    photo.image.save("a.png", ContentFile(png_bytes()), save=False)
    photo.thumbnail.save("a.jpg", ContentFile(png_bytes()), save=False)
    photo.save()
    return {"pk": photo.pk}


def funding_with_voucher(world):
    from django.core.files.base import ContentFile

    from studios.models import FundingEntry

    entry = FundingEntry(studio=world.studio(), direction="in", source="founding", amount=1000, entry_date="2025-01-02")
    entry.voucher.save("v.pdf", ContentFile(b"%PDF-1.4 voucher"), save=False)
    entry.save()
    return {"pk": entry.pk}


def kind(world):
    from studios.models import StudioKind

    return {"pk": StudioKind.objects.first().pk}


def open_batch(world):
    import datetime

    from studios.models import NamingBatch

    today = datetime.date.today()
    batch = NamingBatch.objects.create(
        year=today.year,
        level="company",
        name="测试批",
        publicity_start=today,
        publicity_end=today + datetime.timedelta(days=7),
    )
    return {"pk": batch.pk}


def open_round_with_pending(world):
    from studios.models import Assessment, AssessmentRound

    assessment_round = AssessmentRound.objects.create(year=2025)
    Assessment.objects.create(round=assessment_round, studio=world.studio(status="named", level="company"))
    return {"pk": assessment_round.pk}


def assessment_of_named(world, status="pending"):
    from studios.models import Assessment, AssessmentRound

    assessment_round = AssessmentRound.objects.create(year=2025)
    studio = world.studio(status="named", level="company")
    return {"pk": Assessment.objects.create(round=assessment_round, studio=studio, status=status).pk}


# Who sees a studio of A1, and the two review levels.
STUDIO_SEEN = {"unit_cadre_other": 404, "other_lead": 404, "expert": 404}
STUDIO_VIEW = signed_in(200, **STUDIO_SEEN)
STUDIO_WORK_GET = signed_in(403, hq=200, unit_cadre=200, studio_lead=200, **STUDIO_SEEN)  # lead's own work
STUDIO_WORK_POST = signed_in(403, hq=400, unit_cadre=400, studio_lead=400, **STUDIO_SEEN)
UNIT_REVIEW_GET = signed_in(403, hq=200, unit_cadre=200, **STUDIO_SEEN)
UNIT_REVIEW_POST_OK = signed_in(403, hq=302, unit_cadre=302, **STUDIO_SEEN)
UNIT_REVIEW_POST_BAD = signed_in(403, hq=400, unit_cadre=400, **STUDIO_SEEN)
HQ_GET = signed_in(403, hq=200, **STUDIO_SEEN)
HQ_POST_BAD = signed_in(403, hq=400, **STUDIO_SEEN)
ANY_LEAD_OR_CADRE = signed_in(200, expert=403)
CADRES_GET = signed_in(403, hq=200, unit_cadre=200, unit_cadre_other=200)
CADRES_POST = signed_in(403, hq=400, unit_cadre=400, unit_cadre_other=400)
HQ_ONLY_GET = signed_in(403, hq=200)
HQ_ONLY_POST = signed_in(403, hq=400)
BATCH_SEEN = {"studio_lead": 404, "other_lead": 404, "expert": 404}
FILE_GET = signed_in(200, **STUDIO_SEEN)

STUDIO_ROWS = {
    "studios:studio_list": Row(get=ANY_LEAD_OR_CADRE, post=signed_in(405, expert=403)),
    # Leadership takes no step on a studio: no queue (nor its menu entry).
    "studios:review_queue": Row(
        get=signed_in(200, expert=403, viewer=403), post=signed_in(405, expert=403, viewer=403)
    ),
    "studios:studio_create": Row(get=CADRES_GET, post=CADRES_POST),
    "studios:studio_import": Row(get=CADRES_GET, post=CADRES_POST),
    "studios:studio_import_template": Row(
        get=CADRES_GET, post=signed_in(403, hq=405, unit_cadre=405, unit_cadre_other=405)
    ),
    "studios:studio_detail": Row(get=STUDIO_VIEW, post=signed_in(405), kwargs=studio_in("draft")),
    "studios:studio_update": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=studio_in("draft")),
    # An empty submission of a studio that fails the criteria needs an explanation: 400.
    "studios:studio_submit": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=studio_in("draft")),
    "studios:studio_recommend": Row(get=UNIT_REVIEW_GET, post=UNIT_REVIEW_POST_OK, kwargs=studio_in("submitted")),
    "studios:studio_return": Row(get=UNIT_REVIEW_GET, post=UNIT_REVIEW_POST_BAD, kwargs=studio_in("submitted")),
    "studios:studio_reject": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=studio_in("submitted")),
    "studios:studio_approve": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=studio_in("recommended")),
    "studios:studio_rectify": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=studio_in("named", level="company")),
    "studios:studio_rectified": Row(
        get=HQ_GET, post=signed_in(403, hq=302, **STUDIO_SEEN), kwargs=studio_in("rectifying", level="company")
    ),
    "studios:studio_revoke": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=studio_in("named", level="company")),
    "studios:studio_change_lead": Row(get=UNIT_REVIEW_GET, post=UNIT_REVIEW_POST_BAD, kwargs=studio_in("draft")),
    "studios:membership_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=studio_in("draft")),
    "studios:membership_end": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=member_of_draft),
    "studios:level_create": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=studio_in("named", level="company")),
    "studios:photo_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=studio_in("draft")),
    "studios:photo_image": Row(get=FILE_GET, post=signed_in(405), kwargs=photo_of_draft),
    "studios:photo_thumbnail": Row(get=FILE_GET, post=signed_in(405), kwargs=photo_of_draft),
    "studios:photo_delete": Row(
        get=STUDIO_WORK_GET,
        post=signed_in(403, hq=302, unit_cadre=302, studio_lead=302, **STUDIO_SEEN),
        kwargs=photo_of_draft,
    ),
    "studios:funding_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=studio_in("draft")),
    "studios:funding_voucher": Row(get=FILE_GET, post=signed_in(405), kwargs=funding_with_voucher),
    "studios:funding_reverse": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=funding_with_voucher),
    "studios:rules": Row(
        get=signed_in(200, studio_lead=403, other_lead=403, expert=403),
        post=signed_in(405, studio_lead=403, other_lead=403, expert=403),
    ),
    "studios:rules_update": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "studios:kind_list": Row(get=HQ_ONLY_GET, post=signed_in(403, hq=405)),
    "studios:kind_create": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "studios:kind_update": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST, kwargs=kind),
    "studios:batch_list": Row(
        get=signed_in(200, studio_lead=403, other_lead=403, expert=403),
        post=signed_in(405, studio_lead=403, other_lead=403, expert=403),
    ),
    "studios:batch_create": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "studios:batch_detail": Row(get=signed_in(200, **BATCH_SEEN), post=signed_in(405), kwargs=open_batch),
    "studios:batch_update": Row(
        get=signed_in(403, hq=200, **BATCH_SEEN), post=signed_in(403, hq=400, **BATCH_SEEN), kwargs=open_batch
    ),
    # The public notice has not ended: naming is refused by the batch's state (409).
    "studios:batch_name": Row(
        get=signed_in(403, hq=200, **BATCH_SEEN), post=signed_in(403, hq=409, **BATCH_SEEN), kwargs=open_batch
    ),
    "studios:batch_export_xlsx": Row(get=signed_in(200, **BATCH_SEEN), post=signed_in(405), kwargs=open_batch),
    "studios:batch_export_pdf": Row(get=signed_in(200, **BATCH_SEEN), post=signed_in(405), kwargs=open_batch),
    "studios:round_list": Row(get=ANY_LEAD_OR_CADRE, post=signed_in(405, expert=403)),
    "studios:round_create": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "studios:round_detail": Row(get=signed_in(200, expert=404), post=signed_in(405), kwargs=open_round_with_pending),
    # One studio is not graded yet: closing is refused by the round's state (409).
    "studios:round_close": Row(
        get=signed_in(403, hq=200, expert=404),
        post=signed_in(403, hq=409, expert=404),
        kwargs=open_round_with_pending,
    ),
    "studios:assessment_detail": Row(get=STUDIO_VIEW, post=signed_in(405), kwargs=assessment_of_named),
    "studios:assessment_self": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=assessment_of_named),
    "studios:assessment_score": Row(get=UNIT_REVIEW_GET, post=UNIT_REVIEW_POST_BAD, kwargs=assessment_of_named),
    "studios:assessment_grade": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=assessment_of_named),
}

# Talent -----------------------------------------------------------------------------------------


def member_person(world):
    """A person of A1 in the team of studio_lead's studio."""
    from studios.models import Membership

    from .factories import PersonFactory

    person = PersonFactory(unit=world.plant_a1, name="团队骨干")
    Membership.objects.create(studio=world.studio(), person=person, role="core", joined_on="2024-02-01")
    return person


def person_kwargs(world):
    return {"pk": member_person(world).pk}


def person_with_photo(world):
    from django.core.files.base import ContentFile

    from .core.test_uploads import png_bytes

    person = member_person(world)
    person.photo.save("p.png", ContentFile(png_bytes()), save=True)
    return {"pk": person.pk}


def honour_of_member(world):
    from talent.models import Honour

    honour = Honour.objects.create(
        person=member_person(world), kind="craftsman", level="company", title="信赖工匠", year=2024
    )
    return {"pk": honour.pk}


def grade_with_proof(world):
    from django.core.files.base import ContentFile

    from talent.models import SkillGradeChange

    change = SkillGradeChange(person=member_person(world), grade="technician", changed_on="2024-05-01")
    change.proof.save("g.pdf", ContentFile(b"%PDF-1.4 proof"), save=False)
    change.save()
    return {"pk": change.pk}


PERSON_SEEN = {"unit_cadre_other": 404, "other_lead": 404, "expert": 404}
# People are managed by HQ and the cadres of their unit; a lead may see its team but not edit it.
PERSON_WORK_GET = signed_in(403, hq=200, unit_cadre=200, **PERSON_SEEN)
PERSON_WORK_POST = signed_in(403, hq=400, unit_cadre=400, **PERSON_SEEN)

TALENT_ROWS = {
    "talent:person_list": Row(get=ANY_LEAD_OR_CADRE, post=signed_in(405, expert=403)),
    "talent:person_create": Row(
        get=signed_in(200, viewer=403, expert=403), post=signed_in(400, viewer=403, expert=403)
    ),  # a lead registers new team members in its own unit
    "talent:person_import": Row(get=CADRES_GET, post=CADRES_POST),
    "talent:person_import_template": Row(
        get=CADRES_GET, post=signed_in(403, hq=405, unit_cadre=405, unit_cadre_other=405)
    ),
    "talent:person_detail": Row(get=signed_in(200, **PERSON_SEEN), post=signed_in(405), kwargs=person_kwargs),
    "talent:person_update": Row(get=PERSON_WORK_GET, post=PERSON_WORK_POST, kwargs=person_kwargs),
    "talent:person_grade_create": Row(get=PERSON_WORK_GET, post=PERSON_WORK_POST, kwargs=person_kwargs),
    "talent:honour_create": Row(get=PERSON_WORK_GET, post=PERSON_WORK_POST, kwargs=person_kwargs),
    # Linking a login is for those who manage the person's unit; an empty link changes nothing.
    "talent:person_link": Row(
        get=signed_in(403, hq=200, unit_cadre=200, **PERSON_SEEN),
        post=signed_in(403, hq=302, unit_cadre=302, **PERSON_SEEN),
        kwargs=person_kwargs,
    ),
    "talent:person_photo": Row(get=signed_in(200, **PERSON_SEEN), post=signed_in(405), kwargs=person_with_photo),
    "talent:honour_delete": Row(
        get=PERSON_WORK_GET,
        post=signed_in(403, hq=302, unit_cadre=302, **PERSON_SEEN),
        kwargs=honour_of_member,
    ),
    "talent:grade_proof": Row(get=signed_in(200, **PERSON_SEEN), post=signed_in(405), kwargs=grade_with_proof),
}

# Projects and results -------------------------------------------------------------------------
# Logged for plant A1's named studio (led by studio_lead); verified by the unit (branch A's cadre).


def project_of_a1(status="approved"):
    def build(world):
        from achievements.models import Project, ProjectKind

        project = Project.objects.create(
            studio=world.studio(status="named", level="company"),
            title="课题",
            kind=ProjectKind.objects.get(name="技术攻关"),
            leader=world.lead_person,
            started_on="2025-01-01",
            planned_end_on="2025-12-31",
            status=status,
        )
        return {"pk": project.pk}

    return build


def result_of_a1(status="draft", proof=False):
    def build(world):
        from django.core.files.base import ContentFile

        from achievements.models import Result

        result = Result(
            studio=world.studio(status="named", level="company"),
            title="成果",
            category="technical_innovation",
            achieved_on="2025-06-01",
            status=status,
        )
        if proof:
            result.benefit_proof.save("b.pdf", ContentFile(b"%PDF-1.4 proof"), save=False)
        result.save()
        return {"pk": result.pk}

    return build


def adoption_with_proof(world):
    from django.core.files.base import ContentFile

    from achievements.models import Adoption

    result_pk = result_of_a1("verified")(world)["pk"]
    adoption = Adoption(result_id=result_pk, unit=world.plant_b1, adopted_on="2025-08-01", yearly_benefit=1000)
    adoption.proof.save("a.pdf", ContentFile(b"%PDF-1.4 proof"), save=False)
    adoption.save()
    return {"pk": adoption.pk}


def image_of_a1(case_status=""):
    def build(world):
        from django.core.files.base import ContentFile

        from achievements.models import Result, ResultImage

        from .core.test_uploads import png_bytes

        result = Result.objects.create(
            studio=world.studio(status="named", level="company"),
            title="成果",
            category="paper",
            achieved_on="2025-06-01",
            status="verified",
            case_status=case_status,
            case_story="案例",
        )
        picture = ResultImage(result=result, caption="图")
        picture.image.save("i.png", ContentFile(png_bytes()), save=False)
        picture.thumbnail.save("t.png", ContentFile(png_bytes()), save=False)
        picture.save()
        return {"pk": picture.pk}

    return build


def case_of_a1(world):
    from achievements.models import ResultImage

    return {"pk": ResultImage.objects.get(pk=image_of_a1("approved")(world)["pk"]).result_id}


def named_a1_studio(world):
    return {"pk": world.studio(status="named", level="company").pk}


PUBLIC = Row(get=cells(200), post=cells(405))


def milestone_of_a1(world):
    from achievements.models import Milestone

    return {
        "pk": Milestone.objects.create(project_id=project_of_a1()(world)["pk"], title="样机", due_on="2025-06-30").pk
    }


def attachment_of_a1(world):
    from django.core.files.base import ContentFile

    from achievements.models import Attachment

    attachment = Attachment(result_id=result_of_a1("verified")(world)["pk"], title="报告")
    attachment.file.save("r.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
    attachment.save()
    return {"pk": attachment.pk}


def project_kind(world):
    from achievements.models import ProjectKind

    return {"pk": ProjectKind.objects.first().pk}


# Alliances -----------------------------------------------------------------------------------------
# The alliance is led by branch A: HQ and branch A's cadre manage it. Everyone but the expert sees
# alliances (a lead must find one to join); its member is studio_lead's named studio in A1.

from .alliances import fixtures as af  # noqa: E402

ALLIANCE_SEEN = {"expert": 404}
ALLIANCE_VIEW = signed_in(200, **ALLIANCE_SEEN)
MANAGE_GET = signed_in(403, hq=200, unit_cadre=200, **ALLIANCE_SEEN)
MANAGE_POST = signed_in(403, hq=400, unit_cadre=400, **ALLIANCE_SEEN)
LOG_GET = signed_in(403, hq=200, unit_cadre=200, studio_lead=200, **ALLIANCE_SEEN)
LOG_POST = signed_in(403, hq=400, unit_cadre=400, studio_lead=400, **ALLIANCE_SEEN)
DRAFT_GET = signed_in(404, hq=200)
DRAFT_POST = signed_in(404, hq=400)
ALLIANCE_EXPORT = signed_in(200, studio_lead=403, other_lead=403, **ALLIANCE_SEEN)

ALLIANCE_ROWS = {
    "alliances:alliance_list": Row(get=signed_in(200, expert=403), post=signed_in(405, expert=403)),
    "alliances:alliance_create": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "alliances:alliance_detail": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.alliance_pk()),
    "alliances:alliance_update": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.alliance_pk()),
    # Already running: launching again is refused by its state (409).
    "alliances:alliance_launch": Row(
        get=MANAGE_GET, post=signed_in(403, hq=409, unit_cadre=409, **ALLIANCE_SEEN), kwargs=af.alliance_pk()
    ),
    "alliances:alliance_dissolve": Row(
        get=signed_in(403, hq=200, **ALLIANCE_SEEN),
        post=signed_in(403, hq=400, **ALLIANCE_SEEN),
        kwargs=af.alliance_pk(),
    ),
    "alliances:alliance_charter": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.alliance_pk(with_files=True)),
    "alliances:alliance_agreement": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.alliance_pk(with_files=True)),
    "alliances:alliance_logo": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.alliance_pk(with_files=True)),
    "alliances:alliance_logo_thumbnail": Row(
        get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.alliance_pk(with_files=True)
    ),
    # Any studio lead may ask (the form offers only the studios it leads); an empty request is a 400.
    "alliances:join_request": Row(
        get=signed_in(403, studio_lead=200, other_lead=200, **ALLIANCE_SEEN),
        post=signed_in(403, studio_lead=400, other_lead=400, **ALLIANCE_SEEN),
        kwargs=af.alliance_pk(),
    ),
    "alliances:member_add": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.alliance_pk()),
    "alliances:member_admit": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.member_pk("requested")),
    "alliances:member_refuse": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.member_pk("requested")),
    "alliances:member_exit_request": Row(
        get=signed_in(403, studio_lead=200, **ALLIANCE_SEEN),
        post=signed_in(403, studio_lead=400, **ALLIANCE_SEEN),
        kwargs=af.member_pk("active"),
    ),
    "alliances:member_exit_approve": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.member_pk("exit_requested")),
    "alliances:member_remove": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.member_pk("active")),
    "alliances:member_tier": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.member_pk("active")),
    # The alliance lets member studio leads log activities (the default rule).
    "alliances:activity_create": Row(get=LOG_GET, post=LOG_POST, kwargs=af.alliance_pk()),
    "alliances:activity_detail": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.activity_pk),
    # Logged by HQ: the managers change it, not the member lead.
    "alliances:activity_update": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.activity_pk),
    "alliances:activity_photo_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.activity_pk),
    "alliances:activity_document_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.activity_pk),
    "alliances:activity_photo": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.activity_photo_pk),
    "alliances:activity_thumbnail": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.activity_photo_pk),
    "alliances:activity_photo_delete": Row(
        get=MANAGE_GET,
        post=signed_in(403, hq=302, unit_cadre=302, **ALLIANCE_SEEN),
        kwargs=af.activity_photo_pk,
    ),
    "alliances:activity_document": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.activity_document_pk),
    "alliances:funding_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.alliance_pk()),
    "alliances:funding_voucher": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.funding_voucher_pk),
    "alliances:funding_reverse": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=af.funding_voucher_pk),
    "alliances:batch_list": Row(get=signed_in(200, expert=403), post=signed_in(405, expert=403)),
    "alliances:batch_create": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "alliances:batch_detail": Row(get=ALLIANCE_VIEW, post=signed_in(405), kwargs=af.batch_pk("published")),
    # Draft batches are HQ's alone: nobody else sees them.
    "alliances:batch_update": Row(get=DRAFT_GET, post=DRAFT_POST, kwargs=af.batch_pk("draft")),
    "alliances:designation_add": Row(get=DRAFT_GET, post=DRAFT_POST, kwargs=af.batch_pk("draft")),
    "alliances:batch_publish": Row(
        get=DRAFT_GET, post=signed_in(404, hq=409), kwargs=af.empty_draft_batch_pk
    ),  # nothing designated yet: refused
    "alliances:designation_remove": Row(get=DRAFT_GET, post=signed_in(404, hq=302), kwargs=af.designation_pk),
    "alliances:batch_export_xlsx": Row(get=ALLIANCE_EXPORT, post=signed_in(405), kwargs=af.batch_pk("published")),
    "alliances:batch_export_pdf": Row(get=ALLIANCE_EXPORT, post=signed_in(405), kwargs=af.batch_pk("published")),
}


ACHIEVEMENT_ROWS = {
    "achievements:kind_list": Row(get=HQ_ONLY_GET, post=signed_in(403, hq=405)),
    "achievements:kind_create": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST),
    "achievements:kind_update": Row(get=HQ_ONLY_GET, post=HQ_ONLY_POST, kwargs=project_kind),
    "achievements:milestone_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=project_of_a1()),
    "achievements:milestone_progress": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=milestone_of_a1),
    "achievements:award_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1("verified")),
    "achievements:attachment_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1()),
    "achievements:attachment_file": Row(get=FILE_GET, post=signed_in(405), kwargs=attachment_of_a1),
    "achievements:result_import": Row(
        get=signed_in(200, viewer=403, expert=403), post=signed_in(400, viewer=403, expert=403)
    ),
    "achievements:result_import_template": Row(
        get=signed_in(200, viewer=403, expert=403), post=signed_in(405, viewer=403, expert=403)
    ),
    "achievements:image_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1("verified")),
    "achievements:image_file": Row(get=FILE_GET, post=signed_in(405), kwargs=image_of_a1()),
    "achievements:image_thumbnail": Row(get=FILE_GET, post=signed_in(405), kwargs=image_of_a1()),
    "achievements:image_delete": Row(
        get=STUDIO_WORK_GET,
        post=signed_in(403, hq=302, unit_cadre=302, studio_lead=302, **STUDIO_SEEN),
        kwargs=image_of_a1(),
    ),
    # An empty proposal has no story: the form says so (400).
    "achievements:case_propose": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1("verified")),
    "achievements:case_approve": Row(
        get=HQ_GET, post=signed_in(403, hq=409, **STUDIO_SEEN), kwargs=result_of_a1("verified")
    ),  # not proposed: refused by its state
    "achievements:case_withdraw": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=result_of_a1("verified")),
    # The public showcase: anyone, read-only.
    "showcase:home": PUBLIC,
    "showcase:studio": Row(get=cells(200), post=cells(405), kwargs=named_a1_studio),
    "showcase:case": Row(get=cells(200), post=cells(405), kwargs=case_of_a1),
    "showcase:image": Row(get=cells(200), post=cells(405), kwargs=image_of_a1("approved")),
    "showcase:thumbnail": Row(get=cells(200), post=cells(405), kwargs=image_of_a1("approved")),
    "achievements:result_list": Row(get=ANY_LEAD_OR_CADRE, post=signed_in(405, expert=403)),
    "achievements:project_list": Row(get=ANY_LEAD_OR_CADRE, post=signed_in(405, expert=403)),
    "achievements:result_create": Row(
        get=signed_in(200, viewer=403, expert=403), post=signed_in(400, viewer=403, expert=403)
    ),
    "achievements:project_create": Row(
        get=signed_in(200, viewer=403, expert=403), post=signed_in(400, viewer=403, expert=403)
    ),
    "achievements:project_detail": Row(get=STUDIO_VIEW, post=signed_in(405), kwargs=project_of_a1()),
    "achievements:project_update": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=project_of_a1()),
    "achievements:project_start": Row(
        get=STUDIO_WORK_GET,
        post=signed_in(403, hq=302, unit_cadre=302, studio_lead=302, **STUDIO_SEEN),
        kwargs=project_of_a1(),
    ),
    "achievements:project_close": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=project_of_a1("in_progress")),
    "achievements:project_terminate": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=project_of_a1()),
    "achievements:result_detail": Row(get=STUDIO_VIEW, post=signed_in(405), kwargs=result_of_a1()),
    "achievements:result_update": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1()),
    # A draft without contributors cannot be submitted: the form answers with the reason (400).
    "achievements:result_submit": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1()),
    "achievements:result_verify": Row(get=UNIT_REVIEW_GET, post=UNIT_REVIEW_POST_OK, kwargs=result_of_a1("submitted")),
    "achievements:result_return": Row(get=UNIT_REVIEW_GET, post=UNIT_REVIEW_POST_BAD, kwargs=result_of_a1("submitted")),
    "achievements:result_proof": Row(get=FILE_GET, post=signed_in(405), kwargs=result_of_a1(proof=True)),
    "achievements:adoption_create": Row(get=STUDIO_WORK_GET, post=STUDIO_WORK_POST, kwargs=result_of_a1("verified")),
    "achievements:adoption_proof": Row(get=FILE_GET, post=signed_in(405), kwargs=adoption_with_proof),
}

MATRIX: dict[str, Row] = {
    "home": Row(get=signed_in(200), post=signed_in(405)),
    "login": Row(get=cells(302, anonymous=200), post=cells(302, anonymous=400)),
    "logout": Row(get=cells(405), post=cells(302)),
    "password_change": Row(get=signed_in(200), post=signed_in(400)),
    "set_language": Row(get=cells(302), post=cells(302)),
    # accounts: units
    "accounts:unit_list": Row(get=LIST_GET, post=LIST_POST),
    "accounts:unit_create": Row(get=signed_in(403, hq=200), post=signed_in(403, hq=400)),
    "accounts:unit_detail": Row(get=UNIT_VIEW, post=signed_in(405), kwargs=unit_a1),
    "accounts:unit_update": Row(get=UNIT_MANAGE_GET, post=UNIT_MANAGE_POST, kwargs=unit_a1),
    "accounts:unit_move": Row(get=UNIT_MANAGE_GET, post=UNIT_MANAGE_POST, kwargs=unit_a1),
    # accounts: users
    "accounts:user_list": Row(get=LIST_GET, post=LIST_POST),
    "accounts:user_create": Row(
        get=signed_in(403, hq=200, unit_cadre=200, unit_cadre_other=200),
        post=signed_in(403, hq=400, unit_cadre=400, unit_cadre_other=400),
    ),
    "accounts:user_detail": Row(get=USER_VIEW, post=signed_in(405), kwargs=target_lead),
    "accounts:user_update": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=400, unit_cadre=400, viewer=403), kwargs=target_lead
    ),
    # Deactivation needs a reason: an empty POST is a form error.
    "accounts:user_deactivate": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=400, unit_cadre=400, viewer=403), kwargs=target_lead
    ),
    # The account is active: reactivating it is refused by its state (409), not by the role.
    "accounts:user_activate": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=409, unit_cadre=409, viewer=403), kwargs=target_lead
    ),
    "accounts:user_reset_password": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=302, unit_cadre=302, viewer=403), kwargs=target_lead
    ),
    # The account is not locked: unlocking is refused by its state.
    "accounts:user_unlock": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=409, unit_cadre=409, viewer=403), kwargs=target_lead
    ),
    "accounts:profile": Row(get=signed_in(200), post=signed_in(400)),
    # core
    "core:notification_list": Row(get=signed_in(200), post=signed_in(405)),
    "core:notification_menu": Row(get=signed_in(200), post=signed_in(405)),
    "core:notification_read_all": Row(get=signed_in(405), post=signed_in(302)),
    "core:notification_open": Row(get=signed_in(404, hq=302), post=signed_in(405), kwargs=hq_notification),
    "core:audit_list": Row(get=signed_in(403, hq=200), post=signed_in(403, hq=405)),
    "core:search": Row(get=signed_in(200), post=signed_in(405)),
    "core:health": Row(get=cells(200), post=cells(405)),
    **STUDIO_ROWS,
    **TALENT_ROWS,
    **ACHIEVEMENT_ROWS,
    **ALLIANCE_ROWS,
    **TRAINING_ROWS,
    **MENTORING_ROWS,
    **CAMPAIGN_ROWS,
    **DASHBOARD_ROWS,
    **REPORT_ROWS,
}

# Django's admin is for superusers only (and read-only). No portal role is staff, so every admin
# page sends every role to the admin login; the login page itself answers, and the catch-all 404s.
ADMIN_SPECIAL = {
    "admin:login": Row(get=cells(200), post=cells(200)),
    "admin:catch_all_view": None,  # not reversible with kwargs of its own; covered by the rule below
}
ADMIN_DEFAULT = Row(get=cells(302), post=cells(302))

# Sample values for the admin's URL parameters.
ADMIN_KWARGS = {"app_label": "accounts", "object_id": "1", "content_type_id": "1", "url": "nothing-here/"}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def all_url_names() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def _admin_kwargs(pattern: URLPattern) -> dict:
    names = re.findall(r"\(\?P<(\w+)>", str(pattern.pattern.regex.pattern))
    return {name: ADMIN_KWARGS[name] for name in names}


def row_for(name: str) -> Row | None:
    if name in MATRIX:
        return MATRIX[name]
    if name.startswith("admin:"):
        return ADMIN_SPECIAL.get(name, ADMIN_DEFAULT)
    return None


def test_every_url_is_in_the_matrix():
    missing = [name for name in all_url_names() if name not in MATRIX and not name.startswith("admin:")]
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    stale = [name for name in MATRIX if name not in all_url_names()]
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"


def _cases():
    for name in sorted(all_url_names()):
        row = row_for(name)
        if row is None:
            continue
        for role in ROLES:
            for method in ("get", "post"):
                yield pytest.param(name, role, method, id=f"{name}-{role}-{method}")


def _state():
    """Every row of the portal's tables, to prove that a refused request changed nothing."""
    from django.apps import apps

    tables = []
    for app_label in (
        "accounts",
        "core",
        "talent",
        "studios",
        "achievements",
        "alliances",
        "training",
        "mentoring",
        "reports",
    ):
        for model in apps.get_app_config(app_label).get_models():
            tables.append(list(model._default_manager.order_by("pk").values_list()))
    return tables


@pytest.mark.parametrize(("name", "role", "method"), list(_cases()))
def test_permission_cell(name, role, method, world, client_as):
    pattern = all_url_names()[name]
    row = row_for(name)
    if name.startswith("admin:") and name not in MATRIX:
        url = reverse(name, kwargs=_admin_kwargs(pattern))
        # The admin's catch-all answers 404 to everyone: no such admin page.
        expected = 404 if name == "admin:catch_all_view" else getattr(row, method)[role]
    else:
        url = reverse(name, kwargs=row.kwargs(world))
        expected = getattr(row, method)[role]
    client = client_as(world.user(role))
    before = _state()
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302, f"{method.upper()} {url} as {role}: {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{method.upper()} {url} as {role}: {response.status_code}"
    refused = expected == LOGIN or (isinstance(expected, int) and expected >= 400)
    if refused and method == "post":
        # The exception: a refused login attempt is recorded by django-axes, not by the portal.
        assert _state() == before, f"refused POST {url} as {role} changed data"


# Pages whose answer also depends on the object's state, pinned in that state too (MATRIX holds
# each URL once, in its usual state). A result the unit has, or is, verifying is not offered as a
# form: its edit page leads back to the result with the reason (302), and a form posted anyway
# is refused by the result's state (409).
RESULT_LOCKED_GET = signed_in(403, hq=302, unit_cadre=302, studio_lead=302, **STUDIO_SEEN)
RESULT_LOCKED_POST = signed_in(403, hq=409, unit_cadre=409, studio_lead=409, **STUDIO_SEEN)
STATE_ROWS = {
    ("achievements:result_update", "submitted"): Row(
        get=RESULT_LOCKED_GET, post=RESULT_LOCKED_POST, kwargs=result_of_a1("submitted")
    ),
    ("achievements:result_update", "verified"): Row(
        get=RESULT_LOCKED_GET, post=RESULT_LOCKED_POST, kwargs=result_of_a1("verified")
    ),
}


def _state_cases():
    for (name, state), _row in STATE_ROWS.items():
        for role in ROLES:
            for method in ("get", "post"):
                yield pytest.param(name, state, role, method, id=f"{name}[{state}]-{role}-{method}")


@pytest.mark.parametrize(("name", "state", "role", "method"), list(_state_cases()))
def test_permission_cell_in_another_state(name, state, role, method, world, client_as):
    row = STATE_ROWS[(name, state)]
    url = reverse(name, kwargs=row.kwargs(world))
    expected = getattr(row, method)[role]
    client = client_as(world.user(role))
    before = _state()
    response = getattr(client, method)(url)
    assert response.status_code == (302 if expected == LOGIN else expected), (
        f"{method.upper()} {url} as {role}: {response.status_code}"
    )
    if expected == LOGIN:
        assert response["Location"].startswith(reverse("login")), response["Location"]
    elif expected == 302:
        assert response["Location"] == url.rsplit("edit/", 1)[0], "back to the result"
    if method == "post" and (expected == LOGIN or expected >= 400):
        assert _state() == before, f"refused POST {url} as {role} changed data"
