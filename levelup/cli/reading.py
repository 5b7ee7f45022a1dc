"""`levelup read` and `levelup cert`: the reading list and certifications, over HTTP.

Like the other learner commands these never import Django: they call
`/api/v1/me/resources` and `/api/v1/me/certifications` on the learner's server.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import typer

from levelup.cli.client import CliError, ExitCode
from levelup.cli.learner import JsonOpt, _connect, handle_errors
from levelup.cli.output import console, print_json

STATUSES = {
    "want": "want",
    "want-to": "want",
    "in-progress": "in_progress",
    "in_progress": "in_progress",
    "reading": "in_progress",
    "started": "in_progress",
    "finished": "finished",
    "done": "finished",
    "dropped": "dropped",
}
STATUS_LABELS = {
    "want": "want to",
    "in_progress": "in progress",
    "finished": "finished",
    "dropped": "dropped",
}
SUGGESTION = re.compile(r"^(book|platform|cert):[a-z0-9-]+$")

read_app = typer.Typer(
    help="Your reading list: books, courses and platforms (want to, in progress, finished, dropped).",
    invoke_without_command=True,
)
cert_app = typer.Typer(
    help="Your certifications: planned, exam booked (on your calendar feed), passed.",
    invoke_without_command=True,
)


def _date(text: str, field: str) -> str:
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise CliError(f"{field}: {text!r} is not a date; use YYYY-MM-DD", ExitCode.USAGE) from None


def _status(text: str) -> str:
    status = STATUSES.get(text.strip().lower().replace(" ", "-"))
    if status is None:
        raise CliError(
            f"status: {text!r} is not one of want, in-progress, finished, dropped", ExitCode.USAGE
        )
    return status


def _find(rows: list[dict[str, Any]], ref: str, what: str) -> dict[str, Any]:
    """An item by id, suggestion key or (unique, case-insensitive) title start."""
    if ref.isdigit():
        found = [r for r in rows if r["id"] == int(ref)]
    elif SUGGESTION.match(ref):
        found = [r for r in rows if r["source_key"] == ref]
    else:
        found = [r for r in rows if r["title"].lower().startswith(ref.lower())]
    if len(found) == 1:
        return found[0]
    if not found:
        raise CliError(f"{what}: nothing on your list matches {ref!r}", ExitCode.USAGE)
    raise CliError(
        f"{what}: {ref!r} matches {len(found)} entries; use the id from the list", ExitCode.USAGE
    )


def _render_reading(data: dict[str, Any]) -> None:
    from rich.table import Table

    items = data.get("items") or []
    if not items:
        typer.echo("Your reading list is empty.")
    else:
        table = Table(show_header=True, header_style="bold", box=None)
        for column in ("id", "status", "title", "rating"):
            table.add_column(column)
        for row in items:
            rating = f"{row['rating']}/5" if row.get("rating") else ""
            title = row["title"] + (f" ({row['authors']})" if row.get("authors") else "")
            table.add_row(
                str(row["id"]), STATUS_LABELS.get(row["status"], row["status"]), title, rating
            )
        console().print(table)
    suggestions = data.get("suggestions") or []
    if suggestions:
        keys = ", ".join(s["key"] for s in suggestions[:5])
        more = f" and {len(suggestions) - 5} more" if len(suggestions) > 5 else ""
        typer.echo(f"Recommended by your roadmap: {keys}{more}. Add one: levelup read add KEY")


@read_app.callback()
def read_list(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Show your reading list (and what your roadmap recommends)."""
    if ctx.invoked_subcommand is not None:
        return
    handle_errors(_read_list)(json_out)


def _read_list(json_out: bool) -> None:
    client, _ = _connect()
    with client:
        data = client.get("/me/resources")
    if json_out:
        print_json(data)
        return
    _render_reading(data)


@read_app.command("add")
@handle_errors
def read_add(
    what: Annotated[
        str, typer.Argument(help="A suggestion key (book:clean-code) or your own title.")
    ],
    kind: Annotated[
        str, typer.Option(help="book, course, practice, documentation, community, article, other.")
    ] = "book",
    authors: Annotated[str, typer.Option(help="Who wrote it (your own additions).")] = "",
    url: Annotated[str, typer.Option(help="A link (your own additions).")] = "",
    status: Annotated[str, typer.Option(help="want, in-progress, finished or dropped.")] = "want",
    json_out: JsonOpt = False,
) -> None:
    """Put a book, course or platform on your list."""
    body: dict[str, Any] = {"status": _status(status)}
    if SUGGESTION.match(what):
        body["source_key"] = what
    else:
        body.update(title=what, kind=kind, authors=authors, url=url)
    client, _ = _connect()
    with client:
        data, _ = client.post("/me/resources", body)
    if json_out:
        print_json(data)
        return
    typer.echo(f"Added {data['title']} ({STATUS_LABELS[data['status']]}), id {data['id']}.")


@read_app.command("set")
@handle_errors
def read_set(
    item: Annotated[str, typer.Argument(help="Id, suggestion key or the start of the title.")],
    status: Annotated[str, typer.Argument(help="want, in-progress, finished or dropped.")],
    rating: Annotated[
        int | None, typer.Option(min=1, max=5, help="1 to 5.", show_default=False)
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="Your note (private).", show_default=False)
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Change where you are with an item, e.g. `levelup read set "Clean Code" finished --rating 4`."""
    body: dict[str, Any] = {"status": _status(status)}
    if rating is not None:
        body["rating"] = rating
    if note is not None:
        body["note"] = note
    client, _ = _connect()
    with client:
        rows = client.get("/me/resources")["items"]
        row = _find(rows, item, "item")
        data = client.patch(f"/me/resources/{row['id']}", body)
    if json_out:
        print_json(data)
        return
    typer.echo(f"{data['title']}: {STATUS_LABELS[data['status']]}.")


@read_app.command("remove")
@handle_errors
def read_remove(
    item: Annotated[str, typer.Argument(help="Id, suggestion key or the start of the title.")],
) -> None:
    """Take an item off your list."""
    client, _ = _connect()
    with client:
        row = _find(client.get("/me/resources")["items"], item, "item")
        client.request("DELETE", f"/me/resources/{row['id']}")
    typer.echo(f"Removed {row['title']}.")


@cert_app.callback()
def cert_list(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """Show your certifications."""
    if ctx.invoked_subcommand is not None:
        return
    handle_errors(_cert_list)(json_out)


def _cert_list(json_out: bool) -> None:
    client, _ = _connect()
    with client:
        data = client.get("/me/certifications")
    if json_out:
        print_json(data)
        return
    items = data.get("items") or []
    if not items:
        typer.echo("You track no certification yet.")
    for row in items:
        when = ""
        if row["status"] == "booked":
            when = f", exam on {row['exam_date']}"
        elif row["status"] == "passed":
            when = f", passed on {row['passed_on']}"
            if row.get("expires_on"):
                when += f", expires on {row['expires_on']}"
        typer.echo(f"{row['id']}  {row['title']}: {row['status']}{when}")
    suggestions = data.get("suggestions") or []
    if suggestions:
        typer.echo("Named by your roadmap: " + ", ".join(s["key"] for s in suggestions))


@cert_app.command("add")
@handle_errors
def cert_add(
    what: Annotated[str, typer.Argument(help="A suggestion key (cert:ckad) or your own title.")],
    issuer: Annotated[str, typer.Option(help="Who issues it (your own additions).")] = "",
    json_out: JsonOpt = False,
) -> None:
    """Start tracking a certification (planned)."""
    body: dict[str, Any] = (
        {"source_key": what} if SUGGESTION.match(what) else {"title": what, "issuer": issuer}
    )
    client, _ = _connect()
    with client:
        data, _ = client.post("/me/certifications", body)
    if json_out:
        print_json(data)
        return
    typer.echo(f"Tracking {data['title']} (planned), id {data['id']}.")


@cert_app.command("book")
@handle_errors
def cert_book(
    cert: Annotated[str, typer.Argument(help="Id, suggestion key or the start of the title.")],
    exam_date: Annotated[str, typer.Argument(help="The exam's date, YYYY-MM-DD.")],
    json_out: JsonOpt = False,
) -> None:
    """Record a booked exam; it appears on your calendar feed."""
    day = _date(exam_date, "exam_date")
    client, _ = _connect()
    with client:
        row = _find(client.get("/me/certifications")["items"], cert, "certification")
        data = client.patch(
            f"/me/certifications/{row['id']}", {"status": "booked", "exam_date": day}
        )
    if json_out:
        print_json(data)
        return
    typer.echo(f"{data['title']}: exam booked for {data['exam_date']}.")


@cert_app.command("pass")
@handle_errors
def cert_pass(
    cert: Annotated[str, typer.Argument(help="Id, suggestion key or the start of the title.")],
    passed_on: Annotated[str, typer.Argument(help="The day you passed, YYYY-MM-DD.")],
    credential: Annotated[str, typer.Option(help="The credential's URL.")] = "",
    expires: Annotated[
        str | None, typer.Option(help="Expiry date, YYYY-MM-DD.", show_default=False)
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a pass, with the credential and its expiry."""
    body: dict[str, Any] = {"status": "passed", "passed_on": _date(passed_on, "passed_on")}
    if credential:
        body["credential_url"] = credential
    if expires:
        body["expires_on"] = _date(expires, "expires")
    client, _ = _connect()
    with client:
        row = _find(client.get("/me/certifications")["items"], cert, "certification")
        data = client.patch(f"/me/certifications/{row['id']}", body)
    if json_out:
        print_json(data)
        return
    typer.echo(f"{data['title']}: passed on {data['passed_on']}.")


def register(app: typer.Typer) -> None:
    app.add_typer(read_app, name="read", rich_help_panel="Learners")
    app.add_typer(cert_app, name="cert", rich_help_panel="Learners")
