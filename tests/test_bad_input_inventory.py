"""The inventory of the bad-input battery (issue #8): every form the portal serves — found by walking
the URL resolver, each view's `form_class` and every form class its methods build — has its spec
in a tests/**/test_*bad_input*.py module, at least 25 hand-written bad inputs covering the
categories that apply to its fields, and a hypothesis binding run with 200 examples; and no text
field of any form is without a bound.

A new form without cases fails here, naming the form and its URL. See tests/bad_input.py.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest
from hypothesis import settings as hypothesis_settings

from . import bad_input as bi

SPECS, LEGACY = bi.registry()


def _cases_by_form():
    cases = defaultdict(list)  # form key → [(url, label, categories)]
    for spec in SPECS:
        for case in spec.cases:
            cases[spec.key].append((spec.url, case.label, case.cats))
    for entry in LEGACY:
        cases[entry.key].append((entry.url, entry.label, entry.cats))
    return cases


def test_every_form_the_portal_serves_has_its_bad_inputs():
    served = bi.served_forms()
    cases = _cases_by_form()
    covered = {(spec.key, spec.url) for spec in SPECS} | {(key, url) for key, rows in cases.items() for url, *_ in rows}
    missing = [
        f"{key} at {url}" for key, pages in sorted(served.items()) for url in sorted(pages) if (key, url) not in covered
    ]
    assert not missing, "Forms without bad-input cases (add a FormSpec in tests/<app>/test_forms_bad_input.py):\n" + (
        "\n".join(missing)
    )


def test_no_spec_names_a_page_or_form_that_is_gone():
    served = bi.served_forms()
    stale = [spec.ident() for spec in SPECS if spec.url not in served.get(spec.key, {})]
    stale += [f"{e.url}: {e.label}" for e in LEGACY if e.url and e.url not in served.get(e.key, {})]
    assert not stale, f"Bad-input cases for pages or forms that no longer exist: {stale}"


def test_every_form_is_fuzzed_with_200_examples():
    fuzzed = {spec.key for spec in SPECS if spec.fuzz}
    missing = sorted(set(bi.served_forms()) - fuzzed)
    assert not missing, f"Forms without a hypothesis binding (a FormSpec with fuzz=True): {missing}"
    assert hypothesis_settings.get_profile("ci").max_examples >= 200


def _one_spec_per_form():
    chosen = {}
    for spec in SPECS:
        if spec.fuzz and spec.key not in chosen:
            chosen[spec.key] = spec
    return [pytest.param(spec, id=key) for key, spec in sorted(chosen.items())]


@pytest.mark.parametrize("spec", _one_spec_per_form())
def test_cases_cover_the_categories_that_apply(spec, world, client_as):
    """At least 25 cases (3 for a form without fields), and every category of issue #8 that the
    form's fields can receive (no negative-money case for a form without money)."""
    binding = bi.bind(spec, world, client_as)
    form = binding.build(None, None)
    rows = _cases_by_form()[spec.key]
    minimum = bi.MIN_CASES if form.fields else bi.MIN_CASES_FIELDLESS
    assert len(rows) >= minimum, f"{spec.key}: {len(rows)} hand-written bad inputs, fewer than {minimum}"
    present = set().union(*(cats for *_, cats in rows)) if rows else set()
    lacking = bi.applicable_categories(form) - present
    assert not lacking, f"{spec.key}: no case for {sorted(lacking)} (fields: {list(form.fields)})"


@pytest.mark.parametrize("spec", _one_spec_per_form())
def test_every_text_field_has_a_bound(spec, world, client_as):
    """No form takes free text of any length: each text field has a max_length (from its model's
    field or its own), which bad_input.too_long_checks exceeds by one character through the page."""
    form = bi.bind(spec, world, client_as).build(None, None)
    unbounded = bi.unbounded_text_fields(form)
    assert not unbounded, f"{spec.key}: text fields without a bound: {unbounded}"


def test_figures(artifacts_dir):
    """Writes the battery's figures (forms, cases per form) for the README's reliability section."""
    cases = _cases_by_form()
    served = bi.served_forms()
    counts = sorted(len(cases.get(key, [])) for key in served)
    lines = [
        f"forms served: {len(served)}",
        f"pages with a form: {len({url for pages in served.values() for url in pages})}",
        f"hand-written bad inputs: {sum(counts)}",
        f"per form: min {counts[0]}, median {statistics.median(counts)}, max {counts[-1]}",
        f"hypothesis examples per form: {hypothesis_settings.get_profile('ci').max_examples}",
        "",
        *(f"{len(cases.get(key, [])):4d}  {key}" for key in sorted(served)),
    ]
    (artifacts_dir / "bad_input_inventory.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
