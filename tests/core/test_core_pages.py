"""Audit history, notifications, Excel export safety, Chinese error pages, language switch."""

import io

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts import services
from core.exports import rows_to_workbook
from core.models import Notification
from core.services import audit_log, notify

from ..factories import NotificationFactory


def test_audit_log_refuses_to_write_outside_a_transaction(transactional_db):
    from ..factories import UnitFactory

    unit = UnitFactory()
    with pytest.raises(RuntimeError):
        audit_log(actor=None, obj=unit, action="update")


def test_history_panel_shows_who_changed_which_field(world, client_as):
    services.unit_update(actor=world.hq, unit=world.plant_a1, name="甲一厂新址")
    page = client_as(world.unit_cadre).get(world.plant_a1.get_absolute_url()).content.decode()
    assert "历史记录" in page and "名称: 甲一厂 → 甲一厂新址" in page


def test_audit_log_page_lists_and_filters_events(world, client_as):
    services.unit_update(actor=world.hq, unit=world.plant_a1, name="改名一")
    services.unit_update(actor=world.hq, unit=world.plant_b1, name="改名二")
    response = client_as(world.hq).get(reverse("core:audit_list"), {"q": "改名二"})
    rows = response.context["table"].page.object_list
    assert [row.record.object_repr for row in rows] == ["改名二"]


def test_notifications_bell_menu_and_open(world, client_as):
    with transaction.atomic():
        notify(recipients=[world.studio_lead], title="请完善工作室信息", url="/accounts/me/")
    client = client_as(world.studio_lead)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1<' in home
    menu = client.get(reverse("core:notification_menu")).content.decode()
    assert "请完善工作室信息" in menu
    notification = Notification.objects.get(recipient=world.studio_lead)
    response = client.get(reverse("core:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_notification_links_never_leave_the_site(world, client_as):
    notification = NotificationFactory(recipient=world.hq, url="//evil.example.com/")
    response = client_as(world.hq).get(reverse("core:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("core:notification_list")


def test_mark_all_read(world, client_as):
    NotificationFactory.create_batch(3, recipient=world.hq)
    NotificationFactory(recipient=world.viewer)
    client_as(world.hq).post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(recipient=world.hq, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.viewer, read_at__isnull=True).count() == 1


def test_excel_cells_that_look_like_formulas_are_neutralised():
    workbook = rows_to_workbook("t", [["名称"], ['=HYPERLINK("http://x")'], ["+1+1"], [42]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    values = [row[0] for row in load_workbook(buffer).active.iter_rows(values_only=True)]
    assert values == ["名称", '\'=HYPERLINK("http://x")', "'+1+1", 42]


def test_booleans_are_written_yes_or_no_in_every_excel_export(world, client_as):
    """The user list's 启用 column read "True": a boolean column, and any boolean a workbook is
    given, is 是 or 否."""
    workbook = rows_to_workbook("t", [["启用"], [True], [False], [None], [1], [0]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [row[0] for row in load_workbook(buffer).active.iter_rows(values_only=True)] == [
        "启用",
        "是",
        "否",
        None,
        1,
        0,
    ]
    services.user_deactivate(actor=world.hq, user=world.target_lead, comment="调离")
    client = client_as(world.hq)
    for url_name in ("accounts:user_list", "accounts:unit_list"):
        response = client.get(reverse(url_name), {"export": "xlsx"})
        header, *rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        active = header.index("启用")
        assert {row[active] for row in rows} <= {"是", "否"}, url_name
        assert "是" in {row[active] for row in rows}, url_name
    users = client.get(reverse("accounts:user_list"), {"export": "xlsx"})
    header, *rows = list(load_workbook(io.BytesIO(users.content)).active.iter_rows(values_only=True))
    by_username = {row[header.index("用户名")]: row[header.index("启用")] for row in rows}
    assert by_username["lead2"] == "否" and by_username["hq"] == "是"


def test_login_page_is_chinese_by_default(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "创新工作室管理平台" in page and "登录" in page and 'lang="zh-hans"' in page


def test_language_switch_to_english(world, client_as):
    client = client_as(world.hq)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "HQ overview" in page and "Innovation Studio Management Portal" in page


def test_404_and_403_pages_are_chinese(world, client_as):
    client = client_as(world.studio_lead)
    assert "页面不存在" in client.get("/accounts/units/999999/").content.decode()
    assert "无权操作" in client.get(reverse("core:audit_list")).content.decode()


@override_settings(DEBUG=False)
def test_a_crash_shows_the_chinese_500_page_without_details(world, client_as, monkeypatch):
    from core import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(views.HomeView, "get_context_data", boom)
    client = client_as(world.hq)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "出错了" in body
    assert "secret-internal-detail" not in body and "Traceback" not in body


def test_yuan_filter():
    from core.templatetags.portal import yuan

    assert yuan(1234567.5) == "¥1,234,567.50"
    assert yuan("-50") == "-¥50.00"
    assert yuan(None) == "—"


def test_sidebar_follows_the_role(world, client_as):
    hq_page = client_as(world.hq).get(reverse("home")).content.decode()
    lead_page = client_as(world.studio_lead).get(reverse("home")).content.decode()
    assert reverse("core:audit_list") in hq_page and reverse("accounts:user_list") in hq_page
    assert reverse("core:audit_list") not in lead_page and reverse("accounts:user_list") not in lead_page


def test_the_review_queue_is_offered_only_to_roles_that_take_steps_on_studios(world, client_as):
    """待我处理 lists studios waiting for the user's step: HQ's and the unit's reviews, the lead's
    drafts. Leadership (read-only) and experts never have one: neither the entry nor the page."""
    url = reverse("studios:review_queue")
    for role, shown in (
        ("hq", True),
        ("unit_cadre", True),
        ("studio_lead", True),
        ("viewer", False),
        ("expert", False),
    ):
        client = client_as(getattr(world, role))
        links = [item["url"] for section in client.get(reverse("home")).context["nav"] for item in section["items"]]
        assert (url in links) is shown, role
        assert client.get(url).status_code == (200 if shown else 403), role


@pytest.mark.parametrize(
    ("role", "marker"),
    [
        ("hq", "公司总览"),
        ("unit_cadre", "待办事项 · 甲公司"),
        ("studio_lead", "我的工作室"),
        ("expert", "我的评审任务"),
        ("viewer", "数据看板"),
    ],
)
def test_each_role_has_its_own_home(world, client_as, role, marker):
    page = client_as(getattr(world, role)).get(reverse("home")).content.decode()
    assert marker in page


def test_the_homes_unread_notifications_name_what_they_are_about(world, client_as):
    """Two notices of the same kind read alike by their titles; the card shows the second line
    (the campaign, the studio) as the full list does."""
    from ..factories import NotificationFactory

    NotificationFactory(recipient=world.hq, title="评选活动已进入专家评分阶段", body="第二届信赖工匠评选")
    NotificationFactory(recipient=world.hq, title="评选活动已进入专家评分阶段", body="2025年度优秀成果评选")
    html = client_as(world.hq).get("/").content.decode()
    assert "第二届信赖工匠评选" in html and "2025年度优秀成果评选" in html


def test_an_empty_list_says_why_and_what_to_do(world, client_as):
    """No rows: with filters, that nothing matches them; without, how to add the first (to those who
    may) — not a bare header row."""
    from django.urls import reverse

    client = client_as(world.hq)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert 'data-testid="empty-list"' in page and "点击“新建”添加第一条" in page
    page = client.get(reverse("studios:studio_list"), {"q": "没有这个工作室"}).content.decode()
    assert 'data-testid="empty-list"' in page and "没有符合筛选条件的记录" in page
    page = client_as(world.viewer).get(reverse("reports:report_list")).content.decode()
    assert "暂无记录。" in page and "新建" not in page.split('data-testid="empty-list"')[1][:200]
    world.studio()
    assert 'data-testid="empty-list"' not in client.get(reverse("studios:studio_list")).content.decode()


def test_the_search_page_without_a_query_says_what_it_searches(world, client_as):
    from django.urls import reverse

    page = client_as(world.studio_lead).get(reverse("core:search")).content.decode()
    assert "输入姓名、工号、专利号" in page and 'data-testid="search-group"' not in page


def test_the_public_showcase_is_found_from_the_sign_in_page_and_speaks_both_languages(db, client):
    from django.urls import reverse

    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("showcase:home")}"' in login and "创新工作室风采展示" in login
    showcase = client.get(reverse("showcase:home")).content.decode()
    assert 'data-testid="showcase-language"' in showcase and 'value="en"' in showcase
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("showcase:home")})
    assert response.status_code == 302 and response["Location"] == reverse("showcase:home")
    showcase = client.get(reverse("showcase:home")).content.decode()
    assert "Innovation studio showcase" in showcase and 'value="zh-hans"' in showcase


def test_hqs_home_compares_the_branches_by_their_named_studios(world, client_as):
    """HQ's home chart: the studios holding the title (named or in rectification) under each branch,
    HQ's own first when it has any; drafts and revoked studios do not count."""
    from collections import Counter

    from studios.selectors import named_studios_per_branch
    from tests.factories import StudioFactory

    def name(unit):
        return unit.short_name or unit.name

    before = Counter(dict(named_studios_per_branch(world.hq)))
    world.studio(status="named", level="company")
    world.studio(status="rectifying", level="company")
    world.studio(status="draft")
    world.studio(status="revoked", level="company")
    StudioFactory(unit=world.plant_b1, status="named", level="company")
    StudioFactory(unit=world.root, status="named", level="company")
    rows = named_studios_per_branch(world.hq)
    assert rows[0][0] == name(world.root), "HQ's own studios first"
    assert Counter(dict(rows)) - before == Counter(
        {name(world.root): 1, name(world.branch_a): 2, name(world.branch_b): 1}
    )
    response = client_as(world.hq).get("/")
    assert response.context["charts"]["studios_per_branch"]["series"][0]["data"] == [n for _label, n in rows]
    assert "chart-studios" in response.content.decode()
    # A cadre's scope starts at its unit: its branches are the units below it.
    assert dict(named_studios_per_branch(world.unit_cadre))[name(world.plant_a1)] >= 2
