"""Guessing ids: nobody learns anything by typing numbers into an address.

For every URL the resolver knows that takes an object id (`<int:pk>` or `<int:…_pk>`), the
permission matrix's builder creates the target object in plant A1 / branch A (the "owner" scope),
and the same builder run on a mirrored world (A and B swapped) creates its twin in B. Then users
of the other scope — branch B's cadre, the other lead and the expert for A's object, branch A's
cadre and A1's lead for B's twin — ask for the object's id, ids ±1…±10 around both, every id of
that model in the database, and an id that never exists, with GET and POST.

The rule, for an id whose object the user may not see (`scope(user, Model)`, the one rule set),
whether it exists or not:

- anonymous → the login page (public pages: 404, as for anyone);
- the view has no handler for the method → 405 (answered before any lookup);
- the matrix says the role is refused on the owner's object with 403 although it does not see
  it → 403 for every id (the role is refused at model level, before any lookup);
- otherwise → 404.

So the answer never depends on whether an id exists in another scope, and no request changes a
row. Ids the user may see are not guesses and are skipped. A new URL with an id is covered
automatically; one the test cannot cover fails with a message naming it.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.permissions import scope

from .matrix import LOGIN
from .test_permission_matrix import MATRIX, _state, all_url_names

# Roles of the other scope, for A's object and for B's twin.
GUESS_A = ("unit_cadre_other", "other_lead", "expert")
GUESS_B = ("unit_cadre", "studio_lead")
SPREAD = range(-10, 11)
NEVER = 10**12  # an id no table reaches

# URL kwargs that are not object ids, with the reason.
NOT_IDS = {
    "training:sign_in": "a signed, expiring token drawn on the room's screen: the signature decides",
    "training:trainee": "a trainee's signed link: the signature decides, there is no lookup by id",
    "training:trainee_certificate": "a trainee's signed link: the signature decides, there is no lookup by id",
}
# URL kwargs that are never object ids, with the reason (a URL made only of these is not guessed).
PLAIN_KWARGS = {
    "year": "a calendar year: a period, not a row",
    "code": "an indicator's code in reports.indicators.INDICATORS: a definition in the code, not a row",
}
# An id kwarg whose model is not the view's `model` nor named by the kwarg: (url, kwarg) → "app.Model".
ID_MODELS: dict[tuple[str, str], str] = {}


def _assessment_in_b(world):
    """A twin assessment of B's named studio (the matrix's builder opens the year's round, which
    exists once)."""
    from studios.models import Assessment, AssessmentRound

    assessment_round, _ = AssessmentRound.objects.get_or_create(year=2025)
    return {"pk": Assessment.objects.create(round=assessment_round, studio=world.other_studio).pk}


# Twins in B for URLs whose matrix builder cannot run twice: url → builder(world) (original world).
TWINS = {
    "studios:assessment_detail": _assessment_in_b,
    "studios:assessment_self": _assessment_in_b,
    "studios:assessment_score": _assessment_in_b,
    "studios:assessment_grade": _assessment_in_b,
}


def _private_neighbours(world):
    """For the showcase: objects of the same kinds that are not public (a studio under review, a
    verified result that is no typical case, its picture), whose ids sit next to the public ones."""
    from .test_permission_matrix import image_of_a1, studio_in

    studio_in("submitted")(world)
    image_of_a1("")(world)  # a verified result that is not a case, with its picture
    image_of_a1("proposed")(world)
    return {}


for _name in ("showcase:studio", "showcase:case", "showcase:image", "showcase:thumbnail"):
    TWINS[_name] = _private_neighbours

# URLs whose object belongs to no unit, so it has no twin in B, with the reason.
NO_TWIN = {
    "studios:batch_detail": "a naming batch is the company's, not a unit's",
    "studios:batch_update": "a naming batch is the company's, not a unit's",
    "studios:batch_name": "a naming batch is the company's, not a unit's",
    "studios:batch_export_xlsx": "a naming batch is the company's, not a unit's",
    "studios:batch_export_pdf": "a naming batch is the company's, not a unit's",
    "studios:round_detail": "an assessment round is the company's, not a unit's",
    "studios:round_close": "an assessment round is the company's, not a unit's",
}


def _public_studios():
    from achievements.showcase import public_studios

    return public_studios()


def _public_cases():
    from achievements.showcase import public_cases

    return public_cases()


def _public_images():
    from achievements.models import ResultImage
    from achievements.showcase import public_cases

    return ResultImage.objects.filter(result__in=public_cases().values("pk"))


# The public showcase: what anyone may see is what the public selectors return.
PUBLIC = {
    "showcase:studio": _public_studios,
    "showcase:case": _public_cases,
    "showcase:image": _public_images,
    "showcase:thumbnail": _public_images,
}


def _view_attr(pattern, name):
    initkwargs = getattr(pattern.callback, "view_initkwargs", {}) or {}
    if name in initkwargs:
        return initkwargs[name]
    return getattr(getattr(pattern.callback, "view_class", None), name, None)


def id_urls() -> dict:
    """{url name: pattern} for every non-admin URL with a kwarg (NOT_IDS included)."""
    return {
        name: pattern
        for name, pattern in all_url_names().items()
        if pattern.pattern.converters and not name.startswith("admin:")
    }


def classify(name, pattern) -> tuple[list[str], list[str]]:
    """(the URL's id kwargs, problems: kwargs that are neither ids nor explained)."""
    from django.urls.converters import IntConverter

    ids, problems = [], []
    for kwarg, converter in pattern.pattern.converters.items():
        if kwarg in PLAIN_KWARGS:
            continue
        if isinstance(converter, IntConverter) and (kwarg == "pk" or kwarg.endswith("_pk")):
            ids.append(kwarg)
        else:
            problems.append(
                f"{name}: URL kwarg {kwarg!r} is neither an object id (<int:pk>, <int:…_pk>) nor listed "
                "in NOT_IDS / PLAIN_KWARGS of tests/test_guessing_ids.py with the reason"
            )
    return ids, problems


def id_kwargs(name, pattern) -> list[str]:
    ids, problems = classify(name, pattern)
    if problems:
        pytest.fail("\n".join(problems))
    return ids


def model_of(name, pattern, kwarg):
    if (name, kwarg) in ID_MODELS:
        return apps.get_model(ID_MODELS[name, kwarg])
    if kwarg == "pk":
        model = _view_attr(pattern, "model")
        if model is None:
            pytest.fail(
                f"{name}: the view has no `model`, so the test cannot tell which rows its <pk> reaches: "
                "declare `model` on the view, or add the URL to ID_MODELS / PUBLIC / NOT_IDS in "
                "tests/test_guessing_ids.py"
            )
        return model
    wanted = kwarg[: -len("_pk")].replace("_", "")
    found = [m for m in apps.get_models() if m._meta.model_name == wanted]
    if len(found) != 1:
        pytest.fail(f"{name}: cannot tell the model of URL kwarg {kwarg!r}; add ({name!r}, {kwarg!r}) to ID_MODELS")
    return found[0]


def mirror(world):
    """The same world with branch A and branch B swapped: a builder run on it makes B's twin."""
    from accounts.choices import Role

    from .factories import StudioFactory, UserFactory

    studio_in_a = StudioFactory(
        name="甲厂镜像工作室", unit=world.plant_a1, lead=world.lead_person, status="named", level="company"
    )
    return dataclasses.replace(
        world,
        branch_a=world.branch_b,
        branch_b=world.branch_a,
        plant_a1=world.plant_b1,
        plant_b1=world.plant_a1,
        unit_cadre=world.unit_cadre_other,
        unit_cadre_other=world.unit_cadre,
        studio_lead=world.other_lead,
        other_lead=world.studio_lead,
        target_lead=UserFactory(username="lead2_b", role=Role.STUDIO_LEAD, unit=world.plant_b1),
        lead_person=world.other_studio.lead,
        other_studio=studio_in_a,
    )


def _guessed_names():
    return sorted(
        name
        for name, pattern in id_urls().items()
        if name not in NOT_IDS and not set(pattern.pattern.converters) <= set(PLAIN_KWARGS)
    )


def test_every_url_with_an_id_is_coverable():
    """A URL with a kwarg is guessed below, or its kwargs are explained (NOT_IDS, PLAIN_KWARGS)."""
    problems = []
    for name, pattern in sorted(id_urls().items()):
        if name in NOT_IDS:
            continue
        problems += classify(name, pattern)[1]
        if name not in _guessed_names():
            continue
        if name not in MATRIX:
            problems.append(f"{name}: no row in the permission matrix (tests/test_permission_matrix.py) to build it")
            continue
        if name in PUBLIC:
            continue
        if _view_attr(pattern, "model") is None and all((name, k) not in ID_MODELS for k in pattern.pattern.converters):
            problems.append(f"{name}: the view declares no `model`; add it to ID_MODELS or PUBLIC or NOT_IDS")
    stale = [name for name in [*NOT_IDS, *PUBLIC, *TWINS, *NO_TWIN] if name not in id_urls()]
    assert not problems, "URLs the id-guessing test cannot cover:\n" + "\n".join(problems)
    assert not stale, f"exceptions for URLs that no longer exist: {stale}"


def _expected(pattern, method, role, row, owner_seen):
    if role == "anonymous":
        return LOGIN
    if not hasattr(pattern.callback.view_class, method):
        return 405
    cell = getattr(row, method)[role]
    if cell == 403 and not owner_seen:
        return 403
    return 404


def _ask(client, method, url, expected):
    response = getattr(client, method)(url)
    if expected == LOGIN:
        ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        ok = response.status_code == expected
    return ok, response.status_code


@pytest.mark.parametrize("name", _guessed_names())
def test_guessed_ids_answer_404_and_change_nothing(name, world):
    pattern = id_urls()[name]
    if name not in MATRIX:
        pytest.fail(f"{name}: no row in the permission matrix (tests/test_permission_matrix.py) to build it")
    row = MATRIX[name]
    owner_kwargs = row.kwargs(world)
    twin_kwargs = None
    if name in TWINS:
        twin_kwargs = {**owner_kwargs, **TWINS[name](world)}
    elif name not in NO_TWIN:
        try:
            with transaction.atomic():
                twin_kwargs = row.kwargs(mirror(world))
        except Exception as error:
            pytest.fail(
                f"{name}: the matrix builder cannot run again on the mirrored world to make B's twin "
                f"({type(error).__name__}: {error}); make the builder repeatable, or add the URL to "
                "TWINS (a builder of its own) or NO_TWIN (with the reason) in tests/test_guessing_ids.py"
            )
    kwargs_names = id_kwargs(name, pattern)
    assert kwargs_names, f"{name}: no id kwarg"
    clients = {}
    for role in ("anonymous", *GUESS_A, *GUESS_B):
        clients[role] = Client()
        if world.user(role) is not None:
            clients[role].force_login(world.user(role))  # signing in writes last_login: before the snapshot

    def client_for(role):
        return clients[role]

    failures, tried, real = [], 0, 0
    before = _state()
    for kwarg in kwargs_names:
        public = PUBLIC.get(name)
        model = public().model if public else model_of(name, pattern, kwarg)
        owner_id = owner_kwargs[kwarg]
        ids = {owner_id + d for d in SPREAD} | {NEVER}
        if twin_kwargs:
            ids |= {twin_kwargs[kwarg] + d for d in SPREAD}
        ids |= set(model._default_manager.values_list("pk", flat=True)[:200])
        ids = sorted(i for i in ids if i > 0)
        roles = ("anonymous", *GUESS_A, *GUESS_B) if public else (*GUESS_A, *GUESS_B)
        for role in roles:
            user = world.user(role)
            if public:
                seen = set(public().filter(pk__in=ids).values_list("pk", flat=True))
                owner_seen = owner_id in seen
            else:
                seen = set(scope(user, model._default_manager.filter(pk__in=ids)).values_list("pk", flat=True))
                owner_seen = scope(user, model._default_manager.filter(pk=owner_id)).exists()
            existing = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
            for guess in ids:
                if guess in seen:
                    continue  # the user's own business: not a guess
                real += guess in existing
                url = reverse(name, kwargs={**owner_kwargs, kwarg: guess})
                for method in ("get", "post"):
                    if public:
                        expected = 405 if method == "post" else 404
                    else:
                        expected = _expected(pattern, method, role, row, owner_seen)
                    ok, status = _ask(client_for(role), method, url, expected)
                    tried += 1
                    if not ok:
                        failures.append(f"{method.upper()} {url} as {role}: {status}, expected {expected}")
        if not public:
            # Anonymous: the login page, whatever the id.
            for guess in (owner_id, twin_kwargs[kwarg] if twin_kwargs else owner_id + 1, NEVER):
                url = reverse(name, kwargs={**owner_kwargs, kwarg: guess})
                for method in ("get", "post"):
                    ok, status = _ask(client_for("anonymous"), method, url, LOGIN)
                    tried += 1
                    if not ok:
                        failures.append(f"{method.upper()} {url} as anonymous: {status}, expected the login page")
    print(f"{name}: {tried} guesses ({real} ids of real objects of another scope)")
    assert not failures, f"{len(failures)} of {tried} guesses answered wrongly:\n" + "\n".join(failures[:40])
    assert _state() == before, f"guessing ids on {name} changed data"


def test_the_rule_does_not_leak_existence_for_a_known_case(world, client_as):
    """A concrete reading of the rule: branch B's cadre gets the same 404 for a studio of A1 as for
    an id that never existed, on the page, the edit form and a transition."""
    studio = world.studio(status="submitted")
    client = client_as(world.unit_cadre_other)
    for url_name in ("studios:studio_detail", "studios:studio_update", "studios:studio_recommend"):
        real = client.get(reverse(url_name, kwargs={"pk": studio.pk}))
        never = client.get(reverse(url_name, kwargs={"pk": NEVER}))
        assert real.status_code == never.status_code == 404
        assert re.sub(r"\d+", "", real.content.decode()) == re.sub(r"\d+", "", never.content.decode())
