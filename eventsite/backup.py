"""`flask backup create / restore / list`: copies of the database and the uploaded files
(docs/backup.md): `eventsite-<UTC time>.sqlite` (SQLite's online backup API) or `.dump`
(`pg_dump --format=custom`), beside `.uploads.tar.gz` (event covers live on disk).

A file's kind is read from its first bytes, never its name, so a PostgreSQL dump can't be restored
into SQLite by mistake. Backups hold personal data: files are readable by their owner only. The
PostgreSQL password goes to pg_dump/pg_restore through PGPASSWORD, never on a command line
(visible in `ps`) nor in a message.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404 # fixed argument lists, never a shell
import tarfile
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import URL

from .core.domain import DomainError
from .extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
KINDS = {"sqlite": ".sqlite", "postgresql": ".dump"}
UPLOADS_SUFFIX = ".uploads.tar.gz"

backup_cli = AppGroup("backup", help="Back up and restore the database and uploaded files.")


# --- what is configured -----------------------------------------------------------------------
def backups_dir() -> Path:
    return Path(current_app.instance_path) / "backups"


def uploads_dir() -> Path:
    return Path(current_app.instance_path) / "uploads"


def database_kind(url: URL | None = None) -> str:
    """'sqlite' or 'postgresql' for the configured database; DomainError for anything else."""
    url = url or db.engine.url
    backend = url.get_backend_name()
    if backend not in KINDS:
        raise DomainError(f"backups support SQLite and PostgreSQL, not {backend}")
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise DomainError("the configured SQLite database is in memory; there is no file to back up")
    return backend


def uploads_archive_for(path: Path) -> Path:
    return path.with_name(path.stem + UPLOADS_SUFFIX)


def libpq_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """(--dbname argument, environment) for pg_dump/pg_restore; the password only in PGPASSWORD."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # Built afresh: URL.set(password=None) would keep the password.
    conninfo = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                          database=url.database, query=url.query).render_as_string(hide_password=False)
    return [f"--dbname={conninfo}"], env


def _run_pg(name: str, args: list[str], url: URL) -> None:
    tool = shutil.which(name)
    if not tool:
        raise DomainError(f"{name} was not found on PATH. Install the PostgreSQL client tools of "
                          f"the server's major version (Debian: apt-get install postgresql-client) "
                          f"or put their bin folder first on PATH (e.g. /usr/lib/postgresql/15/bin).")
    dbname, env = libpq_args(url)
    proc = subprocess.run(  # nosec B603 # an argument list, no shell; the tool found by which()
        [tool, *args, *dbname], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.strip() or proc.stdout.strip() or f"exit status {proc.returncode}"
        if url.password:  # libpq does not echo it, but a message must never carry it
            detail = detail.replace(str(url.password), "***")
        raise DomainError(f"{name} failed: {detail}")


def _new_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only; refuse to overwrite one."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise DomainError(f"{path} already exists; choose another --output") from None


# --- create -----------------------------------------------------------------------------------
def create_backup(output: Path | None = None) -> tuple[Path, Path]:
    """Write the database backup and the uploads archive; nothing is left behind on failure."""
    url = db.engine.url
    kind = database_kind(url)
    if output is None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        output = backups_dir() / f"eventsite-{stamp}{KINDS[kind]}"
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    archive = uploads_archive_for(output)
    _new_private_file(output)
    try:
        if kind == "sqlite":
            _sqlite_copy(Path(url.database), output)
        else:
            _run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={output}"], url)
        _new_private_file(archive)
        _archive_uploads(archive)
    except BaseException:
        output.unlink(missing_ok=True)
        archive.unlink(missing_ok=True)
        raise
    return output, archive


def _sqlite_copy(source: Path, target: Path) -> None:
    """The online backup API: a consistent snapshot while the app writes."""
    if not source.is_file():
        raise DomainError(f"the SQLite database {source} does not exist")
    with closing(sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _archive_uploads(archive: Path) -> None:
    """Everything under <instance>/uploads as `uploads/...` (an empty archive when there is none)."""
    folder = uploads_dir()
    with tarfile.open(archive, "w:gz") as tar:
        if folder.is_dir():
            tar.add(folder, arcname="uploads")


# --- restore ----------------------------------------------------------------------------------
def restore_backup(path: Path) -> Path | None:
    """Overwrite the configured database (and uploads, when the archive is beside it) from `path`;
    returns the uploads archive restored, or None."""
    url = db.engine.url
    kind = database_kind(url)
    check_restorable(path, kind)
    archive = uploads_archive_for(path)
    if archive.is_file():
        _archive_members(archive)
    # Our own pooled connections would hold locks the restore must take.
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(path.resolve(), Path(url.database))
    else:
        # One transaction: a restore that fails half way leaves the database as it was.
        _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                               "--single-transaction", "--no-password", str(path)], url)
    db.engine.dispose()
    if archive.is_file():
        _restore_uploads(archive)
        return archive
    return None


def check_restorable(path: Path, kind: str, deep: bool = True) -> None:
    """DomainError unless `path` is a backup of the configured database's kind (and, deep, intact)."""
    if not path.is_file():
        raise DomainError(f"{path} is not a file")
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    found = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head.startswith(PGDUMP_MAGIC) else None
    names = {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL dump (pg_dump --format=custom)"}
    if found is None:
        raise DomainError(f"{path} is not an eventsite backup (neither {names['sqlite']} "
                          f"nor {names['postgresql']})")
    if found != kind:
        raise DomainError(f"{path} is {names[found]}, but the configured database is "
                          f"{'SQLite' if kind == 'sqlite' else 'PostgreSQL'}; nothing was changed")
    if kind == "sqlite" and deep:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            try:
                ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                ok = str(exc)
        if ok != "ok":
            raise DomainError(f"{path} is damaged ({ok}); nothing was changed")


def _archive_members(archive: Path) -> list[tarfile.TarInfo]:
    """The entries of an uploads archive, or DomainError if any is not a plain file or folder
    inside `uploads/` (checked before anything is overwritten)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
    except (tarfile.TarError, OSError) as exc:
        raise DomainError(f"{archive} is not a readable .tar.gz ({exc}); nothing was changed") from None
    for member in members:
        parts = Path(member.name).parts
        if (member.name.startswith("/") or ".." in parts or not parts or parts[0] != "uploads"
                or not (member.isfile() or member.isdir())):
            raise DomainError(f"{archive} holds an unexpected entry {member.name!r}; nothing was changed")
    return members


def _restore_uploads(archive: Path) -> None:
    """Replace the contents of <instance>/uploads with the archive's (the folder itself stays, so
    it may be a mount point or a symbolic link)."""
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    staging, old = folder / ".restoring", folder / ".replaced"
    for work in (staging, old):  # fresh, whatever an interrupted restore left
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(mode=0o700)
    members = _archive_members(archive)
    with tarfile.open(archive, "r:gz") as tar:
        # The "data" filter (Python >= 3.11.4) adds the standard library's own checks.
        extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(staging, members=members, **extra)  # nosec B202 # members checked above
    for child in list(folder.iterdir()):
        if child not in (staging, old):
            child.rename(old / child.name)
    restored = staging / "uploads"
    for child in (list(restored.iterdir()) if restored.is_dir() else []):
        child.rename(folder / child.name)
    shutil.rmtree(old)
    shutil.rmtree(staging)


# --- list -------------------------------------------------------------------------------------
def human_size(n: int) -> str:
    size, units = float(n), ["B", "KB", "MB", "GB"]
    while size >= 1024 and len(units) > 1:
        size /= 1024
        units.pop(0)
    return f"{size:.0f} B" if units[0] == "B" else f"{size:.1f} {units[0]}"


# --- commands ---------------------------------------------------------------------------------
@backup_cli.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database backup file (default: instance/backups/eventsite-<UTC time>.sqlite|.dump).")
def create_command(output: Path | None) -> None:
    """Back up the database and the uploaded files (safe while the app runs)."""
    try:
        written = create_backup(output)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"{path}  {human_size(path.stat().st_size)}")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Really overwrite the configured database.")
def restore_command(path: Path, yes: bool) -> None:
    """Overwrite the database (and uploads) with a backup. Stop the app and workers first."""
    try:
        check_restorable(path, database_kind(), deep=False)
        if not yes:
            raise DomainError("restore overwrites the configured database and uploads with the backup; "
                              "stop the app and the mail workers, then run again with --yes")
        archive = restore_backup(path)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored the database from {path}.")
    if archive:
        click.echo(f"Restored uploads from {archive}.")
    else:
        click.echo(f"No {uploads_archive_for(path).name} beside it: uploads were left as they are.")
    click.echo("Next: flask db upgrade, then start the services.")


@backup_cli.command("list")
def list_command() -> None:
    """The backups in instance/backups, oldest first."""
    folder = backups_dir()
    found = sorted((path.stat().st_mtime, path.name, path.stat().st_size)
                   for path in (folder.iterdir() if folder.is_dir() else ())
                   if path.is_file() and path.name.startswith("eventsite-")
                   and (path.suffix in KINDS.values() or path.name.endswith(UPLOADS_SUFFIX)))
    if not found:
        click.echo(f"No backups in {folder}.")
    for mtime, name, size in found:
        modified = datetime.fromtimestamp(mtime, timezone.utc)
        click.echo(f"{modified:%Y-%m-%d %H:%M:%S} UTC  {human_size(size):>9}  {name}")
