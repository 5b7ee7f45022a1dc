"""Entry point of the `levelup` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from levelup.cli.django_setup import setup_django
from levelup.cli.learner import register as register_learner_commands

app = typer.Typer(
    name="levelup",
    help="levelup: follow an engineering growth roadmap from the terminal.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
roadmap_app = typer.Typer(help="Validate and load roadmap files (operators and authors).", no_args_is_help=True)
user_app = typer.Typer(help="Manage accounts on this server (operators).", no_args_is_help=True)
token_app = typer.Typer(help="Issue API tokens on this server (operators).", no_args_is_help=True)
app.add_typer(roadmap_app, name="roadmap")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


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
    no_migrate: Annotated[bool, typer.Option("--no-migrate", help="Skip migrations and roadmap loading.")] = False,
) -> None:
    """Bring the database up to date, then serve with gunicorn."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not no_migrate:
        _prepare_database()
    call_command("collectstatic", interactive=False, verbosity=0)
    typer.echo(f"levelup is running at http://{host}:{port}/  (data in {settings.DATA_DIR}; Ctrl+C stops)")
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
    ]
    os.execv(sys.executable, args)  # noqa: S606 - replaces this process with the server


@app.command(rich_help_panel="Operators")
def migrate() -> None:
    """Apply migrations and load the built-in roadmaps, without serving."""
    setup_django()
    _prepare_database()


@roadmap_app.command("validate")
def roadmap_validate(path: Annotated[Path, typer.Argument(help="A roadmap YAML or JSON file.")]) -> None:
    """Check a roadmap file; print every problem (exit 1) or a summary (exit 0)."""
    # Validation is pure Pydantic; it needs no database and no Django.
    from levelup.lib.errors import ApplicationError
    from levelup.roadmaps.files import read_document_file
    from levelup.roadmaps.validation import validate_document

    try:
        report = validate_document(read_document_file(path))
    except ApplicationError as exc:
        raise fail(exc.message) from None
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not report.ok or report.document is None:
        for problem in report.errors:
            typer.echo(f"{path}: {problem}", err=True)
        raise fail(f"{len(report.errors)} problem(s) in {path}")
    counts = report.document.counts()
    typer.echo(
        f"{path}: valid roadmap {report.document.slug!r} — "
        + ", ".join(f"{n} {name}" for name, n in counts.items())
    )


@roadmap_app.command("load")
def roadmap_load(path: Annotated[Path, typer.Argument(help="A roadmap YAML or JSON file.")]) -> None:
    """Store a roadmap file as a new version (identical content changes nothing)."""
    setup_django()
    from levelup.lib.errors import ApplicationError
    from levelup.roadmaps.services import roadmap_load_file

    try:
        result = roadmap_load_file(path=path)
    except ApplicationError as exc:
        for error in exc.errors:
            typer.echo(f"{path}: {error['field']}: {error['message']}", err=True)
        raise fail(exc.message) from None
    if result.created:
        typer.echo(f"loaded {result.roadmap.slug} as version {result.version.number}")
    else:
        typer.echo(f"{result.roadmap.slug} is unchanged (version {result.version.number})")


@user_app.command("create")
def user_create(
    username: str,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    staff: Annotated[bool, typer.Option("--staff", help="Give access to the admin.")] = False,
) -> None:
    """Create an account."""
    if not password_stdin:
        raise fail("pass --password-stdin and send the password on standard input")
    password = sys.stdin.readline().rstrip("\n")
    setup_django()
    from levelup.accounts.services import user_create as create
    from levelup.lib.errors import ApplicationError

    try:
        user = create(username=username, email=email, password=password, is_staff=staff)
    except ApplicationError as exc:
        raise fail(exc.message) from None
    typer.echo(f"created user {user.username}")


@token_app.command("create")
def token_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")],
    write: Annotated[bool, typer.Option("--write", help="Allow changes, not only reads.")] = False,
) -> None:
    """Issue a personal access token and print it once."""
    setup_django()
    from levelup.accounts.models import User
    from levelup.accounts.tokens import api_token_create
    from levelup.lib.errors import ApplicationError

    user = User.objects.filter(username=username).first()
    if user is None:
        raise fail(f"no user {username!r}")
    try:
        issued = api_token_create(user=user, name=name, can_write=write)
    except ApplicationError as exc:
        raise fail(exc.message) from None
    typer.echo(issued.secret)


@app.command(rich_help_panel="Operators")
def demo() -> None:
    """Create the `demo` learner with months of history (refused in production mode)."""
    setup_django()
    from django.conf import settings

    if settings.PRODUCTION:
        raise fail("levelup demo is refused in production mode (LEVELUP_ENV=production)")
    from levelup.progress.demo import demo_create

    password = demo_create()
    typer.echo(f"demo learner ready: sign in as 'demo' with password {password!r}")


register_learner_commands(app)


def main() -> None:
    app()
