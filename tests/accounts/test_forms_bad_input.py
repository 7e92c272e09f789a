"""Bad input on every accounts form (sign-in, password, units, accounts, own profile): refused next
to the field in Chinese with nothing written, or accepted and shown escaped. See tests/bad_input.py."""

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
    NON_FIELD,
    NUL_TEXT,
    RARE_CJK,
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
)
from ..factories import TEST_PASSWORD, UnitFactory

pytestmark = pytest.mark.django_db


def _pk(name):
    return lambda ctx: getattr(ctx.world, name).pk


def full_width(number) -> str:
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def inactive_unit(ctx):
    return UnitFactory(name="撤销的车间", code="OLD1", parent=ctx.world.branch_a, is_active=False).pk


# Sign-in ------------------------------------------------------------------------------------------
# A refused sign-in is recorded by django-axes (its own table), never by the portal's tables. A
# username longer than axes' column was a 500 on PostgreSQL: the form now refuses one longer than
# an account's, and axes records any it gets (Django's admin sign-in) cut to its column.

LOGIN = bi.FormSpec(
    url="login",
    actor=None,
    good={"username": "lead", "password": TEST_PASSWORD},
    cases=[
        bad("no username", EMPTY, username=""),
        bad("no password", EMPTY, password=""),
        bad("nothing", EMPTY, {}, replace=True, at=None),
        bad("blank username", EMPTY, username=WHITESPACE),
        bad("wrong password", WRONG_TYPE, password="wrong-horse-battery", at=NON_FIELD),
        bad("unknown user", SCOPE, username="nobody", at=NON_FIELD),
        bad("username too long", TOO_LONG, username="u" * 151),
        bad("username of ten thousand", TOO_LONG, username="长" * 10_000),
        bad("password of ten thousand", TOO_LONG, password="p" * 10_000),
        bad("SQL as username", SQL, username="' OR '1'='1' --", at=NON_FIELD),
        bad("SQL as password", SQL, password="' OR '1'='1' --", at=NON_FIELD),
        bad("SQL drop as username", SQL, username=SQL_TEXT, at=NON_FIELD),
        bad("script as username", HTML, username=SCRIPT, at=NON_FIELD),
        bad("image tag as username", HTML, username=IMG, at=NON_FIELD),
        bad("emoji and rare CJK username", UNICODE, username=UNICODE_TEXT, at=NON_FIELD),
        bad("NUL in username", UNICODE, username="le\x00ad"),
        bad("NUL in password", UNICODE, password="correct\x00horse"),
        bad("username with a zero-width joiner", UNICODE, username="le\u200dad", at=NON_FIELD),
        bad("username with a right-to-left mark", UNICODE, username="\u200flead", at=NON_FIELD),
        bad("password twice, the last wrong", DUPLICATE, password=[TEST_PASSWORD, "wrong"], at=NON_FIELD),
        bad("username twice, the last unknown", DUPLICATE, username=["lead", "nobody"], at=NON_FIELD),
        bad("inactive account", SCOPE, username="inactive", at=NON_FIELD),
        bad("an e-mail address as username", SCOPE, username="lead@example.com", at=NON_FIELD),
        ok("full-width username: the same name once normalised (NFKC)", WRONG_TYPE, username="ｌｅａｄ"),
        bad("password with a trailing space", WRONG_TYPE, password=TEST_PASSWORD + " ", at=NON_FIELD),
    ],
)


# Password change ----------------------------------------------------------------------------------

NEW_PASSWORD = "Quiet-Lathe-Morning-2026"
SHORT = "Lathe-20261"
PASSWORD = bi.FormSpec(
    url="password_change",
    actor="studio_lead",
    good={"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    cases=[
        bad("no old password", EMPTY, old_password=""),
        bad("wrong old password", WRONG_TYPE, old_password="not-my-password"),
        bad("no new password", EMPTY, new_password1="", new_password2="", at="new_password1"),
        bad("no confirmation", EMPTY, new_password2=""),
        bad("confirmation differs", DUPLICATE, new_password2=NEW_PASSWORD + "x"),
        bad(
            "eleven characters", TOO_LONG, new_password1="Lathe-20261", new_password2="Lathe-20261", at="new_password2"
        ),
        bad("a common password", WRONG_TYPE, new_password1="password1234", new_password2="password1234", at=None),
        bad("digits only", WRONG_TYPE, new_password1="202620262026", new_password2="202620262026", at=None),
        bad(
            "the e-mail address as password",
            DUPLICATE,
            new_password1="lead@example.com",
            new_password2="lead@example.com",
            at="new_password2",
        ),
        bad("NUL in the new password", UNICODE, new_password1=NUL_TEXT * 4, new_password2=NUL_TEXT * 4, at=None),
        bad("NUL in the old password", UNICODE, old_password=TEST_PASSWORD + "\x00"),
        bad("SQL as the old password", SQL, old_password=SQL_TEXT),
        bad("script as the old password", HTML, old_password=SCRIPT),
        bad("whitespace only", EMPTY, new_password1=WHITESPACE, new_password2=WHITESPACE, at=None),
        bad(
            "new password twice, the last short",
            DUPLICATE,
            new_password1=[NEW_PASSWORD, "short"],
            new_password2=[NEW_PASSWORD, "short"],
            at="new_password2",
        ),
        bad("old password of ten thousand", TOO_LONG, old_password="p" * 10_000),
        bad("emoji old password", UNICODE, old_password=UNICODE_TEXT),
        ok("script in the new password", HTML, new_password1=MARKUP, new_password2=MARKUP),
        ok("SQL in the new password", SQL, new_password1=SQL_TEXT, new_password2=SQL_TEXT),
        ok("rare CJK and emoji password", UNICODE, new_password1=UNICODE_TEXT * 3, new_password2=UNICODE_TEXT * 3),
        any_("a password of ten thousand", TOO_LONG, new_password1="长" * 10_000, new_password2="长" * 10_000),
        bad("confirmation in full-width", WRONG_TYPE, new_password2="Ｑuiet-Lathe-Morning-2026"),
        bad("confirmation with a zero-width joiner", UNICODE, new_password2=NEW_PASSWORD + "\u200d"),
        bad("old password with a trailing space", WRONG_TYPE, old_password=TEST_PASSWORD + " "),
        bad("everything empty", EMPTY, {}, replace=True, at=None),
    ],
)


# Units --------------------------------------------------------------------------------------------

GOOD_UNIT = {
    "parent": _pk("branch_a"),
    "name": "机加车间",
    "short_name": "机加",
    "code": "A-MC1",
    "kind": "workshop",
    "union_name": "机加车间工会",
}
UNIT_CREATE = bi.FormSpec(
    url="accounts:unit_create",
    actor="hq",
    good=GOOD_UNIT,
    cases=[
        bad("no name", EMPTY, name=""),
        bad("blank name", EMPTY, name=WHITESPACE),
        bad("name too long", TOO_LONG, name="车" * 101),
        bad("name of ten thousand", TOO_LONG, name="车" * 10_000),
        bad("no code", EMPTY, code=""),
        bad("code taken", DUPLICATE, code="A1"),
        bad("code taken in another case", DUPLICATE, code="a1"),
        bad("code with spaces", WRONG_TYPE, code="A MC"),
        bad("code too long", TOO_LONG, code="C" * 33),
        bad("Chinese code", UNICODE, code="机加"),
        bad("script as code", HTML, code=SCRIPT),
        bad("SQL as code", SQL, code=SQL_TEXT),
        bad("emoji code", UNICODE, code="MC😀"),
        bad("unknown kind", CHOICE, kind="galaxy"),
        bad("kind as script", HTML, kind=SCRIPT),
        bad("no parent", EMPTY, parent=""),
        bad("parent not a number", WRONG_TYPE, parent="abc"),
        bad("unknown parent", SCOPE, parent="999999"),
        bad("parent id out of range", WRONG_TYPE, parent=HUGE),
        bad("parent as SQL", SQL, parent=SQL_OR),
        bad("an inactive parent", SCOPE, parent=inactive_unit),
        bad("short name too long", TOO_LONG, short_name="短" * 41),
        bad("union name too long", TOO_LONG, union_name="会" * 121),
        bad("NUL in the name", UNICODE, name=NUL_TEXT),
        bad("code twice, the last taken", DUPLICATE, code=["A-MC1", "A"]),
        ok("script in the name", HTML, name=MARKUP),
        ok("SQL in the union name", SQL, union_name=SQL_TEXT),
        ok("rare CJK and emoji in the name", UNICODE, name="𠮷野家" + UNICODE_TEXT),
    ],
)


def plant_a1(world):
    return world.plant_a1


GOOD_UNIT_EDIT = {k: v for k, v in GOOD_UNIT.items() if k != "parent"} | {"code": "A1", "is_active": "on"}
UNIT_UPDATE = bi.FormSpec(
    url="accounts:unit_update",
    actor="hq",
    target=plant_a1,
    good=GOOD_UNIT_EDIT,
    cases=[
        bad("edit: no name", EMPTY, name=""),
        bad("edit: code of another unit", DUPLICATE, code="B1"),
        bad("edit: code too long", TOO_LONG, code="C" * 33),
        bad("edit: unknown kind", CHOICE, kind="moon"),
        bad("edit: NUL in the union name", UNICODE, union_name=NUL_TEXT),
        ok("edit: script in the short name", HTML, short_name=SCRIPT),
    ],
)

UNIT_MOVE = bi.FormSpec(
    url="accounts:unit_move",
    actor="hq",
    target=plant_a1,
    good={"new_parent": _pk("branch_b")},
    cases=[
        bad("no new parent", EMPTY, new_parent=""),
        bad("new parent not a number", WRONG_TYPE, new_parent="abc"),
        bad("unknown new parent", SCOPE, new_parent="999999"),
        bad("negative id", WRONG_TYPE, new_parent="-1"),
        bad("id out of range", WRONG_TYPE, new_parent=HUGE),
        bad("fractional id", WRONG_TYPE, new_parent="1.5"),
        ok(
            "full-width digits: the same id",
            WRONG_TYPE,
            new_parent=lambda c: full_width(c.world.branch_b.pk),
        ),
        bad("SQL as the new parent", SQL, new_parent=SQL_OR),
        bad("script as the new parent", HTML, new_parent=SCRIPT),
        bad("emoji as the new parent", UNICODE, new_parent="😀"),
        bad("rare CJK as the new parent", UNICODE, new_parent=RARE_CJK),
        bad("itself", SCOPE, new_parent=lambda c: c.obj.pk),
        bad("an inactive unit", SCOPE, new_parent=inactive_unit),
        bad("new parent twice, the last itself", DUPLICATE, new_parent=lambda c: [c.world.branch_b.pk, c.obj.pk]),
        bad("moving the top unit", SCOPE, target=lambda w: w.root, new_parent=_pk("branch_a")),
        bad("the unit below itself", SCOPE, target=lambda w: w.branch_a, new_parent=_pk("plant_a1")),
        bad("a text of ten thousand", TOO_LONG, new_parent="1" * 10_000),
        bad("NUL in the id", UNICODE, new_parent=lambda c: f"{c.world.branch_b.pk}\x00"),
        bad("blank", EMPTY, new_parent=WHITESPACE),
        bad("a list", WRONG_TYPE, new_parent="[1, 2]"),
        bad("zero", WRONG_TYPE, new_parent="0"),
        bad("a date", DATE_ORDER, new_parent="2024-01-01"),
        bad("exponent", WRONG_TYPE, new_parent="1e309"),
    ],
)


# Accounts -----------------------------------------------------------------------------------------

GOOD_USER = {
    "username": "new.lead",
    "name": "新牵头人",
    "role": "studio_lead",
    "unit": _pk("plant_a1"),
    "email": "new.lead@example.com",
    "phone": "0551-1234567",
}
USER_CREATE = bi.FormSpec(
    url="accounts:user_create",
    actor="unit_cadre",
    good=GOOD_USER,
    cases=[
        bad("no username", EMPTY, username=""),
        bad("username taken", DUPLICATE, username="lead"),
        bad("username taken in capitals", DUPLICATE, username="LEAD"),
        bad("username with a space", WRONG_TYPE, username="new lead"),
        bad("Chinese username", UNICODE, username="新用户"),
        bad("username too long", TOO_LONG, username="u" * 151),
        bad("script as username", HTML, username=SCRIPT),
        bad("SQL as username", SQL, username=SQL_TEXT),
        bad("no name", EMPTY, name=""),
        bad("blank name", EMPTY, name=WHITESPACE),
        bad("name too long", TOO_LONG, name="名" * 51),
        bad("name of ten thousand", TOO_LONG, name="名" * 10_000),
        bad("NUL in the name", UNICODE, name=NUL_TEXT),
        bad("role not offered to a unit cadre", CHOICE, role="hq_cadre"),
        bad("unknown role", CHOICE, role="superuser"),
        bad("no unit", EMPTY, unit=""),
        bad("unit of another branch", SCOPE, unit=_pk("plant_b1")),
        bad("unit not a number", WRONG_TYPE, unit="abc"),
        bad("unknown unit", SCOPE, unit="999999"),
        bad("bad e-mail", WRONG_TYPE, email="not-mail"),
        bad("e-mail too long", TOO_LONG, email="a" * 250 + "@example.com"),
        bad("script in the e-mail", HTML, email="<script>@example.com"),
        bad("phone in words", WRONG_TYPE, phone="call me"),
        bad("phone too long", TOO_LONG, phone="1" * 21),
        bad("username twice, the last taken", DUPLICATE, username=["new.lead", "lead"]),
        ok("script in the name", HTML, name=SCRIPT[:50]),
        ok("image tag in the name", HTML, name=IMG),
        ok("rare CJK and emoji in the name", UNICODE, name="吉" + UNICODE_TEXT),
        ok("SQL in the name", SQL, name=SQL_TEXT),
    ],
)


def target_lead(world):
    return world.target_lead


USER_UPDATE = bi.FormSpec(
    url="accounts:user_update",
    actor="unit_cadre",
    target=target_lead,
    good={k: v for k, v in GOOD_USER.items() if k != "username"},
    cases=[
        bad("edit: no name", EMPTY, name=""),
        bad("edit: unit of another branch", SCOPE, unit=_pk("plant_b1")),
        bad("edit: role not offered", CHOICE, role="viewer"),
        bad("edit: phone with letters", WRONG_TYPE, phone="0551-abc"),
        bad("edit: NUL in the e-mail", UNICODE, email="a\x00@example.com"),
        ok("edit: script in the name", HTML, name=IMG),
    ],
)


PROFILE = bi.FormSpec(
    url="accounts:profile",
    actor="studio_lead",
    good={"name": "甲牵头人", "email": "lead@example.com", "phone": "13800000000"},
    cases=[
        bad("blank name", EMPTY, name=WHITESPACE),
        bad("name too long", TOO_LONG, name="名" * 51),
        bad("name of ten thousand", TOO_LONG, name="名" * 10_000),
        bad("NUL in the name", UNICODE, name=NUL_TEXT),
        bad("e-mail without a domain", WRONG_TYPE, email="lead@"),
        bad("e-mail too long", TOO_LONG, email="a" * 250 + "@example.com"),
        bad("e-mail with a script", HTML, email=SCRIPT),
        bad("e-mail as SQL", SQL, email=SQL_TEXT),
        bad("e-mail with emoji", UNICODE, email="😀@example.com"),
        bad("phone too short", WRONG_TYPE, phone="123"),
        bad("phone too long", TOO_LONG, phone="1" * 21),
        bad("phone with a script", HTML, phone=SCRIPT),
        bad("phone as SQL", SQL, phone="1; DROP TABLE accounts_user"),
        bad("phone in full-width digits", WRONG_TYPE, phone="１３８００００００００"),
        bad("name twice, the last blank", DUPLICATE, name=["甲牵头人", ""]),
        bad("phone twice, the last letters", DUPLICATE, phone=["13800000000", "call me"]),
        bad("phone with NUL", UNICODE, phone="13800000000\x00"),
        bad("e-mail of ten thousand", TOO_LONG, email="a" * 10_000 + "@example.com"),
        bad("e-mail with a right-to-left mark", UNICODE, email="lead\u200f@example.com"),
        ok("script in the name", HTML, name=SCRIPT[:50]),
        ok("image tag in the name", HTML, name=IMG),
        ok("SQL in the name", SQL, name=SQL_TEXT),
        ok("rare CJK, emoji, joiner and RTL mark in the name", UNICODE, name="吉" + UNICODE_TEXT),
    ],
)


# Steps on an account (a comment, required for a deactivation) --------------------------------------

DEACTIVATE = bi.FormSpec(
    url="accounts:user_deactivate",
    actor="unit_cadre",
    target=target_lead,
    good={"comment": "调离岗位"},
    fuzz=False,
    cases=[
        bad("deactivate: no reason", EMPTY, comment=""),
        bad("deactivate: blank reason", EMPTY, comment=WHITESPACE),
        bad("deactivate: reason too long", TOO_LONG, comment="因" * 2001),
        bad("deactivate: NUL in the reason", UNICODE, comment=NUL_TEXT),
        bad("deactivate: reason twice, the last blank", DUPLICATE, comment=["调离", " "]),
        ok("deactivate: script in the reason", HTML, comment=MARKUP),
    ],
)


def test_an_over_long_username_on_the_admin_sign_in_is_recorded_cut(client):
    from axes.models import AccessAttempt

    response = client.post(reverse("admin:login"), {"username": "长" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [255]


SPECS = [LOGIN, PASSWORD, UNIT_CREATE, UNIT_UPDATE, UNIT_MOVE, USER_CREATE, USER_UPDATE, PROFILE, DEACTIVATE]


@pytest.fixture
def inactive_account(db):
    from accounts.choices import Role

    from ..factories import UserFactory

    return UserFactory(username="inactive", role=Role.STUDIO_LEAD, is_active=False)


@pytest.mark.usefixtures("inactive_account")
class TestForms(bi.Battery):
    """The battery of tests/bad_input.py over this module's forms."""

    specs = SPECS
