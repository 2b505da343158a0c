"""`flask backup`: the restore drill (same rows per table after a restore), the refusals, and
pg_dump's password and absence handled without leaking or crashing."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.backup import libpq_args
from eventsite.extensions import db
from eventsite.members.models import Contact, MemberUnit


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        counts = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
                  for t in db.metadata.sorted_tables}
        db.session.remove()
        return counts


def sample_rows(app) -> list[tuple]:
    with app.app_context():
        users = db.session.execute(sa.select(User.id, User.email, User.password_hash, User.role)
                                   .order_by(User.id).limit(3)).all()
        units = db.session.execute(sa.select(MemberUnit.id, MemberUnit.name_zh, MemberUnit.name_en,
                                             MemberUnit.joined_on).order_by(MemberUnit.id).limit(3)).all()
        db.session.remove()
        return [tuple(r) for r in users + units]


def backup_path(result) -> Path:
    """The database backup named in `flask backup create`'s output (first line: path, size)."""
    return Path(result.output.splitlines()[0].rsplit("  ", 1)[0])


@pytest.mark.both_dbs
def test_restore_drill_gives_back_the_same_rows_and_uploads(app, runner):
    assert runner.invoke(args=["demo", "load", "--password", "drill-pass-123"]).exit_code == 0
    cover = Path(app.instance_path) / "uploads" / "covers" / ("a" * 32 + ".png")
    cover.parent.mkdir(parents=True)
    cover.write_bytes(b"\x89PNG cover bytes")
    before, rows = row_counts(app), sample_rows(app)
    assert before["member_unit"] > 50 and before["contact"] > 50 and before["user_account"] > 5

    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    dump = backup_path(result)
    suffix = ".sqlite" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else ".dump"
    assert dump.parent == Path(app.instance_path) / "backups" and dump.suffix == suffix
    assert dump.name.startswith("eventsite-") and re.search(r" \d+(\.\d)? (KB|MB)", result.output)
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: owner only

    # Damage: delete, change and add rows, lose the cover.
    with app.app_context():
        db.session.execute(sa.delete(Contact))
        db.session.execute(sa.update(MemberUnit).values(name_en="changed"))
        db.session.execute(sa.delete(User).where(User.role == "liaison"))
        db.session.commit()
        db.session.remove()
    cover.unlink()
    (cover.parent / ("b" * 32 + ".png")).write_bytes(b"added after the backup")
    assert row_counts(app) != before

    result = runner.invoke(args=["backup", "restore", str(dump), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored uploads" in result.output and "flask db upgrade" in result.output
    assert row_counts(app) == before
    assert sample_rows(app) == rows
    assert sorted(p.name for p in cover.parent.iterdir()) == [cover.name]
    assert cover.read_bytes() == b"\x89PNG cover bytes"
    # The app works on the restored database with fresh connections.
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == before["contact"]

    listing = runner.invoke(args=["backup", "list"])
    assert listing.exit_code == 0 and dump.name in listing.output
    assert dump.stem + ".uploads.tar.gz" in listing.output


@pytest.mark.both_dbs
def test_restore_refuses_without_yes_and_changes_nothing(app, runner, tmp_path):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    result = runner.invoke(args=["backup", "create", "--output", str(tmp_path / "b" / "copy.bak")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.execute(sa.delete(Contact))
        db.session.commit()
        db.session.remove()
    after_change = row_counts(app)

    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b" / "copy.bak")])
    assert result.exit_code != 0 and "--yes" in result.output
    assert row_counts(app) == after_change and after_change["contact"] == 0


@pytest.mark.both_dbs
def test_restore_refuses_a_file_of_the_wrong_kind(app, runner, tmp_path):
    is_sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    wrong = tmp_path / "wrong.bak"
    wrong.write_bytes((b"PGDMP\x01\x0e\x00" if is_sqlite else b"SQLite format 3\x00") + b"\x00" * 200)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a backup at all")
    before = row_counts(app)

    result = runner.invoke(args=["backup", "restore", str(wrong), "--yes"])
    assert result.exit_code != 0
    expected = "PostgreSQL dump" if is_sqlite else "SQLite database"
    assert expected in result.output and "nothing was changed" in result.output

    result = runner.invoke(args=["backup", "restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "not an eventsite backup" in result.output
    assert row_counts(app) == before


def test_create_refuses_to_overwrite_a_file(app, runner, tmp_path):
    target = tmp_path / "existing.sqlite"
    target.write_text("keep me")
    result = runner.invoke(args=["backup", "create", "--output", str(target)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert target.read_text() == "keep me"


PG_WITH_PASSWORD = "postgresql+psycopg://backup_user:s3cret-Pw@127.0.0.1:1/nowhere?sslmode=disable"


@pytest.mark.parametrize("args", [["backup", "create"], ["backup", "restore", "{dump}", "--yes"]])
def test_missing_pg_tools_give_a_clear_error(app_factory, tmp_path, monkeypatch, args):
    app = app_factory(create_tables=False, SQLALCHEMY_DATABASE_URI=PG_WITH_PASSWORD)
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = app.test_cli_runner().invoke(args=[a.format(dump=dump) for a in args])
    tool = "pg_dump" if args[1] == "create" else "pg_restore"
    assert result.exit_code == 1
    assert f"{tool} was not found on PATH" in result.output and "postgresql-client" in result.output
    assert not (Path(app.instance_path) / "backups").exists() or not any(
        (Path(app.instance_path) / "backups").iterdir())


def test_failing_pg_dump_reports_without_the_password_and_leaves_no_file(app_factory):
    app = app_factory(create_tables=False, SQLALCHEMY_DATABASE_URI=PG_WITH_PASSWORD)
    result = app.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 1
    assert "pg_dump failed" in result.output and "s3cret-Pw" not in result.output
    assert list((Path(app.instance_path) / "backups").iterdir()) == []


def test_password_goes_through_the_environment_only():
    args, env = libpq_args(sa.engine.make_url(PG_WITH_PASSWORD))
    assert env["PGPASSWORD"] == "s3cret-Pw" and not any("s3cret" in a for a in args)
    assert args == ["--dbname=postgresql://backup_user@127.0.0.1:1/nowhere?sslmode=disable"]
    assert os.environ.get("PGPASSWORD") != "s3cret-Pw"


def test_list_without_backups(runner):
    result = runner.invoke(args=["backup", "list"])
    assert result.exit_code == 0 and "No backups" in result.output


def test_hostile_uploads_archive_is_refused_before_anything_changes(app, runner, tmp_path):
    import io
    import tarfile

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    dump = tmp_path / "b.sqlite"
    assert runner.invoke(args=["backup", "create", "--output", str(dump)]).exit_code == 0
    archive = tmp_path / "b.uploads.tar.gz"
    archive.unlink()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("uploads/../../escaped.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with app.app_context():
        db.session.execute(sa.delete(Contact))
        db.session.commit()
        db.session.remove()
    before = row_counts(app)

    result = runner.invoke(args=["backup", "restore", str(dump), "--yes"])
    assert result.exit_code == 1 and "unexpected entry" in result.output
    assert row_counts(app) == before
    assert not any(p.name == "escaped.txt" for p in tmp_path.rglob("*"))
