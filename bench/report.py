"""docs/performance.md from the results: each figure, its ratio to its reference, the goal, and
whether the goal is met; the fixed text (method, fixes, what stands in the way) lives in
bench/notes.md and is copied under the table."""
from __future__ import annotations

from pathlib import Path

NOTES = Path(__file__).with_name("notes.md")
# Goals of issue 15, as shares of hello's req/s in the same run.
KEPT_GOAL, NOT_MODIFIED_GOAL, ICS_GOAL, UNDER_WRITES_GOAL, BUILT_GOAL = 0.40, 0.60, 0.25, 0.25, 0.10


def _goal(name: str) -> float:
    if name.endswith("304"):
        return NOT_MODIFIED_GOAL
    return {"event .ics": ICS_GOAL, "pages under writes": UNDER_WRITES_GOAL}.get(name, KEPT_GOAL)


def _row(figure: str, value: str, ratio: float | None, goal: str, met: bool | None) -> str:
    shown = "—" if ratio is None else f"{ratio:.0%}" if ratio < 10 else f"{ratio:.1f}×"
    verdict = "—" if met is None else ("met" if met else "**not met**")
    return f"| {figure} | {value} | {shown} | {goal} | {verdict} |"


def _pages(p: dict) -> list[str]:
    hello = p["hello"]
    rows = [_row("hello (reference)", f"{hello['rps']:.0f} req/s, p50 {hello['p50_ms']:.1f} ms, "
                 f"p99 {hello['p99_ms']:.1f} ms", None, "—", None)]
    for name, r in p.items():
        if not isinstance(r, dict) or "rps" not in r or name == "hello":
            continue
        ratio, goal = r["rps"] / hello["rps"], _goal(name)
        value = f"{r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
        if "writes" in r:
            value += f", {r['writes']} delegation saves of another event ({r['writes_per_s']}/s)"
        if r["errors"]:
            value += f", {r['errors']} errors"
        rows.append(_row(f"page: {name} (`{r['path']}`)", value, ratio,
                         f"≥ {goal:.0%} of hello's req/s", ratio >= goal and not r["errors"]))
    for name, r in p.get("rendered", {}).items():
        value = f"{r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
        ratio = r["rps"] / hello["rps"]
        rows.append(_row(f"page, cache off (built from scratch): {name}", value, ratio,
                         f"≥ {BUILT_GOAL:.0%} of hello's req/s", ratio >= BUILT_GOAL and not r["errors"]))
    for name, kib in p.get("memory_kib", {}).items():
        rows.append(_row(f"peak RSS: {name}", f"{kib / 1024:.0f} MiB", None, "reported (no goal set)", None))
    return rows


def _statements(s: dict) -> list[str]:
    rows = []
    for name, few in s["1x"].items():
        many = s["10x"][name]
        rows.append(_row(f"statements: {name}", f"{few} at 1×, {many} at 10×", None,
                         "constant as data grows 10×", few == many))
    return rows


def _burst(b: dict, hello_p99: float | None) -> list[str]:
    ratio = b["p99_ms"] / hello_p99 if hello_p99 else None
    return [
        _row("burst: errors", f"{b['errors']} of {b['units']} posts", None, "0", b["errors"] == 0),
        _row("burst: overbooking", f"{b['overbooking']} (confirmed {b['confirmed']}, capacity "
             f"{b['capacity']}, waitlisted {b['waitlisted']})", None, "0", b["overbooking"] == 0),
        _row("burst: p99 latency", f"p50 {b['p50_ms']:.0f} ms, p99 {b['p99_ms']:.0f} ms "
             f"({b['units']} posts at once, {b['workers']} workers)", ratio,
             "relative to hello's p99 (reported)", None),
    ]


def _mail(m: dict) -> list[str]:
    return [
        _row("mail: issuing invitations", f"{m['outbox_rows']} outbox rows in {m['issue_s']:.1f} s "
             f"({m['issue_rows_per_s']:.0f}/s)", None, "reported (no goal set)", None),
        _row("mail: worker delivery", f"{m['worker_per_s']:.0f} msg/s (smtplib, one connection: "
             f"{m['smtplib_per_s']:.0f} msg/s)", m["ratio"], "for information (no goal)", None),
        _row("mail: worker process start-up (not in its rate)", f"{m.get('worker_start_s', 0):.1f} s",
             None, "reported (no goal set)", None),
        _row("peak RSS: mail worker (delivering)", f"{m['worker_peak_rss_kib'] / 1024:.0f} MiB", None,
             "reported (no goal set)", None),
    ]


def _feeds(f: dict) -> list[str]:
    return [_row(f"feed: {f['events']} events", f"ours {f['ours_ms']:.0f} ms, bare icalendar "
                 f"{f['bare_ms']:.0f} ms ({f['bytes'] // 1024} KiB)", f["ratio"],
                 "bare icalendar's time as a share of ours (reported)", None)]


def _table(results: dict) -> list[str]:
    rows, hello_p99 = [], None
    if "pages" in results:
        rows += _pages(results["pages"])
        hello_p99 = results["pages"]["hello"]["p99_ms"]
    if "statements" in results:
        rows += _statements(results["statements"])
    if "burst" in results:
        rows += _burst(results["burst"], hello_p99)
    if "mail" in results:
        rows += _mail(results["mail"])
    if "feeds" in results:
        rows += _feeds(results["feeds"])
    return rows


def goals(results: dict) -> list[str]:
    """The rows that have a goal, for the console (`python -m bench` prints them)."""
    return [row for row in _table(results) if row.endswith(("| met |", "| **not met** |"))]


def write(results: dict, path: Path) -> None:
    m = results.get("machine", {})
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m bench`); the raw numbers are in "
        "`bench/results/latest.json`. Do not edit the table by hand: run the bench again.",
        "",
        f"- Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_mib', '?')} MiB, "
        f"{m.get('system', '?')}, Python {m.get('python', '?')}",
        f"- Date: {results.get('date', '?')}; whole run {results.get('total_s', '?')} s",
        "",
        "| Figure | Measured | Ratio | Goal | Verdict |",
        "|---|---|---|---|---|",
        *_table(results),
        "",
    ]
    if NOTES.exists():
        lines.append(NOTES.read_text().rstrip())
        lines.append("")
    path.write_text("\n".join(lines))
