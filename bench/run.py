"""Measure the Carte page against a naive folium baseline built from the same data (issue #6).

``python bench/run.py`` prints a table; ``python bench/run.py --json`` prints
``{"app": {...}, "baseline": {...}, "ratios": {...}}``. Everything runs on 127.0.0.1, in
Debian's Chromium driven by Playwright with the network cut at the resolver.

Per app (each on its own Streamlit server, started on a free port and stopped at the end):

- payload: bytes received to draw the Carte page in a cold browser context, split into
  ``framework_bytes`` (Streamlit's own bundle under ``/static/`` and ``/_stcore/``) and
  ``map_bytes`` (websocket frames + component iframe + Leaflet + iframe sub-resources);
  ``payload_bytes`` = ``map_bytes``. Sizes are ``encodedBodySize`` from Resource Timing in the
  page and in the map iframe, and websocket frames from ``ws.on("framereceived")``.
- map_ready_ms: ``page.goto`` -> communes drawn in ``window.map_div`` of the map iframe,
  over N cold loads (a new browser context each), after one uncounted warm-up load.
- filter_ms: browser, click on the "Statut" option (or Backspace to remove it) -> the map
  iframe shows the new cité count. Also ``filter_server_ms``: the same change through
  Streamlit's AppTest (``.run()`` timed with ``time.perf_counter``), server only.
- sessions: N pages opened at once (one browser, several contexts); how many draw the map
  without error within 60 s; the server's RSS afterwards.
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

# Counts the drawn features of the map iframe. The app tags its features with ``kind``; the
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
# Injected in every frame of a context: the map iframe stamps the epoch time (ms) at which the
# communes are drawn, so a busy Python poller (20 pages at once) does not inflate the times.
DRAWN_INIT_JS = (
    # The script runs first in the iframe's initial about:blank document, whose window the
    # component page then reuses: the address is checked at each tick, not once.
    "(() => { if (window === window.top) return;"
    " const count = " + COUNT_JS.strip() + ";"
    " const t = setInterval(() => { try { if (!location.href.includes('" + MAP_FRAME + "')) return;"
    " const c = count();"
    " if (c && c.commune >= 250) { window.__benchDrawnAt = performance.timeOrigin + performance.now();"
    " clearInterval(t); } } catch (e) {} }, 20); })();"
)
DRAWN_AT_JS = "() => window.__benchDrawnAt || null"
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


def map_counts(page) -> dict | None:
    best = None
    for frame in page.frames:
        if MAP_FRAME in frame.url:
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
    """Epoch ms at which the map iframe drew the communes (stamped in the page), if it did."""
    for frame in page.frames:
        if MAP_FRAME in frame.url:
            try:
                at = frame.evaluate(DRAWN_AT_JS)
            except Exception:  # noqa: BLE001
                continue
            if at:
                return at
    return None


def classify(url: str) -> str:
    path = urlparse(url).path
    if path.startswith("/app/static/"):
        return "leaflet_bytes"
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
        # Let the last frames and late assets arrive before summing what was received.
        page.wait_for_timeout(2000)
        counts = map_counts(page) or counts
        sizes = {"framework_bytes": 0, "component_bytes": 0, "leaflet_bytes": 0, "iframe_resource_bytes": 0}
        for name, size, _ in page.evaluate(RESOURCES_JS):
            sizes[classify(name)] += size
        for frame in page.frames:
            if MAP_FRAME in frame.url:
                try:
                    for name, size, _ in frame.evaluate(RESOURCES_JS):
                        key = "leaflet_bytes" if "/app/static/" in name else "iframe_resource_bytes"
                        sizes[key] += size
                except Exception:  # noqa: BLE001
                    pass
        sizes["websocket_bytes"] = ws_bytes[0]
        map_bytes = sizes["websocket_bytes"] + sizes["component_bytes"] + sizes["leaflet_bytes"]
        map_bytes += sizes["iframe_resource_bytes"]
        leaflet = None
        for frame in page.frames:
            if MAP_FRAME in frame.url:
                with contextlib.suppress(Exception):
                    leaflet = frame.evaluate("() => typeof L !== 'undefined' ? L.version : null")
        return {
            "ready_ms": ready_ms,
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


def browser_filter(browser, url: str, total: int, expected: int, n: int) -> dict:
    """Click the option / remove it with Backspace; time until the iframe shows the new cité count."""
    ctx = new_context(browser)
    samples: list[float] = []
    failures: list[str] = []
    try:
        page = ctx.new_page()
        page.goto(url + "/")
        if wait_for(page, lambda c: communes_drawn(c) and c["cite"] == total, 90) is None:
            return {"method": "browser", "error": "map never drew", **spread([])}
        page.wait_for_timeout(1000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        box = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Statut").locator("input")
        option_name = re.compile(rf"^{re.escape(FILTER_OPTION)}( \(\d+\))?$")
        for i in range(n):
            box.click()
            if i % 2 == 0:
                option = page.get_by_role("option", name=option_name)
                option.wait_for(timeout=30_000)
                target = expected
                t0 = time.perf_counter()
                option.click()
            else:
                target = total
                t0 = time.perf_counter()
                page.keyboard.press("Backspace")
            got = wait_for(page, lambda c, t=target: communes_drawn(c) and c["cite"] == t, 60)
            if got is None:
                failures.append(f"change {i}: cité count never reached {target}")
            else:
                samples.append((time.perf_counter() - t0) * 1000)
            page.keyboard.press("Escape")
            # Let the rerun finish (the rest of the page after the map) before the next change.
            page.wait_for_timeout(800)
    finally:
        ctx.close()
    return {
        "method": "browser: click on the 'Statut' option (or Backspace to remove it) -> map iframe shows the "
        f"new cité count ({expected} / {total}), polled every {POLL_MS} ms",
        "failures": failures,
        **spread(samples),
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
    }


def measure(browser, name: str, script: Path, extra: list[str], args, total: int, expected: int) -> dict:
    result: dict = {"script": str(script.relative_to(ROOT))}
    with streamlit_server(script, name, extra) as (url, pid):
        log(f"{name}: warm-up load (not counted)")
        warm = cold_load(browser, url, timeout_s=180)
        result["first_load_ms"] = round(warm["ready_ms"], 1) if warm["ready_ms"] else None
        if warm["ready_ms"] is None:
            raise RuntimeError(f"{name}: the map never drew on the warm-up load")
        loads = []
        for i in range(args.loads):
            loads.append(cold_load(browser, url))
            log(f"{name}: cold load {i + 1}/{args.loads}: {loads[-1]['ready_ms']} ms, {loads[-1]['map_bytes']} B")
        ok = [x for x in loads if x["ready_ms"] is not None]
        result["map_ready_ms"] = spread([x["ready_ms"] for x in ok])
        result["map_ready_ms"]["clock"] = "goto -> communes drawn, stamped in the map iframe"
        result["map_ready_polled_ms"] = spread([x["polled_ms"] for x in ok])
        result["map_ready_failures"] = len(loads) - len(ok)
        payload = [x["map_bytes"] for x in ok]
        result["payload_bytes"] = int(statistics.median(payload))
        result["map_bytes"] = result["payload_bytes"]
        result["payload_bytes_spread"] = {"min": min(payload), "max": max(payload)}
        result["framework_bytes"] = int(statistics.median([x["framework_bytes"] for x in ok]))
        last = ok[-1]
        result["map_bytes_breakdown"] = last["breakdown"]
        result["layers_counted"] = last["counts"]
        result["leaflet_version"] = last["leaflet_version"]
        result["refused_requests"] = sorted({u for x in loads for u in x["refused"]})
        result["page_errors"] = sorted({e for x in loads for e in x["page_errors"]})
        log(f"{name}: filter in the browser x{args.filters}")
        result["filter_ms"] = browser_filter(browser, url, total, expected, args.filters)
        log(f"{name}: {args.sessions} concurrent sessions")
        result["sessions"] = sessions(browser, url, pid, args.sessions, args.contexts)
        result["server_rss_mb"] = result["sessions"]["rss_after"].get("rss_mb")
    if not args.skip_apptest:
        log(f"{name}: filter through AppTest x{args.filters}")
        result["filter_server_ms"] = apptest_filter(script, args.filters)
    return result


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


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
        row("filter_ms (browser)", lambda r: med(r["filter_ms"])),
        row("filter_server_ms (AppTest)", lambda r: med(r.get("filter_server_ms", {}))),
        row("sessions served", lambda r: f"{r['sessions']['served']}/{r['sessions']['requested']}"),
        row("server RSS after (MB)", lambda r: r["server_rss_mb"]),
        "ratios (app / baseline): " + json.dumps(out["ratios"]),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--loads", type=int, default=5, help="cold loads per app (default 5)")
    parser.add_argument("--filters", type=int, default=20, help="filter changes per app (default 20)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent pages (default 20, max 20)")
    parser.add_argument("--contexts", type=int, default=5, help="browser contexts for the sessions (default 5)")
    parser.add_argument("--skip-apptest", action="store_true", help="skip the AppTest (server-only) filter timing")
    args = parser.parse_args(argv)
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
                out["app"] = measure(browser, "app", ROOT / "app.py", [], args, total, expected)
                out["baseline"] = measure(
                    browser,
                    "baseline",
                    BASELINE_SCRIPT,
                    ["--server.enableStaticServing", "true"],
                    args,
                    total,
                    expected,
                )
            finally:
                browser.close()
    finally:
        if created_static and BASELINE_STATIC.exists():
            shutil.rmtree(BASELINE_STATIC)
    app, base = out["app"], out["baseline"]
    out["ratios"] = {
        "payload_bytes": ratio(app["payload_bytes"], base["payload_bytes"]),
        "map_ready_ms": ratio(app["map_ready_ms"]["median"], base["map_ready_ms"]["median"]),
        "filter_ms": ratio(app["filter_ms"]["median"], base["filter_ms"]["median"]),
        "filter_server_ms": ratio(
            app.get("filter_server_ms", {}).get("median"), base.get("filter_server_ms", {}).get("median")
        ),
    }
    out["machine"] = {
        "cpus": os.cpu_count(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "chromium": chromium,
    }
    print(json.dumps(out, indent=2, ensure_ascii=False) if args.json else table(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
