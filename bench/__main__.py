"""`python -m bench [--seconds N] [--only phase,...]`: run the benchmarks in order, then write
bench/results/latest.json and docs/performance.md."""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PHASES = ("pages", "burst", "mail", "feeds", "statements", "profile")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mib": mem, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per page")
    parser.add_argument("--only", default=",".join(PHASES), help="comma-separated phases")
    args = parser.parse_args(argv)
    only = [p for p in args.only.split(",") if p]
    from . import database, report  # after argparse: --help needs no app

    RESULTS.mkdir(exist_ok=True)
    previous = RESULTS / "latest.json"
    results = json.loads(previous.read_text()) if previous.exists() and len(only) < len(PHASES) else {}
    results.update({"machine": machine(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    url = database.url()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="eventsite-bench-") as tmp:
        work = Path(tmp)
        for phase in only:
            t0 = time.monotonic()
            print(f"bench: {phase} ...", flush=True)
            results[phase] = run_phase(phase, url, work, args)
            results[phase]["elapsed_s"] = round(time.monotonic() - t0, 1)
            print(f"bench: {phase} done in {results[phase]['elapsed_s']} s", flush=True)
    results["total_s"] = round(time.monotonic() - started, 1)
    previous.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    report.write(results, ROOT / "docs" / "performance.md")
    for row in report.goals(results):  # each goal, its figure and whether it is met
        print("bench:", row.strip("| ").replace(" | ", " — "))
    print(f"bench: wrote {previous.relative_to(ROOT)} and docs/performance.md "
          f"in {results['total_s']} s")
    return 0


def run_phase(phase: str, url: str, work: Path, args) -> dict:
    from . import database, dataset

    if phase in ("pages", "burst"):
        app = database.fresh_app(url, str(work / "instance"))
        with app.app_context():
            data = dataset.fabricate()
        if phase == "pages":
            from . import pages
            return pages.run(url, data, work, args.seconds)
        from . import burst
        return burst.run(url, data, work)
    if phase == "mail":
        from . import mailbench
        return mailbench.run(url, work)
    if phase == "feeds":
        from . import feedbench
        return feedbench.run(work)
    if phase == "statements":
        from . import statements
        return statements.run(work)
    if phase == "profile":
        from . import profile
        return profile.run(work)
    raise SystemExit(f"unknown phase {phase!r}; choose from {', '.join(PHASES)}")


if __name__ == "__main__":
    sys.exit(main())
