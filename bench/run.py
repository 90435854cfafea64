"""Measure the Carte page against a naive folium baseline built from the same data (issue #6).

``python bench/run.py`` prints a table; ``python bench/run.py --json`` prints
``{"app": {...}, "baseline": {...}, "ratios": {...}, "budgets": {...}, "machine": {...}}``.
Everything runs on 127.0.0.1, in Debian's Chromium driven by Playwright with the network cut at
the resolver. Both apps run at once, each on its own Streamlit server (the app as shipped,
``streamlit run serve.py``; a free port; stopped at the end), and their cold loads alternate so
that the load of this shared machine weighs on both.

Per app:

- payload_bytes: bytes received to draw the Carte page in a cold browser context: websocket
  frames + component iframe (the baseline's streamlit-folium) + Leaflet + the map's static files
  (``map_bytes``); Streamlit's own bundle (``/static/``, ``/_stcore/``, which includes the code
  of its built-in component loaders) apart as ``framework_bytes``. Sizes are
  ``encodedBodySize`` from Resource Timing (page and map iframe) and ``ws.on("framereceived")``.
- map_ready_ms: ``page.goto`` -> communes drawn in ``window.map_div`` of the frame that holds
  the map (the page itself for the app, whose map is a ``st.components.v2`` element;
  streamlit-folium's iframe for the baseline), stamped in that frame, over N cold loads (a new
  browser context each), after one uncounted warm-up.
- filter_ms: server time to apply a change of the « Statut » filter and send the update: the
  BackMsg ``rerun_script`` leaving the browser -> the ForwardMsg ``script_finished`` of that run
  reaching it, timestamped by Chromium's network stack (CDP). Also ``filter_e2e_ms`` (click ->
  the map shows the new cité count) and ``filter_server_ms`` (the same change through
  Streamlit's AppTest, ``.run()`` timed, no browser).
- sessions: N pages opened at once (one browser, several contexts); how many draw the map
  without error within 60 s; the server's RSS and CPU time over them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import browser_support  # noqa: E402
from tests.browser_support import CHROMIUM_ARGS, LOCAL_PREFIXES, chromium_path  # noqa: E402

BENCH = ROOT / "bench"
BASELINE_SCRIPT = BENCH / "baseline_app.py"
BASELINE_STATIC = BENCH / "static"
MAP_FRAME = "streamlit_folium"
FILTER_OPTION = "travaux logements"
POLL_MS = 50
# A run's last message: the script ran to its end (a whole page, or only a fragment).
RUN_DONE = ("script_finished:FINISHED_SUCCESSFULLY", "script_finished:FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
# Issue #6's budgets, within one run on this machine.
BUDGETS = {
    "payload_ratio_max": 0.25,
    "payload_bytes_max": 600_000,
    "map_ready_ratio_max": 0.60,
    "filter_ms_max": 150.0,
    "sessions_min": 20,
}

# Counts the drawn features of the map. The app tags its features with ``kind``; the
# baseline's features carry the raw columns, so communes are recognised by ``bud_statut`` and
# cités by ``logements_source`` (columns only those layers have).
COUNT_JS = """
() => {
  const m = window.map_div;
  if (!m || !m.eachLayer) return null;
  const c = {features: 0, commune: 0, cite: 0};
  m.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p) return;
    c.features++;
    if (p.kind) { c[p.kind] = (c[p.kind] || 0) + 1; }
    else {
      if ('bud_statut' in p) c.commune++;
      if ('logements_source' in p) c.cite++;
    }
  });
  return c;
}
"""
# Injected in every frame of a context: the frame that holds the map (the page itself for the
# app, whose map is a components.v2 element; streamlit-folium's iframe for the baseline) stamps
# the epoch time (ms) at which the communes are drawn, so a busy Python poller (20 pages at
# once) does not inflate the times.
DRAWN_INIT_JS = (
    # The script runs first in an iframe's initial about:blank document, whose window the
    # component page then reuses: the frame is checked at each tick, not once.
    "(() => { const count = " + COUNT_JS.strip() + ";"
    " const t = setInterval(() => { try {"
    " const c = count();"
    " if (c && c.commune >= 250) { window.__benchDrawnAt = performance.timeOrigin + performance.now();"
    " clearInterval(t); } } catch (e) {} }, 20); })();"
)
DRAWN_AT_JS = "() => window.__benchDrawnAt || null"
# When Streamlit hands the map over to its component (epoch ms): the app's component marks the
# start of its code (``performance.mark``); the baseline's is the creation of streamlit-folium's
# iframe (its document's time origin). Nothing of the map can happen before.
COMPONENT_START_JS = (
    "() => { const m = performance.getEntriesByName('erbm-carte-start')[0];"
    " if (m) return performance.timeOrigin + m.startTime;"
    " return location.href.includes('" + MAP_FRAME + "') ? performance.timeOrigin : null; }"
)
RESOURCES_JS = """
() => performance.getEntriesByType('resource').map(e => [e.name, e.encodedBodySize || 0, e.initiatorType])
"""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def spread(samples: list[float]) -> dict:
    if not samples:
        return {"median": None, "min": None, "max": None, "n": 0, "samples": []}
    return {
        "median": round(statistics.median(samples), 1),
        "min": round(min(samples), 1),
        "max": round(max(samples), 1),
        "n": len(samples),
        "samples": [round(s, 1) for s in samples],
    }


def cpu_s(pid: int) -> float:
    """CPU time (user + system, seconds) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> dict:
    """Resident memory of the server process (psutil if installed, else /proc)."""
    try:
        import psutil  # type: ignore[import-not-found]

        info = psutil.Process(pid).memory_info()
        return {"rss_mb": round(info.rss / 2**20, 1), "source": "psutil"}
    except ImportError:
        pass
    out: dict = {"source": f"/proc/{pid}/status"}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out["rss_mb" if key == "VmRSS" else "peak_rss_mb"] = round(int(value.split()[0]) / 1024, 1)
    return out


@contextmanager
def streamlit_server(script: Path, name: str, extra: list[str], timeout_s: float = 120.0) -> Iterator[tuple[str, int]]:
    """``streamlit run <script>`` on a free loopback port (the tests' helper); yields (url, pid)."""
    with browser_support.streamlit_server(
        str(script.relative_to(ROOT)), extra=tuple(extra), log_name=f"bench-{name}", timeout_s=timeout_s
    ) as (url, pid):
        log(f"{name}: server pid {pid} on {url}")
        yield url, pid


def map_frames(page) -> list:
    """Frames that may hold the map: the page itself (the app) and streamlit-folium's iframe (the
    baseline)."""
    return [page.main_frame, *(f for f in page.frames if MAP_FRAME in f.url)]


def map_counts(page) -> dict | None:
    best = None
    for frame in map_frames(page):
        try:
            c = frame.evaluate(COUNT_JS)
        except Exception:  # noqa: BLE001 - frame loading or being replaced
            continue
        if c and (best is None or c["features"] > best["features"]):
            best = c
    return best


def wait_for(page, predicate: Callable[[dict], bool], timeout_s: float) -> dict | None:
    """Poll the map's counts every POLL_MS until ``predicate`` holds; None on timeout."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        c = map_counts(page)
        if c and predicate(c):
            return c
        page.wait_for_timeout(POLL_MS)
    return None


def communes_drawn(c: dict) -> bool:
    return c["commune"] >= 250


def new_context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    ctx.add_init_script(DRAWN_INIT_JS)
    return ctx


def drawn_at(page) -> float | None:
    """Epoch ms at which the map's frame drew the communes (stamped in the page), if it did."""
    for frame in map_frames(page):
        try:
            at = frame.evaluate(DRAWN_AT_JS)
        except Exception:  # noqa: BLE001
            continue
        if at:
            return at
    return None


def classify(url: str) -> str:
    path = urlparse(url).path
    if path.startswith("/app/static/vendor/"):
        return "leaflet_bytes"
    if path.startswith("/app/static/"):
        return "map_data_bytes"
    if path.startswith("/component/"):
        return "component_bytes"
    return "framework_bytes"


def cold_load(browser, url: str, timeout_s: float = 90.0) -> dict:
    """One load in a fresh context: time to communes drawn and bytes received."""
    ctx = new_context(browser)
    try:
        page = ctx.new_page()
        ws_bytes = [0]
        refused: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(LOCAL_PREFIXES) else refused.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))

        def on_ws(ws) -> None:
            def add(payload) -> None:
                ws_bytes[0] += len(payload.encode() if isinstance(payload, str) else payload)

            ws.on("framereceived", add)

        page.on("websocket", on_ws)
        t0_epoch = time.time() * 1000
        t0 = time.perf_counter()
        page.goto(url + "/", wait_until="commit")
        counts = wait_for(page, communes_drawn, timeout_s)
        polled_ms = (time.perf_counter() - t0) * 1000 if counts else None
        stamp = drawn_at(page) if counts else None
        ready_ms = stamp - t0_epoch if stamp else polled_ms
        started = None
        for frame in map_frames(page):
            with contextlib.suppress(Exception):
                started = started or frame.evaluate(COMPONENT_START_JS)
        component_ms = started - t0_epoch if started else None
        # Let the last frames and late assets arrive before summing what was received.
        page.wait_for_timeout(2000)
        counts = map_counts(page) or counts
        sizes = {
            "framework_bytes": 0,
            "component_bytes": 0,
            "leaflet_bytes": 0,
            "map_data_bytes": 0,
            "iframe_resource_bytes": 0,
        }
        for name, size, _ in page.evaluate(RESOURCES_JS):
            sizes[classify(name)] += size
        for frame in page.frames:
            if MAP_FRAME in frame.url:
                try:
                    for name, size, _ in frame.evaluate(RESOURCES_JS):
                        key = classify(name) if "/app/static/" in name else "iframe_resource_bytes"
                        sizes[key] += size
                except Exception:  # noqa: BLE001
                    pass
        sizes["websocket_bytes"] = ws_bytes[0]
        map_bytes = sum(v for k, v in sizes.items() if k != "framework_bytes")
        leaflet = None
        for frame in map_frames(page):
            with contextlib.suppress(Exception):
                leaflet = frame.evaluate("() => typeof L !== 'undefined' ? L.version : null") or leaflet
        return {
            "ready_ms": ready_ms,
            "component_ms": component_ms,
            "polled_ms": polled_ms,
            "counts": counts,
            "map_bytes": map_bytes,
            "framework_bytes": sizes["framework_bytes"],
            "breakdown": sizes,
            "refused": refused,
            "page_errors": errors,
            "leaflet_version": leaflet,
        }
    finally:
        ctx.close()


class WsClock:
    """Websocket frames of a page, with the browser network stack's own timestamps (CDP).

    ``Network.webSocketFrameSent`` / ``Received`` carry the time the frame left or reached the
    browser's network stack, whatever the page's main thread is doing, and the frame itself,
    decoded here with Streamlit's protobuf classes: a BackMsg ``rerun_script`` (the widget
    change) and the ForwardMsg ``script_finished`` that closes that run.
    """

    def __init__(self, page) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._back, self._forward = BackMsg, ForwardMsg
        self.events: list[tuple[str, float, str, int]] = []  # (direction, seconds, type, bytes)
        self._cdp = page.context.new_cdp_session(page)
        self._cdp.on("Network.webSocketFrameSent", lambda e: self._add("out", e))
        self._cdp.on("Network.webSocketFrameReceived", lambda e: self._add("in", e))
        self._cdp.send("Network.enable")

    def _add(self, direction: str, event: dict) -> None:
        import base64

        frame = event["response"]
        if frame.get("opcode") != 2:
            return
        data = base64.b64decode(frame["payloadData"])
        msg = (self._back if direction == "out" else self._forward)()
        try:
            msg.ParseFromString(data)
        except Exception:  # noqa: BLE001 - not a Streamlit message
            return
        kind = msg.WhichOneof("type") or ""
        if kind == "script_finished":
            kind += ":" + self._forward.ScriptFinishedStatus.Name(msg.script_finished)
        self.events.append((direction, event["timestamp"], kind, len(data)))

    def wait_idle(self, page, *, quiet_ms: int = 1000, timeout_s: float = 60.0) -> None:
        """Wait until no frame has moved for ``quiet_ms`` and the last run is over: a change must
        not be timed against a run that an earlier change started (the baseline's map, remounted
        by each change, reports its new view and so starts one more run)."""
        deadline = time.perf_counter() + timeout_s
        seen, since = len(self.events), time.perf_counter()
        while time.perf_counter() < deadline:
            page.wait_for_timeout(100)
            if len(self.events) != seen:
                seen, since = len(self.events), time.perf_counter()
                continue
            last_in = next(
                (e for e in reversed(self.events) if e[0] == "in" and e[2] != "session_status_changed"), None
            )
            if (time.perf_counter() - since) * 1000 >= quiet_ms and (
                last_in is None or last_in[2].startswith("script_finished")
            ):
                return

    def rerun_ms(self, start: int) -> tuple[float, int] | None:
        """From the first rerun request sent after event ``start`` to the end of that run.

        Returns (milliseconds, bytes received for the run) once a run finished successfully;
        a run stopped early for a newer rerun is skipped, and timed to the end of the newer one.
        """
        sent = None
        received = 0
        for direction, ts, kind, size in self.events[start:]:
            if sent is None:
                if direction == "out" and kind == "rerun_script":
                    sent = ts
                continue
            if direction == "in":
                received += size
                if kind in RUN_DONE:
                    return (ts - sent) * 1000, received
        return None


def browser_filter(browser, url: str, total: int, expected: int, n: int) -> dict:
    """Change the « Statut » filter in the page, n times; time the server's run and the redraw.

    ``filter_ms``: the rerun request leaving the browser -> the run's last message reaching it
    (``WsClock``). ``filter_e2e_ms``: the click -> the map showing the new cité count.
    """
    ctx = new_context(browser)
    samples: list[float] = []
    server: list[float] = []
    update_bytes: list[int] = []
    failures: list[str] = []
    try:
        page = ctx.new_page()
        clock = WsClock(page)
        page.goto(url + "/")
        if wait_for(page, lambda c: communes_drawn(c) and c["cite"] == total, 90) is None:
            return {"method": "browser", "error": "map never drew", **spread([])}
        clock.wait_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        box = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Statut").locator("input")
        option_name = re.compile(rf"^{re.escape(FILTER_OPTION)}( \(\d+\))?$")
        for i in range(n):
            box.click()
            if i % 2 == 0:
                option = page.get_by_role("option", name=option_name)
                option.wait_for(timeout=30_000)
                target = expected
                start = len(clock.events)
                t0 = time.perf_counter()
                option.click()
            else:
                target = total
                start = len(clock.events)
                t0 = time.perf_counter()
                page.keyboard.press("Backspace")
            got = wait_for(page, lambda c, t=target: communes_drawn(c) and c["cite"] == t, 60)
            if got is None:
                failures.append(f"change {i}: cité count never reached {target}")
            else:
                samples.append((time.perf_counter() - t0) * 1000)
            page.keyboard.press("Escape")
            # Let the run finish (the rest of the page after the map) before the next change.
            deadline = time.perf_counter() + 30
            run = clock.rerun_ms(start)
            while run is None and time.perf_counter() < deadline:
                page.wait_for_timeout(50)
                run = clock.rerun_ms(start)
            if run is None:
                failures.append(f"change {i}: no finished run seen on the websocket")
            else:
                server.append(run[0])
                update_bytes.append(run[1])
            clock.wait_idle(page)
    finally:
        ctx.close()
    return {
        "filter_ms": {
            "method": "websocket, browser network-stack timestamps (CDP): BackMsg rerun_script sent -> "
            "ForwardMsg script_finished received, i.e. the server applying the change and sending the update",
            "update_bytes": spread(update_bytes),
            "failures": failures,
            **spread(server),
        },
        "filter_e2e_ms": {
            "method": "browser: click on the 'Statut' option (or Backspace to remove it) -> map shows the "
            f"new cité count ({expected} / {total}), polled every {POLL_MS} ms",
            "failures": failures,
            **spread(samples),
        },
    }


def apptest_filter(script: Path, n: int) -> dict:
    """Server-only: AppTest rerun after a multiselect change, timed with perf_counter."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=180).run()  # warm-up: loads, fills caches
    if at.exception:
        return {"method": "AppTest", "error": str(at.exception), **spread([])}
    samples: list[float] = []
    for i in range(n):
        ms = next(m for m in at.sidebar.multiselect if m.label == "Statut")
        change = ms.select(FILTER_OPTION) if i % 2 == 0 else ms.unselect(FILTER_OPTION)
        t0 = time.perf_counter()
        change.run()
        samples.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            return {"method": "AppTest", "error": str(at.exception), **spread(samples)}
    return {
        "method": "streamlit.testing AppTest: select/unselect the 'Statut' option, .run() timed with "
        "time.perf_counter (whole script rerun incl. folium HTML, no browser)",
        **spread(samples),
    }


def sessions(browser, url: str, pid: int, n: int, n_contexts: int, timeout_s: float = 60.0) -> dict:
    """Open n pages at once over several contexts; count drawn maps without error within timeout_s."""
    rss_before = rss_mb(pid)
    cpu_before = cpu_s(pid)
    contexts = [new_context(browser) for _ in range(min(n_contexts, n))]
    pages = []
    errors: dict[int, list[str]] = {}
    try:
        t0 = time.perf_counter()
        t0_epoch = time.time() * 1000
        for i in range(n):
            page = contexts[i % len(contexts)].new_page()
            errors[i] = []
            page.on("pageerror", lambda e, i=i: errors[i].append(str(e)))
            try:
                page.goto(url + "/", wait_until="commit", timeout=int(timeout_s * 1000))
            except Exception as exc:  # noqa: BLE001 - counted as a failed session
                errors[i].append(f"goto: {exc}")
            pages.append(page)
        ready: dict[int, float] = {}
        # The drawing time is stamped in each page; the grace only leaves time to read the stamps.
        deadline = t0 + timeout_s + 15
        while len(ready) < n and time.perf_counter() < deadline:
            for i, page in enumerate(pages):
                if i not in ready:
                    at = drawn_at(page)
                    if at:
                        ready[i] = at - t0_epoch
            pages[0].wait_for_timeout(200)
        late = {i: ms for i, ms in ready.items() if ms > timeout_s * 1000}
        for i, page in enumerate(pages):
            try:
                if page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count():
                    errors[i].append("error shown in the page")
            except Exception as exc:  # noqa: BLE001
                errors[i].append(str(exc))
        served = [i for i in ready if not errors[i] and i not in late]
        rss_after = rss_mb(pid)
        server_cpu = round(cpu_s(pid) - cpu_before, 1)
    finally:
        for ctx in contexts:
            ctx.close()
    return {
        "requested": n,
        "contexts": len(contexts),
        "served": len(served),
        "timeout_s": timeout_s,
        "ready_ms": spread(sorted(ready.values())),
        "drawn_after_timeout": len(late),
        "never_drawn": n - len(ready),
        "clock": "ms from the first goto (all pages opened at once) to the communes drawn, stamped in the page",
        "errors": {str(i): e[:3] for i, e in errors.items() if e},
        "rss_before": rss_before,
        "rss_after": rss_after,
        "server_cpu_s": server_cpu,
    }


@dataclass
class Target:
    """One app under measurement: its script, its server and what was measured."""

    name: str
    script: Path
    extra: list[str]
    # The Streamlit script AppTest runs (that of ``script`` when it is an ASGI entry point).
    page_script: Path | None = None
    url: str = ""
    pid: int = 0
    loads: list[dict] = field(default_factory=list)
    result: dict = field(default_factory=dict)


def summarise_loads(t: Target) -> None:
    ok = [x for x in t.loads if x["ready_ms"] is not None]
    r = t.result
    r["map_ready_ms"] = spread([x["ready_ms"] for x in ok])
    r["map_ready_ms"]["clock"] = "goto -> communes drawn, stamped in the frame that holds the map"
    r["map_ready_polled_ms"] = spread([x["polled_ms"] for x in ok])
    started = [x for x in ok if x["component_ms"] is not None]
    r["component_start_ms"] = spread([x["component_ms"] for x in started])
    r["component_start_ms"]["clock"] = (
        "goto -> Streamlit hands the map to its component (app: the component's code starts; baseline: "
        "streamlit-folium's iframe is created)"
    )
    r["map_after_component_ms"] = spread([x["ready_ms"] - x["component_ms"] for x in started])
    r["map_ready_failures"] = len(t.loads) - len(ok)
    payload = [x["map_bytes"] for x in ok]
    r["payload_bytes"] = int(statistics.median(payload))
    r["map_bytes"] = r["payload_bytes"]
    r["payload_bytes_spread"] = {"min": min(payload), "max": max(payload)}
    r["framework_bytes"] = int(statistics.median([x["framework_bytes"] for x in ok]))
    last = ok[-1]
    r["map_bytes_breakdown"] = last["breakdown"]
    r["layers_counted"] = last["counts"]
    r["leaflet_version"] = last["leaflet_version"]
    r["refused_requests"] = sorted({u for x in t.loads for u in x["refused"]})
    r["page_errors"] = sorted({e for x in t.loads for e in x["page_errors"]})


def measure(browser, targets: list[Target], args, total: int, expected: int) -> None:
    """Every measure for every target, each on its own server, all servers up at once.

    The cold loads alternate between the targets (app, baseline, app, ...): a slower or busier
    moment of this shared machine then weighs on both sides alike, not on one.
    """
    with contextlib.ExitStack() as stack:
        for t in targets:
            t.url, t.pid = stack.enter_context(streamlit_server(t.script, t.name, t.extra))
            t.result["script"] = str(t.script.relative_to(ROOT))
        for t in targets:
            log(f"{t.name}: warm-up load (not counted)")
            warm = cold_load(browser, t.url, timeout_s=180)
            if warm["ready_ms"] is None:
                raise RuntimeError(f"{t.name}: the map never drew on the warm-up load")
            t.result["first_load_ms"] = round(warm["ready_ms"], 1)
        for i in range(args.loads):
            for t in targets:
                load = cold_load(browser, t.url)
                t.loads.append(load)
                log(f"{t.name}: cold load {i + 1}/{args.loads}: {load['ready_ms']} ms, {load['map_bytes']} B")
        for t in targets:
            summarise_loads(t)
        if args.loads_only:
            return
        for t in targets:
            log(f"{t.name}: filter in the browser x{args.filters}")
            t.result.update(browser_filter(browser, t.url, total, expected, args.filters))
        for t in targets:
            log(f"{t.name}: {args.sessions} concurrent sessions")
            t.result["sessions"] = sessions(browser, t.url, t.pid, args.sessions, args.contexts)
            t.result["server_rss_mb"] = t.result["sessions"]["rss_after"].get("rss_mb")
    if not args.skip_apptest:
        for t in targets:
            log(f"{t.name}: filter through AppTest x{args.filters}")
            t.result["filter_server_ms"] = apptest_filter(t.page_script or t.script, args.filters)


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def budgets(out: dict) -> dict:
    """Each budget of issue #6: the limit, the measured value and whether it is met."""
    app, ratios = out["app"], out["ratios"]
    checks = {
        "payload_ratio": (ratios["payload_bytes"], BUDGETS["payload_ratio_max"], "<="),
        "payload_bytes": (app["payload_bytes"], BUDGETS["payload_bytes_max"], "<"),
        "map_ready_ratio": (ratios["map_ready_ms"], BUDGETS["map_ready_ratio_max"], "<="),
    }
    if "filter_ms" in app:  # not measured with --loads-only
        checks["filter_ms_median"] = (app["filter_ms"]["median"], BUDGETS["filter_ms_max"], "<")
        checks["sessions_served"] = (app["sessions"]["served"], BUDGETS["sessions_min"], ">=")
    result = {}
    for name, (value, limit, op) in checks.items():
        met = value is not None and {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]
        result[name] = {"value": value, "limit": f"{op} {limit}", "met": met}
    return result


def table(out: dict) -> str:
    def row(label: str, f) -> str:
        return f"{label:<34}" + "".join(f"{f(out[k])!s:>28}" for k in ("app", "baseline"))

    def med(d: dict) -> str:
        return "n/a" if d.get("median") is None else f"{d['median']:.0f} [{d['min']:.0f}-{d['max']:.0f}]"

    lines = [
        f"{'':<34}{'app':>28}{'baseline':>28}",
        row("payload_bytes (map)", lambda r: r["payload_bytes"]),
        row("framework_bytes (Streamlit)", lambda r: r["framework_bytes"]),
        row("map_ready_ms med [min-max]", lambda r: med(r["map_ready_ms"])),
        row(" . component_start_ms", lambda r: med(r["component_start_ms"])),
        row(" . map_after_component_ms", lambda r: med(r["map_after_component_ms"])),
    ]
    if "filter_ms" in out["app"]:  # not measured with --loads-only
        lines += [
            row("filter_ms (server, websocket)", lambda r: med(r["filter_ms"])),
            row("filter_e2e_ms (click -> redrawn)", lambda r: med(r["filter_e2e_ms"])),
            row("filter_server_ms (AppTest)", lambda r: med(r.get("filter_server_ms", {}))),
            row("sessions served", lambda r: f"{r['sessions']['served']}/{r['sessions']['requested']}"),
            row("server RSS after (MB)", lambda r: r["server_rss_mb"]),
        ]
    lines += [
        "ratios (app / baseline): " + json.dumps(out["ratios"]),
        "budgets: " + json.dumps({k: v["met"] for k, v in out["budgets"].items()}),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--loads", type=int, default=7, help="cold loads per app (default 7)")
    parser.add_argument("--filters", type=int, default=20, help="filter changes per app (default 20)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent pages (default 20, max 20)")
    parser.add_argument("--contexts", type=int, default=5, help="browser contexts for the sessions (default 5)")
    parser.add_argument("--skip-apptest", action="store_true", help="skip the AppTest (server-only) filter timing")
    parser.add_argument(
        "--only", choices=("app", "baseline"), help="measure one side only (no ratios): for quick checks"
    )
    parser.add_argument(
        "--loads-only",
        action="store_true",
        help="measure the cold loads only (map_ready_ms, payload_bytes): no filter, sessions nor AppTest",
    )
    parser.add_argument(
        "--recueil",
        action="store_true",
        help="batch fiches against the old per-commune loop (bench/recueil.py) instead of the map",
    )
    parser.add_argument(
        "--load",
        nargs=argparse.REMAINDER,
        help="protocol-level load on the server instead (bench/load.py; its options follow, e.g. --load --nginx)",
    )
    args = parser.parse_args(argv)
    if args.load is not None:
        from bench import load

        return load.main(args.load)
    if args.recueil:
        from bench.recueil import main as recueil_main

        return recueil_main([], as_json=args.json)
    if args.loads_only:
        args.skip_apptest = True
    args.sessions = max(1, min(args.sessions, 20))
    args.loads = max(1, args.loads)

    from playwright.sync_api import sync_playwright

    from geo.load import load_territory
    from layers.assets import ensure_vendor_assets

    chromium = chromium_path()
    if chromium is None:
        print("Debian's chromium is required (apt-get install chromium)", file=sys.stderr)
        return 2
    t = load_territory()
    total = len(t.cites)
    expected = int((t.cites["statut"] == FILTER_OPTION).sum())
    created_static = not BASELINE_STATIC.exists()
    ensure_vendor_assets()
    ensure_vendor_assets(BASELINE_STATIC)  # the baseline's own static/ folder, served at /app/static/
    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            try:
                targets = [
                    Target("app", ROOT / "serve.py", [], page_script=ROOT / "app.py"),
                    Target("baseline", BASELINE_SCRIPT, ["--server.enableStaticServing", "true"]),
                ]
                targets = [t for t in targets if args.only in (None, t.name)]
                measure(browser, targets, args, total, expected)
                out.update({t.name: t.result for t in targets})
            finally:
                browser.close()
    finally:
        if created_static and BASELINE_STATIC.exists():
            shutil.rmtree(BASELINE_STATIC)
    out["machine"] = {
        "cpus": os.cpu_count(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "chromium": chromium,
    }
    if args.only:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    app, base = out["app"], out["baseline"]
    out["ratios"] = {
        "payload_bytes": ratio(app["payload_bytes"], base["payload_bytes"]),
        "map_ready_ms": ratio(app["map_ready_ms"]["median"], base["map_ready_ms"]["median"]),
    }
    if not args.loads_only:
        out["ratios"] |= {
            "filter_ms": ratio(app["filter_ms"]["median"], base["filter_ms"]["median"]),
            "filter_e2e_ms": ratio(app["filter_e2e_ms"]["median"], base["filter_e2e_ms"]["median"]),
            "filter_server_ms": ratio(
                app.get("filter_server_ms", {}).get("median"), base.get("filter_server_ms", {}).get("median")
            ),
        }
    out["budgets"] = budgets(out)
    print(json.dumps(out, indent=2, ensure_ascii=False) if args.json else table(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
