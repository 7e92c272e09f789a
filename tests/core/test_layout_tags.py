"""The layout's tags drawn in Python (core.templatetags.portal_layout) give what the template
loops and Django's filter they replace gave."""

from decimal import Decimal

from django.template import Context, Template
from django.utils.html import json_script
from hypothesis import given
from hypothesis import strategies as st

from core.templatetags.portal_layout import json_data, sidebar_entries

# The sidebar as base.html drew it with template loops before sidebar_entries.
LOOPS = Template(
    "{% for section in nav %}"
    '{% if section.label %}<div class="sidebar-heading">{{ section.label }}</div>{% endif %}'
    "{% for item in section.items %}"
    '<a class="nav-link{% if item.active %} active{% endif %}" href="{{ item.url }}"'
    '{% if item.active %} aria-current="page"{% endif %}><i class="bi bi-{{ item.icon }} me-2"></i>'
    "{{ item.label }}</a>{% endfor %}{% endfor %}"
)

texts = st.text(alphabet=st.sampled_from("ab工作室<>&\"' /?=%"), max_size=12)
items = st.fixed_dictionaries({"label": texts, "url": texts, "icon": texts, "active": st.booleans()})
sections = st.lists(
    st.fixed_dictionaries({"label": st.one_of(st.none(), st.just(""), texts), "items": st.lists(items, max_size=4)}),
    max_size=4,
)


@given(sections)
def test_the_sidebar_is_drawn_as_the_template_loops_drew_it(nav):
    drawn = str(sidebar_entries(nav)).replace("\n", "")
    assert drawn == LOOPS.render(Context({"nav": nav}))


def test_the_sidebar_escapes_what_it_shows():
    nav = [{"label": "<b>", "items": [{"label": "<script>", "url": '/"x', "icon": "a&b", "active": True}]}]
    drawn = str(sidebar_entries(nav))
    assert "<b>" not in drawn and "<script>" not in drawn and '/"x' not in drawn
    assert "&lt;script&gt;" in drawn and 'aria-current="page"' in drawn


def test_the_layout_draws_the_sidebar_with_the_tag(rf, world):
    from core.navigation import navigation_for

    nav = navigation_for(world.hq, "/studios/")
    page = Template("{% load portal_layout %}{% sidebar_entries nav %}").render(Context({"nav": nav}))
    assert 'class="nav-link active" href="/studios/" aria-current="page"' in page
    assert page.count('class="nav-link') == sum(len(section["items"]) for section in nav)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.text(),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20,
)


@given(json_values, st.text(alphabet=st.sampled_from('ab-<"&'), min_size=1, max_size=8))
def test_json_data_is_djangos_json_script(value, element_id):
    assert json_data(value, element_id) == json_script(value, element_id)


def test_json_data_cannot_close_its_script():
    drawn = json_data({"name": "</script><script>alert(1)</script>", "amount": Decimal("1.50")}, "data")
    assert drawn.count("</script>") == 1 and "\\u003C/script\\u003E" in drawn and '"1.50"' in drawn


def test_a_text_marked_safe_is_not_mistaken_for_the_same_text_unmarked():
    from django.utils.safestring import mark_safe

    safe = [{"label": None, "items": [{"label": mark_safe("<b>x</b>"), "url": "/a/", "icon": "i", "active": False}]}]
    plain = [{"label": None, "items": [{"label": "<b>x</b>", "url": "/a/", "icon": "i", "active": False}]}]
    assert "<b>x</b>" in sidebar_entries(safe)
    assert "&lt;b&gt;x&lt;/b&gt;" in sidebar_entries(plain)


def _url_names():
    """Every URL name the layout's templates ask `address` for, and a few with arguments."""
    import re
    from pathlib import Path

    from django.conf import settings

    names = set()
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        names.update(re.findall(r"{% address '([^']+)' %}", path.read_text()))
    return sorted(names)


def test_address_gives_what_the_url_tag_gives():
    names = _url_names()
    assert {"home", "logout", "core:search", "password_change"} <= set(names)
    for name in names:
        source = "{% load portal_layout %}{% address '" + name + "' %}|{% url '" + name + "' %}"
        ours, djangos = Template(source).render(Context()).split("|")
        assert ours == djangos, name
    fixed = Template(
        "{% load portal_layout %}{% address 'dashboard:chart_xlsx' 'kpis' %}|{% url 'dashboard:chart_xlsx' 'kpis' %}"
    )
    ours, djangos = fixed.render(Context()).split("|")
    assert ours == djangos


def test_static_file_gives_what_the_static_tag_gives():
    for path in ("css/portal.css", "vendor/htmx/htmx.min.js", "img/favicon.svg", "a b&c.js"):
        source = "{% load static portal_layout %}{% static_file '" + path + "' %}|{% static '" + path + "' %}"
        ours, djangos = Template(source).render(Context()).split("|")
        assert ours == djangos, path


def test_static_file_follows_the_static_address(settings):
    settings.STATIC_URL = "/elsewhere/"
    drawn = Template("{% load portal_layout %}{% static_file 'css/portal.css' %}").render(Context())
    assert drawn.startswith("/elsewhere/css/portal")
