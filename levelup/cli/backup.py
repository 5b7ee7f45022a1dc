"""`levelup backup` and `levelup restore`: a consistent copy of the database and back.

SQLite is copied with SQLite's online backup API (`sqlite3.Connection.backup`), which
reads one consistent snapshot while the server keeps answering, and restored the same
way in reverse, in one transaction, into the live file. PostgreSQL goes through
`pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`.

Every backup file is created mode 0600 (it holds password hashes and everyone's
notes) under a temporary name and linked into place only when complete, so a failed
or interrupted backup never leaves a file that looks like one. A restore checks the
file completely before it touches the live database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from levelup.lib.security import BACKUP_DIR_NAME, DATA_DIR_MODE, PRIVATE_FILE_MODE

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables every levelup database has, whatever its version.
REQUIRED_TABLES = ("django_migrations", "accounts_user")
SQLITE_TIMEOUT = 20.0


class BackupError(Exception):
    """A backup or restore refused or failed; the message names the file and the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Database:
    """The live database, as the backup tools need to know it."""

    kind: str  # "sqlite" or "postgresql"
    settings: dict[str, Any]

    @property
    def suffix(self) -> str:
        return ".sqlite3" if self.kind == "sqlite" else ".pgdump"

    @property
    def sqlite_path(self) -> Path:
        return Path(self.settings["NAME"])

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"the SQLite database {self.sqlite_path}"
        host = self.settings.get("HOST") or "localhost"
        return f"the PostgreSQL database {self.settings['NAME']!r} on {host}"


def live_database() -> Database:
    config: dict[str, Any] = dict(settings.DATABASES["default"])
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return Database("sqlite", config)
    if "postgresql" in engine:
        return Database("postgresql", config)
    raise BackupError(f"database: backups support SQLite and PostgreSQL, not {engine}")


def default_backup_path(database: Database, now: dt.datetime | None = None) -> Path:
    """`$LEVELUP_DATA_DIR/backups/levelup-20260102-030405.sqlite3` (or `.pgdump`)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / BACKUP_DIR_NAME / f"levelup-{stamp}{database.suffix}"


# --- Backup --------------------------------------------------------------------------


def backup_write(*, target: Path | None, force: bool = False) -> tuple[Database, Path]:
    """Write a consistent copy of the live database to `target` (mode 0600).

    Without `target` it goes to the data directory's `backups/` folder. An existing
    file is replaced only with `force`.
    """
    database = live_database()
    if target is None:
        target = default_backup_path(database)
        target.parent.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    target = target.expanduser().absolute()
    if target.is_dir():
        raise BackupError(f"backup: {target} is a directory; name the file to write")
    if not target.parent.is_dir():
        raise BackupError(f"backup: the directory {target.parent} does not exist")
    if target.exists() and not force:
        raise BackupError(f"backup: {target} already exists; pass --force to replace it")
    partial = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.partial"
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except OSError as exc:
        raise BackupError(f"backup: cannot write in {target.parent}: {exc.strerror}") from None
    try:
        if database.kind == "sqlite":
            _sqlite_backup(database.sqlite_path, partial)
        else:
            _pg_dump(database, partial)
        _fsync(partial)
        if force:
            os.replace(partial, target)
        else:
            # link() refuses an existing name: two backups to one path never mix.
            try:
                os.link(partial, target)
            except FileExistsError:
                raise BackupError(
                    f"backup: {target} already exists; pass --force to replace it"
                ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return database, target


def _sqlite_backup(live: Path, destination: Path) -> None:
    if not live.is_file() or not _sqlite_tables(live):
        raise BackupError(
            f"database: {live} holds no levelup tables yet; run 'levelup migrate' first"
        )
    source = _sqlite_read_only(live)
    try:
        copy = sqlite3.connect(destination)
        try:
            # One step (pages=-1): a single consistent snapshot of the whole database.
            source.backup(copy)
            # A rollback-journal file stands alone: no -wal beside it to lose.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def _pg_dump(database: Database, destination: Path) -> None:
    result = _pg_tool(
        "pg_dump",
        ["--format=custom", "--file", str(destination), *_pg_target(database)],
        database,
    )
    if result.returncode != 0:
        raise BackupError(f"backup: pg_dump failed: {_last_line(result.stderr)}")


# --- Restore ---------------------------------------------------------------------------


def restore_check(source: Path) -> Database:
    """Refuse a file that is missing, damaged, of the other database kind, not a levelup
    database, or made by a newer levelup; touches nothing."""
    database = live_database()
    source = source.expanduser().absolute()
    if not source.exists():
        raise BackupError(f"backup: {source} does not exist")
    if not source.is_file():
        raise BackupError(f"backup: {source} is not a file")
    try:
        with source.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"backup: cannot read {source}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        found = "sqlite"
    elif head.startswith(PGDUMP_MAGIC):
        found = "postgresql"
    else:
        raise BackupError(
            f"backup: {source} is not a levelup backup (neither an SQLite database "
            "nor a pg_dump custom-format file)"
        )
    if found != database.kind:
        made = "an SQLite backup" if found == "sqlite" else "a PostgreSQL dump"
        raise BackupError(f"backup: {source} is {made}, but this server uses {database.kind}")
    if database.kind == "sqlite":
        if source.resolve() == database.sqlite_path.resolve():
            raise BackupError(f"backup: {source} is the live database itself")
        _sqlite_check(source)
    else:
        _pg_check(source, database)
    return database


def restore_from(source: Path) -> Database:
    """Replace the live database's content with the backup's, all or nothing.

    Callers ask the operator first; `restore_check` runs again here, so a file that
    changed in between is still refused.
    """
    database = restore_check(source)
    source = source.expanduser().absolute()
    # Our own connections would hold locks the restore waits for.
    connections.close_all()
    if database.kind == "sqlite":
        backup = _sqlite_read_only(source)
        try:
            live = sqlite3.connect(database.sqlite_path, timeout=SQLITE_TIMEOUT)
            try:
                # The backup API writes the live file in one transaction: a server
                # running beside it sees the old database or the restored one.
                backup.backup(live)
            finally:
                live.close()
        finally:
            backup.close()
    else:
        result = _pg_tool(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *_pg_target(database),
                str(source),
            ],
            database,
        )
        if result.returncode != 0:
            raise BackupError(
                f"restore: pg_restore failed and changed nothing: {_last_line(result.stderr)}"
            )
    return database


def _sqlite_check(source: Path) -> None:
    try:
        connection = _sqlite_read_only(source)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = _tables(connection)
            applied = set(
                connection.execute("SELECT app, name FROM django_migrations").fetchall()
                if "django_migrations" in tables
                else []
            )
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"backup: {source} is damaged ({exc})") from None
    if verdict != "ok":
        raise BackupError(f"backup: {source} is damaged (integrity check: {verdict})")
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise BackupError(
            f"backup: {source} is an SQLite database but not a levelup one "
            f"(no {', '.join(missing)} table)"
        )
    _refuse_newer(source, applied)


def _pg_check(source: Path, database: Database) -> None:
    result = _pg_tool("pg_restore", ["--list", str(source)], database)
    if result.returncode != 0:
        raise BackupError(f"backup: {source} is damaged ({_last_line(result.stderr)})")
    missing = [name for name in REQUIRED_TABLES if f" TABLE public {name} " not in result.stdout]
    if missing:
        raise BackupError(
            f"backup: {source} is a PostgreSQL dump but not of a levelup database "
            f"(no {', '.join(missing)} table)"
        )


def _refuse_newer(source: Path, applied: set[tuple[str, str]]) -> None:
    """A backup from a newer levelup has migrations this code does not know: restoring
    it would leave tables this version cannot read."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    ours = {app for app, _ in known}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known if app in ours)
    if unknown:
        raise BackupError(
            f"backup: {source} was made by a newer levelup (migration {unknown[0]} is "
            "unknown here); upgrade levelup first"
        )


# --- Helpers ---------------------------------------------------------------------------


def _sqlite_read_only(path: Path) -> sqlite3.Connection:
    # mode=ro: a mistyped path is an error, never a new empty database.
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=SQLITE_TIMEOUT)


def _tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def _sqlite_tables(path: Path) -> set[str]:
    try:
        connection = _sqlite_read_only(path)
        try:
            return _tables(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"database: cannot read {path}: {exc}") from None


def _pg_target(database: Database) -> list[str]:
    config = database.settings
    args = ["--dbname", str(config["NAME"])]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    return args


def _pg_tool(name: str, args: list[str], database: Database) -> subprocess.CompletedProcess[str]:
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools "
            "(the server's major version or newer)"
        )
    env = dict(os.environ)
    # The password goes through the environment, never the command line (ps shows that).
    if database.settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(database.settings["PASSWORD"])
    sslmode = (database.settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return subprocess.run(  # noqa: S603 - a fixed program with our own arguments
        [program, "--no-password", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
