"""`make bench` runs rarely, and its mail phase once broke unnoticed behind a rename: the phases
that need neither wrk nor PostgreSQL run here at toy sizes, on SQLite, and the report is written
from what they return. (The pages and burst phases start gunicorn and wrk: `make bench` only.)"""
from __future__ import annotations

from bench import dataset, feedbench, mailbench, report, statements


def test_bench_phases_run_at_toy_sizes_and_the_report_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(feedbench, "EVENTS", 5)
    monkeypatch.setattr(feedbench, "ROUNDS", 1)
    monkeypatch.setattr(mailbench, "INVITATIONS", 3)
    for name, value in {"UNITS": 3, "EVENTS": 2, "DELEGATIONS": 2, "SESSIONS": 1}.items():
        monkeypatch.setattr(dataset, name, value)

    results = {"feeds": feedbench.run(tmp_path), "statements": statements.run(tmp_path),
               "mail": mailbench.run(f"sqlite:///{tmp_path / 'mail.sqlite'}", tmp_path)}

    assert results["statements"]["constant"], results["statements"]
    assert results["mail"]["outbox_rows"] == results["mail"]["delivered"] == 3
    assert results["feeds"]["events"] == 5
    written = tmp_path / "performance.md"
    report.write(results, written)
    text = written.read_text()
    assert "| statements: event list | " in text and "| mail: worker delivery | " in text
