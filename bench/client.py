"""The benchmark's HTTP side: a small keep-alive client, logins with real sessions, and the three
ways of measuring (interleaved latency, interleaved throughput, a bounded load).

Standard library only (http.client, one connection per thread): the load is a few hundred
requests a second at most, which threads in one process generate without becoming the
bottleneck, and every figure is a ratio of two pages measured by the same client at the same
time — a heavier tool (locust, wrk) would add a dependency without changing a ratio.
"""

from __future__ import annotations

import http.client
import itertools
import math
import random
import re
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

TIMEOUT = 120


class BenchError(Exception):
    """The benchmark cannot go on (a page that must answer does not)."""


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One keep-alive connection with its own cookies (a browser tab, roughly)."""

    def __init__(self, host: str, port: int, cookies: dict | None = None):
        self.host, self.port = host, port
        self.cookies = dict(cookies or {})
        self.connection: http.client.HTTPConnection | None = None

    def clone(self) -> Client:
        """Another connection with the same session (another tab of the same user)."""
        return Client(self.host, self.port, self.cookies)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.setdefault("Accept-Language", "zh-hans")
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had closed: one fresh try (not an error).
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            if raw.will_close:
                self.close()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _sep, rest = value.partition("=")
                    self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
            return Response(raw.status, data, dict(raw.getheaders()), seconds)
        raise AssertionError("unreachable")

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def login(self, username: str, password: str) -> Client:
        """Log in through the login page (CSRF token and all); raises BenchError if it fails."""
        page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or token is None:
            raise BenchError(f"the login page answered {page.status} without a CSRF token")
        form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token[1]})
        answer = self.request(
            "POST",
            "/login/",
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/login/",
            },
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"logging in as {username} answered {answer.status}")
        return self


# --------------------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 → p95); NaN for no value."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Sample:
    """What one page gave: every latency (seconds) and every error."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.seconds) + len(self.errors)

    def p(self, share: float) -> float:
        return percentile(self.seconds, share)

    @property
    def p50_ms(self) -> float:
        return self.p(0.50) * 1000

    @property
    def p95_ms(self) -> float:
        return self.p(0.95) * 1000


@dataclass(frozen=True)
class Page:
    """A page to measure: a label, the client (session) to use, and a path or a path maker."""

    label: str
    client: Client
    path: str | Callable[[], str]
    before: Callable[[], None] | None = None  # run untimed before each request (cache invalidation)
    ok: Callable[[Response], bool] = lambda response: 200 <= response.status < 300
    headers: dict | None = None  # sent with each request (e.g. a hard reload's Cache-Control)

    def next_path(self) -> str:
        return self.path() if callable(self.path) else self.path


def fetch(page: Page, client: Client, sample: Sample) -> None:
    if page.before is not None:
        page.before()
    try:
        response = client.get(page.next_path(), headers=page.headers)
    except Exception as error:  # a refused or broken connection counts as an error
        client.close()
        sample.errors.append(f"{type(error).__name__}: {error}")
        return
    if page.ok(response):
        sample.seconds.append(response.seconds)
    else:
        sample.errors.append(f"HTTP {response.status}")


def interleaved_latency(pages: list[Page], *, rounds: int, warmup: int = 3) -> dict[str, Sample]:
    """One request to each page per round, the pages in a fresh random order each round, one at a
    time (no queueing): the same number of requests per page and the machine's noise spread over
    all of them. `warmup` rounds first, not counted."""
    samples = {page.label: Sample() for page in pages}
    scratch = Sample()
    for round_no in range(warmup + rounds):
        order = list(pages)
        random.shuffle(order)
        for page in order:
            fetch(page, page.client, samples[page.label] if round_no >= warmup else scratch)
    return samples


def interleaved_throughput(
    pages: list[Page], *, threads: int, seconds_each: float, phases: int = 3, warmup_seconds: float = 1.0
) -> dict[str, tuple[float, Sample]]:
    """Requests per second of each page with `threads` clients asking at once, in alternating
    phases (A B A B …, `phases` of each, `seconds_each` in all per page, split across its phases)
    so that a slow moment of the machine does not fall on one page only. Returns {label: (successful
    requests per second, sample)}."""
    totals: dict[str, list] = {page.label: [0.0, Sample()] for page in pages}
    for page in pages:  # warm every worker's caches and connections
        _hammer(page, threads, warmup_seconds, Sample())
    for _phase in range(phases):
        for page in pages:
            sample = Sample()
            elapsed = _hammer(page, threads, seconds_each / phases, sample)
            totals[page.label][0] += elapsed
            merged = totals[page.label][1]
            merged.seconds += sample.seconds
            merged.errors += sample.errors
    return {
        label: (len(sample.seconds) / elapsed if elapsed else 0.0, sample)
        for label, (elapsed, sample) in totals.items()
    }


def _hammer(page: Page, threads: int, seconds: float, sample: Sample) -> float:
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def work():
        client = page.client.clone()
        mine = Sample()
        try:
            while time.perf_counter() < deadline:
                fetch(page, client, mine)
        finally:
            client.close()
        with lock:
            sample.seconds += mine.seconds
            sample.errors += mine.errors

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - start


def bounded_load(pages: list[Page], *, clients: int, seconds: float) -> tuple[dict[str, Sample], float]:
    """`clients` concurrent clients for `seconds`, each going round the pages in its own order
    (a cycle from a random start), each request waiting for the previous one (a closed loop: the
    load is bounded by the clients, as a room of people clicking would be). Returns the samples
    per page and the elapsed time."""
    samples: dict[str, Sample] = defaultdict(Sample)
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def work(offset: int):
        own = {page.label: page.client.clone() for page in pages}
        mine: dict[str, Sample] = defaultdict(Sample)
        cycle = itertools.islice(itertools.cycle(pages), offset % len(pages), None)
        try:
            for page in cycle:
                if time.perf_counter() >= deadline:
                    break
                fetch(page, own[page.label], mine[page.label])
        finally:
            for client in own.values():
                client.close()
        with lock:
            for label, sample in mine.items():
                samples[label].seconds += sample.seconds
                samples[label].errors += sample.errors

    workers = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return dict(samples), time.perf_counter() - start
