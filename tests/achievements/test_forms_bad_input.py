"""Bad input on every form of projects and results (project, milestone, progress, closing, result,
adoption, award, attachment, the public case story): refused next to the field in Chinese with
nothing written, or accepted and shown escaped. See tests/bad_input.py."""

import pytest
from django.urls import reverse

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
from ..factories import PersonFactory
from ..test_permission_matrix import milestone_of_a1, project_of_a1, result_of_a1

pytestmark = pytest.mark.django_db
# Payload values worked out when a test runs, not at import (a run may cross midnight): bi.day.
TOMORROW = bi.day(1)


def a1_studio(world):
    """A named studio of plant A1 led by studio_lead: what a new project or result is logged for."""
    return None, {"studio": world.studio(status="named", level="company")}


def _kind(ctx):
    from achievements.models import ProjectKind

    return ProjectKind.objects.get(name="技术攻关").pk


def _team_member(ctx):
    return PersonFactory(unit=ctx.world.plant_a1).pk


def _b1_person(ctx):
    return PersonFactory(unit=ctx.world.plant_b1).pk


GOOD_PROJECT = {
    "studio": lambda c: c["studio"].pk,
    "title": "桥壳焊接变形控制",
    "kind": _kind,
    "leader": lambda c: c.world.lead_person.pk,
    "team": _team_member,
    "started_on": "2025-01-01",
    "planned_end_on": "2025-12-31",
    "goals": "变形量小于1毫米",
    "budget": "50000",
}
PROJECT_CREATE = bi.FormSpec(
    url="achievements:project_create",
    actor="studio_lead",
    target=a1_studio,
    good=GOOD_PROJECT,
    cases=[
        bad("no title", EMPTY, title=""),
        bad("blank title", EMPTY, title=WHITESPACE),
        bad("title too long", TOO_LONG, title="题" * 201),
        bad("title of ten thousand", TOO_LONG, title="题" * 10_000),
        bad("NUL in the title", UNICODE, title=NUL_TEXT),
        bad("no studio", EMPTY, studio=""),
        bad("another lead's studio", SCOPE, studio=lambda c: c.world.other_studio.pk),
        bad("studio as SQL", SQL, studio=SQL_OR),
        bad("no kind", EMPTY, kind=""),
        bad("kind not a number", WRONG_TYPE, kind="abc"),
        bad("a leader of branch B", SCOPE, leader=_b1_person),
        bad("leader id out of range", WRONG_TYPE, leader=HUGE),
        bad("a team member of branch B", SCOPE, team=_b1_person),
        bad("team as a script", HTML, team=SCRIPT),
        bad("ends before it starts", DATE_ORDER, planned_end_on="2024-12-31", at=None),
        bad("start in words", WRONG_TYPE, started_on="年初"),
        bad("end on 30 February", WRONG_TYPE, planned_end_on="2025-02-30"),
        bad("negative budget", MONEY, budget="-1"),
        bad("budget of 1e15", MONEY, budget="1e15"),
        bad("budget NaN", WRONG_TYPE, budget="NaN"),
        bad("budget infinite", WRONG_TYPE, budget="Infinity"),
        bad("budget with three decimals", WRONG_TYPE, budget="1.001"),
        bad("partner studio unknown", SCOPE, partner_studios="999999"),
        bad("title twice, the last blank", DUPLICATE, title=["桥壳焊接变形控制", ""]),
        ok("script in the title", HTML, title=SCRIPT),
        ok("image tag in the goals", HTML, goals=IMG),
        ok("SQL in the goals", SQL, goals=SQL_TEXT),
        ok("rare CJK and emoji in the title", UNICODE, title="𠮷" + UNICODE_TEXT),
        any_("budget minus zero", MONEY, budget="-0"),
        any_("goals of ten thousand", TOO_LONG, goals="标" * 10_000),
    ],
)

PROJECT_UPDATE = bi.FormSpec(
    url="achievements:project_update",
    actor="studio_lead",
    target=lambda w: project_of_a1()(w),
    good={k: v for k, v in GOOD_PROJECT.items() if k != "studio"},
    fuzz=False,
    cases=[
        bad("edit: negative budget", MONEY, budget="-0.01"),
        bad("edit: ends before it starts", DATE_ORDER, planned_end_on="2000-01-01", at=None),
        bad("edit: no title", EMPTY, title=""),
        ok("edit: script in the title", HTML, title=MARKUP),
    ],
)

MILESTONE = bi.FormSpec(
    url="achievements:milestone_create",
    actor="studio_lead",
    target=lambda w: project_of_a1()(w),
    good={"title": "样机试制", "due_on": "2025-06-30"},
    cases=[
        bad("no title", EMPTY, title=""),
        bad("blank title", EMPTY, title=WHITESPACE),
        bad("title too long", TOO_LONG, title="节" * 201),
        bad("title of ten thousand", TOO_LONG, title="节" * 10_000),
        bad("NUL in the title", UNICODE, title=NUL_TEXT),
        bad("no due date", EMPTY, due_on=""),
        bad("due date in words", WRONG_TYPE, due_on="年中"),
        bad("due on 30 February", WRONG_TYPE, due_on="2025-02-30"),
        bad("due in year 99999", WRONG_TYPE, due_on="99999-01-01"),
        bad("due date as a script", HTML, due_on=SCRIPT),
        bad("due date as SQL", SQL, due_on=SQL_TEXT),
        bad("due date as emoji", UNICODE, due_on="📅"),
        bad("due before the project starts", DATE_ORDER, due_on="2024-01-01"),
        bad("due date twice, the last in words", DUPLICATE, due_on=["2025-06-30", "年中"]),
        bad("title twice, the last blank", DUPLICATE, title=["样机", " "]),
        bad("due date with NUL", UNICODE, due_on="2025-06-30\x00"),
        bad("due date month 13", WRONG_TYPE, due_on="2025-13-01"),
        bad("due date zero", WRONG_TYPE, due_on="0000-00-00"),
        bad("everything empty", EMPTY, {}, replace=True, at=None),
        ok("script in the title", HTML, title=MARKUP),
        ok("SQL in the title", SQL, title=SQL_TEXT),
        ok("rare CJK and emoji in the title", UNICODE, title="𠮷" + UNICODE_TEXT),
        any_("due date in full-width digits", WRONG_TYPE, due_on="２０２５-０６-３０"),
        bad("due date as a timestamp", WRONG_TYPE, due_on="1750000000"),
        bad("due date with a time", WRONG_TYPE, due_on="2025-06-30T25:00"),
    ],
)

PROGRESS = bi.FormSpec(
    url="achievements:milestone_progress",
    actor="studio_lead",
    target=milestone_of_a1,
    good={"progress": "样机完成", "done_on": "2025-06-20"},
    cases=[
        bad("no progress", EMPTY, progress=""),
        bad("blank progress", EMPTY, progress=WHITESPACE),
        bad("progress too long", TOO_LONG, progress="进" * 4001),
        bad("progress of ten thousand", TOO_LONG, progress="进" * 10_000),
        bad("NUL in the progress", UNICODE, progress=NUL_TEXT),
        bad("done in words", WRONG_TYPE, done_on="上周"),
        bad("done on 30 February", WRONG_TYPE, done_on="2025-02-30"),
        bad("done in year 99999", WRONG_TYPE, done_on="99999-01-01"),
        bad("done date as a script", HTML, done_on=SCRIPT),
        bad("done date as SQL", SQL, done_on=SQL_TEXT),
        bad("done date as emoji", UNICODE, done_on="📅"),
        bad("done before the project started", DATE_ORDER, done_on="2024-06-01"),
        bad("done tomorrow", DATE_ORDER, done_on=TOMORROW),
        bad("progress twice, the last blank", DUPLICATE, progress=["样机", ""]),
        bad("progress too long in emoji", TOO_LONG, progress="😀" * 4001),
        bad("progress too long in rare CJK", TOO_LONG, progress="𠮷" * 4001),
        bad("done date with NUL", UNICODE, done_on="2025-06-20\x00"),
        bad("done date month 13", WRONG_TYPE, done_on="2025-13-01"),
        bad("everything empty", EMPTY, {}, replace=True, at="progress"),
        ok("script in the progress", HTML, progress=MARKUP),
        ok("SQL in the progress", SQL, progress=SQL_TEXT),
        ok("emoji, rare CJK, joiner and RTL mark", UNICODE, progress=UNICODE_TEXT),
        ok("progress without a done date", EMPTY, done_on=""),
        any_("done date in full-width digits", WRONG_TYPE, done_on="２０２５-０６-２０"),
        bad("done date twice, the last tomorrow", DUPLICATE, done_on=["2025-06-20", TOMORROW]),
    ],
)

CLOSING = bi.FormSpec(
    url="achievements:project_close",
    actor="studio_lead",
    target=lambda w: project_of_a1("in_progress")(w),
    good={"comment": "按期完成", "closed_on": "2025-12-01"},
    cases=[
        bad("summary too long", TOO_LONG, comment="结" * 4001),
        bad("summary of ten thousand", TOO_LONG, comment="结" * 10_000),
        bad("blank summary", EMPTY, comment=WHITESPACE),
        bad("NUL in the summary", UNICODE, comment=NUL_TEXT),
        bad("no closing date", EMPTY, closed_on=""),
        bad("closed tomorrow", DATE_ORDER, closed_on=TOMORROW),
        bad("closed on 30 February", WRONG_TYPE, closed_on="2025-02-30"),
        bad("closing date as a script", HTML, closed_on=SCRIPT),
        bad("closing date as SQL", SQL, closed_on=SQL_TEXT),
        bad("closing date as emoji", UNICODE, closed_on="📅"),
        bad("closing date twice, the last before the start", DUPLICATE, closed_on=["2025-12-01", "2000-01-01"]),
        bad("closing date in year 99999", WRONG_TYPE, closed_on="99999-01-01"),
        bad("closing date with NUL", UNICODE, closed_on="2025-12-01\x00"),
        bad("summary twice, the last blank", DUPLICATE, comment=["完成", " "]),
        bad("summary too long in emoji", TOO_LONG, comment="😀" * 4001),
        bad("everything empty", EMPTY, {}, replace=True, at=None),
        ok("script in the summary", HTML, comment=MARKUP),
        ok("SQL in the summary", SQL, comment=SQL_TEXT),
        ok("emoji and rare CJK in the summary", UNICODE, comment=UNICODE_TEXT),
        bad("closing date month 13", WRONG_TYPE, closed_on="2025-13-01"),
        bad("closing date zero", WRONG_TYPE, closed_on="0000-00-00"),
        any_("closing date in full-width digits", WRONG_TYPE, closed_on="２０２５-１２-０１"),
    ],
)


GOOD_RESULT = {
    "studio": lambda c: c["studio"].pk,
    "title": "桥壳反变形焊接工装",
    "category": "technical_innovation",
    "achieved_on": "2025-09-15",
    "contributors": lambda c: c.world.lead_person.pk,
    "summary": "降低返修",
    "benefit": "186000",
    "benefit_year": "2025",
    "benefit_basis": "返修工时节约",
    "patent_no": "",
}
RESULT_CREATE = bi.FormSpec(
    url="achievements:result_create",
    actor="studio_lead",
    target=a1_studio,
    good=GOOD_RESULT,
    cases=[
        bad("no title", EMPTY, title=""),
        bad("title too long", TOO_LONG, title="果" * 201),
        bad("title of ten thousand", TOO_LONG, title="果" * 10_000),
        bad("NUL in the title", UNICODE, title=NUL_TEXT),
        bad("another lead's studio", SCOPE, studio=lambda c: c.world.other_studio.pk),
        bad("no category", EMPTY, category=""),
        bad("unknown category", CHOICE, category="miracle"),
        bad("category as a script", HTML, category=SCRIPT),
        bad("no contributors", EMPTY, contributors=""),
        bad("a contributor of branch B", SCOPE, contributors=_b1_person),
        bad("a contributor as SQL", SQL, contributors=SQL_OR),
        bad("no date", EMPTY, achieved_on=""),
        bad("achieved tomorrow", DATE_ORDER, achieved_on=TOMORROW),
        bad("date in words", WRONG_TYPE, achieved_on="九月"),
        bad("negative benefit", MONEY, benefit="-1"),
        bad("benefit of 1e15", MONEY, benefit="1e15"),
        bad("benefit NaN", WRONG_TYPE, benefit="NaN"),
        bad("benefit year 1979", DATE_ORDER, benefit_year="1979"),
        bad("benefit year next year", DATE_ORDER, benefit_year=bi.year(1)),
        bad("patent number too long", TOO_LONG, patent_no="Z" * 41),
        bad("a project of another studio", SCOPE, project="999999"),
        bad("benefit proof that is HTML", HTML, benefit_proof=upload("html", "proof.pdf")),
        bad("benefit proof that is empty", EMPTY, benefit_proof=upload("empty")),
        bad(
            "contributors twice, the last of B1",
            DUPLICATE,
            contributors=lambda c: [c.world.lead_person.pk, _b1_person(c)],
        ),
        ok("script in the title", HTML, title=SCRIPT),
        ok("image tag in the summary", HTML, summary=IMG),
        ok("SQL in the benefit basis", SQL, benefit_basis=SQL_TEXT),
        ok("rare CJK and emoji in the title", UNICODE, title="𠮷" + UNICODE_TEXT),
        any_("benefit minus zero", MONEY, benefit="-0"),
    ],
    pages=(lambda ctx: reverse("achievements:result_list"),),
)

RESULT_UPDATE = bi.FormSpec(
    url="achievements:result_update",
    actor="studio_lead",
    target=lambda w: result_of_a1()(w),
    good={k: v for k, v in GOOD_RESULT.items() if k != "studio"},
    fuzz=False,
    cases=[
        bad("edit: negative benefit", MONEY, benefit="-0.01"),
        bad("edit: no contributors", EMPTY, contributors=""),
        bad("edit: unknown category", CHOICE, category="x"),
        ok("edit: script in the title", HTML, title=MARKUP),
    ],
)

GOOD_ADOPTION = {
    "unit": lambda c: c.world.plant_b1.pk,
    "organisation": "",
    "adopted_on": "2025-10-01",
    "scope": "乙一厂焊装线",
    "yearly_benefit": "50000",
}
ADOPTION = bi.FormSpec(
    url="achievements:adoption_create",
    actor="studio_lead",
    target=lambda w: result_of_a1("verified")(w),
    good=GOOD_ADOPTION,
    cases=[
        bad("no date", EMPTY, adopted_on=""),
        bad("adopted tomorrow", DATE_ORDER, adopted_on=TOMORROW),
        bad("adopted before the result", DATE_ORDER, adopted_on="2020-01-01"),
        bad("date in words", WRONG_TYPE, adopted_on="十月"),
        bad("negative benefit", MONEY, yearly_benefit="-1"),
        bad("benefit of 1e15", MONEY, yearly_benefit="1e15"),
        bad("benefit NaN", WRONG_TYPE, yearly_benefit="NaN"),
        bad("benefit infinite", WRONG_TYPE, yearly_benefit="Infinity"),
        bad("benefit in words", WRONG_TYPE, yearly_benefit="五万"),
        bad("unknown unit", SCOPE, unit="999999"),
        bad("unit as SQL", SQL, unit=SQL_OR),
        bad("no unit and no organisation", EMPTY, unit="", organisation="", at=None),
        bad("organisation too long", TOO_LONG, organisation="企" * 121),
        bad("scope too long", TOO_LONG, scope="围" * 201),
        bad("scope of ten thousand", TOO_LONG, scope="围" * 10_000),
        bad("NUL in the scope", UNICODE, scope=NUL_TEXT),
        bad("a proof that is HTML", HTML, proof=upload("html", "proof.pdf")),
        bad("a proof that is a program", WRONG_TYPE, proof=upload("exe")),
        bad("benefit twice, the last negative", DUPLICATE, yearly_benefit=["50000", "-50000"]),
        bad("benefit of 1e309", WRONG_TYPE, yearly_benefit="1e309"),
        bad("date as SQL", SQL, adopted_on=SQL_TEXT),
        ok("script in the scope", HTML, scope=MARKUP),
        ok("SQL in the organisation", SQL, organisation=SQL_TEXT, unit=""),
        ok("rare CJK and emoji in the scope", UNICODE, scope=UNICODE_TEXT),
        any_("benefit minus zero", MONEY, yearly_benefit="-0"),
        bad("a unit and an organisation", DUPLICATE, organisation="外单位", at="unit"),
    ],
)

GOOD_AWARD = {"name": "公司科技进步奖", "level": "company", "grade": "一等奖", "year": "2025"}
AWARD = bi.FormSpec(
    url="achievements:award_create",
    actor="studio_lead",
    target=lambda w: result_of_a1("verified")(w),
    good=GOOD_AWARD,
    cases=[
        bad("no name", EMPTY, name=""),
        bad("blank name", EMPTY, name=WHITESPACE),
        bad("name too long", TOO_LONG, name="奖" * 151),
        bad("name of ten thousand", TOO_LONG, name="奖" * 10_000),
        bad("NUL in the name", UNICODE, name=NUL_TEXT),
        bad("no level", EMPTY, level=""),
        bad("unknown level", CHOICE, level="galactic"),
        bad("level as a script", HTML, level=SCRIPT),
        bad("grade too long", TOO_LONG, grade="等" * 41),
        bad("no year", EMPTY, year=""),
        bad("year 1979", DATE_ORDER, year="1979"),
        bad("year next year", DATE_ORDER, year=bi.year(1)),
        bad("year in words", WRONG_TYPE, year="二〇二五"),
        bad("year of 1e309", WRONG_TYPE, year="1e309"),
        bad("year NaN", WRONG_TYPE, year="NaN"),
        bad("year out of range", WRONG_TYPE, year=HUGE),
        bad("year as SQL", SQL, year=SQL_OR),
        bad("year as emoji", UNICODE, year="😀"),
        bad("year twice, the last next year", DUPLICATE, year=["2025", bi.year(1)]),
        bad("level with NUL", UNICODE, level="company\x00"),
        bad("grade with NUL", UNICODE, grade=NUL_TEXT),
        ok("script in the name", HTML, name=MARKUP),
        ok("SQL in the grade", SQL, grade=SQL_TEXT),
        ok("rare CJK and emoji in the name", UNICODE, name="𠮷" + UNICODE_TEXT),
        any_("the same award twice", DUPLICATE, target=lambda w: _awarded(w)),
        any_("year in full-width digits", WRONG_TYPE, year="２０２５"),
    ],
)


def _awarded(world):
    from achievements.models import Award, Result

    result = Result.objects.get(pk=result_of_a1("verified")(world)["pk"])
    Award.objects.create(result=result, name="公司科技进步奖", level="company", grade="一等奖", year=2025)
    return result


ATTACHMENT = bi.FormSpec(
    url="achievements:attachment_create",
    actor="studio_lead",
    target=lambda w: result_of_a1()(w),
    good={"title": "检测报告", "file": upload("pdf")},
    cases=[
        bad("no title", EMPTY, title=""),
        bad("blank title", EMPTY, title=WHITESPACE),
        bad("title too long", TOO_LONG, title="报" * 151),
        bad("title of ten thousand", TOO_LONG, title="报" * 10_000),
        bad("NUL in the title", UNICODE, title=NUL_TEXT),
        bad("no file", EMPTY, file=bi.DROP),
        bad("HTML named .pdf", HTML, file=upload("html", "report.pdf")),
        bad("SVG named .pdf", HTML, file=upload("svg", "report.pdf")),
        bad("a program named .pdf", WRONG_TYPE, file=upload("exe")),
        bad("an empty file", EMPTY, file=upload("empty")),
        bad("a broken Office file", WRONG_TYPE, file=upload("zip")),
        ok("a photo of the paper, named .pdf", WRONG_TYPE, file=upload("png", "report.pdf")),
        bad("a text file", WRONG_TYPE, file=upload("text")),
        bad("the file as text", WRONG_TYPE, file="report.pdf"),
        bad("two files, the last HTML", DUPLICATE, file=[upload("pdf"), upload("html", "r.pdf")]),
        bad("title twice, the last blank", DUPLICATE, title=["检测报告", ""]),
        bad("an SQL file name with HTML inside", SQL, file=upload("html", "'; DROP TABLE x; --.pdf")),
        bad("an emoji file name with a program inside", UNICODE, file=upload("exe", "😀.pdf")),
        ok("../ in the file name", WRONG_TYPE, file=upload("pdf", "../../etc/passwd.pdf")),
        ok("a Word file", WRONG_TYPE, file=upload("docx")),
        ok("script in the title", HTML, title=MARKUP),
        ok("SQL in the title", SQL, title=SQL_TEXT),
        ok("rare CJK and emoji in the title", UNICODE, title="𠮷" + UNICODE_TEXT),
        bad("a date as the file", DATE_ORDER, file="2024-01-01"),
        ok("an emoji file name", UNICODE, file=upload("pdf", "😀报告.pdf")),
    ],
)

CASE = bi.FormSpec(
    url="achievements:case_propose",
    actor="studio_lead",
    target=lambda w: result_of_a1("verified")(w),
    good={"comment": "问题、做法与成效"},
    cases=[
        bad("no story", EMPTY, comment=""),
        bad("a blank story", EMPTY, comment=WHITESPACE),
        bad("story too long", TOO_LONG, comment="事" * 6001),
        bad("story of ten thousand", TOO_LONG, comment="事" * 10_000),
        bad("NUL in the story", UNICODE, comment=NUL_TEXT),
        bad("story too long in emoji", TOO_LONG, comment="😀" * 6001),
        bad("story too long in rare CJK", TOO_LONG, comment="𠮷" * 6001),
        bad("story twice, the last blank", DUPLICATE, comment=["做法", " "]),
        bad("ideographic spaces only", EMPTY, comment="\u3000\u3000"),
        bad("a line break only", EMPTY, comment="\r\n"),
        bad("NUL only", UNICODE, comment="\x00"),
        bad("script and NUL", HTML, comment=SCRIPT + "\x00"),
        bad("SQL and NUL", SQL, comment=SQL_TEXT + "\x00"),
        bad("markup too long", HTML, comment=MARKUP * 200),
        bad("SQL too long", SQL, comment=SQL_TEXT * 300),
        bad("junk keys only", DUPLICATE, {"case_status": "approved"}, replace=True, at="comment"),
        bad("story twice, the last too long", DUPLICATE, comment=["做法", "事" * 6001]),
        bad("a tab only", EMPTY, comment="\t"),
        ok("script in the story", HTML, comment=MARKUP),
        ok("SQL in the story", SQL, comment=SQL_TEXT),
        ok("emoji, rare CJK, joiner and RTL mark", UNICODE, comment=UNICODE_TEXT),
        any_("a date as the story", DATE_ORDER, comment="2024-01-01"),
        any_("a number as the story", WRONG_TYPE, comment="1e309"),
        bad("too long by one", TOO_LONG, comment="a" * 6001),
        bad("NUL after text", UNICODE, comment="做法\x00"),
    ],
)

SPECS = [
    PROJECT_CREATE,
    PROJECT_UPDATE,
    MILESTONE,
    PROGRESS,
    CLOSING,
    RESULT_CREATE,
    RESULT_UPDATE,
    ADOPTION,
    AWARD,
    ATTACHMENT,
    CASE,
]


class TestForms(bi.Battery):
    """The battery of tests/bad_input.py over this module's forms."""

    specs = SPECS
