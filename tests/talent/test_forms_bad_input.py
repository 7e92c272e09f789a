"""Bad input on every form of the people registry (person, skill grade, honour, linked login):
refused next to the field in Chinese with nothing written, or accepted and shown escaped. The
selection campaigns' forms are in test_campaign_forms_bad_input.py. See tests/bad_input.py."""

import pytest

from .. import bad_input as bi
from ..bad_input import (
    CHOICE,
    DATE_ORDER,
    DUPLICATE,
    EMPTY,
    HTML,
    HUGE,
    IMG,
    MARKUP,
    NUL_TEXT,
    SCOPE,
    SCRIPT,
    SQL,
    SQL_OR,
    SQL_TEXT,
    TOO_LONG,
    UNICODE,
    UNICODE_TEXT,
    WHITESPACE,
    WRONG_TYPE,
    any_,
    bad,
    ok,
    upload,
)
from ..factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
# Payload values worked out when a test runs, not at import (a run may cross midnight): bi.day.
TOMORROW = bi.day(1)


def member_person(world):
    """A person of A1 in the team of studio_lead's studio."""
    from studios.models import Membership

    person = PersonFactory(unit=world.plant_a1, name="团队骨干", employee_no="E30001")
    Membership.objects.create(studio=world.studio(), person=person, role="core", joined_on="2024-02-01")
    return person


GOOD_PERSON = {
    "name": "张卫东",
    "gender": "male",
    "employee_no": "E20001",
    "unit": lambda c: c.world.plant_a1.pk,
    "team_group": "机加一班",
    "post": "数控车工",
    "phone": "13800000000",
    "id_number": "11010119900307777X",
}
PERSON_CREATE = bi.FormSpec(
    url="talent:person_create",
    actor="unit_cadre",
    good=GOOD_PERSON,
    cases=[
        bad("no name", EMPTY, name=""),
        bad("blank name", EMPTY, name=WHITESPACE),
        bad("name too long", TOO_LONG, name="名" * 51),
        bad("name of ten thousand", TOO_LONG, name="名" * 10_000),
        bad("NUL in the name", UNICODE, name=NUL_TEXT),
        bad("unknown gender", CHOICE, gender="robot"),
        bad("gender as a script", HTML, gender=SCRIPT),
        bad("employee number with a space", WRONG_TYPE, employee_no="E 2001"),
        bad("employee number as SQL", SQL, employee_no=SQL_TEXT),
        bad("employee number as a script", HTML, employee_no=SCRIPT),
        bad("employee number with emoji", UNICODE, employee_no="E2😀"),
        bad("employee number too long", TOO_LONG, employee_no="E" * 31),
        bad("an employee number already used", DUPLICATE, employee_no=lambda c: PersonFactory().employee_no),
        bad("no unit", EMPTY, unit=""),
        bad("unit of another branch", SCOPE, unit=lambda c: c.world.plant_b1.pk),
        bad("unit not a number", WRONG_TYPE, unit="abc"),
        bad("unit id out of range", WRONG_TYPE, unit=HUGE),
        bad("unit as SQL", SQL, unit=SQL_OR),
        bad("team too long", TOO_LONG, team_group="班" * 61),
        bad("post too long", TOO_LONG, post="岗" * 61),
        bad("phone in words", WRONG_TYPE, phone="打电话"),
        bad("ID number too short", WRONG_TYPE, id_number="12345"),
        bad("ID number with letters", WRONG_TYPE, id_number="ABCDEFGHIJKLMNOPQR"),
        bad("ID number with emoji", UNICODE, id_number="11010119900307777😀"),
        bad("a photo that is HTML", HTML, photo=upload("html")),
        bad("a photo that is a pixel bomb", WRONG_TYPE, photo=upload("bomb")),
        bad("employee number twice, the last with a space", DUPLICATE, employee_no=["E20001", "E 1"]),
        ok("script in the name", HTML, name=SCRIPT),
        ok("image tag in the post", HTML, post=IMG),
        ok("SQL in the team", SQL, team_group=SQL_TEXT),
        ok("rare CJK and emoji in the name", UNICODE, name="𠮷" + UNICODE_TEXT),
        ok("a lower-case x in the ID number", WRONG_TYPE, id_number="11010119900307777x"),
    ],
)

PERSON_UPDATE = bi.FormSpec(
    url="talent:person_update",
    actor="unit_cadre",
    target=member_person,
    good={**GOOD_PERSON, "employee_no": "E30001"},
    fuzz=False,
    cases=[
        bad("edit: no name", EMPTY, name=""),
        bad("edit: the employee number of another", DUPLICATE, employee_no=lambda c: PersonFactory().employee_no),
        bad("edit: unit of another branch", SCOPE, unit=lambda c: c.world.plant_b1.pk),
        bad("edit: ID number with a script", HTML, id_number=SCRIPT[:18]),
        ok("edit: script in the name", HTML, name=IMG),
    ],
)

GOOD_GRADE = {"grade": "technician", "changed_on": "2024-05-01", "note": "技能鉴定"}
GRADE = bi.FormSpec(
    url="talent:person_grade_create",
    actor="unit_cadre",
    target=member_person,
    good=GOOD_GRADE,
    cases=[
        bad("no grade", EMPTY, grade=""),
        bad("unknown grade", CHOICE, grade="wizard"),
        bad("grade as a script", HTML, grade=SCRIPT),
        bad("grade as SQL", SQL, grade=SQL_TEXT),
        bad("grade as emoji", UNICODE, grade="🎓"),
        bad("no date", EMPTY, changed_on=""),
        bad("tomorrow", DATE_ORDER, changed_on=TOMORROW),
        bad("date on 30 February", WRONG_TYPE, changed_on="2024-02-30"),
        bad("date in words", WRONG_TYPE, changed_on="前年"),
        bad("date of year 99999", WRONG_TYPE, changed_on="99999-01-01"),
        bad("note too long", TOO_LONG, note="注" * 201),
        bad("note of ten thousand", TOO_LONG, note="注" * 10_000),
        bad("NUL in the note", UNICODE, note=NUL_TEXT),
        bad("a proof that is HTML", HTML, proof=upload("html", "proof.pdf")),
        bad("a proof that is a program", WRONG_TYPE, proof=upload("exe")),
        bad("an empty proof", EMPTY, proof=upload("empty")),
        ok("a proof that is a photo of the paper", WRONG_TYPE, proof=upload("png", "proof.pdf")),
        bad("the same change twice", DUPLICATE, target=lambda w: _graded(w)),
        bad("grade twice, the last unknown", DUPLICATE, grade=["technician", "wizard"]),
        bad("grade with NUL", UNICODE, grade="technician\x00"),
        ok("script in the note", HTML, note=MARKUP),
        ok("SQL in the note", SQL, note=SQL_TEXT),
        ok("emoji and rare CJK in the note", UNICODE, note=UNICODE_TEXT),
        ok("a Word proof", WRONG_TYPE, proof=upload("docx")),
    ],
)


def _graded(world):
    from talent.models import SkillGradeChange

    person = member_person(world)
    SkillGradeChange.objects.create(person=person, grade="technician", changed_on="2024-05-01")
    return person


GOOD_HONOUR = {"kind": "craftsman", "level": "company", "title": "信赖工匠", "year": "2024", "issuer": "公司工会"}
HONOUR = bi.FormSpec(
    url="talent:honour_create",
    actor="unit_cadre",
    target=member_person,
    good=GOOD_HONOUR,
    cases=[
        bad("no kind", EMPTY, kind=""),
        bad("kind as a script", HTML, kind=SCRIPT),
        bad("unknown level", CHOICE, level="galactic"),
        bad("level as SQL", SQL, level=SQL_TEXT),
        bad("blank title", EMPTY, title=WHITESPACE),
        bad("title too long", TOO_LONG, title="匠" * 101),
        bad("title of ten thousand", TOO_LONG, title="匠" * 10_000),
        bad("NUL in the title", UNICODE, title=NUL_TEXT),
        bad("no year", EMPTY, year=""),
        bad("year 1949", DATE_ORDER, year="1949"),
        bad("year in words", WRONG_TYPE, year="二〇二四"),
        bad("year of 1e309", WRONG_TYPE, year="1e309"),
        bad("year NaN", WRONG_TYPE, year="NaN"),
        bad("year out of range", WRONG_TYPE, year=HUGE),
        bad("year as emoji", UNICODE, year="😀"),
        bad("issuer too long", TOO_LONG, issuer="会" * 101),
        bad("the same honour that year", DUPLICATE, target=lambda w: _honoured(w)),
        bad("year twice, the last in the future", DUPLICATE, year=["2024", bi.year(1)]),
        ok("script in the title", HTML, title=MARKUP),
        ok("SQL in the issuer", SQL, issuer=SQL_TEXT),
        ok("rare CJK and emoji in the title", UNICODE, title="荆楚𠮷匠" + UNICODE_TEXT),
        any_("year in full-width digits", WRONG_TYPE, year="２０２４"),
    ],
)


def _honoured(world):
    from talent.models import Honour

    person = member_person(world)
    Honour.objects.create(person=person, kind="craftsman", level="company", title="信赖工匠", year=2024)
    return person


def _free_login(ctx):
    return ctx.world.target_lead.pk


LINK = bi.FormSpec(
    url="talent:person_link",
    actor="unit_cadre",
    target=member_person,
    good={"user": _free_login},
    cases=[
        bad("login not a number", WRONG_TYPE, user="abc"),
        bad("unknown login", SCOPE, user="999999"),
        bad("negative id", WRONG_TYPE, user="-1"),
        bad("id out of range", WRONG_TYPE, user=HUGE),
        bad("fractional id", WRONG_TYPE, user="1.5"),
        bad("login as SQL", SQL, user=SQL_OR),
        bad("login as a script", HTML, user=SCRIPT),
        bad("login as an image tag", HTML, user=IMG),
        bad("login as emoji", UNICODE, user="😀"),
        bad("login in rare CJK", UNICODE, user="𠮷"),
        bad("login with NUL", UNICODE, user=lambda c: f"{c.world.target_lead.pk}\x00"),
        bad("the login of another person", DUPLICATE, user=lambda c: c.world.studio_lead.pk),
        bad("a login of branch B", SCOPE, user=lambda c: c.world.other_lead.pk),
        bad("an inactive login", SCOPE, user=lambda c: UserFactory(unit=c.world.plant_a1, is_active=False).pk),
        bad(
            "login twice, the last another's",
            DUPLICATE,
            user=lambda c: [c.world.target_lead.pk, c.world.studio_lead.pk],
        ),
        bad("login of ten thousand digits", TOO_LONG, user="1" * 10_000),
        bad("a date as the login", DATE_ORDER, user="2024-01-01"),
        bad("zero", WRONG_TYPE, user="0"),
        bad("1e309", WRONG_TYPE, user="1e309"),
        bad("NaN", WRONG_TYPE, user="NaN"),
        bad("a username instead of an id", WRONG_TYPE, user="lead2"),
        any_("blank", WRONG_TYPE, user=WHITESPACE),
        any_("full-width digits of the id", WRONG_TYPE, user=lambda c: _full_width(c.world.target_lead.pk)),
        ok("no login: unlinked", EMPTY, user=""),
        bad("ideographic zero", WRONG_TYPE, user="〇"),
    ],
)


def _full_width(number):
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


SPECS = [PERSON_CREATE, PERSON_UPDATE, GRADE, HONOUR, LINK]


class TestForms(bi.Battery):
    """The battery of tests/bad_input.py over this module's forms."""

    specs = SPECS
