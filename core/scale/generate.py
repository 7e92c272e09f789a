"""The national-scale synthetic data of `manage.py seed_scale`.

The tree: a national root (中华全国总工会) → provinces (their 总工会, real names) → cities or
districts (their 总工会) → companies (enterprises) → plants (分厂/车间), the leaves, which hold
the studios. Tier S is one company's worth of studios (500, in 湖北), tier P one province
(4,000, 湖北), tier N the nation (120,000 across the 31 provinces, shared by their size).

Everything is made province by province, company by company, studio by studio: a studio's
people, team, level history, projects, results, pairings, funding and assessments are written
together; a company's training classes after its studios; a province's alliances, its province
classes and its selection campaigns after its companies. Only small per-province arrays (the
studio ids, units and leads alliances and campaigns draw on) outlive a company, so memory is
bounded by the writer's batches and one province's arrays, never by the tier.

The data covers ten years ending last year, plus this year up to today (the applications in
review, the classes under way). It is deterministic for a seed and a date: each province draws
from its own random generator seeded with (seed, province code).

The first three studios of every province have fixed roles, so that even a tiny run
(`--scale 0.01`) gives every indicator of reports/indicators.py a non-zero figure for last year:
a long-standing provincial studio busy every year ("flagship"), a studio named last year, and one
revoked last year.
"""

from __future__ import annotations

import bisect
import datetime
import math
import random
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext

from . import words
from .writer import Sink, Table

ROOT_CODE = "ACFTU"
ROOT_NAME = "中华全国总工会"
USER_PREFIX = "scale_"
PASSWORD = "scale-pass-2026"  # noqa: S105 - the published password of the synthetic logins (README)

# Shape of the tree.
STUDIOS_PER_COMPANY = 48
COMPANIES_PER_CITY = 8
STUDIOS_PER_PLANT = 6
STUDIOS_PER_ALLIANCE = 30
# Companies are written in groups of about this many studios, one transaction per group.
STUDIOS_PER_TRANSACTION = 400

# Rates per studio and active year (an active year: from the studio's founding, at the earliest the
# first of the ten years, to this year, or to its revocation).
PROJECTS_PER_YEAR = 1.0
RESULTS_PER_YEAR = 2.62
PAIRINGS_PER_YEAR = 1.31
PEOPLE_EXTRA = (2, 3)  # workers of the plant besides the team: apprentices, trainees
TEAM_SIZE = (5, 10)
CLASS_SIZE = (24, 42)
STUDIOS_PER_CLASS = 40  # a company runs about one class a year per this many studios

STATUS_WEIGHTS = (
    ("named", 74.0),
    ("rectifying", 2.0),
    ("revoked", 8.0),
    ("draft", 2.0),
    ("submitted", 3.0),
    ("recommended", 2.0),
    ("publicised", 1.5),
    ("returned", 2.0),
    ("rejected", 3.5),
)
# The level a named studio holds now: ≈0.3% national, 17% provincial (the union's real mix).
LEVEL_WEIGHTS = (("national", 0.3), ("provincial", 17.0), ("city", 9.0), ("company", 44.0), ("unit", 29.7))
LEVEL_RANK = {"unit": 1, "company": 2, "city": 3, "provincial": 4, "national": 5}
CATEGORY_WEIGHTS = (
    ("utility_model", 20),
    ("technical_innovation", 18),
    ("process_improvement", 15),
    ("qc_result", 12),
    ("suggestion", 10),
    ("invention_patent", 6),
    ("operating_method", 5),
    ("paper", 5),
    ("software_copyright", 3),
    ("standard", 2),
    ("construction_method", 2),
    ("design_patent", 2),
)
PATENT_TYPE = {"invention_patent": "1", "utility_model": "2", "design_patent": "3"}
BENEFIT_CATEGORIES = {
    "utility_model",
    "invention_patent",
    "technical_innovation",
    "process_improvement",
    "qc_result",
    "suggestion",
    "operating_method",
}
GRADES = (
    "junior",
    "intermediate",
    "senior",
    "technician",
    "senior_technician",
    "master_technician",
    "chief_technician",
)
REVOCATION_REASONS = (
    ("failed_assessment", 35),
    ("lead_retired", 30),
    ("lead_moved", 15),
    ("unit_closed", 8),
    ("merged", 8),
    ("other", 4),
)
END_REASONS = ("mentor_left", "mentor_retired", "apprentice_transferred", "apprentice_left", "other")
FUNDING_SOURCES_LATER = ("special", "reward", "unit_match", "union_grant")
FUNDING_USES = (("equipment", 35), ("projects", 30), ("training", 20), ("publicity", 8), ("other", 7))
ASSESSMENT_GRADES = (("excellent", 20), ("good", 45), ("pass", 33), ("fail", 2))
CRAFTSMAN_CAMPAIGN_YEARS = (8, 6, 4, 2, 0)  # years before last year
RESULT_CAMPAIGN_YEARS = (7, 5, 3, 1)
CHINESE_ORDINALS = "一二三四五六七八九十"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Tier:
    code: str
    studios: int
    provinces: tuple[str, ...]
    description: str


TIERS = {
    "S": Tier("S", 500, ("HB",), "one company's worth: 500 studios in 湖北"),
    "P": Tier("P", 4_000, ("HB",), "one province: 4,000 studios in 湖北"),
    "N": Tier("N", 120_000, tuple(p[0] for p in words.PROVINCES), "the nation: 120,000 studios in 31 provinces"),
}


def scale_models() -> dict:
    """The models the scale data fills, by the generator's name for them, parents before children
    (the order buffers are written in at the end of a transaction)."""
    from accounts.models import Unit, User
    from achievements.models import Adoption, Award, Contributor, Milestone, Project, Result
    from alliances.models import Activity, Alliance, AllianceFundingEntry, AllianceMember, Designation, DesignationBatch
    from mentoring.models import GraduationAssessment, Pairing, Placement, ProgressLog
    from studios.models import Assessment, AssessmentRound, FundingEntry, LevelRecord, Membership, NamingBatch, Studio
    from talent.models import (
        Campaign,
        Criterion,
        Honour,
        Nomination,
        PanelMember,
        Person,
        Scorecard,
        ScoreItem,
        SkillGradeChange,
    )
    from training.models import Attendance, Enrolment, Feedback, Session, TrainingClass

    return {
        "unit": Unit,
        "user": User,
        "campaign": Campaign,
        "criterion": Criterion,
        "panel": PanelMember,
        "naming_batch": NamingBatch,
        "round": AssessmentRound,
        "designation_batch": DesignationBatch,
        "person": Person,
        "grade_change": SkillGradeChange,
        "honour": Honour,
        "studio": Studio,
        "membership": Membership,
        "level_record": LevelRecord,
        "funding": FundingEntry,
        "assessment": Assessment,
        "project": Project,
        "project_team": Project.team.through,
        "project_partner": Project.partner_studios.through,
        "milestone": Milestone,
        "result": Result,
        "contributor": Contributor,
        "adoption": Adoption,
        "award": Award,
        "alliance": Alliance,
        "alliance_member": AllianceMember,
        "designation": Designation,
        "activity": Activity,
        "activity_studio": Activity.studios.through,
        "activity_person": Activity.people.through,
        "alliance_funding": AllianceFundingEntry,
        "pairing": Pairing,
        "graduation": GraduationAssessment,
        "progress": ProgressLog,
        "placement": Placement,
        "training_class": TrainingClass,
        "session": Session,
        "enrolment": Enrolment,
        "attendance": Attendance,
        "feedback": Feedback,
        "nomination": Nomination,
        "scorecard": Scorecard,
        "score_item": ScoreItem,
    }


class Weighted:
    """Items with weights, drawn by bisection on the cumulative weights."""

    def __init__(self, pairs):
        self.items = [item for item, _weight in pairs]
        self.cum = []
        total = 0.0
        for _item, weight in pairs:
            total += weight
            self.cum.append(total)
        self.total = total


class Rand(random.Random):
    """random.Random with cheaper draws (one random() each) and the helpers the generator uses."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def pick(self, table: Weighted):
        return table.items[bisect.bisect(table.cum, self.random() * table.total)]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        limit, k, p = math.exp(-lam), 0, self.random()
        while p > limit:
            k += 1
            p *= self.random()
        return k

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=int(self.random() * ((end - start).days + 1)))


STATUS = Weighted(STATUS_WEIGHTS)
LEVEL = Weighted(LEVEL_WEIGHTS)
CATEGORY = Weighted(CATEGORY_WEIGHTS)
REVOCATION = Weighted(REVOCATION_REASONS)
FUNDING_USE = Weighted(FUNDING_USES)
ASSESSMENT_GRADE = Weighted(ASSESSMENT_GRADES)
SURNAME = Weighted(words.SURNAMES)
KIND = Weighted(words.STUDIO_KIND_WEIGHTS)
TERM = Weighted(((12, 55), (24, 25), (6, 8), (36, 12)))
SINGLE_MALE = [c for c in words.GIVEN_MALE if len(c) == 1]
SINGLE_FEMALE = [c for c in words.GIVEN_FEMALE if len(c) == 1]
DAY = datetime.timedelta(days=1)


def allocate(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split `total` into len(weights) whole parts in proportion to the weights (largest
    remainders), each at least `minimum` when the total allows it."""
    n = len(weights)
    if n == 0:
        return []
    floor = minimum if total >= minimum * n else 0
    rest = total - floor * n
    scale = sum(weights) or 1.0
    shares = [rest * w / scale for w in weights]
    parts = [int(s) for s in shares]
    left = rest - sum(parts)
    for i in sorted(range(n), key=lambda i: parts[i] - shares[i])[:left]:
        parts[i] += 1
    return [p + floor for p in parts]


@dataclass
class ProvinceState:
    """What a province's alliances, classes and campaigns draw on: one entry per named studio."""

    studio: array = field(default_factory=lambda: array("q"))
    unit: array = field(default_factory=lambda: array("q"))
    lead: array = field(default_factory=lambda: array("q"))
    people_start: array = field(default_factory=lambda: array("q"))
    people_count: array = field(default_factory=lambda: array("l"))
    company: array = field(default_factory=lambda: array("l"))
    named_on: array = field(default_factory=lambda: array("l"))  # date ordinal
    results: dict = field(default_factory=dict)  # year → a sample of (result id, unit id)


class Loader:
    """Writes one tier through a Sink. `run()` is the whole load; `log` receives progress lines."""

    def __init__(
        self,
        *,
        tier: Tier,
        scale: float = 1.0,
        seed: int = 2026,
        sink: Sink,
        today: datetime.date,
        password_hash: str,
        log: Callable[[str], None] = lambda line: None,
        atomic: Callable | None = None,
    ):
        self.tier = tier
        self.scale = scale
        self.seed = seed
        self.sink = sink
        self.today = today
        self.password_hash = password_hash
        self.log = log
        self.atomic = atomic
        self.last_year = today.year - 1
        self.first_year = self.last_year - 9
        self.years = range(self.first_year, self.last_year + 1)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        # The start of today, not the clock: the data depends on the seed and the date only.
        self.now = datetime.datetime(today.year, today.month, today.day, tzinfo=self.tz)
        self.t = self._tables()
        self.studios_written = 0
        self.kinds, self.project_kinds = _kinds()
        self.eligibility_labels = eligibility_labels()

    # ---------------------------------------------------------------------------------- setup

    def _tables(self) -> SimpleNamespace:
        models = scale_models()
        tables = SimpleNamespace()
        for key, model in models.items():
            setattr(tables, key, self.sink.register(Table(model)))
        maxima = {}
        for table in self.sink.tables:
            maxima[table.label] = table.model.objects.aggregate(top=Max("pk"))["top"] or 0
            table.next_id = table.first_id = maxima[table.label] + 1
        return tables

    def rng(self, *key) -> Rand:
        return Rand(":".join(str(k) for k in (self.seed, *key)))

    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def clip(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)

    def year_day(self, rng: Rand, year: int, *, until: datetime.date | None = None) -> datetime.date:
        end = datetime.date(year, 12, 31)
        if until is not None:
            end = min(end, until)
        return rng.day(datetime.date(year, 1, 1), min(end, self.today))

    def share(self, year: int) -> float:
        """The part of `year` that has passed (1 for past years)."""
        if year < self.today.year:
            return 1.0
        return self.today.timetuple().tm_yday / 366

    def _transaction(self):
        from contextlib import nullcontext

        return self.atomic() if self.atomic else nullcontext()

    def commit(self):
        self.sink.flush_all()

    # ---------------------------------------------------------------------------------- the run

    def run(self) -> None:
        provinces = {p[0]: p for p in words.PROVINCES}
        specs = [provinces[code] for code in self.tier.provinces]
        total = max(len(specs) * 3, round(self.tier.studios * self.scale))
        counts = allocate(total, [spec[5] for spec in specs], minimum=3)
        with self._transaction():
            self._national(len(specs))
            self.commit()
        for index, (spec, studios) in enumerate(zip(specs, counts, strict=True)):
            self._province(index, spec, studios)

    def _national(self, provinces: int) -> None:
        from accounts.models import Unit
        from studios.models import AssessmentRound

        t = self.t
        last_root = Unit.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
        position = (Unit._str2int(last_root) + 1) if last_root else 1
        self.root_id = t.unit.new_id()
        self.root_path = Unit._get_path(None, 1, position)
        created = self.at(datetime.date(self.first_year - 1, 1, 1))
        self.sink.add(
            t.unit,
            id=self.root_id,
            path=self.root_path,
            depth=1,
            numchild=provinces,
            name=ROOT_NAME,
            short_name="全总",
            code=ROOT_CODE,
            kind="hq",
            union_name=ROOT_NAME,
            is_active=True,
            created_at=created,
            updated_at=created,
        )
        self.hq_user = self._user("hq", "hq_cadre", self.root_id, name="王建国")
        self._user("viewer", "viewer", self.root_id, name="刘振华")
        existing = dict(AssessmentRound.objects.values_list("year", "id"))
        self.rounds = {}
        for year in self.years:
            if year in existing:
                self.rounds[year] = existing[year]
                continue
            self.rounds[year] = t.round.new_id()
            opened = self.at(datetime.date(year + 1, 1, 10))
            self.sink.add(
                t.round,
                id=self.rounds[year],
                year=year,
                status="closed",
                opened_by_id=self.hq_user,
                created_at=opened,
                updated_at=opened + datetime.timedelta(days=70),
            )
        # The national naming batches (全国级), one a year.
        self.national_batches = {}
        for year in self.years:
            rng = self.rng("national-batch", year)
            self.national_batches[year] = self._naming_batch(rng, year, "national", "第一批", "总工发")
        # The designation batches of alliance pilot and demonstration units: one a year from the
        # second year on, published; this year's still in draft.
        self.designation_batches = {}
        for number, year in enumerate(range(self.first_year + 1, self.today.year + 1), start=1):
            rng = self.rng("designation-batch", year)
            designated = self.year_day(rng, year, until=datetime.date(year, 9, 30))
            published = year < self.today.year
            batch_id = t.designation_batch.new_id()
            self.sink.add(
                t.designation_batch,
                id=batch_id,
                name=f"全国创新工作室联盟试点和示范单位（第{number}批，{year}年）",
                designated_on=designated,
                document_no=f"总工办发〔{year}〕{rng.randint(10, 60)}号",
                description="经各省级工会推荐、全总审核，命名以下联盟为联盟试点单位、以下工作室为示范单位。",
                status="published" if published else "draft",
                published_on=self.clip(designated + datetime.timedelta(days=10)) if published else None,
                created_at=self.at(designated),
                updated_at=self.at(designated),
            )
            self.designation_batches[year] = (batch_id, designated, published)

    def _user(self, key, role, unit_id, *, name, code="") -> int:
        user_id = self.t.user.new_id()
        username = f"{USER_PREFIX}{code.lower() + '_' if code else ''}{key}"
        self.sink.add(
            self.t.user,
            id=user_id,
            password=self.password_hash,
            last_login=None,
            is_superuser=False,
            username=username,
            first_name="",
            last_name="",
            email="",
            is_staff=False,
            is_active=True,
            date_joined=self.now,
            name=name,
            role=role,
            unit_id=unit_id,
            phone="",
            must_change_password=False,
        )
        return user_id

    def _naming_batch(self, rng: Rand, year: int, level: str, name: str, doc: str) -> tuple:
        named_on = self.year_day(rng, year, until=datetime.date(year, 12, 20))
        batch_id = self.t.naming_batch.new_id()
        document_no = f"{doc}〔{year}〕{rng.randint(5, 80)}号"
        self.sink.add(
            self.t.naming_batch,
            id=batch_id,
            year=year,
            level=level,
            name=name,
            document_no=document_no,
            publicity_start=named_on - datetime.timedelta(days=14),
            publicity_end=named_on - datetime.timedelta(days=8),
            named_on=named_on,
            status="named",
            created_at=self.at(named_on - datetime.timedelta(days=30)),
            updated_at=self.at(named_on),
        )
        return batch_id, named_on, document_no

    # ---------------------------------------------------------------------------------- province

    def _plan(self, rng: Rand, spec, studios: int) -> list:
        """[(city name, [(company studios)…])…]: how the province's studios spread over its cities
        and companies."""
        cities = spec[7]
        companies = max(1, round(studios / STUDIOS_PER_COMPANY * rng.uniform(0.9, 1.1)))
        companies = min(companies, studios)
        sizes = allocate(studios, [rng.lognormvariate(0, 0.5) for _ in range(companies)])
        n_cities = min(len(cities), max(1, math.ceil(companies / COMPANIES_PER_CITY)))
        per_city = allocate(companies, [2.0 if i == 0 else rng.uniform(0.6, 1.4) for i in range(n_cities)])
        plan, start = [], 0
        for city, count in zip(cities, per_city, strict=False):
            plan.append((city, sizes[start : start + count]))
            start += count
        return plan

    def _province(self, index: int, spec, studios: int) -> None:
        from accounts.models import Unit

        started = self.sink.rows, _now()
        code, short, union, abbr, craftsman, _weight, region, _cities = spec
        rng = self.rng("province", code)
        plan = self._plan(rng, spec, studios)
        t = self.t
        p = SimpleNamespace(code=code, short=short, union=union, prov=union.removesuffix("总工会"), abbr=abbr)
        p.craftsman, p.region, p.index = craftsman, region, index
        p.state = ProvinceState()
        p.studios = studios
        p.unit_ids = []
        created = self.at(datetime.date(self.first_year - 1, 3, 1))

        # The province's part of the tree, written first (units, logins, naming batches).
        with self._transaction():
            p.id = t.unit.new_id()
            p.path = Unit._get_path(self.root_path, 2, index + 1)
            p.unit_ids.append(p.id)
            self._unit(p.id, p.path, len(plan), union, short, f"{ROOT_CODE}-{code}", "other", union, created)
            companies = []
            for c_index, (city, sizes) in enumerate(plan, start=1):
                city_id = t.unit.new_id()
                city_path = Unit._get_path(p.path, 3, c_index)
                city_code = f"{code}{c_index:02d}"
                city_short = city.removesuffix("市").removesuffix("区") if len(city) > 2 else city
                self._unit(
                    city_id, city_path, len(sizes), f"{city}总工会", city, city_code, "other", f"{city}总工会", created
                )
                p.unit_ids.append(city_id)
                used = set()
                for k, size in enumerate(sizes, start=1):
                    company = self._company(rng, city, city_short, city_path, city_code, k, size, used, created)
                    company.index = len(companies)
                    companies.append(company)
                    p.unit_ids.extend([company.id, *[plant[0] for plant in company.plants]])
            p.companies = companies
            first_company = companies[0]
            p.cadre = self._user("cadre", "unit_cadre", p.id, name=self._name(rng, "male"), code=code)
            self._user("city_cadre", "unit_cadre", p.unit_ids[1], name=self._name(rng, "female"), code=code)
            self._user("company_cadre", "unit_cadre", first_company.id, name=self._name(rng, "male"), code=code)
            p.lead_user = self._user(
                "lead", "studio_lead", first_company.plants[0][0], name=self._name(rng, "male"), code=code
            )
            p.experts = [
                self._user(f"expert{i}", "expert", p.id, name=self._name(rng, "male"), code=code) for i in (1, 2, 3)
            ]
            p.batches = {}
            for year in self.years:
                for level in ("unit", "company", "city", "provincial"):
                    brng = self.rng("batch", code, year, level)
                    p.batches[(year, level)] = self._naming_batch(brng, year, level, f"{p.prov}第一批", f"{abbr}工发")
            open_start = self.today + datetime.timedelta(days=7)
            p.open_batch = t.naming_batch.new_id()
            self.sink.add(
                t.naming_batch,
                id=p.open_batch,
                year=self.today.year,
                level="company",
                name=f"{p.prov}第一批",
                document_no="",
                publicity_start=open_start,
                publicity_end=open_start + datetime.timedelta(days=6),
                named_on=None,
                status="open",
                created_at=self.now,
                updated_at=self.now,
            )
            self.commit()

        # Companies, a transaction for every few hundred studios.
        group, group_studios = [], 0
        number = 0
        for company in p.companies:
            group.append(company)
            group_studios += company.studios
            if group_studios >= STUDIOS_PER_TRANSACTION or company is p.companies[-1]:
                with self._transaction():
                    for member in group:
                        number = self._company_data(p, member, number)
                    self.commit()
                group, group_studios = [], 0

        with self._transaction():
            self._province_classes(p)
            self._alliances(p)
            self._campaigns(p)
            self.commit()
        rows = self.sink.rows - started[0]
        seconds = _now() - started[1]
        self.log(
            f"{union}: {studios:,} studios, {len(p.unit_ids):,} units, {rows:,} rows in {seconds:.1f} s "
            f"({rows / max(seconds, 1e-6):,.0f} rows/s); {self.sink.rows:,} rows so far"
        )

    def _unit(self, unit_id, path, numchild, name, short, code, kind, union_name, created) -> None:
        self.sink.add(
            self.t.unit,
            id=unit_id,
            path=path,
            depth=len(path) // 4,
            numchild=numchild,
            name=name,
            short_name=short[:40],
            code=code,
            kind=kind,
            union_name=union_name,
            is_active=True,
            created_at=created,
            updated_at=created,
        )

    def _company(self, rng, city, city_short, city_path, city_code, k, size, used, created):
        from accounts.models import Unit

        industry, plant_types, specialties = rng.choice(words.INDUSTRIES)
        for _attempt in range(20):
            brand = rng.choice(words.BRANDS) if rng.chance(0.7) else ""
            name = f"{city_short}{brand}{industry}{rng.choice(words.COMPANY_SUFFIXES)}"
            if name not in used:
                break
        else:
            name = f"{city_short}{brand}{industry}第{k}有限公司"
        used.add(name)
        brief = f"{brand or city_short}{industry[:2]}"
        company = SimpleNamespace(id=self.t.unit.new_id(), name=name, brief=brief, studios=size, city=city)
        company.path = Unit._get_path(city_path, 4, k)
        company.code = f"{city_code}C{k:03d}"
        company.specialties = specialties + words.GENERAL_SPECIALTIES[:4]
        n_plants = min(len(plant_types), max(1, math.ceil(size / STUDIOS_PER_PLANT)))
        types = rng.sample(plant_types, n_plants)
        per_plant = allocate(size, [rng.uniform(0.5, 1.5) for _ in types])
        self._unit(company.id, company.path, n_plants, name, brief, company.code, "subsidiary", f"{name}工会", created)
        company.plants = []
        for j, (plant_type, count) in enumerate(zip(types, per_plant, strict=True), start=1):
            plant_id = self.t.unit.new_id()
            plant_name = f"{brief}{plant_type}"
            self._unit(
                plant_id,
                Unit._get_path(company.path, 5, j),
                0,
                plant_name,
                plant_type,
                f"{company.code}P{j:02d}",
                "plant",
                f"{plant_name}分工会",
                created,
            )
            company.plants.append((plant_id, plant_name, plant_type, count))
        return company

    # ---------------------------------------------------------------------------------- people

    def _name(self, rng: Rand, gender: str) -> str:
        surname = rng.pick(SURNAME)
        given = rng.choice(words.GIVEN_MALE if gender == "male" else words.GIVEN_FEMALE)
        if len(given) == 1 and rng.chance(0.45):
            given += rng.choice(SINGLE_MALE if gender == "male" else SINGLE_FEMALE)
        return surname + given

    def _id_number(self, rng: Rand, region: str, birth: datetime.date, gender: str) -> str:
        sequence = rng.randrange(0, 500) * 2 + (1 if gender == "male" else 0)
        body = f"{region}{rng.randint(1, 9):02d}{rng.randint(1, 30):02d}{birth:%Y%m%d}{sequence:03d}"
        total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
        return body + "10X98765432"[total % 11]

    def _person(self, rng, p, *, unit_id, grade, steps, born, created, team_group, post, user_id=None, upgrade_in=None):
        """A person with the chain of skill grades that led to `grade` (rank, 1-7). Returns the id,
        the name and the grade the person holds today."""
        t = self.t
        person_id = t.person.new_id()
        gender = "male" if rng.chance(0.82) else "female"
        name = self._name(rng, gender)
        birth = datetime.date(born, rng.randint(1, 12), rng.randint(1, 28))
        # The chain of grades: `steps` grades ending at `grade`, two to four years apart.
        ranks = list(range(max(1, grade - steps + 1), grade + 1))
        if upgrade_in is not None:
            last = self.year_day(rng, upgrade_in)
            dates = [last - datetime.timedelta(days=900 * (len(ranks) - 1 - i)) for i in range(len(ranks))]
        else:
            first = rng.day(datetime.date(self.first_year - 4, 1, 1), datetime.date(self.last_year, 6, 30))
            dates = [first]
            for _ in ranks[1:]:
                dates.append(dates[-1] + datetime.timedelta(days=rng.randint(700, 1400)))
        held = ""
        for rank, day in zip(ranks, dates, strict=True):
            if day > self.today:
                break
            held = GRADES[rank - 1]
            self.sink.add(
                t.grade_change,
                id=t.grade_change.new_id(),
                person_id=person_id,
                grade=held,
                changed_on=day,
                note="",
                created_at=self.at(day, 10),
            )
        self.sink.add(
            t.person,
            id=person_id,
            name=name,
            gender=gender,
            employee_no=f"{p.code}{person_id:09d}",
            unit_id=unit_id,
            team_group=team_group,
            post=post,
            skill_grade=held,
            phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            id_number=self._id_number(rng, p.region, birth, gender),
            user_id=user_id,
            created_at=created,
            updated_at=created,
        )
        return person_id, name

    def _honours(self, rng, p, company, person_id, *, top: str, count: int, force_year: int | None = None):
        """Up to `count` honours of the person, the first at level `top`, the others lower."""
        options = {
            "national": (
                ("model_worker", "全国劳动模范", "国务院"),
                ("may_day_medal", "全国五一劳动奖章", "中华全国总工会"),
                ("craftsman", "大国工匠", "中华全国总工会"),
                ("technical_expert", "全国技术能手", "人力资源和社会保障部"),
            ),
            "provincial": (
                ("model_worker", f"{p.prov}劳动模范", f"{p.prov}人民政府"),
                ("may_day_medal", f"{p.prov}五一劳动奖章", p.union),
                ("technical_expert", f"{p.prov}技术能手", f"{p.prov}人力资源和社会保障厅"),
            ),
            "city": (
                ("model_worker", f"{company.city}劳动模范", f"{company.city}人民政府"),
                ("craftsman", f"{company.city.removesuffix('市')}工匠", f"{company.city}总工会"),
            ),
            "company": (
                ("craftsman", f"{company.brief}工匠", company.name),
                ("model_worker", f"{company.brief}劳动模范", company.name),
                ("technical_expert", f"{company.brief}技术能手", company.name),
            ),
            "unit": (("other", "先进生产者", company.name),),
        }
        levels = ["national", "provincial", "city", "company", "unit"]
        start = levels.index(top)
        seen = set()
        for n in range(count):
            level = levels[min(start + n, len(levels) - 1)] if n else top
            kind, title, issuer = rng.choice(options[level])
            year = force_year if (force_year and n == 0) else rng.randint(self.first_year - 3, self.last_year)
            if (title, year) in seen:
                continue
            seen.add((title, year))
            self.sink.add(
                self.t.honour,
                id=self.t.honour.new_id(),
                person_id=person_id,
                kind=kind,
                level=level,
                title=title,
                year=year,
                issuer=issuer,
                campaign_id=None,
            )

    # ---------------------------------------------------------------------------------- companies

    def _company_data(self, p, company, number: int) -> int:
        rng = self.rng("company", p.code, company.code)
        company.people_start = self.t.person.next_id
        company.studio_ids = []
        for plant in company.plants:
            used_names = set()
            for _ in range(plant[3]):
                role = ("flagship", "new", "gone")[number] if number < 3 else ""
                self._studio(rng, p, company, plant, role, used_names)
                number += 1
        company.people_end = self.t.person.next_id
        self._company_classes(rng, p, company)
        return number

    def _studio(self, rng: Rand, p, company, plant, role: str, used_names: set) -> None:
        t = self.t
        plant_id, plant_name, plant_short, _count = plant
        studio_id = t.studio.new_id()
        self.studios_written += 1
        status = {"flagship": "named", "new": "named", "gone": "revoked"}.get(role) or rng.pick(STATUS)
        levelled = status in ("named", "rectifying", "revoked")
        # The level history: [(level, awarded_on, batch id, document number)].
        records = []
        revoked_on = None
        if levelled:
            if role == "flagship":
                final, first_year = "provincial", self.first_year + rng.randint(0, 1)
            elif role == "new":
                final, first_year = rng.choice(("company", "unit")), self.last_year
            elif role == "gone":
                final, first_year = rng.choice(("company", "unit", "city")), self.first_year + rng.randint(0, 5)
            else:
                final = rng.pick(LEVEL)
                last = self.last_year - 1 if status in ("revoked", "rectifying") else self.last_year
                weights = [1 + 0.12 * i for i in range(last - self.first_year + 1)]
                first_year = self.first_year + bisect.bisect(list(_cumulate(weights)), rng.random() * sum(weights))
                first_year = min(first_year, last)
            records = self._level_history(rng, p, final, first_year)
            named_on = records[0][1]
            if status == "revoked":
                if role == "gone":
                    revoked_on = self.year_day(rng, self.last_year)
                else:
                    revoked_on = rng.day(named_on + datetime.timedelta(days=200), self.today)
                revoked_on = max(revoked_on, named_on + DAY)
                records = [r for r in records if r[1] < revoked_on]
            founded_on = named_on - datetime.timedelta(days=rng.randint(180, 1200))
            applied_on = named_on - datetime.timedelta(days=rng.randint(60, 150))
        else:
            named_on = None
            if status == "rejected":
                applied_on = self.year_day(rng, rng.randint(self.first_year, self.last_year))
            else:
                applied_on = self.today - datetime.timedelta(days=rng.randint(5, 200))
            founded_on = applied_on - datetime.timedelta(days=rng.randint(100, 1500))
        kind_name = rng.pick(KIND)
        specialty = rng.choice(company.specialties)

        # People: the lead, the team, a few more workers of the plant (apprentices, trainees).
        created = self.at(applied_on, 10)
        team_size = rng.randint(*TEAM_SIZE)
        extra = rng.randint(*PEOPLE_EXTRA)
        lead_rank = {"national": 7, "provincial": 6, "city": 6, "company": 5, "unit": 5}.get(
            records[-1][0] if records else "", 5
        )
        lead_rank = min(7, lead_rank + (1 if rng.chance(0.3) else 0))
        lead_id, lead_name = self._person(
            rng,
            p,
            unit_id=plant_id,
            grade=lead_rank,
            steps=rng.randint(2, 3),
            born=rng.randint(1965, 1985),
            created=created,
            team_group=f"{specialty}{rng.choice(words.TEAM_GROUPS)}",
            post=rng.choice(("高级技师", "首席技师", "工程师", "班组长", "技术主管")),
            user_id=p.lead_user if role == "flagship" else None,
            upgrade_in=self.last_year if role == "flagship" else None,
        )
        people = [lead_id]
        core, members, workers = [], [], []
        for i in range(team_size - 1 + extra):
            in_team = i < team_size - 1
            is_core = i < 3
            person_id, _ = self._person(
                rng,
                p,
                unit_id=plant_id,
                grade=rng.randint(4, 5) if is_core else (rng.randint(2, 4) if in_team else rng.randint(1, 2)),
                steps=rng.randint(1, 2),
                born=rng.randint(1975, 1995) if in_team else rng.randint(1995, 2003),
                created=created,
                team_group=f"{plant_short}{rng.choice(words.TEAM_GROUPS)}",
                post=rng.choice(words.POSTS),
            )
            people.append(person_id)
            (core if is_core else members if in_team else workers).append(person_id)
        # Honours: the lead's match the studio's level; some core members hold one.
        top = {"national": "national", "provincial": "provincial", "city": "city"}.get(
            records[-1][0] if records else "", "company"
        )
        if role == "flagship":
            self._honours(rng, p, company, lead_id, top=top, count=2, force_year=self.last_year)
        elif rng.chance(0.85 if levelled else 0.5):
            self._honours(rng, p, company, lead_id, top=top, count=rng.randint(1, 3))
        for person_id in core:
            if rng.chance(0.15):
                self._honours(rng, p, company, person_id, top=rng.choice(("company", "unit")), count=1)

        # The studio itself.
        name = self._studio_name(rng, kind_name, lead_name, plant_short, specialty, used_names)
        level = records[-1][0] if records else ""
        demonstration = bool(records) and records[-1][0] in ("provincial", "national") and rng.chance(0.15)
        first_batch = records[0][2] if records else (p.open_batch if status == "publicised" else None)
        updated = named_on or applied_on
        if records:
            updated = max(updated, records[-1][1])
        if revoked_on:
            updated = revoked_on
        rectification = None
        if status == "rectifying":
            rectification = self.today + datetime.timedelta(days=rng.randint(20, 150))
            updated = datetime.date(self.today.year, 3, 20)
        revoked_reason = ""
        if status == "revoked":
            revoked_reason = rng.pick(REVOCATION)
        venue_area = Decimal(rng.randint(30, 320))
        planned = rng.randint(1, 5)
        founding = Decimal(rng.randint(5, 30) * 10000)
        eligibility = (
            [] if status == "draft" else self._eligibility(team_size, lead_rank, venue_area, founding, planned)
        )
        self.sink.add(
            t.studio,
            id=studio_id,
            name=name,
            kind_id=self.kinds[kind_name],
            unit_id=plant_id,
            lead_id=lead_id,
            specialty=specialty,
            founded_on=founded_on,
            venue_address=f"{plant_name}{rng.randint(1, 12)}号楼{rng.randint(1, 5)}层",
            venue_area=venue_area,
            facilities="、".join(rng.sample(FACILITIES, 3)),
            description=f"工作室以{specialty}为主攻方向，围绕{rng.choice(words.OBJECTS)}等生产难题开展技术攻关、"
            f"师带徒和成果推广。",
            contact_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            planned_projects=planned,
            applied_level=records[0][0] if records else rng.choice(("company", "unit")),
            applying_demonstration=False,
            status=status,
            level=level,
            is_demonstration=demonstration,
            batch_id=first_batch,
            eligibility=eligibility,
            explanation="",
            named_on=named_on,
            rectification_deadline=rectification,
            revoked_on=revoked_on,
            revoked_reason=revoked_reason,
            created_at=created,
            updated_at=self.at(updated, 16),
        )
        for n, (record_level, awarded_on, batch_id, document_no) in enumerate(records):
            self.sink.add(
                t.level_record,
                id=t.level_record.new_id(),
                studio_id=studio_id,
                level=record_level,
                demonstration=demonstration and n == len(records) - 1,
                awarded_on=awarded_on,
                document_no=document_no,
                batch_id=batch_id,
                issuer=ROOT_NAME if record_level == "national" else p.union,
            )

        # The team (the workers outside it are apprentices and trainees only).
        team = [(lead_id, "lead")] + [(pid, "core") for pid in core[:2]]
        if core[2:]:
            team.append((core[2], "liaison"))
        team += [(pid, "member") for pid in members]
        for person_id, member_role in team:
            joined = founded_on if member_role == "lead" else rng.day(founded_on, self.clip(founded_on + 700 * DAY))
            left = None
            if member_role == "member" and rng.chance(0.08):
                left = rng.day(joined + 200 * DAY, self.today) if joined + 200 * DAY < self.today else None
            self.sink.add(
                t.membership,
                id=t.membership.new_id(),
                studio_id=studio_id,
                person_id=person_id,
                role=member_role,
                joined_on=joined,
                left_on=left,
            )

        # Activity year by year: projects, results, pairings, funding, tallied for the assessments.
        if status in ("draft", "submitted", "recommended", "publicised", "returned"):
            rate, end = 0.35, self.today.year
        elif status == "rejected":
            rate, end = 0.25, applied_on.year
        else:
            rate, end = 1.0, (revoked_on.year if revoked_on else self.today.year)
        tally = {}
        team_people = [lead_id, *core, *members]
        mentors = [lead_id, *core]
        apprentices = members + workers
        projects = []
        active_pairs = set()
        start = max(self.first_year, founded_on.year)
        forced = role == "flagship"
        for year in range(start, end + 1):
            share = self.share(year) * rate
            if revoked_on and year == revoked_on.year:
                share *= revoked_on.timetuple().tm_yday / 366
            figures = _tally(tally, year)
            self._projects(rng, studio_id, year, share, team_people, company, projects, tally, forced)
            self._results(
                rng,
                p,
                company,
                studio_id,
                plant_id,
                year,
                share,
                team_people,
                projects,
                tally,
                forced,
                lead_name,
                revoked_on,
            )
            n_pairings = rng.poisson(PAIRINGS_PER_YEAR * share)
            if forced and year >= self.last_year - 1:
                n_pairings = max(n_pairings, 1)
            for k in range(n_pairings):
                mentor = rng.choice(mentors)
                apprentice = rng.choice(apprentices) if apprentices else None
                if apprentice is None or apprentice == mentor:
                    continue
                self._pairing(
                    rng,
                    p,
                    studio_id=studio_id,
                    alliance_id=None,
                    unit_id=plant_id,
                    mentor=mentor,
                    apprentice=apprentice,
                    year=year,
                    active_pairs=active_pairs,
                    figures=tally,
                    graduate_next_year=forced and year == self.last_year - 1 and k == 0,
                    until=revoked_on,
                )
            self._funding(
                rng,
                t.funding,
                "studio_id",
                studio_id,
                year,
                founding if year == start else None,
                figures,
                forced or levelled,
                revoked_on,
            )
            figures["team_size"] = len(team)
        if status in ("named", "rectifying", "revoked"):
            self._assessments(rng, studio_id, named_on, revoked_on, revoked_reason, status, tally, planned)
            company.studio_ids.append(studio_id)
            state = p.state
            if status != "revoked":
                state.studio.append(studio_id)
                state.unit.append(plant_id)
                state.lead.append(lead_id)
                state.people_start.append(people[0])
                state.people_count.append(len(people))
                state.company.append(company.index)
                state.named_on.append(named_on.toordinal())

    def _level_history(self, rng: Rand, p, final: str, first_year: int) -> list:
        """The steps by which a studio reached `final`: a first naming, and for the higher levels
        often a promotion or two in later years."""
        path = [final]
        if final == "national":
            path = [rng.choice(("company", "city")), "provincial", "national"]
        elif final == "provincial" and rng.chance(0.6):
            path = [rng.choice(("company", "city")), "provincial"]
        elif final == "city" and rng.chance(0.4):
            path = ["company", "city"]
        years = [first_year]
        for _ in path[1:]:
            years.append(years[-1] + rng.randint(1, 3))
        if years[-1] > self.last_year:  # no room for the promotions: named at the final level at once
            path, years = [final], [first_year]
        records = []
        for level, year in zip(path, years, strict=True):
            batch_id, named_on, document_no = (
                self.national_batches[year] if level == "national" else p.batches[(year, level)]
            )
            records.append((level, named_on, batch_id, document_no))
        return records

    def _studio_name(self, rng, kind_name, lead_name, plant_short, specialty, used) -> str:
        if kind_name == "职工创新工作室" and rng.chance(0.6):
            name = f"{plant_short}{specialty}职工创新工作室"
        elif kind_name == "技能大师工作室":
            name = f"{lead_name}技能大师工作室"
        else:
            name = f"{lead_name}{kind_name}"
        if name in used:
            name = f"{lead_name}{specialty}{kind_name}"
        suffix = 2
        base = name
        while name in used:
            name = f"{base[: -len(kind_name)]}第{suffix}{kind_name}"
            suffix += 1
        used.add(name)
        return name[:100]

    def _eligibility(self, team_size, lead_rank, area, funding, planned) -> list:
        labels = self.eligibility_labels
        return [
            {
                "code": "team_size",
                "label": labels["team_size"],
                "passed": team_size >= 3,
                "figure": labels["people"] % {"n": team_size},
                "threshold": labels["at_least"] % {"n": 3},
            },
            {
                "code": "lead",
                "label": labels["lead"],
                "passed": lead_rank >= 4,
                "figure": labels["grade"][lead_rank - 1],
                "threshold": labels["lead_threshold"],
            },
            {
                "code": "venue",
                "label": labels["venue"],
                "passed": area >= 30,
                "figure": f"{area} m²",
                "threshold": labels["venue_threshold"],
            },
            {
                "code": "funding",
                "label": labels["funding"],
                "passed": funding > 0,
                "figure": f"¥{funding:,.2f}",
                "threshold": labels["funding_threshold"],
            },
            {
                "code": "projects",
                "label": labels["projects"],
                "passed": planned >= 1,
                "figure": labels["planned"] % {"n": planned},
                "threshold": labels["at_least"] % {"n": 1},
            },
        ]

    # ---------------------------------------------------------------------------------- work

    def _projects(self, rng, studio_id, year, share, team, company, projects, tally, forced) -> None:
        t = self.t
        count = rng.poisson(PROJECTS_PER_YEAR * share)
        if forced and year in (self.last_year - 1, self.last_year):
            count = max(count, 1)
        for k in range(count):
            project_id = t.project.new_id()
            if forced and k == 0 and year == self.last_year - 1:
                started = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
                planned_end = datetime.date(year + 1, rng.randint(1, 6), rng.randint(1, 28))
            else:
                started = self.year_day(rng, year)
                planned_end = started + datetime.timedelta(days=rng.randint(180, 540))
            status, closed_on = "in_progress", None
            if planned_end < self.today:
                roll = rng.random()
                if roll < 0.82 or (forced and k == 0):
                    status = "closed"
                    closed_on = self.clip(max(started + 30 * DAY, planned_end + rng.randint(-40, 40) * DAY))
                    if forced and k == 0:
                        closed_on = self.clip(planned_end)
                elif roll < 0.87:
                    status = "terminated"
                    closed_on = rng.day(started + 60 * DAY, self.clip(planned_end))
            elif rng.chance(0.3):
                status = "approved"
            leader = rng.choice(team[:4])
            obj = rng.choice(words.OBJECTS)
            self.sink.add(
                t.project,
                id=project_id,
                studio_id=studio_id,
                title=f"{obj}{rng.choice(words.PROJECT_GOALS)}",
                kind_id=rng.choice(self.project_kinds),
                leader_id=leader,
                started_on=started,
                planned_end_on=planned_end,
                goals=f"解决{obj}{rng.choice(words.REDUCTIONS)}偏高的问题，形成可推广的改进方案。",
                budget=Decimal(rng.randint(2, 60) * 5000),
                status=status,
                closed_on=closed_on,
                closing_summary="课题按计划完成，已在生产中应用。" if status == "closed" else "",
                created_at=self.at(started),
                updated_at=self.at(closed_on or started, 17),
            )
            for person_id in rng.sample(team, min(len(team), rng.randint(1, 3))):
                self.sink.add(t.project_team, id=t.project_team.new_id(), project_id=project_id, person_id=person_id)
            if company.studio_ids and rng.chance(0.05):
                partner = rng.choice(company.studio_ids)
                self.sink.add(
                    t.project_partner, id=t.project_partner.new_id(), project_id=project_id, studio_id=partner
                )
            for m in range(1 if rng.chance(0.8) else 2):
                due = rng.day(started + 30 * DAY, planned_end)
                self.sink.add(
                    t.milestone,
                    id=t.milestone.new_id(),
                    project_id=project_id,
                    title=("方案论证", "样机试制", "现场试验", "总结验收")[m + (2 if due > started + 200 * DAY else 0)],
                    due_on=due,
                    done_on=due if due < self.today and rng.chance(0.85) else None,
                    progress="",
                )
            projects.append((project_id, started))
            _tally(tally, started.year)["projects_started"] += 1
            if status == "closed":
                _tally(tally, closed_on.year)["projects_closed"] += 1

    def _results(
        self, rng, p, company, studio_id, unit_id, year, share, team, projects, tally, forced, lead_name, revoked_on
    ) -> None:
        t = self.t
        count = rng.poisson(RESULTS_PER_YEAR * share)
        if forced and year == self.last_year:
            count = max(count, 3)
        until = self.today if revoked_on is None else min(self.today, revoked_on)
        for k in range(count):
            result_id = t.result.new_id()
            category = rng.pick(CATEGORY)
            if forced and year == self.last_year and k < 2:
                category = ("utility_model", "technical_innovation")[k]
            achieved = self.year_day(rng, year, until=until)
            if forced and year == self.last_year and k < 2:
                achieved = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
            if year < self.today.year:
                roll = rng.random()
                status = "verified" if roll < 0.92 or forced else ("returned" if roll < 0.95 else "submitted")
            else:
                status = rng.pick(CURRENT_RESULT_STATUS)
            verified_on = None
            if status == "verified":
                verified_on = achieved + datetime.timedelta(days=rng.randint(7, 60))
                if verified_on > self.today:
                    status, verified_on = "submitted", None
            benefit = benefit_year = None
            basis = ""
            if category in BENEFIT_CATEGORIES and (rng.chance(0.55) or (forced and k == 1)):
                benefit = Decimal(int(min(5_000_000, rng.lognormvariate(11.2, 1.0)) // 100 * 100) + 1000)
                benefit_year = achieved.year if (rng.chance(0.7) or forced) else min(achieved.year + 1, self.today.year)
                basis = rng.choice(BENEFIT_BASES)
            patent_no, granted = "", None
            if category in PATENT_TYPE:
                patent_no = f"ZL{achieved.year}{PATENT_TYPE[category]}{rng.randrange(10**7):07d}.{rng.randrange(10)}"
                granted = achieved
            case_status, story, decided = "", "", None
            if status == "verified":
                roll = rng.random()
                if roll < 0.003:
                    case_status, decided = "approved", self.clip(verified_on + 30 * DAY)
                    story = "该成果在一线班组推广后，设备故障明显减少，已在多家单位推广应用。"
                elif roll < 0.005:
                    case_status = "proposed"
            project = None
            if projects and rng.chance(0.45):
                candidates = [pid for pid, started in projects[-4:] if started <= achieved]
                project = rng.choice(candidates) if candidates else None
            title = self._result_title(rng, category, lead_name)
            self.sink.add(
                t.result,
                id=result_id,
                studio_id=studio_id,
                project_id=project,
                title=title,
                category=category,
                achieved_on=achieved,
                summary=f"针对{rng.choice(words.OBJECTS)}{rng.choice(words.REDUCTIONS)}高的问题，"
                f"通过{rng.choice(words.PROCESSES)}方法改进，取得明显成效。",
                benefit=benefit,
                benefit_year=benefit_year,
                benefit_basis=basis,
                patent_no=patent_no,
                patent_granted_on=granted,
                ip_disputed=False,
                status=status,
                verified_on=verified_on,
                case_status=case_status,
                case_story=story,
                case_decided_on=decided,
                created_at=self.at(achieved, 11),
                updated_at=self.at(verified_on or achieved, 15),
            )
            for rank, person_id in enumerate(rng.sample(team, min(len(team), rng.choice((1, 1, 1, 2, 2, 3)))), start=1):
                self.sink.add(
                    t.contributor, id=t.contributor.new_id(), result_id=result_id, person_id=person_id, rank=rank
                )
            if status != "verified":
                continue
            _tally(tally, achieved.year)["verified_results"] += 1
            if benefit is not None:
                _tally(tally, benefit_year)["benefit"] += benefit
            sample = p.state.results.setdefault(year, [])
            if len(sample) < 60:
                sample.append((result_id, unit_id))
            elif rng.chance(0.02):
                sample[rng.randrange(60)] = (result_id, unit_id)
            adoptions = 1 if (forced and k == 0) else (rng.randint(1, 2) if rng.chance(0.12) else 0)
            for _ in range(adoptions):
                adopted = achieved + datetime.timedelta(days=rng.randint(20, 400))
                if forced and k == 0:
                    adopted = achieved + datetime.timedelta(days=rng.randint(20, 120))
                if adopted > self.today:
                    continue
                inside = rng.chance(0.7)
                self.sink.add(
                    t.adoption,
                    id=t.adoption.new_id(),
                    result_id=result_id,
                    unit_id=rng.choice(p.unit_ids) if inside else None,
                    organisation="" if inside else rng.choice(words.OUTSIDE_ORGS),
                    adopted_on=adopted,
                    scope=f"{rng.choice(words.OBJECTS)}{rng.choice(words.PROCESSES)}作业",
                    yearly_benefit=Decimal(rng.randint(0, 80) * 2500),
                    created_at=self.at(adopted, 14),
                )
            if rng.chance(0.03):
                name, level, grade = rng.choice(words.AWARDS)
                self.sink.add(
                    t.award,
                    id=t.award.new_id(),
                    result_id=result_id,
                    name=name.format(province=p.prov, city=company.city, company=company.brief),
                    level=level,
                    grade=grade,
                    year=min(achieved.year + rng.randint(0, 1), self.today.year),
                    campaign_id=None,
                )

    def _result_title(self, rng: Rand, category: str, lead_name: str) -> str:
        obj = rng.choice(words.OBJECTS)
        if category in ("invention_patent", "utility_model"):
            return f"一种{obj}{rng.choice(words.DEVICES)}"
        if category == "design_patent":
            return f"{obj}检测仪外壳"
        if category == "technical_innovation":
            return f"{obj}{rng.choice(words.IMPROVEMENTS)}"
        if category == "process_improvement":
            return f"{obj}{rng.choice(words.PROCESSES)}工艺改进"
        if category == "operating_method":
            return f"{lead_name}{rng.choice(words.SKILLS)}操作法"
        if category == "standard":
            return f"《{obj}{rng.choice(words.PROCESSES)}作业规范》"
        if category == "construction_method":
            return f"{obj}安装施工工法"
        if category == "paper":
            return f"{obj}{rng.choice(words.REDUCTIONS)}的原因分析与对策研究"
        if category == "software_copyright":
            return f"{obj}智能监测系统V{rng.randint(1, 3)}.0"
        if category == "qc_result":
            return (
                f"提高{obj}{rng.choice(words.METRICS)}"
                if rng.chance(0.5)
                else f"降低{obj}{rng.choice(words.REDUCTIONS)}"
            )
        return f"关于{obj}{rng.choice(words.IMPROVEMENTS)}的合理化建议"

    def _pairing(
        self,
        rng,
        p,
        *,
        studio_id,
        alliance_id,
        unit_id,
        mentor,
        apprentice,
        year,
        active_pairs,
        figures,
        graduate_next_year=False,
        until=None,
    ) -> None:
        from mentoring.periods import term_end

        t = self.t
        pairing_id = t.pairing.new_id()
        if graduate_next_year:
            agreement = datetime.date(year, rng.randint(1, 5), rng.randint(1, 28))
            term = 12
        else:
            agreement = self.year_day(rng, year, until=until)
            term = rng.pick(TERM)
        ends = term_end(agreement, term)
        status, ended_on, end_reason = "active", None, ""
        assessed = grade = score = None
        if until is not None and ends >= until:  # the studio was revoked during the term
            status, end_reason = "ended", "studio_closed"
            ended_on = max(agreement, until)
        elif ends < self.today:
            roll = 0.0 if graduate_next_year else rng.random()
            if roll < 0.80:
                status = "graduated"
            elif roll < 0.86:
                status = "failed"
            elif roll < 0.95:
                status, end_reason = "ended", rng.choice(END_REASONS)
                ended_on = rng.day(agreement + 30 * DAY, ends)
            if status in ("graduated", "failed"):
                assessed = self.clip(ends + rng.randint(1, 25) * DAY)
                ended_on = assessed
                if status == "failed":
                    grade, score = "fail", Decimal(rng.randint(400, 595)) / 10
                elif rng.chance(0.35):
                    grade, score = "excellent", Decimal(rng.randint(850, 985)) / 10
                else:
                    grade, score = "pass", Decimal(rng.randint(600, 845)) / 10
        elif rng.chance(0.05):
            status, end_reason = "ended", rng.choice(END_REASONS)
            ended_on = rng.day(agreement, self.today)
        if status == "active":
            if (mentor, apprentice) in active_pairs:
                t.pairing.next_id -= 1  # give the id back: the pair is under way already
                return
            active_pairs.add((mentor, apprentice))
        obj = rng.choice(words.OBJECTS)
        self.sink.add(
            t.pairing,
            id=pairing_id,
            studio_id=studio_id,
            alliance_id=alliance_id,
            unit_id=unit_id,
            mentor_id=mentor,
            apprentice_id=apprentice,
            agreement_on=agreement,
            term_months=term,
            term_ends_on=ends,
            goals=rng.choice(words.PAIRING_GOALS).format(
                skill=rng.choice(words.SKILLS), object=obj, process=rng.choice(words.PROCESSES)
            ),
            status=status,
            ended_on=ended_on,
            end_reason=end_reason,
            end_note="",
            recorded_by_id=None,
            created_at=self.at(agreement, 10),
            updated_at=self.at(ended_on or agreement, 16),
        )
        _tally(figures, agreement.year)["pairings_started"] += 1
        if assessed is not None:
            self.sink.add(
                t.graduation,
                id=t.graduation.new_id(),
                pairing_id=pairing_id,
                assessed_on=assessed,
                score=score,
                grade=grade,
                assessors="、".join(self._name(rng, "male") for _ in range(3)),
                comment="",
                recorded_by_id=None,
                created_at=self.at(assessed, 15),
            )
            if status == "graduated":
                _tally(figures, assessed.year)["pairings_graduated"] += 1
        last = min(ends, ended_on or ends, self.today)
        if last > agreement and rng.chance(0.3):
            logged = rng.day(agreement, last)
            self.sink.add(
                t.progress,
                id=t.progress.new_id(),
                pairing_id=pairing_id,
                logged_on=logged,
                content=f"本月学习{rng.choice(words.SKILLS)}，独立完成{obj}{rng.choice(words.PROCESSES)}作业一次。",
                logged_by_id=None,
                created_at=self.at(logged, 17),
            )
        if last > agreement and rng.chance(0.03):
            placed = rng.day(agreement, last)
            self.sink.add(
                t.placement,
                id=t.placement.new_id(),
                pairing_id=pairing_id,
                competition=f"{placed.year}年{p.prov}职工职业技能大赛",
                level=rng.choice(("city", "provincial")),
                placement=rng.choice(("一等奖", "二等奖", "三等奖", "优胜奖")),
                placed_on=placed,
                recorded_by_id=None,
                created_at=self.at(placed, 17),
            )

    def _funding(self, rng, table, owner, owner_id, year, founding, figures, active, until) -> None:
        """A year of a ledger: money in (the founding funds the first year, then now and then a
        grant), money out by use."""
        incomes = []
        if founding is not None:
            incomes.append(("founding", founding))
        if active and (rng.chance(0.7) or (founding is None and year == self.last_year)):
            incomes.append((rng.choice(FUNDING_SOURCES_LATER), Decimal(rng.randint(2, 30) * 5000)))
        limit = self.today if until is None else min(self.today, until)
        for source, amount in incomes:
            day = self.year_day(rng, year, until=limit)
            self.sink.add(
                table,
                id=table.new_id(),
                **{owner: owner_id},
                direction="in",
                source=source,
                use="",
                amount=amount,
                entry_date=day,
                description=FUNDING_TEXT[source],
                created_at=self.at(day, 11),
            )
            figures["funding_in"] += amount
        spending = rng.randint(1, 2) if (incomes or rng.chance(0.5)) else 0
        for _ in range(spending):
            day = self.year_day(rng, year, until=limit)
            use = rng.pick(FUNDING_USE)
            amount = Decimal(rng.randint(1, 16) * 2500)
            self.sink.add(
                table,
                id=table.new_id(),
                **{owner: owner_id},
                direction="out",
                source="",
                use=use,
                amount=amount,
                entry_date=day,
                description=FUNDING_TEXT[use],
                created_at=self.at(day, 11),
            )
            figures["funding_out"] += amount

    def _assessments(self, rng, studio_id, named_on, revoked_on, reason, status, tally, planned) -> None:
        fails = set()
        if status == "rectifying":
            fails.add(self.last_year)
        if status == "revoked" and reason == "failed_assessment":
            fails.update({revoked_on.year - 1, revoked_on.year - 2})
        failed_before = False
        for year in self.years:
            end = datetime.date(year, 12, 31)
            if named_on > end or (revoked_on is not None and revoked_on <= end):
                continue
            figures = tally.get(year) or _figures()
            grade = "fail" if year in fails else rng.pick(ASSESSMENT_GRADE)
            if grade == "fail" and status == "named" and year == self.last_year:
                grade = "pass"  # a failure last year would have put the studio in rectification
            proposed = grade == "fail" and failed_before
            failed_before = failed_before or grade == "fail"
            score = Decimal(rng.randint(400, 590) if grade == "fail" else rng.randint(650, 980)) / 10
            graded = self.at(datetime.date(year + 1, 3, rng.randint(1, 28)), 15)
            self.sink.add(
                self.t.assessment,
                id=self.t.assessment.new_id(),
                round_id=self.rounds[year],
                studio_id=studio_id,
                status="graded",
                figures={
                    "team_size": figures["team_size"],
                    "funding_in": f"{figures['funding_in']:.2f}",
                    "funding_out": f"{figures['funding_out']:.2f}",
                    "planned_projects": planned,
                    "projects_started": figures["projects_started"],
                    "projects_closed": figures["projects_closed"],
                    "verified_results": figures["verified_results"],
                    "benefit": f"{figures['benefit']:.2f}",
                    "pairings_started": figures["pairings_started"],
                    "pairings_graduated": figures["pairings_graduated"],
                },
                self_summary="全年围绕生产难题开展攻关，按计划完成课题，带徒传技，成果已推广应用。",
                unit_score=score,
                unit_comment="工作室运行规范，成果突出。" if grade != "fail" else "年度无有效成果，活动开展不足。",
                grade=grade,
                hq_comment="",
                no_verified_result=figures["verified_results"] == 0,
                revocation_proposed=proposed,
                created_at=self.at(datetime.date(year + 1, 1, 10)),
                updated_at=graded,
            )

    # ---------------------------------------------------------------------------------- training

    def _company_classes(self, rng, p, company) -> None:
        """About one class a year for every STUDIOS_PER_CLASS studios of the company (the first
        company of a province holds one last year whatever its size), and now and then one
        still to come this year."""
        pool = range(company.people_start, company.people_end)
        if not pool:
            return
        per_year = company.studios / STUDIOS_PER_CLASS
        for year in range(self.first_year, self.today.year + 1):
            count = rng.poisson(per_year * self.share(year))
            if company.index == 0 and year == self.last_year:
                count = max(count, 1)
            for _ in range(count):
                self._class(rng, p, company.id, company.code, company.brief, pool, year)
            if year == self.today.year and rng.chance(min(1.0, per_year / 2)):
                self._class(rng, p, company.id, company.code, company.brief, pool, year, upcoming=True)

    def _province_classes(self, p) -> None:
        """The province union's exchange classes for studio leads: about one a year for every
        2,000 studios of the province."""
        rng = self.rng("province-classes", p.code)
        leads = p.state.lead
        if not leads:
            return
        for year in range(self.first_year, self.today.year + 1):
            for _ in range(rng.poisson(p.studios / 2000 * self.share(year))):
                self._class(rng, p, p.id, f"{ROOT_CODE}-{p.code}", p.prov, leads, year, exchange=True)

    def _class(self, rng, p, organiser, code, org_name, pool, year, *, upcoming=False, exchange=False) -> None:
        t = self.t
        class_id = t.training_class.new_id()
        kind, pattern = words.CLASS_TITLES[0] if exchange else rng.choice(words.CLASS_TITLES)
        n_sessions = rng.randint(2, 5)
        if upcoming:
            starts = self.today + datetime.timedelta(days=rng.randint(10, 60))
        else:
            starts = self.year_day(rng, year, until=datetime.date(year, 12, 20))
        ends = starts + datetime.timedelta(days=(n_sessions - 1) // 2)
        if upcoming:
            status = "enrolling" if rng.chance(0.7) else "preparing"
        elif ends < self.today:
            status = "finished"
        else:
            status = "running"
        size = min(max(1, len(pool) // 3), rng.randint(*CLASS_SIZE))
        capacity = size + rng.randint(0, 15)
        contact = self._name(rng, "female")
        self.sink.add(
            t.training_class,
            id=class_id,
            title=pattern.format(year=starts.year, org=org_name)[:150],
            kind=kind,
            organiser_id=organiser,
            starts_on=starts,
            ends_on=ends,
            place=f"{org_name}职工培训中心{rng.randint(1, 6)}楼报告厅",
            capacity=capacity,
            waitlist_limit=20,
            audience="创新工作室领衔人、骨干成员" if exchange else "一线职工、班组长、技术骨干",
            description="围绕生产现场创新的思路与方法，交流工作室建设经验，提升职工创新能力。",
            contact=contact,
            contact_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            status=status,
            created_by_id=p.cadre,
            created_at=self.at(starts - datetime.timedelta(days=40)),
            updated_at=self.at(min(ends, self.today), 17),
        )
        sessions = []
        for k in range(n_sessions):
            day = starts + datetime.timedelta(days=k // 2)
            morning = k % 2 == 0
            begins = self.at(day, 9 if morning else 14)
            hours = Decimal("3.0") if morning else Decimal("3.5")
            session_id = t.session.new_id()
            course, speaker_title = rng.choice(words.COURSES)
            self.sink.add(
                t.session,
                id=session_id,
                training_class_id=class_id,
                title=course,
                speaker=self._name(rng, "male"),
                speaker_title=speaker_title,
                starts_at=begins,
                ends_at=begins + datetime.timedelta(minutes=int(hours * 60)),
                hours=hours,
                room=f"{rng.randint(1, 6)}0{rng.randint(1, 9)}室",
            )
            sessions.append((session_id, begins))
        if status == "preparing":
            return
        people = rng.sample(pool, size) if isinstance(pool, range) else _sample(rng, pool, size)
        certificate = 0
        for person_id in people:
            enrolment_id = t.enrolment.new_id()
            asked = self.at(
                starts - datetime.timedelta(days=rng.randint(3, 30)), rng.randint(8, 17), rng.randint(0, 59)
            )
            roll = rng.random()
            state = "enrolled" if roll < 0.9 else ("cancelled" if roll < 0.97 else "waiting")
            if state == "waiting" and status == "finished":
                state = "cancelled"  # the waiting list lapses when the class ends
            attended = []
            if state == "enrolled":
                attended = [s for s in sessions if s[1] <= self.now and rng.chance(0.88)]
            certificate_no = ""
            if status == "finished" and attended:
                certificate += 1
                certificate_no = f"{code}-{ends.year}-{class_id:04d}-{certificate:04d}"
            self.sink.add(
                t.enrolment,
                id=enrolment_id,
                training_class_id=class_id,
                person_id=person_id,
                status=state,
                enrolled_by_id=p.cadre,
                asked_at=asked,
                seated_at=asked if state == "enrolled" else None,
                cancelled_at=asked + datetime.timedelta(days=2) if state == "cancelled" else None,
                certificate_no=certificate_no,
            )
            for session_id, begins in attended:
                manual = rng.chance(0.15)
                self.sink.add(
                    t.attendance,
                    id=t.attendance.new_id(),
                    session_id=session_id,
                    enrolment_id=enrolment_id,
                    signed_at=begins - datetime.timedelta(minutes=rng.randint(1, 20)),
                    method="manual" if manual else "qr",
                    recorded_by_id=p.cadre if manual else None,
                )
            if status == "finished" and attended and rng.chance(0.45):
                self.sink.add(
                    t.feedback,
                    id=t.feedback.new_id(),
                    enrolment_id=enrolment_id,
                    content_rating=rng.choice((3, 4, 4, 5, 5, 5)),
                    speaker_rating=rng.choice((4, 4, 5, 5, 5)),
                    organisation_rating=rng.choice((3, 4, 5, 5)),
                    comment=rng.choice(("案例很实用", "学到了创新方法", "希望多组织现场观摩", "")),
                    suggestion="",
                    submitted_at=self.at(ends, 17),
                )

    # ---------------------------------------------------------------------------------- alliances

    def _alliances(self, p) -> None:
        t = self.t
        rng = self.rng("alliances", p.code)
        state = p.state
        named = len(state.studio)
        if named < 2:
            return
        count = max(1, round(p.studios / STUDIOS_PER_ALLIANCE))
        used_names = set()
        designated_studios = set()
        pairs = set()
        for n in range(count):
            first = n == 0
            theme = rng.choice(words.ALLIANCE_THEMES)
            city = rng.choice(p.companies).city
            name = f"{city}{theme}创新工作室联盟"
            k = 2
            while name in used_names:
                name = f"{city}{theme}创新工作室联盟（{CHINESE_ORDINALS[min(k, 10) - 1]}）"
                k += 1
                if k > 10:
                    name = f"{city}{theme}创新工作室联盟{n}"
                    break
            used_names.add(name)
            alliance_id = t.alliance.new_id()
            if first:
                founded_year = self.first_year + rng.randint(0, 4)
            else:
                founded_year = rng.randint(self.first_year, self.today.year)
            founded = self.year_day(rng, founded_year)
            status, dissolved = "running", None
            if founded_year == self.today.year and not first:
                status = "preparing"
            elif not first and rng.chance(0.08) and founded + 800 * DAY < self.today:
                status, dissolved = "dissolved", rng.day(founded + 700 * DAY, self.today)
            size = min(named, rng.randint(4, 12))
            members = _sample(rng, range(named), size)
            lead_unit = p.companies[state.company[members[0]]].id
            self.sink.add(
                t.alliance,
                id=alliance_id,
                name=name[:100],
                theme=theme,
                lead_unit_id=lead_unit,
                founded_on=founded,
                status=status,
                description=f"由{city}相关企业的{theme}领域创新工作室组成，开展联合攻关、技术交流和跨单位师带徒。",
                secretariat_contact=self._name(rng, "female"),
                secretariat_phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                members_log_activities=True,
                dissolved_on=dissolved,
                dissolved_reason="联盟任务完成，经成员单位协商解散。" if dissolved else "",
                created_at=self.at(founded),
                updated_at=self.at(dissolved or founded, 16),
            )
            # Designations: the alliance as a pilot unit, some member studios as pilot or
            # demonstration units, in a published batch of a later year (the first alliance of
            # every province last year, so that the indicator has a figure).
            tiers = {}
            if status != "preparing":
                if first:
                    self._designate(rng, "pilot", alliance_id, None, self.last_year)
                elif rng.chance(0.12) and founded_year < self.last_year:
                    self._designate(rng, "pilot", alliance_id, None, rng.randint(founded_year + 1, self.last_year))
                for index in members:
                    studio_id = state.studio[index]
                    if studio_id in designated_studios or not rng.chance(0.04):
                        continue
                    kind = rng.choice(("pilot", "demonstration"))
                    year = rng.randint(max(founded_year + 1, self.first_year + 1), self.today.year)
                    if self._designate(rng, kind, None, studio_id, year):
                        tiers[index] = kind
                    designated_studios.add(studio_id)
            # Members.
            current = []
            for position, index in enumerate(members):
                named_on = datetime.date.fromordinal(state.named_on[index])
                joined = max(founded, named_on) + datetime.timedelta(days=rng.randint(0, 90))
                if status == "preparing" or joined > (dissolved or self.today):
                    member_status, joined = ("declined" if dissolved else "requested"), None
                else:
                    member_status = "active" if position < 2 else rng.pick(MEMBER_STATUS)
                    if member_status == "requested":
                        joined = None
                if dissolved and member_status in ("active", "exit_requested", "requested"):
                    member_status = "exited" if joined else "declined"
                exited = None
                if member_status in ("exited", "removed"):
                    exited = dissolved or rng.day(joined, self.today)
                requested = (joined or self.today) - datetime.timedelta(days=rng.randint(5, 40))
                self.sink.add(
                    t.alliance_member,
                    id=t.alliance_member.new_id(),
                    alliance_id=alliance_id,
                    studio_id=state.studio[index],
                    tier=tiers.get(index, "member") if member_status in ("active", "exit_requested") else "member",
                    status=member_status,
                    requested_on=requested,
                    request_note="申请加入联盟，参与联合攻关。",
                    joined_on=joined,
                    exit_requested_on=self.clip(joined + 400 * DAY) if member_status == "exit_requested" else None,
                    exited_on=exited,
                    exit_reason="工作室调整方向，申请退出。" if exited else "",
                    decided_by_id=None,
                    created_at=self.at(requested),
                    updated_at=self.at(exited or joined or requested, 16),
                )
                if member_status in ("active", "exit_requested", "exited") and joined:
                    current.append((index, joined, exited))
            if status == "preparing" or len(current) < 2:
                continue
            last_day = dissolved or self.today
            for year in range(founded.year, last_day.year + 1):
                ledger = _figures()
                self._funding(rng, t.alliance_funding, "alliance_id", alliance_id, year, None, ledger, True, dissolved)
                for _ in range(max(1, round(rng.randint(2, 4) * self.share(year)))):
                    self._activity(rng, p, alliance_id, current, year, last_day)
            if rng.chance(0.35) or first:
                for _ in range(rng.randint(1, 3)):
                    a, b = _sample(rng, current, 2)
                    mentor = state.lead[a[0]]
                    apprentice = state.people_start[b[0]] + rng.randint(1, state.people_count[b[0]] - 1)
                    start = max(a[1], b[1])
                    year = rng.randint(start.year, last_day.year)
                    self._pairing(
                        rng,
                        p,
                        studio_id=None,
                        alliance_id=alliance_id,
                        unit_id=state.unit[a[0]],
                        mentor=mentor,
                        apprentice=apprentice,
                        year=year,
                        active_pairs=pairs,
                        figures={},
                        until=dissolved,
                    )

    def _designate(self, rng, kind, alliance_id, studio_id, year) -> bool:
        if year not in self.designation_batches:
            return False
        batch_id, _designated, _published = self.designation_batches[year]
        self.sink.add(
            self.t.designation,
            id=self.t.designation.new_id(),
            batch_id=batch_id,
            kind=kind,
            alliance_id=alliance_id,
            studio_id=studio_id,
            citation="组织健全、制度完善、成效显著" if kind == "pilot" else "示范引领作用突出",
        )
        return _published

    def _activity(self, rng, p, alliance_id, current, year, last_day) -> None:
        t = self.t
        state = p.state
        members = [m for m in current if m[1].year <= year and (m[2] is None or m[2].year >= year)]
        if len(members) < 2:
            return
        held = self.year_day(rng, year, until=last_day)
        held = max(held, max(m[1] for m in members))
        if held > self.today:
            return
        kind = rng.choice(tuple(words.ACTIVITY_TITLES))
        taking_part = _sample(rng, members, min(len(members), rng.randint(2, 5)))
        activity_id = t.activity.new_id()
        organiser = taking_part[0][0]
        theme = rng.choice(words.ALLIANCE_THEMES)
        self.sink.add(
            t.activity,
            id=activity_id,
            alliance_id=alliance_id,
            kind=kind,
            title=words.ACTIVITY_TITLES[kind].format(
                theme=theme, object=rng.choice(words.OBJECTS), place=p.companies[0].name
            )[:200],
            held_on=held,
            place=f"{p.companies[0].name}职工创新中心",
            organiser_id=state.studio[organiser],
            outsider_count=rng.randint(0, 40),
            pairs_formed=rng.randint(2, 8) if kind == "pairing" else 0,
            project_id=None,
            summary="各成员工作室交流了近期攻关进展，商定下一步联合攻关课题。",
            recorded_by_id=None,
            created_at=self.at(held, 17),
            updated_at=self.at(held, 17),
        )
        for index, _joined, _exited in taking_part:
            self.sink.add(
                t.activity_studio, id=t.activity_studio.new_id(), activity_id=activity_id, studio_id=state.studio[index]
            )
            self.sink.add(
                t.activity_person, id=t.activity_person.new_id(), activity_id=activity_id, person_id=state.lead[index]
            )

    # ---------------------------------------------------------------------------------- campaigns

    def _campaigns(self, p) -> None:
        state = p.state
        rng = self.rng("campaigns", p.code)
        named = len(state.studio)
        if named < 2:
            return
        quota = max(1, round(named / 400))
        editions = [self.last_year - back for back in CRAFTSMAN_CAMPAIGN_YEARS]
        for edition, year in enumerate(editions, start=1):
            if year < self.first_year:
                continue
            nominees = _sample(rng, range(named), min(named, quota * 2))
            nominees = [i for i in nominees if datetime.date.fromordinal(state.named_on[i]).year <= year] or nominees
            self._campaign(
                rng,
                p,
                year=year,
                name=f"第{CHINESE_ORDINALS[min(edition, 10) - 1]}届{p.craftsman}评选（{p.prov}）",
                kind="craftsman",
                title=p.craftsman,
                quota=quota,
                nominees=[(state.lead[i], None, state.unit[i]) for i in nominees],
            )
        for year in (self.last_year - back for back in RESULT_CAMPAIGN_YEARS):
            sample = state.results.get(year, [])
            if year < self.first_year or not sample:
                continue
            picked = _sample(rng, sample, min(len(sample), quota * 2))
            self._campaign(
                rng,
                p,
                year=year,
                name=f"{year}年{p.prov}职工优秀技术创新成果评选",
                kind="result",
                title="职工优秀技术创新成果",
                quota=quota,
                nominees=[(None, result_id, unit_id) for result_id, unit_id in picked],
            )

    def _campaign(self, rng, p, *, year, name, kind, title, quota, nominees) -> None:
        t = self.t
        campaign_id = t.campaign.new_id()
        closes = datetime.date(year, 5, 31)
        publicity = datetime.date(year, 8, 1)
        self.sink.add(
            t.campaign,
            id=campaign_id,
            kind=kind,
            name=name[:100],
            year=year,
            honour_title=title,
            honour_kind="craftsman" if kind == "craftsman" else "",
            honour_level="provincial",
            award_grade="" if kind == "craftsman" else "一等奖",
            quota=quota,
            description="坚持标准、严格程序、公开公正，评选技艺精湛、业绩突出的一线职工和优秀成果。",
            nominations_close_on=closes,
            scoring_until=datetime.date(year, 7, 15),
            publicity_from=publicity,
            publicity_until=publicity + datetime.timedelta(days=6),
            status="closed",
            closed_on=datetime.date(year, 8, 20),
            created_by_id=p.cadre,
            created_at=self.at(datetime.date(year, 3, 1)),
            updated_at=self.at(datetime.date(year, 8, 20)),
        )
        criteria = []
        for order, (criterion, weight) in enumerate(CRITERIA[kind], start=1):
            criterion_id = t.criterion.new_id()
            self.sink.add(
                t.criterion,
                id=criterion_id,
                campaign_id=campaign_id,
                name=criterion,
                weight=weight,
                description="",
                order=order,
            )
            criteria.append(criterion_id)
        for expert in p.experts:
            self.sink.add(
                t.panel,
                id=t.panel.new_id(),
                campaign_id=campaign_id,
                expert_id=expert,
                added_by_id=p.cadre,
                created_at=self.at(datetime.date(year, 3, 5)),
            )
        for position, (person_id, result_id, unit_id) in enumerate(nominees):
            selected = position < quota
            nomination_id = t.nomination.new_id()
            self.sink.add(
                t.nomination,
                id=nomination_id,
                campaign_id=campaign_id,
                person_id=person_id,
                result_id=result_id,
                unit_id=unit_id,
                nominated_by_id=p.cadre,
                statement="长期扎根生产一线，带领团队攻克多项技术难题，成果在多家单位推广应用。",
                status="selected" if selected else "not_selected",
                proposed=selected,
                withdrawn_reason="",
                created_at=self.at(closes - datetime.timedelta(days=20)),
                updated_at=self.at(datetime.date(year, 8, 20)),
            )
            for expert in p.experts:
                scorecard_id = t.scorecard.new_id()
                self.sink.add(
                    t.scorecard,
                    id=scorecard_id,
                    nomination_id=nomination_id,
                    expert_id=expert,
                    comment="",
                    submitted_at=self.at(datetime.date(year, 7, rng.randint(1, 14)), 10),
                    revised_at=None,
                )
                for criterion_id in criteria:
                    self.sink.add(
                        t.score_item,
                        id=t.score_item.new_id(),
                        scorecard_id=scorecard_id,
                        criterion_id=criterion_id,
                        score=rng.randint(82, 98) if selected else rng.randint(60, 85),
                    )
            if not selected:
                continue
            if person_id is not None:
                self.sink.add(
                    t.honour,
                    id=t.honour.new_id(),
                    person_id=person_id,
                    kind="craftsman",
                    level="provincial",
                    title=title,
                    year=year,
                    issuer=p.union,
                    campaign_id=campaign_id,
                )
            else:
                self.sink.add(
                    t.award,
                    id=t.award.new_id(),
                    result_id=result_id,
                    name=title,
                    level="provincial",
                    grade="一等奖",
                    year=year,
                    campaign_id=campaign_id,
                )


# ---------------------------------------------------------------------------------- helpers


def _kinds() -> tuple[dict, list]:
    """The studio kinds by name and the project kinds' ids (the union's defaults, made if missing)."""
    from achievements.models import ProjectKind
    from studios.models import StudioKind

    StudioKind.ensure_defaults()
    ProjectKind.ensure_defaults()
    kinds = dict(
        StudioKind.objects.filter(name__in=[k for k, _w in words.STUDIO_KIND_WEIGHTS]).values_list("name", "id")
    )
    return kinds, list(ProjectKind.objects.filter(is_active=True).order_by("pk").values_list("id", flat=True))


def _now() -> float:
    return time.perf_counter()


def _cumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _tally(tally: dict, year: int) -> dict:
    figures = tally.get(year)
    if figures is None:
        figures = tally[year] = _figures()
    return figures


def _figures() -> dict:
    return {
        "team_size": 0,
        "funding_in": Decimal("0"),
        "funding_out": Decimal("0"),
        "projects_started": 0,
        "projects_closed": 0,
        "verified_results": 0,
        "benefit": Decimal("0"),
        "pairings_started": 0,
        "pairings_graduated": 0,
    }


def _sample(rng: Rand, population, k: int) -> list:
    """k distinct items of a sequence (random.sample without copying an array into a list)."""
    n = len(population)
    if k >= n:
        items = list(population)
        rng.shuffle(items)
        return items
    return [population[i] for i in rng.sample(range(n), k)]


def eligibility_labels() -> dict:
    """The criteria's wording as studios.eligibility words it, in Chinese (the applicant's view)."""
    with translation.override("zh-hans"):
        return {
            "team_size": gettext("Team size"),
            "lead": gettext("Lead's honour or skill grade"),
            "venue": gettext("Fixed venue"),
            "funding": gettext("Funding in place"),
            "projects": gettext("Projects per year"),
            "people": gettext("%(n)s people"),
            "at_least": gettext("at least %(n)s"),
            "planned": gettext("%(n)s planned"),
            "lead_threshold": gettext("honour at %(level)s or above, or skill grade %(grade)s or above")
            % {"level": gettext("Company level"), "grade": gettext("Technician")},
            "venue_threshold": gettext("an address and at least %(area)s m²") % {"area": "30.00"},
            "funding_threshold": gettext("more than ¥0 and at least ¥%(amount)s") % {"amount": "0.00"},
            "grade": [str(label) for label in _grade_labels()],
        }


def _grade_labels():
    from talent.choices import SkillGrade

    return [SkillGrade(value).label for value in GRADES]


MEMBER_STATUS = Weighted((("active", 86), ("exited", 7), ("exit_requested", 2), ("removed", 2), ("requested", 3)))
CURRENT_RESULT_STATUS = Weighted((("verified", 40), ("submitted", 32), ("draft", 24), ("returned", 4)))
BENEFIT_BASES = (
    "按年节约备件费用及减少停机损失计算，经财务部门核定。",
    "按年降低能耗折算，经能源计量部门确认。",
    "按提高作业效率节约人工成本计算。",
    "按减少废品损失计算，经质量部门确认。",
)
FACILITIES = (
    "数控车床2台",
    "三坐标测量仪1台",
    "3D打印机1台",
    "焊接工作站1套",
    "工业机器人实训台1套",
    "电气控制实训柜2套",
    "多媒体交流室1间",
    "创新成果展示区",
    "激光切割机1台",
    "液压综合实验台1套",
)
FUNDING_TEXT = {
    "founding": "工作室创建经费",
    "special": "省总工会专项资金",
    "reward": "年度考核优秀奖励资金",
    "unit_match": "所在单位配套经费",
    "union_grant": "上级工会补助",
    "equipment": "购置检测设备",
    "projects": "课题攻关材料费",
    "training": "职工培训费",
    "publicity": "成果展示与宣传",
    "other": "日常办公及其他支出",
}
CRITERIA = {
    "craftsman": (("技能水平", 40), ("创新成果", 35), ("传承带徒", 25)),
    "result": (("创新性", 40), ("经济效益", 35), ("推广价值", 25)),
}
