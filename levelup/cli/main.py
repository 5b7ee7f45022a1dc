"""Entry point of the `levelup` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from levelup.cli.django_setup import setup_django
from levelup.cli.gunicorn_limits import gunicorn_limit_args
from levelup.cli.invites import register as register_invite_commands
from levelup.cli.learner import register as register_learner_commands
from levelup.cli.reading import register as register_reading_commands

FIRST_FIVE_MINUTES = "\n".join(
    [
        "[bold]A learner's first five minutes[/bold]",
        "  1. Create a token (tick 'write') at [cyan]http://127.0.0.1:8000/accounts/tokens/[/cyan]",
        "  2. [cyan]levelup login http://127.0.0.1:8000[/cyan]   paste the token (kept, mode 0600)",
        "  3. [cyan]levelup status[/cyan]   journey month, on track or not, progress per phase",
        '  4. [cyan]levelup log 1h30m theory "read about the event loop"'
        " --item topic:advanced-nodejs[/cyan]",
        "  5. [cyan]levelup week[/cyan]   this week against its targets;"
        "  [cyan]levelup next[/cyan]   this week's plan",
        "  6. [cyan]levelup done topic:advanced-nodejs/event-loop[/cyan]",
        "",
        "Durations: 45m, 1h30m, 1.5h, 1:30, or bare minutes (90). Read commands take --json.",
        "Tab completion: [cyan]levelup --install-completion[/cyan]. Guide: docs/cli.md.",
    ]
)

app = typer.Typer(
    name="levelup",
    help="levelup: follow an engineering growth roadmap from the terminal.",
    epilog=FIRST_FIVE_MINUTES,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
# Learner commands first: they are what most people run `levelup` for.
register_learner_commands(app)
register_reading_commands(app)
roadmap_app = typer.Typer(
    help="Validate and load roadmap files (operators and authors).", no_args_is_help=True
)
user_app = typer.Typer(help="Manage accounts on this server (operators).", no_args_is_help=True)
token_app = typer.Typer(help="Issue API tokens on this server (operators).", no_args_is_help=True)
app.add_typer(roadmap_app, name="roadmap", rich_help_panel="Operators")
app.add_typer(user_app, name="user", rich_help_panel="Operators")
app.add_typer(token_app, name="token", rich_help_panel="Operators")
register_invite_commands(app)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _prepare_database() -> None:
    from django.core.management import call_command

    from levelup.roadmaps.services import builtin_roadmaps_load

    call_command("migrate", interactive=False, verbosity=0)
    for result in builtin_roadmaps_load():
        state = "loaded" if result.created else "up to date"
        typer.echo(f"roadmap {result.roadmap.slug} v{result.version.number}: {state}")


@app.command(rich_help_panel="Operators")
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 2,
    no_migrate: Annotated[
        bool, typer.Option("--no-migrate", help="Skip migrations and roadmap loading.")
    ] = False,
) -> None:
    """Bring the database up to date, then serve with gunicorn."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not no_migrate:
        _prepare_database()
    call_command("collectstatic", interactive=False, verbosity=0)
    typer.echo(
        f"levelup is running at http://{host}:{port}/  (data in {settings.DATA_DIR}; Ctrl+C stops)"
    )
    if not settings.PRODUCTION:
        typer.echo(
            f"New here? Sign up at http://{host}:{port}/accounts/signup/, or run "
            f"`{Path(sys.executable).parent / 'levelup'} demo` in another terminal for a learner "
            "with seven months of history."
        )
    sys.stdout.flush()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "levelup.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *gunicorn_limit_args(),
    ]
    os.execv(sys.executable, args)  # noqa: S606 - replaces this process with the server


@app.command(rich_help_panel="Operators")
def migrate() -> None:
    """Apply migrations and load the built-in roadmaps, without serving."""
    setup_django()
    _prepare_database()


@roadmap_app.command("validate")
def roadmap_validate(
    path: Annotated[Path, typer.Argument(help="A roadmap YAML or JSON file.")],
) -> None:
    """Check a roadmap file; print every problem (exit 1) or a summary (exit 0)."""
    # Validation is pure Pydantic; it needs no database and no Django.
    from levelup.lib.errors import ApplicationError
    from levelup.roadmaps.files import validate_file

    try:
        report = validate_file(path)
    except ApplicationError as exc:
        raise fail(exc.message) from None
    for warning in report.warnings:
        typer.echo(f"{path}: warning: {warning}", err=True)
    if not report.ok or report.document is None:
        for problem in report.errors:
            typer.echo(f"{path}: error: {problem}", err=True)
        raise fail(f"{len(report.errors)} problem(s) in {path}")
    counts = ", ".join(f"{name}: {n}" for name, n in report.document.counts().items())
    typer.echo(f"{path}: valid roadmap {report.document.slug!r} ({counts})")


@roadmap_app.command("load")
def roadmap_load(
    path: Annotated[Path, typer.Argument(help="A roadmap YAML or JSON file.")],
) -> None:
    """Store a roadmap file as a new version (identical content changes nothing)."""
    setup_django()
    from levelup.lib.errors import ApplicationError
    from levelup.roadmaps.services import roadmap_load_file

    try:
        result = roadmap_load_file(path=path)
    except ApplicationError as exc:
        for error in exc.errors:
            typer.echo(f"{path}: error: {error['field']}: {error['message']}", err=True)
        raise fail(f"{path}: nothing loaded; {exc.message}") from None
    for warning in result.warnings:
        typer.echo(f"{path}: warning: {warning}", err=True)
    slug, number = result.roadmap.slug, result.version.number
    if not result.created:
        typer.echo(f"{slug} is unchanged (still version {number})")
        return
    typer.echo(f"loaded {slug} as version {number}")
    if result.previous is not None:
        _report_changes(result.roadmap, result.previous.number, number)


def _report_changes(roadmap: Any, before: int, after: int) -> None:
    """What a new version changed, by item key, and which enrollments it concerns."""
    from levelup.progress.versions import open_enrollments_by_version
    from levelup.roadmaps.selectors import version_diff_between

    diff = version_diff_between(roadmap, before, after)
    typer.echo(
        f"changes from version {before}: {len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.changes)} changed, {len(diff.renames)} renamed, {len(diff.moved)} moved"
    )
    for key in diff.added:
        typer.echo(f"  + {key}  {diff.titles.get(key, '')}")
    for key in diff.removed:
        typer.echo(f"  - {key}  {diff.titles.get(key, '')}")
    for old, new in diff.renames.items():
        typer.echo(f"  > {old} -> {new}")
    for key, changes in diff.changes.items():
        described = "; ".join(f"{c.field} {c.before!r} -> {c.after!r}" for c in changes)
        typer.echo(f"  ~ {key}  {described}")
    for key in diff.moved:
        typer.echo(f"  ^ {key} moved")
    pinned = {v: n for v, n in open_enrollments_by_version(roadmap.pk).items() if v < after}
    if pinned:
        per_version = ", ".join(f"version {v}: {n}" for v, n in sorted(pinned.items()))
        typer.echo(
            f"affects {sum(pinned.values())} open enrollment(s) on older versions ({per_version}); "
            "they keep their version until each learner moves"
        )
    else:
        typer.echo("affects no open enrollment (nobody is on an older version)")


@user_app.command("create")
def user_create(
    username: str,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    staff: Annotated[bool, typer.Option("--staff", help="Give access to the admin.")] = False,
) -> None:
    """Create an account. The password is read from standard input, never from the command line."""
    if not password_stdin:
        raise fail("password: pass --password-stdin and send the password on standard input")
    # Only the first line counts, so `echo PASSWORD | levelup user create …` works.
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise fail("password: nothing was read from standard input")
    setup_django()
    from levelup.accounts.services import user_create as create
    from levelup.lib.errors import ApplicationError

    try:
        user = create(username=username, email=email, password=password, is_staff=staff)
    except ApplicationError as exc:
        raise fail(exc.message) from None
    typer.echo(f"created user {user.username}")


@user_app.command("export")
def user_export(
    username: str,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write everything an account owns as one JSON archive (the format of GET /api/v1/me/export)."""
    setup_django()
    import json

    from levelup.accounts.models import User
    from levelup.datatransfer.archive import account_export

    user = User.objects.filter(username=username).first()
    if user is None:
        raise fail(f"username: no user {username!r} on this server")
    text = json.dumps(account_export(user=user), ensure_ascii=False, indent=1) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote the archive of {user.username} to {output}", err=True)


@user_app.command("import")
def user_import(
    username: str,
    archive_file: Annotated[Path, typer.Argument(help="An archive from export.")],
) -> None:
    """Restore an archive into an existing, empty account (e.g. one just made with `user create`)."""
    setup_django()
    import json

    from levelup.accounts.models import User
    from levelup.datatransfer.archive import account_import
    from levelup.lib.errors import ApplicationError

    user = User.objects.filter(username=username).first()
    if user is None:
        raise fail(f"username: no user {username!r} on this server; create it first")
    try:
        data = json.loads(archive_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"archive: cannot read {archive_file}: {exc.strerror}") from None
    except ValueError as exc:
        raise fail(f"archive: {archive_file} is not JSON ({exc})") from None
    try:
        counts = account_import(user=user, archive=data)
    except ApplicationError as exc:
        raise fail(exc.message) from None
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    typer.echo(f"imported into {user.username}: {summary or 'nothing'}")


@user_app.command("delete")
def user_delete(
    username: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; delete (for scripts).")] = False,
) -> None:
    """Delete an account and every row it owns; its tokens and calendar feeds stop at once."""
    setup_django()
    from levelup.accounts.models import User
    from levelup.datatransfer.archive import account_delete, owned_row_counts

    user = User.objects.filter(username=username).first()
    if user is None:
        raise fail(f"username: no user {username!r} on this server")
    rows = sum(owned_row_counts(user=user).values())
    if not yes:
        typer.confirm(
            f"Delete {user.username} and {rows} row(s) they own? This cannot be undone", abort=True
        )
    account_delete(user=user, password=None, check_password=False)
    typer.echo(f"deleted user {username} and {rows} row(s) they owned")


@token_app.command("create")
def token_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")],
    write: Annotated[bool, typer.Option("--write", help="Allow changes, not only reads.")] = False,
    expires_days: Annotated[
        int | None,
        typer.Option("--expires-days", help="Stop working after this many days.", min=1),
    ] = None,
) -> None:
    """Issue a personal access token and print it once (only its hash is kept)."""
    setup_django()
    from datetime import timedelta

    from django.utils import timezone

    from levelup.accounts.models import User
    from levelup.accounts.tokens import api_token_create
    from levelup.lib.errors import ApplicationError

    user = User.objects.filter(username=username).first()
    if user is None:
        raise fail(f"username: no user {username!r} on this server")
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    try:
        issued = api_token_create(user=user, name=name, can_write=write, expires_at=expires_at)
    except ApplicationError as exc:
        raise fail(exc.message) from None
    access = "read and write" if write else "read only"
    typer.echo(f"token {name!r} for {user.username} ({access}); it is shown only now:", err=True)
    typer.echo(issued.secret)


@app.command(rich_help_panel="Operators")
def demo() -> None:
    """Create the `demo` learner with months of history (refused in production mode).

    Applies migrations and loads the built-in roadmap first, like `serve`."""
    setup_django()
    from django.conf import settings

    if settings.PRODUCTION:
        raise fail("levelup demo is refused in production mode (LEVELUP_ENV=production)")
    from levelup.progress.demo import demo_create

    # A data directory `serve` has never seen has no tables yet; bring it up to date
    # first (a no-op when it already is) instead of failing with "no such table".
    _prepare_database()
    password = demo_create()
    typer.echo(f"demo learner ready: sign in as 'demo' with password {password!r}")


def main() -> None:
    app()
