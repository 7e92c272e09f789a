"""Bad input on the forms core gives every app: the step form (a comment) on every transition page,
the picture form, the Excel import form, and the configurable lists (kinds). See tests/bad_input.py.

The step pages are taken from the permission matrix: each page that serves the step form gets its
bad comments, posted by a role the matrix lets through — a new step page gets them by itself."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

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
    MONEY,
    NUL_TEXT,
    SCOPE,
    SCRIPT,
    SQL,
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
from ..matrix import LOGIN, ROLES
from ..test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db
LONG_COMMENT = "评" * 2001


# The step form on every transition page ----------------------------------------------------------


def _step_spec(url: str) -> bi.FormSpec:
    row = MATRIX[url]
    actor = next(role for role in ROLES if row.post[role] not in (403, 404, 405, LOGIN))
    view = bi.url_patterns()[url].callback.view_class
    required = getattr(view, "comment_required", False)
    goes_through = row.post[actor] == 302  # the object is in a state where the step succeeds
    cases = [
        bad("comment too long", TOO_LONG, comment=LONG_COMMENT),
        bad("NUL in the comment", UNICODE, comment=NUL_TEXT),
        bad("comment twice, the last too long", DUPLICATE, comment=["好", LONG_COMMENT]),
    ]
    if required:
        cases += [
            bad("no reason", EMPTY, comment=""),
            bad("a blank reason", EMPTY, comment=WHITESPACE),
        ]
    if goes_through or required:
        cases += [
            any_("script and image tag in the comment", HTML, comment=MARKUP),
            any_("SQL, emoji and rare CJK in the comment", (SQL, UNICODE), comment=SQL_TEXT + UNICODE_TEXT),
        ]
    return bi.FormSpec(
        url=url,
        actor=actor,
        target=row.kwargs,
        good={"comment": "同意"},
        good_status=None,  # each step's effect is tested with its app
        fuzz=url == "accounts:user_deactivate",  # one page binds the form (with a required comment)
        cases=cases,
    )


STEP_SPECS = [_step_spec(url) for url in sorted(bi.served_forms().get("core.forms.TransitionForm", {}))]


# Pictures (a studio's photos, a result's pictures, an alliance activity's photos) ------------------


def _picture_cases(prefix: str) -> list:
    return [
        bad(f"{prefix}: no file", EMPTY, image=bi.DROP),
        bad(f"{prefix}: HTML named .jpg", WRONG_TYPE, image=upload("html")),
        bad(f"{prefix}: SVG with a script named .png", HTML, image=upload("svg")),
        bad(f"{prefix}: a pixel bomb", WRONG_TYPE, image=upload("bomb")),
        bad(f"{prefix}: an empty file", EMPTY, image=upload("empty", "empty.png")),
        bad(f"{prefix}: a program named .pdf", WRONG_TYPE, image=upload("exe")),
        bad(f"{prefix}: a cut-off PNG", WRONG_TYPE, image=upload("truncated")),
        bad(f"{prefix}: a text file", WRONG_TYPE, image=upload("text")),
        bad(f"{prefix}: the file as text", WRONG_TYPE, image="photo.png"),
        bad(f"{prefix}: caption too long", TOO_LONG, caption="图" * 101),
        bad(f"{prefix}: NUL in the caption", UNICODE, caption=NUL_TEXT),
        bad(f"{prefix}: two files, the last HTML", DUPLICATE, image=[upload("png"), upload("html")]),
        ok(f"{prefix}: ../ in the file name", WRONG_TYPE, image=upload("traversal")),
        ok(f"{prefix}: script in the caption", HTML, caption=MARKUP),
        ok(f"{prefix}: SQL in the caption", SQL, caption=SQL_TEXT),
        ok(f"{prefix}: emoji and rare CJK in the caption", UNICODE, caption=UNICODE_TEXT),
    ]


def _matrix_target(url):
    return MATRIX[url].kwargs


PICTURE_SPECS = [
    bi.FormSpec(
        url=url,
        actor=actor,
        target=_matrix_target(url),
        good={"image": upload("png"), "caption": "活动现场"},
        cases=_picture_cases(prefix) if full else _picture_cases(prefix)[:8],
        fuzz=full,
    )
    for url, actor, prefix, full in (
        ("studios:photo_create", "studio_lead", "studio photo", True),
        ("achievements:image_create", "studio_lead", "result picture", False),
        ("alliances:activity_photo_create", "unit_cadre", "activity photo", False),
    )
]


# Excel imports -----------------------------------------------------------------------------------


def workbook(spec_path: str, rows, *, headers=None):
    """A payload value: an .xlsx with the import's own headers (or `headers`) and `rows` (dicts by
    field name; a callable value gets the context)."""

    def build(ctx=None):
        module, name = spec_path.rsplit(".", 1)
        spec = getattr(__import__(module, fromlist=[name]), name)()
        book = Workbook()
        sheet = book.active
        sheet.append(headers if headers is not None else spec.headers())
        for row in rows(ctx) if callable(rows) else rows:
            values = {k: (v(ctx) if callable(v) else v) for k, v in row.items()}
            sheet.append([values.get(name, "") for name in spec.field_names()])
        buffer = io.BytesIO()
        book.save(buffer)
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("import.xlsx", buffer.getvalue())

    return build


PEOPLE = "talent.imports.PersonImportSpec"
PERSON_ROW = {
    "name": "张卫东",
    "gender": "男",
    "employee_no": "E10001",
    "unit": "A1",
    "team_group": "机加一班",
    "post": "数控车工",
    "skill_grade": "",
    "grade_date": "",
    "phone": "13800000000",
    "id_number": "",
}


def people(**changes):
    return {"file": workbook(PEOPLE, [{**PERSON_ROW, **changes}])}


def two_people(first, second):
    return {"file": workbook(PEOPLE, [{**PERSON_ROW, **first}, {**PERSON_ROW, **second}])}


PERSON_IMPORT = bi.FormSpec(
    url="talent:person_import",
    actor="unit_cadre",
    good=people(),
    cases=[
        bad("no file", EMPTY, file=bi.DROP),
        bad("an empty file", EMPTY, file=upload("empty", "people.xlsx")),
        bad("HTML named .xlsx", HTML, file=upload("html", "people.xlsx")),
        bad("a PDF", WRONG_TYPE, file=upload("pdf", "people.xlsx")),
        bad("a Word file", WRONG_TYPE, file=upload("docx", "people.xlsx")),
        bad("a broken zip", WRONG_TYPE, file=upload("zip", "people.xlsx")),
        bad("the file as text", WRONG_TYPE, file="people.xlsx"),
        bad("other headers", WRONG_TYPE, file=workbook(PEOPLE, [PERSON_ROW], headers=["姓名", "工号"])),
        bad("headers only", EMPTY, file=workbook(PEOPLE, [])),
        bad("a row without a name", EMPTY, people(name="")),
        bad("a name too long", TOO_LONG, people(name="名" * 51)),
        bad("a name of ten thousand", TOO_LONG, people(name="名" * 10_000)),
        bad("an employee number with a script", HTML, people(employee_no=SCRIPT)),
        bad("an employee number as SQL", SQL, people(employee_no=SQL_TEXT)),
        bad("an employee number with emoji", UNICODE, people(employee_no="E1😀")),
        bad("a zero-width joiner in the employee number", UNICODE, people(employee_no="E1\u200d0")),
        bad("a unit of another branch", SCOPE, people(unit="B1")),
        bad("an unknown unit", SCOPE, people(unit="NOPE")),
        bad("an unknown gender", CHOICE, people(gender="其他")),
        bad("an unknown skill grade", CHOICE, people(skill_grade="大师")),
        bad("a grade without its date", EMPTY, people(skill_grade="高级工")),
        bad("a grade date in words", WRONG_TYPE, people(skill_grade="高级工", grade_date="去年")),
        bad("a grade date in the future", DATE_ORDER, people(skill_grade="高级工", grade_date="2999-01-01")),
        bad("a bad ID number", WRONG_TYPE, people(id_number="12345")),
        bad("a phone in words", WRONG_TYPE, people(phone="打电话")),
        bad("the same employee number twice", DUPLICATE, two_people({}, {"name": "李四"})),
        bad("a good row and a bad one: nothing imported", EMPTY, two_people({}, {"employee_no": "E2", "name": ""})),
        bad("two files, the last a PDF", DUPLICATE, file=[people()["file"], upload("pdf", "people.xlsx")]),
        ok("script in the name", HTML, people(name=SCRIPT[:50])),
        ok("image tag in the post", HTML, people(post=IMG)),
        ok("SQL in the team", SQL, people(team_group=SQL_TEXT)),
        ok("rare CJK and emoji in the name", UNICODE, people(name="吉" + UNICODE_TEXT)),
    ],
    pages=(lambda ctx: reverse("talent:person_list") + "?q=E10001",),
)

STUDIOS = "studios.imports.StudioImportSpec"
STUDIO_ROW = {
    "name": "甲一厂数控创新工作室",
    "kind": "劳模创新工作室",
    "unit": "A1",
    "lead": lambda ctx: ctx.world.lead_person.employee_no,
    "specialty": "数控",
    "founded_on": "2021-03-01",
    "venue_address": "一号楼",
    "venue_area": "80",
    "planned_projects": "2",
    "applied_level": "公司级",
}


def studios(**changes):
    return {"file": workbook(STUDIOS, [{**STUDIO_ROW, **changes}])}


STUDIO_IMPORT = bi.FormSpec(
    url="studios:studio_import",
    actor="unit_cadre",
    good=studios(),
    fuzz=False,
    cases=[
        bad("studios: a negative area", MONEY, studios(venue_area="-80")),
        bad("studios: an area of 1e15", MONEY, studios(venue_area="1e15")),
        bad("studios: an unknown kind", CHOICE, studios(kind="神秘工作室")),
        bad("studios: a lead of another branch", SCOPE, studios(lead="NOBODY")),
        bad("studios: founded in words", WRONG_TYPE, studios(founded_on="去年")),
        bad("studios: an unknown level", CHOICE, studios(applied_level="宇宙级")),
        ok("studios: script in the name", HTML, studios(name=MARKUP)),
    ],
)

RESULTS = "achievements.imports.ResultImportSpec"
RESULT_ROW = {
    "title": "桥壳反变形焊接工装",
    "studio": "成果导入工作室",
    "category": "技术革新",
    "achieved_on": "2025-09-15",
    "contributors": lambda ctx: ctx.world.lead_person.employee_no,
    "benefit": "186000",
    "benefit_year": "2025",
    "patent_no": "",
    "summary": "",
}


def results(**changes):
    return {"file": workbook(RESULTS, [{**RESULT_ROW, **changes}])}


def named_studio(world):
    world.studio(status="named", level="company", name="成果导入工作室")


RESULT_IMPORT = bi.FormSpec(
    url="achievements:result_import",
    actor="studio_lead",
    target=named_studio,
    good=results(),
    fuzz=False,
    cases=[
        bad("results: a negative benefit", MONEY, results(benefit="-1")),
        bad("results: a benefit of 1e15", MONEY, results(benefit="1e15")),
        bad("results: an unknown contributor", SCOPE, results(contributors="NOBODY")),
        bad("results: another lead's studio", SCOPE, results(studio="乙厂工作室")),
        bad("results: a date in words", WRONG_TYPE, results(achieved_on="上个月")),
        bad("results: a benefit year of 1900", DATE_ORDER, results(benefit_year="1900")),
        ok("results: script in the title", HTML, results(title=MARKUP)),
    ],
)


# Configurable lists (studio kinds, project kinds) --------------------------------------------------


def _kind_specs(prefix, existing, kind_model):
    def first_kind(world):
        from django.apps import apps

        return apps.get_model(kind_model).objects.order_by("order", "pk").first()

    create = bi.FormSpec(
        url=f"{prefix}:kind_create",
        actor="hq",
        good={"name": "新类型", "order": "9"},
        cases=[
            bad("no name", EMPTY, name=""),
            bad("a blank name", EMPTY, name=WHITESPACE),
            bad("name too long", TOO_LONG, name="类" * 41),
            bad("name of ten thousand", TOO_LONG, name="类" * 10_000),
            bad("a name already used", DUPLICATE, name=existing[0]),
            bad("NUL in the name", UNICODE, name=NUL_TEXT),
            bad("no order", EMPTY, order=""),
            bad("order in words", WRONG_TYPE, order="第一"),
            bad("negative order", WRONG_TYPE, order="-1"),
            bad("order of 1e309", WRONG_TYPE, order="1e309"),
            bad("order NaN", WRONG_TYPE, order="NaN"),
            bad("order out of range", WRONG_TYPE, order=HUGE),
            bad("fractional order", WRONG_TYPE, order="1.5"),
            bad("order as SQL", SQL, order="1; DROP TABLE studios_studiokind"),
            bad("order as a script", HTML, order=SCRIPT),
            bad("order as emoji", UNICODE, order="😀"),
            bad("name twice, the last blank", DUPLICATE, name=["新类型", ""]),
            bad("a date as the order", DATE_ORDER, order="2024-01-01"),
            ok("script in the name", HTML, name=SCRIPT),
            ok("image tag in the name", HTML, name=IMG),
            ok("SQL in the name", SQL, name=SQL_TEXT),
            ok("rare CJK and emoji in the name", UNICODE, name="𠮷" + UNICODE_TEXT),
            any_("full-width order", WRONG_TYPE, order="１２"),
        ],
        pages=(lambda ctx: reverse(f"{prefix}:kind_list"),),
    )
    update = bi.FormSpec(
        url=f"{prefix}:kind_update",
        actor="hq",
        target=first_kind,
        good={"name": "改名类型", "order": "1", "is_active": "on"},
        fuzz=False,
        cases=[
            bad("edit: a name already used", DUPLICATE, name=existing[1]),
            bad("edit: no name", EMPTY, name=""),
            bad("edit: negative order", WRONG_TYPE, order="-5"),
            ok("edit: script in the name", HTML, name=SCRIPT),
            bad("edit: script and image tag, too long", TOO_LONG, name=MARKUP),
        ],
    )
    return [create, update]


KIND_SPECS = [
    *_kind_specs("studios", ["劳模创新工作室", "工匠创新工作室"], "studios.StudioKind"),
    *_kind_specs("achievements", ["技术攻关", "工艺改进"], "achievements.ProjectKind"),
]

SPECS = [*STEP_SPECS, *PICTURE_SPECS, PERSON_IMPORT, STUDIO_IMPORT, RESULT_IMPORT, *KIND_SPECS]


class TestForms(bi.Battery):
    """The battery of tests/bad_input.py over this module's forms."""

    specs = SPECS
