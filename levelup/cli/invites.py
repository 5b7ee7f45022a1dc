"""`levelup invite create`: a one-time sign-up link, for servers with LEVELUP_REGISTRATION=invite."""

from __future__ import annotations

from typing import Annotated

import typer

from levelup.cli.django_setup import setup_django

invite_app = typer.Typer(
    help="Invite people to sign up on this server (operators).", no_args_is_help=True
)


@invite_app.command("create")
def invite_create(
    base_url: Annotated[
        str, typer.Option("--url", help="The server's address, for the printed link.")
    ] = "http://127.0.0.1:8000",
    note: Annotated[str, typer.Option(help="Whom it is for (shown on the Invitations page).")] = "",
    days: Annotated[
        int | None,
        typer.Option(help="Days it stays usable (1-365). Default: LEVELUP_INVITE_DAYS."),
    ] = None,
) -> None:
    """Make a one-time invitation and print its sign-up link (only its hash is kept)."""
    setup_django()
    from django.conf import settings

    from levelup.accounts.services import signup_invite_create
    from levelup.lib.errors import ApplicationError

    try:
        issued = signup_invite_create(created_by=None, note=note, days=days)
    except ApplicationError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{base_url.rstrip('/')}/accounts/signup/?invite={issued.code}")
    expires = issued.invite.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    typer.echo(f"works once, until {expires}", err=True)
    if settings.REGISTRATION != "invite":
        typer.echo(
            f"note: LEVELUP_REGISTRATION is {settings.REGISTRATION!r}; "
            "invitations are needed only with 'invite' and refused with 'closed'",
            err=True,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(invite_app, name="invite", rich_help_panel="Operators")
