"""Profiles (pyinstrument) of the slowest pages by the bench's own figures, in process on SQLite
with the same data set: bench/results/profile-<page>.txt, for finding the next fix."""
from __future__ import annotations

from pathlib import Path

from . import database, dataset
from .pages import page_paths

PAGES = ("public feed", "event list", "liaison page")
RESULTS = Path(__file__).with_name("results")


def run(work: Path) -> dict:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return {"skipped": "pyinstrument is not installed (pip install -e '.[bench]')"}
    from eventsite.accounts.models import User
    from eventsite.extensions import db

    # Profiles of building the pages: kept pages are turned off.
    app = database.fresh_app(f"sqlite:///{work / 'profile.sqlite'}", str(work / "instance"),
                             PAGE_CACHE_SECONDS=0)
    with app.app_context():
        data = dataset.fabricate()
        liaison = db.session.scalar(db.select(User).filter_by(email=data.liaison_emails[0])).get_id()
    results = {}
    for name in PAGES:
        path, who = page_paths(data)[name]
        client = app.test_client()
        if who:
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = liaison, True
        client.get(path)  # warm up: template compiling and first-use caches are not per request
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(5):
                client.get(path)
        out = RESULTS / f"profile-{name.replace(' ', '-')}.txt"
        out.write_text(profiler.output_text(unicode=False, color=False))
        results[name] = {"ms_per_request": round(profiler.last_session.duration * 200, 1),
                         "file": str(out.relative_to(RESULTS.parent.parent))}
    return results
