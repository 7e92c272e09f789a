"""Excel imports as a union cadre meets them (a review found each of these):

- the template's example row is marked (“示例：…”) and never imported: uploaded unchanged, the
  template once made a draft studio and a duplicate result out of its sample values;
- a file with no data row is refused with a clear message;
- an unknown code or employee number is named in the message, a bad date gives the format;
- every problem of a row is listed in one pass (a bad studio name hid the bad employee number
  of the same row until the next upload);
- the people list links to its import, for those who may import.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from achievements.models import Result
from core.imports import EXAMPLE_MARKER, examples_note
from studios.models import Studio
from talent.models import Person

from ..factories import PersonFactory
from ..xlsx_support import xlsx_upload

IMPORTS = {
    "studios": ("studios:studio_import", "studios:studio_import_template", "unit_cadre"),
    "results": ("achievements:result_import", "achievements:result_import_template", "studio_lead"),
    "people": ("talent:person_import", "talent:person_import_template", "unit_cadre"),
}


def _get(client, url, language="zh-hans"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        return client.get(reverse(url))


def _post(client, url, upload, language="zh-hans"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        return client.post(reverse(url), {"file": upload})


def _template(client, url, language="zh-hans"):
    response = _get(client, url, language)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _rows_of(book):
    return [
        [cell if cell is not None else "" for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)
    ]


def _resave(book):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "import.xlsx"
    return buffer


def _state():
    return (Studio.objects.count(), Result.objects.count(), Person.objects.count())


def _errors(response):
    return [(row, str(message)) for row, message in response.context["errors"]]


# The example row -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", IMPORTS)
@pytest.mark.parametrize(("downloaded", "uploaded"), [("zh-hans", "zh-hans"), ("en", "zh-hans"), ("zh-hans", "en")])
def test_the_template_uploaded_unchanged_imports_nothing_and_says_why(world, client_as, kind, downloaded, uploaded):
    import_url, template_url, actor = IMPORTS[kind]
    client = client_as(getattr(world, actor))
    book = _template(client, template_url, downloaded)
    rows = _rows_of(book)
    assert len(rows) == 2, "the template is its header and one example row"
    with translation.override(downloaded):
        assert str(rows[1][0]).startswith(str(EXAMPLE_MARKER))
    before = _state()
    response = _post(client, import_url, _resave(book), uploaded)
    assert response.status_code == 400
    assert _state() == before
    assert "errors" not in response.context, "the example row is not checked as data"
    message = " ".join(response.context["form"].errors["file"])
    assert "2" in message, message  # names row 2 as the example


def test_the_template_shows_the_example_apart_and_explains_each_column(world, client_as):
    # In English: the Chinese of these new strings comes with the catalogue (locale/ is merged apart).
    client = client_as(world.unit_cadre)
    book = _template(client, "studios:studio_import_template", "en")
    data, guide = book.worksheets[0], book.worksheets[1]
    assert guide.title == "Instructions"
    assert data["A2"].value == "Example: 张卫东劳模创新工作室"
    assert data["A2"].font.i and data.freeze_panes == "A2"
    text = "\n".join(str(c) for row in guide.iter_rows(values_only=True) for c in row if c)
    assert "“Example:”" in text and "YYYY-MM-DD" in text
    columns = {row[0]: row for row in guide.iter_rows(min_row=8, values_only=True) if row[0]}
    assert set(columns) == set(_rows_of(book)[0])
    assert columns["Level applied for"][1:3] == (
        "Yes",
        "One of: Unit level、Company level、City level、Provincial or ministerial level、National level",
    )
    assert columns["Founded on"][1] == "No" and "YYYY-MM-DD" in columns["Founded on"][2]
    assert columns["Venue area (m²)"][2] == "A number" and columns["Planned projects per year"][2] == "A whole number"
    assert columns["Unit code"][2] == "The unit's code, from the sheet “Unit codes”"
    assert columns["Studio name"][3] == "张卫东劳模创新工作室"  # the example, unmarked, beside its column
    assert [ws.title for ws in book.worksheets[2:]] == ["Kinds", "Unit codes", "Levels"]


def test_rows_below_the_example_are_imported_and_the_example_is_skipped(world, client_as):
    client = client_as(world.unit_cadre)
    PersonFactory(unit=world.plant_a1, employee_no="E900")
    book = _template(client, "studios:studio_import_template")
    book.worksheets[0].append(
        ["甲一厂数控工作室", "职工创新工作室", "A1", "E900", "数控", "2023-05-01", "二楼", "60", "2", "公司级"]
    )
    response = _post(client, "studios:studio_import", _resave(book))
    assert response.status_code == 302
    assert list(Studio.objects.filter(unit=world.plant_a1).values_list("name", flat=True)) == ["甲一厂数控工作室"]
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("zh-hans"):
        assert examples_note([2]) in notes, notes


def test_an_example_row_is_skipped_and_named_beside_the_problems(world, client_as):
    client = client_as(world.unit_cadre)
    book = _template(client, "studios:studio_import_template")
    book.worksheets[0].append(["某工作室", "职工创新工作室", "JH-XX", "E99999", "", "", "", "", "", "公司级"])
    response = _post(client, "studios:studio_import", _resave(book))
    assert response.status_code == 400
    assert {row for row, _message in _errors(response)} == {3}
    assert response.context["examples_note"] and "2" in response.context["examples_note"]
    assert 'data-testid="import-examples"' in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_unmarked_example_of_an_older_template_is_not_imported(world, client_as, language):
    """A template downloaded before the example was marked: a row equal to the example, in either
    language, is still the example. Its unit and lead exist here, so it would have been imported."""
    from studios.imports import StudioImportSpec

    from ..factories import UnitFactory

    unit = UnitFactory(name="车桥厂", code="JH-CV-AX", parent=world.plant_a1)
    PersonFactory(unit=unit, employee_no="E10001")
    spec = StudioImportSpec()
    with translation.override(language):
        rows = [spec.headers(), spec.example_values()]
    before = _state()
    response = _post(client_as(world.unit_cadre), "studios:studio_import", xlsx_upload(rows))
    assert response.status_code == 400 and _state() == before
    assert not Studio.objects.filter(name="张卫东劳模创新工作室").exists()


@pytest.mark.parametrize("kind", IMPORTS)
def test_a_file_without_a_data_row_is_refused(world, client_as, kind):
    import_url, template_url, actor = IMPORTS[kind]
    client = client_as(getattr(world, actor))
    header = _rows_of(_template(client, template_url))[0]
    before = _state()
    for rows in ([header], [header, [""] * len(header)]):
        response = _post(client, import_url, xlsx_upload(rows))
        assert response.status_code == 400 and _state() == before
        assert response.context["form"].errors["file"]


# Messages that say what is wrong ------------------------------------------------------------------


def test_unknown_codes_are_named_and_a_bad_date_gives_the_format(world, client_as):
    client = client_as(world.unit_cadre)
    header = _rows_of(_template(client, "studios:studio_import_template"))[0]
    row = ["某工作室", "神秘工作室", "JH-XX", "E99999", "", "去年三月", "", "", "", "宇宙级"]
    response = _post(client, "studios:studio_import", xlsx_upload([header, row]))
    assert response.status_code == 400
    messages = {message.split(":")[0]: message for _row, message in _errors(response)}  # "单位代码: …" by column
    assert "JH-XX" in messages["单位代码"]
    assert "E99999" in messages["领衔人工号"]
    assert "神秘工作室" in messages["类型"]
    assert "去年三月" in messages["创建日期"] and "YYYY-MM-DD" in messages["创建日期"]
    assert "宇宙级" in messages["申报级别"] and "公司级" in messages["申报级别"]


def test_people_import_names_the_unknown_unit_and_gives_the_date_format(world, client_as):
    client = client_as(world.unit_cadre)
    header = _rows_of(_template(client, "talent:person_import_template"))[0]
    row = ["李四", "男", "IM1", "JH-XX", "", "", "技师", "2021-13-01", "", ""]
    response = _post(client, "talent:person_import", xlsx_upload([header, row]))
    messages = [message for _row, message in _errors(response)]
    assert any("JH-XX" in m for m in messages), messages
    assert any("2021-13-01" in m and "YYYY-MM-DD" in m for m in messages), messages


# Every problem of a row at once -------------------------------------------------------------------


def test_a_result_row_lists_its_bad_studio_and_its_bad_employee_number_together(world, client_as):
    client = client_as(world.studio_lead)
    world.studio(status="named", level="company", name="成果导入工作室")
    header = _rows_of(_template(client, "achievements:result_import_template"))[0]
    row = ["新成果", "不存在的工作室", "技术革新", "2025/04/01", "E99999", "1000", "2025", "", ""]
    response = _post(client, "achievements:result_import", xlsx_upload([header, row]))
    assert response.status_code == 400
    messages = [message for number, message in _errors(response) if number == 2]
    assert len(messages) == 2, messages
    assert any("不存在的工作室" in m for m in messages) and any("E99999" in m for m in messages), messages


def test_a_result_row_lists_the_checks_of_the_service_with_the_others(world, client_as):
    """A result already logged under this title (a file imported twice), a benefit without its year
    and a date in the future are listed together with an unknown contributor."""
    client = client_as(world.studio_lead)
    studio = world.studio(status="named", level="company", name="成果导入工作室")
    Result.objects.create(studio=studio, title="已有成果", category="technical_innovation", achieved_on="2025-01-01")
    header = _rows_of(_template(client, "achievements:result_import_template"))[0]
    row = ["已有成果", studio.name, "技术革新", "2999-01-01", "E99999", "1000", "", "", ""]
    before = _state()
    response = _post(client, "achievements:result_import", xlsx_upload([header, row]))
    assert response.status_code == 400 and _state() == before
    columns = {message.split(":")[0] for _number, message in _errors(response)}
    assert columns == {"成果名称", "日期", "完成人工号（按排名，以、或逗号分隔）", "效益年度"}, _errors(response)


def test_a_studio_row_lists_its_taken_name_and_its_unknown_lead_together(world, client_as):
    client = client_as(world.unit_cadre)
    world.studio(name="已有工作室")
    header = _rows_of(_template(client, "studios:studio_import_template"))[0]
    row = ["已有工作室", "职工创新工作室", "A1", "E99999", "", "", "", "", "", "公司级"]
    response = _post(client, "studios:studio_import", xlsx_upload([header, row]))
    assert response.status_code == 400
    columns = {message.split(":")[0] for _number, message in _errors(response)}
    assert columns == {"工作室名称", "领衔人工号"}, _errors(response)


def test_a_person_row_lists_its_taken_number_with_its_other_problems(world, client_as):
    client = client_as(world.unit_cadre)
    PersonFactory(unit=world.plant_a1, employee_no="IM1")
    header = _rows_of(_template(client, "talent:person_import_template"))[0]
    row = ["李四", "男", "IM1", "JH-XX", "", "", "技师", "", "", ""]
    response = _post(client, "talent:person_import", xlsx_upload([header, row]))
    assert response.status_code == 400
    columns = {message.split(":")[0] for _number, message in _errors(response)}
    assert columns == {"工号", "单位代码", "技能等级取得日期"}, _errors(response)


# The people list links to its import ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"), [("hq", True), ("unit_cadre", True), ("viewer", False), ("studio_lead", False)]
)
def test_the_people_list_offers_the_import_to_those_who_may_import(world, client_as, role, shown):
    client = client_as(getattr(world, role))
    page = client.get(reverse("talent:person_list"))
    assert page.status_code == 200
    link = reverse("talent:person_import")
    assert (link in page.content.decode()) is shown
    assert (client.get(link).status_code == 200) is shown


# Rows repeating each other within one file ---------------------------------------------------------

REPEAT = "与本文件第 2 行相同。"


def test_a_repeated_employee_number_is_named_even_when_the_first_row_is_invalid(world, client_as):
    client = client_as(world.unit_cadre)
    header = _rows_of(_template(client, "talent:person_import_template"))[0]
    first = ["李四", "男", "IM7", "JH-XX", "", "", "", "", "", ""]  # an unknown unit code
    again = ["王五", "男", "IM7", "A1", "", "", "", "", "", ""]
    before = _state()
    response = _post(client, "talent:person_import", xlsx_upload([header, first, again]))
    assert response.status_code == 400 and _state() == before
    errors = _errors(response)
    assert [message.split(":")[0] for number, message in errors if number == 2] == ["单位代码"], errors
    assert [message for number, message in errors if number == 3] == [f"工号: {REPEAT}"], errors


def test_a_repeated_row_is_said_once_as_a_repeat(world, client_as):
    client = client_as(world.unit_cadre)
    header = _rows_of(_template(client, "talent:person_import_template"))[0]
    row = ["李四", "男", "IM8", "A1", "", "", "", "", "", ""]
    response = _post(client, "talent:person_import", xlsx_upload([header, row, row]))
    assert response.status_code == 400 and not Person.objects.filter(employee_no="IM8").exists()
    assert _errors(response) == [(3, f"工号: {REPEAT}")]


def test_repeated_studios_and_results_are_named_by_their_columns(world, client_as):
    client = client_as(world.unit_cadre)
    header = _rows_of(_template(client, "studios:studio_import_template"))[0]
    row = ["新工作室", "职工创新工作室", "A1", "", "", "", "", "", "", "公司级"]
    response = _post(client, "studios:studio_import", xlsx_upload([header, row, row]))
    assert response.status_code == 400 and not Studio.objects.filter(name="新工作室").exists()
    assert f"单位代码 + 工作室名称: {REPEAT}" in [message for number, message in _errors(response) if number == 3]

    client = client_as(world.studio_lead)
    studio = world.studio(status="named", level="company", name="成果导入工作室")
    header = _rows_of(_template(client, "achievements:result_import_template"))[0]
    row = ["新成果", studio.name, "技术革新", "2025-01-01", "E99999", "", "", "", ""]
    before = _state()
    response = _post(client, "achievements:result_import", xlsx_upload([header, row, row]))
    assert response.status_code == 400 and _state() == before
    third = [message for number, message in _errors(response) if number == 3]
    assert f"工作室名称 + 成果名称: {REPEAT}" in third and not any("已有" in m for m in third), third
