"""Protocol-level load on the server: websocket clients, no browser (issue #18, finding 8).

``python bench/load.py`` (or ``python bench/run.py --load``) starts the app as shipped
(``streamlit run serve.py``) and, for 20, 40 and 60 sessions at once, has each one do what a
browser does on the Carte page, speaking Streamlit's protocol (``bench/wsclient.py``):

1. open the Carte page (the first run: the map alone, ``ui/firstpaint.py``);
2. report the map drawn, as the map component does (the second run: the whole page);
3. change the « Statut » filter ``--changes`` times (one run each), timed from the ``BackMsg``
   sent to the run's ``script_finished`` received.

Per load: sessions served (every run finished, within ``--timeout`` seconds), filter p50/p95 (ms)
over every change of every session, the time until all sessions had their whole page, the
servers' CPU seconds over the load and their resident memory after it (and its peak).

``--nginx`` runs the same loads through two instances behind Debian's nginx with sticky sessions
(``hash $cookie_erbm_cle consistent``: each browser's key cookie, ``ui/browserkey.py``, sends it
back to the instance that holds its session), to show what a second instance buys on this machine.
Each client carries its own random key, as each browser does after its first page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetStates  # noqa: E402

from bench.wsclient import Client, Run  # noqa: E402
from tests import browser_support  # noqa: E402

PAGE = "carte"
# « travaux logements (9) »: the option's count, which the export button then shows.
COUNT_IN_OPTION = re.compile(r"\((\d+)\)$")
FILTER_LABEL = "Statut"
LOADS = (20, 40, 60)
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream erbm {{ hash $cookie_erbm_cle consistent; {servers} }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://erbm;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


def log(msg: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Widgets:
    """What a session learnt of its page: the map component's id and the Statut filter's."""

    map_id: str = ""
    filter_id: str = ""
    options: list[str] = field(default_factory=list)


def read_widgets(run: Run) -> Widgets:
    found = Widgets()
    for frame in run.frames:
        msg = ForwardMsg.FromString(frame)
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "bidi_component":
            found.map_id = element.bidi_component.id
        elif kind == "multiselect" and element.multiselect.label == FILTER_LABEL:
            found.filter_id = element.multiselect.id
            found.options = list(element.multiselect.options)
    return found


def states(widgets: Widgets, chosen: list[str] | None) -> WidgetStates:
    """The widget states a browser sends: the map drawn, and the filter's choice if any."""
    out = WidgetStates()
    drawn = out.widgets.add()
    drawn.id = widgets.map_id
    drawn.json_value = json.dumps({"map_drawn": True})
    if chosen is not None and widgets.filter_id:
        choice = out.widgets.add()
        choice.id = widgets.filter_id
        choice.string_array_value.data.extend(chosen)
    return out


@dataclass
class SessionResult:
    served: bool = False
    page_s: float | None = None  # start -> whole page received
    filter_ms: list[float] = field(default_factory=list)
    error: str = ""


async def one_session(url: str, *, changes: int, timeout_s: float, started: float) -> SessionResult:
    result = SessionResult()
    client = Client(url, cookie=f"erbm_cle={secrets.token_urlsafe(32)}")
    try:
        await client.connect()
        first = await client.rerun(page=PAGE, timeout_s=timeout_s)
        widgets = read_widgets(first)
        if not first.finished or not widgets.map_id:
            result.error = "première exécution incomplète"
            return result
        full = await client.rerun(page=PAGE, widgets=states(widgets, None), timeout_s=timeout_s)
        widgets = read_widgets(full) if full.finished else widgets
        if not full.finished or not widgets.options:
            result.error = "page complète non reçue"
            return result
        result.page_s = time.perf_counter() - started
        # The first option alone, then none, and so on: each change reruns the page.
        for n in range(changes):
            chosen = [widgets.options[0]] if n % 2 == 0 else []
            run = await client.rerun(page=PAGE, widgets=states(widgets, chosen), timeout_s=timeout_s)
            if not run.finished:
                result.error = "changement de filtre sans réponse"
                return result
            if chosen and not run.has_text(f"Exporter en CSV ({COUNT_IN_OPTION.search(chosen[0]).group(1)} cités)"):
                result.error = "le filtre n'a pas été appliqué"
                return result
            result.filter_ms.append(run.seconds * 1000)
        result.served = True
    except Exception as err:  # noqa: BLE001 - a refused or dropped connection is a session not served
        result.error = f"{type(err).__name__}: {err}"[:200]
    finally:
        await client.close()
    return result


async def sample_rss(pids: list[int], peak: dict[int, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for pid in pids:
            peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=0.2)


async def load(url: str, pids: list[int], *, sessions: int, changes: int, timeout_s: float) -> dict:
    peak: dict[int, float] = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pids, peak, stop))
    cpu_before = sum(cpu_s(pid) for pid in pids)
    started = time.perf_counter()
    results = await asyncio.gather(
        *(one_session(url, changes=changes, timeout_s=timeout_s, started=started) for _ in range(sessions))
    )
    wall = time.perf_counter() - started
    cpu = sum(cpu_s(pid) for pid in pids) - cpu_before
    stop.set()
    await sampler
    filters = sorted(ms for r in results for ms in r.filter_ms)
    pages = [r.page_s for r in results if r.page_s is not None]
    errors = sorted({r.error for r in results if r.error})
    return {
        "sessions": sessions,
        "served": sum(r.served for r in results),
        "filter_changes": len(filters),
        "filter_p50_ms": round(statistics.median(filters), 1) if filters else None,
        "filter_p95_ms": round(statistics.quantiles(filters, n=20)[18], 1) if len(filters) > 1 else None,
        "all_pages_s": round(max(pages), 2) if pages else None,
        "wall_s": round(wall, 2),
        "server_cpu_s": round(cpu, 2),
        "rss_after_mb": round(sum(rss_mb(pid) for pid in pids), 1),
        "rss_peak_mb": round(sum(peak.values()), 1),
        "errors": errors[:5],
    }


async def warm_up(url: str) -> None:
    """One session first, uncounted: the server loads the data and prepares the map once."""
    result = await one_session(url, changes=1, timeout_s=300.0, started=time.perf_counter())
    if not result.served:
        raise RuntimeError(f"la session de chauffe a échoué : {result.error}")


@contextmanager
def servers(n: int) -> Iterator[list[tuple[str, int]]]:
    with ExitStack() as stack:
        yield [
            stack.enter_context(browser_support.streamlit_server(log_name=f"load-{i}", timeout_s=180.0))
            for i in range(n)
        ]


@contextmanager
def nginx(upstreams: list[str]) -> Iterator[str]:
    """Debian's nginx in front of ``upstreams`` (``host:port``), on a free port; yields its URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx n'est pas installé (apt-get install nginx-light)")
    port = browser_support.free_port()
    with tempfile.TemporaryDirectory(prefix="erbm-nginx-") as tmp:
        servers_conf = " ".join(f"server {u};" for u in upstreams)
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, servers=servers_conf, port=port), encoding="utf-8")
        proc = subprocess.Popen([binary, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)  # nginx binds at once; no client is waiting yet
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def run_setup(name: str, n_instances: int, args: argparse.Namespace) -> list[dict]:
    rows = []
    with servers(n_instances) as started:
        pids = [pid for _url, pid in started]
        with ExitStack() as stack:
            if n_instances == 1:
                url = started[0][0]
            else:
                url = stack.enter_context(nginx([u.removeprefix("http://") for u, _pid in started]))
            for server_url, _pid in started:
                asyncio.run(warm_up(server_url))
            for sessions in args.sessions:
                log(f"{name}: {sessions} sessions")
                row = {
                    "setup": name,
                    **asyncio.run(load(url, pids, sessions=sessions, changes=args.changes, timeout_s=args.timeout)),
                }
                log(json.dumps(row, ensure_ascii=False))
                rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    head = (
        "| montage | sessions | servies | filtre p50 (ms) | filtre p95 (ms) | toutes les pages (s) "
        "| CPU serveur (s) | mémoire après / pic (Mo) |"
    )
    lines = [head, "|" + "---|" * 8]
    for r in rows:
        lines.append(
            f"| {r['setup']} | {r['sessions']} | {r['served']} | {r['filter_p50_ms']} | {r['filter_p95_ms']} "
            f"| {r['all_pages_s']} | {r['server_cpu_s']} | {r['rss_after_mb']} / {r['rss_peak_mb']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=list(LOADS), help="loads (default 20 40 60)")
    parser.add_argument("--changes", type=int, default=3, help="filter changes per session (default 3)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a run may take (default 60)")
    parser.add_argument("--nginx", action="store_true", help="also two instances behind nginx")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = run_setup("1 instance", 1, args)
    if args.nginx:
        rows += run_setup("2 instances + nginx", 2, args)
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
