"""Start the app on a free port and drive Debian's Chromium through Playwright, offline."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL_PREFIXES = (
    "http://127.0.0.1",
    "http://localhost",
    "ws://127.0.0.1",
    "ws://localhost",
    "data:",
    "blob:",
    "about:",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The network is cut at the resolver: every host but this machine fails to resolve, so a
    # request to a CDN or a tile server is refused as it would be in a town hall with no link.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    script: str = "serve.py",
    *,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    log_name: str = "streamlit",
    timeout_s: float = 90.0,
) -> Iterator[tuple[str, int]]:
    """``streamlit run <script>`` on a free loopback port; yields (URL, pid) once it answers."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"{log_name}-{port}.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {script} (see {log.name})")
            time.sleep(0.3)  # no Playwright call is pending here: a plain sleep is fine
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@contextmanager
def running_app(*, env: dict[str, str] | None = None, timeout_s: float = 90.0) -> Iterator[str]:
    """The Carte ERBM app on a free port; yields its URL once it answers."""
    with streamlit_server(env=env, timeout_s=timeout_s) as (url, _pid):
        yield url


class Offline:
    """Remembers every request made to a non-local host (the resolver rule refuses them).

    A passive listener: intercepting every request with ``page.route`` delays Streamlit's
    health check by ~15 s, which would measure Playwright, not the app.
    """

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, request) -> None:
        if not request.url.startswith(LOCAL_PREFIXES):
            self.refused.append(request.url)


COUNT_KINDS_JS = """
() => {
  const m = window.map_div;
  if (!m || !m.eachLayer) return null;
  const counts = {};
  m.eachLayer(l => {
    const k = l.feature && l.feature.properties && l.feature.properties.kind;
    if (k) counts[k] = (counts[k] || 0) + 1;
  });
  return counts;
}
"""


def _counts(page):
    """The map's layer counts and the frame that holds the map: the page itself (the map is a
    components.v2 element, not an iframe), or an iframe for pages that embed one."""
    for frame in page.frames:
        try:
            counts = frame.evaluate(COUNT_KINDS_JS)
        except Exception:  # noqa: BLE001 - frame loading or being replaced
            continue
        if counts:
            return frame, counts
    return None, None


# True once the map's layer counts differ from ``last`` (null: once there are counts at all).
COUNTS_CHANGED_JS = (
    "(last) => { const c = ("
    + COUNT_KINDS_JS.strip()
    + """)();
  if (!c) return false;
  if (!last) return true;
  const keys = Object.keys(c);
  return keys.length !== Object.keys(last).length || keys.some(k => c[k] !== last[k]);
}"""
)


def _wait_change(page, frame, last: dict | None, timeout_s: float) -> None:
    """Wait inside the browser until the map's counts change (in ``frame``, else the page itself).

    A Playwright wait, not time.sleep: Playwright's sync API only processes browser events (new
    frames, websocket frames) while Python waits inside Playwright. It returns early when the
    counts change, and after ``timeout_s`` at most, so that a map in another frame is looked for
    again.
    """
    from playwright.sync_api import Error as PlaywrightError

    target = frame if frame is not None else page.main_frame
    try:
        target.wait_for_function(COUNTS_CHANGED_JS, arg=last, timeout=max(1.0, timeout_s) * 1000)
    except PlaywrightError:  # timed out, or the frame was replaced: look again
        pass


def map_frame(page, timeout_s: float = 60.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        frame, _ = _counts(page)
        if frame is not None:
            return frame
        _wait_change(page, None, None, min(2.0, deadline - time.monotonic()))
    raise AssertionError("the map never drew its layers")


def wait_counts(page, predicate, timeout_s: float = 60.0) -> dict:
    """Poll the map's layer counts until ``predicate(counts)`` holds (the map updates in place, or remounts
    when the display options change)."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        frame, counts = _counts(page)
        if counts:
            last = counts
            if predicate(counts):
                return counts
        _wait_change(page, frame, counts, min(5.0, deadline - time.monotonic()))
    raise AssertionError(f"map counts never matched; last seen: {last}")
