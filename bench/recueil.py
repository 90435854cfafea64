"""Batch fiches against the README's old per-commune shell loop, in the same run (issue #17).

``python bench/run.py --recueil`` (or ``python bench/recueil.py``) prints a table; ``--json`` prints
``{"loop": {...}, "fiches": {...}, "recueil": {...}, "ratio": …, "budget": {...}, "machine": {...}}``.

For one EPCI (by default Cœur d'Ostrevent, 19 communes), each of three ways of producing its sheets
runs as it would from a terminal, under a small Python parent that times it and reads the
``getrusage(RUSAGE_CHILDREN)`` of everything it started:

- loop: the shell loop the README used to give, one ``python cli.py fiche`` per commune;
- fiches: ``python cli.py fiches --epci SIREN --dossier DIR`` (process pool on every core), run
  once before the loop and twice after, the median run counted (this machine's load varies);
- recueil: ``python cli.py recueil --epci SIREN`` (the same sheets in one binder PDF).

Wall time, CPU time (user + system, all processes), per-sheet wall time, and the peak resident
memory of the largest single process (``ru_maxrss``). The loop's files and the batch's are compared
byte for byte: fiches are reproducible, so they must be the same PDFs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CCO = "245901152"  # Communauté d'agglomération Cœur d'Ostrevent, 19 communes in the perimeter
BUDGET_RATIO = 0.10  # batch wall time ≤ 10 % of the loop's
MIN_COMMUNES = 15
# The README's loop before issue #17, word for word but for the python and the folder.
LOOP = (
    "for c in $({py} cli.py export communes | {py} -c \"import csv,sys; [print(r['insee']) for r in "
    "csv.DictReader(sys.stdin) if r['epci_siren']=='{siren}']\"); do {py} cli.py fiche --commune $c "
    "-o {out}/fiche-$c.pdf; done"
)
# Times its command and reads the resources of all the processes it started (their children included).
TIMER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"returncode": done.returncode, "wall_s": wall, "cpu_s": use.ru_utime + use.ru_stime,
                  "peak_rss_mb": use.ru_maxrss / 1024, "stderr": done.stderr[-2000:]}))
"""


def log(msg: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def timed(command: list[str]) -> dict:
    """Wall time, CPU time and peak RSS of ``command`` (run from the checkout) and all it starts."""
    done = subprocess.run([sys.executable, "-c", TIMER, *command], cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if result["returncode"] != 0:
        raise RuntimeError(f"{command[:4]} failed: {result['stderr']}")
    del result["stderr"], result["returncode"]
    return {k: round(v, 3) for k, v in result.items()}


def communes_of(siren: str) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from geo.load import load_territory

    perim = load_territory().perimeter_communes
    return sorted(perim.loc[perim["epci_siren"] == siren, "insee"])


def measure(siren: str, workers: int | None) -> dict:
    load_start = [round(x, 2) for x in os.getloadavg()]  # other work on the machine shows here
    codes = communes_of(siren)
    if len(codes) < MIN_COMMUNES:
        raise SystemExit(f"EPCI {siren}: {len(codes)} communes, at least {MIN_COMMUNES} wanted")
    py = sys.executable
    extra = ["--workers", str(workers)] if workers else []
    with tempfile.TemporaryDirectory(prefix="bench-recueil-") as tmp:
        loop_dir, batch_dir = Path(tmp, "loop"), Path(tmp, "batch")
        loop_dir.mkdir()
        batch = [py, "cli.py", "fiches", "--epci", siren, *extra, "--dossier"]
        log(f"batch: cli.py fiches --epci {siren} ({len(codes)} communes)")
        before = timed([*batch, str(batch_dir)])
        log("binder: cli.py recueil")
        binder = timed([py, "cli.py", "recueil", "--epci", siren, "--output", str(Path(tmp, "r.pdf")), *extra])
        log("loop: the README's old shell loop, one python per commune")
        loop = timed(["bash", "-c", LOOP.format(py=py, siren=siren, out=loop_dir)])
        log("batch again, twice, after the loop: the median of the three runs counts")
        runs = [before, *(timed([*batch, str(Path(tmp, f"batch-{n}"))]) for n in (2, 3))]
        fiches = sorted(runs, key=lambda r: r["wall_s"])[1] | {"runs_wall_s": [r["wall_s"] for r in runs]}
        same = [
            (loop_dir / f"fiche-{c}.pdf").read_bytes() == (batch_dir / f"fiche-erbm-commune-{c}.pdf").read_bytes()
            for c in codes
        ]
        files = {"loop": len(list(loop_dir.iterdir())), "fiches": len(list(batch_dir.iterdir()))}
    n = len(codes)
    for r in (loop, fiches, binder):
        r["per_sheet_s"] = round(r["wall_s"] / n, 3)
        r["cpu_per_sheet_s"] = round(r["cpu_s"] / n, 3)
    ratio = round(fiches["wall_s"] / loop["wall_s"], 4)
    return {
        "epci": siren,
        "communes": n,
        "workers": workers or len(os.sched_getaffinity(0)),
        "loop": loop,
        "fiches": fiches,
        "recueil": binder,
        "files": files,
        "identical_files": sum(same),
        "ratio": ratio,
        "budget": {"ratio_max": BUDGET_RATIO, "held": ratio <= BUDGET_RATIO},
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_start": load_start,
            "load_avg": [round(x, 2) for x in os.getloadavg()],
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
        },
    }


def table(out: dict) -> str:
    rows = [
        f"EPCI {out['epci']}: {out['communes']} communes, {out['workers']} worker(s); "
        f"identical files {out['identical_files']}/{out['communes']}",
        "| way | wall s | per sheet s | CPU s | CPU per sheet s | peak RSS MB (largest process) |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("loop", "fiches", "recueil"):
        r = out[name]
        cells = (r["wall_s"], r["per_sheet_s"], r["cpu_s"], r["cpu_per_sheet_s"], round(r["peak_rss_mb"]))
        rows.append(f"| {name} | " + " | ".join(map(str, cells)) + " |")
    held = "held" if out["budget"]["held"] else "NOT held"
    rows.append(f"fiches / loop = {out['ratio']} (budget ≤ {out['budget']['ratio_max']}: {held})")
    load = out["machine"]
    rows.append(f"load average (1, 5, 15 min): {load['load_avg_start']} at the start, {load['load_avg']} at the end")
    return "\n".join(rows)


def main(argv: list[str] | None = None, *, as_json: bool | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--epci", default=CCO, help=f"SIREN of an EPCI with ≥ {MIN_COMMUNES} communes (default {CCO})")
    parser.add_argument("--workers", type=int, help="worker processes of the batch (default: the machine's cores)")
    args = parser.parse_args(argv)
    out = measure(args.epci, args.workers)
    print(json.dumps(out, indent=2, ensure_ascii=False) if (as_json or args.json) else table(out))
    return 0 if out["budget"]["held"] and out["identical_files"] == out["communes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
