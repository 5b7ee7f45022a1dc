"""Learner commands: talk to a levelup server over its API.

Nothing here imports Django or any part of levelup that does: these commands
run on a learner's laptop against a server elsewhere, and `levelup --help`
must stay fast. Heavy imports (httpx, Rich) happen inside the commands.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shlex
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from levelup.cli import config
from levelup.cli.client import Client, CliError, ExitCode, item_path
from levelup.cli.durations import DurationError, format_minutes, parse_duration
from levelup.cli.output import error_line, print_json

PANEL = "Learners"
F = TypeVar("F", bound=Callable[..., Any])
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


# --- completion (reads the cache only: it must answer instantly, offline) ------


def complete_item(incomplete: str) -> list[tuple[str, str]]:
    items = config.cache_read().get("items") or []
    return [
        (i["key"], i.get("title", ""))
        for i in items
        if str(i.get("key", "")).startswith(incomplete)
    ]


def complete_category(incomplete: str) -> list[tuple[str, str]]:
    categories = config.cache_read().get("categories") or []
    return [
        (c["slug"], c.get("title", ""))
        for c in categories
        if str(c.get("slug", "")).startswith(incomplete)
    ]


def _choices(*values: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


# --- shared option types ------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the server's JSON, for scripts.")]
EnrollmentOpt = Annotated[
    int | None,
    typer.Option(
        "--enrollment",
        "-e",
        min=1,
        help="Enrollment ID (default: LEVELUP_ENROLLMENT, the config file, or the one active).",
        show_default=False,
    ),
]
ItemArg = Annotated[
    str,
    typer.Argument(
        help="Item key, e.g. topic:advanced-nodejs/event-loop.", autocompletion=complete_item
    ),
]


def handle_errors(func: F) -> F:
    """Turn every failure into one `error: …` line and a distinct exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except CliError as exc:
            error_line(exc.message)
            raise typer.Exit(int(exc.code)) from None
        except config.ConfigError as exc:
            error_line(str(exc))
            raise typer.Exit(int(ExitCode.NOT_SET_UP)) from None
        except DurationError as exc:
            error_line(str(exc))
            raise typer.Exit(int(ExitCode.USAGE)) from None
        except KeyboardInterrupt:
            error_line("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            error_line(f"unexpected {type(exc).__name__}: {exc} (please report this)")
            raise typer.Exit(int(ExitCode.UNEXPECTED)) from None

    return wrapper  # type: ignore[return-value]


# --- context: settings, client, enrollment --------------------------------------


def _connect(enrollment: int | None = None) -> tuple[Client, config.Settings]:
    settings = config.load(enrollment=enrollment)
    if not settings.url:
        raise CliError(
            "not logged in: run 'levelup login URL' (or set LEVELUP_URL and LEVELUP_TOKEN)",
            ExitCode.NOT_SET_UP,
        )
    if not settings.token:
        raise CliError(
            f"no token for {settings.url}: run 'levelup login {settings.url}' "
            "(or set LEVELUP_TOKEN)",
            ExitCode.NOT_SET_UP,
        )
    return Client(settings.url, settings.token), settings


def _rows(data: Any) -> list[dict[str, Any]]:
    """A list endpoint's rows, whether it answers a list or a page {items, count}."""
    if isinstance(data, dict):
        data = data.get("items") or data.get("results") or []
    return [row for row in data or [] if isinstance(row, dict)]


def _slug(row: dict[str, Any]) -> str:
    roadmap = row.get("roadmap")
    if isinstance(roadmap, dict):
        return str(roadmap.get("slug", ""))
    return str(roadmap or "")


def _enrollment(client: Client, settings: config.Settings) -> dict[str, Any]:
    """The enrollment to act on: the chosen one, else the single active one."""
    rows = _rows(client.get("/enrollments"))
    if settings.enrollment is not None:
        for row in rows:
            if row.get("id") == settings.enrollment:
                return _with_cache(client, row)
        mine = ", ".join(f"{r.get('id')} ({_slug(r)})" for r in rows) or "none"
        raise CliError(
            f"enrollment: you have no enrollment {settings.enrollment} (yours: {mine})",
            ExitCode.NOT_FOUND,
        )
    active = [r for r in rows if r.get("status") == "active"]
    candidates = active or [r for r in rows if r.get("status") == "paused"]
    if len(candidates) == 1:
        return _with_cache(client, candidates[0])
    if not candidates:
        raise CliError(
            f"you are not enrolled in a roadmap yet: enroll at {client.url}/roadmaps/ first",
            ExitCode.NOT_SET_UP,
        )
    listed = ", ".join(f"{r.get('id')} ({_slug(r)})" for r in candidates)
    raise CliError(
        f"you follow {len(candidates)} roadmaps ({listed}): choose one with --enrollment ID, "
        "LEVELUP_ENROLLMENT or 'levelup use ID'",
        ExitCode.USAGE,
    )


def _with_cache(client: Client, row: dict[str, Any]) -> dict[str, Any]:
    slug = _slug(row)
    if slug and not config.cache_is_fresh(client.url, slug):
        # Completion is a convenience; the command itself must go on.
        with contextlib.suppress(CliError):
            refresh_cache(client, slug)
    return row


def refresh_cache(client: Client, slug: str) -> None:
    """Save the roadmap's item keys and categories for shell completion."""
    document = client.get(f"/roadmaps/{slug}")
    if not isinstance(document, dict):
        return
    items: list[dict[str, str]] = []
    for phase in document.get("phases") or []:
        for section in phase.get("sections") or []:
            for topic in section.get("topics") or []:
                key = f"topic:{topic.get('slug')}"
                items.append({"key": key, "title": str(topic.get("title", ""))})
                for sub in topic.get("subtopics") or []:
                    items.append(
                        {"key": f"{key}/{sub.get('slug')}", "title": str(sub.get("title", ""))}
                    )
    for kind, group in (("project", "projects"), ("checkpoint", "checkpoints")):
        for entry in document.get(group) or []:
            items.append(
                {"key": f"{kind}:{entry.get('slug')}", "title": str(entry.get("title", ""))}
            )
    schedule = document.get("weekly_schedule") or {}
    categories = [
        {"slug": str(c.get("slug")), "title": str(c.get("title", ""))}
        for c in schedule.get("categories") or []
    ]
    config.cache_write(
        {"url": client.url, "roadmap": slug, "items": items, "categories": categories}
    )


def _base(enrollment: dict[str, Any]) -> str:
    return f"/enrollments/{enrollment['id']}"


def _parse_date(text: str | None, field: str = "date") -> str | None:
    """Check a --date locally; 'today' and 'yesterday' stay words until `_resolve_day`."""
    if text is None:
        return None
    value = text.strip().lower()
    if value in ("today", "yesterday"):
        return value
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CliError(
            f"{field}: {text!r} is not a date; use YYYY-MM-DD, 'today' or 'yesterday'",
            ExitCode.USAGE,
        ) from None


def _resolve_day(client: Client, value: str | None) -> str | None:
    """The date to send: None lets the server use today in the learner's time zone,
    which may not be this machine's; 'yesterday' is computed in that zone too."""
    if value in (None, "today"):
        return None
    if value != "yesterday":
        return value
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    me = client.get("/me")
    try:
        today = dt.datetime.now(ZoneInfo(str(me.get("time_zone") or "UTC"))).date()
    except (ZoneInfoNotFoundError, ValueError):
        today = dt.date.today()
    return (today - dt.timedelta(days=1)).isoformat()


# --- account ----------------------------------------------------------------------


def login(
    url: Annotated[str, typer.Argument(help="The server's address, e.g. http://127.0.0.1:8000.")],
    token: Annotated[
        str | None,
        typer.Option(
            help="A personal access token (default: LEVELUP_TOKEN, else asked for).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a token against a server and remember both in the config file (mode 0600)."""
    try:
        base = config.normalize_url(url)
    except config.ConfigError as exc:
        raise CliError(str(exc), ExitCode.USAGE) from None
    secret = (token or os.environ.get(config.TOKEN_ENV, "")).strip()
    if not secret and not sys.stdin.isatty():
        # Piped in (`pass levelup | levelup login URL`): read it, never echo it.
        secret = sys.stdin.readline().strip()
    elif not secret:
        typer.echo(
            f"Create a token at {base}/accounts/tokens/ (tick 'write' to log time).", err=True
        )
        with contextlib.suppress(typer.Abort):
            secret = typer.prompt(
                "Token", hide_input=True, err=True, default="", show_default=False
            )
        secret = secret.strip()
    if not secret:
        raise CliError(
            "token: none given; pass --token, set LEVELUP_TOKEN, pipe it in or type it at the prompt",
            ExitCode.USAGE,
        )
    if not secret.startswith("lvl_"):
        raise CliError(
            "token: levelup tokens start with 'lvl_'; copy the whole token", ExitCode.USAGE
        )
    with Client(base, secret) as client:
        health = client.get("/health")
        if not isinstance(health, dict) or "status" not in health:
            raise CliError(f"{base} does not look like a levelup server", ExitCode.SERVER)
        me = client.get("/me")
        previous = config.read_file()
        values: dict[str, Any] = {"url": base, "token": secret}
        if previous.get("url") == base and previous.get("enrollment"):
            values["enrollment"] = previous["enrollment"]
        path = config.write_file(values)
        config.cache_clear()
        try:
            rows = _rows(client.get("/enrollments"))
            active = [r for r in rows if r.get("status") == "active"]
            if len(active) == 1:
                _with_cache(client, active[0])
        except CliError:
            rows = []
    name = me.get("display_name") or me.get("username")
    typer.echo(f"Logged in to {base} as {me.get('username')} ({name}); saved in {path}.")
    if os.environ.get(config.URL_ENV) or os.environ.get(config.TOKEN_ENV):
        typer.echo("Note: LEVELUP_URL / LEVELUP_TOKEN are set and take precedence over the file.")
    if not rows:
        typer.echo(f"Next: enroll in a roadmap at {base}/roadmaps/, then run 'levelup status'.")
    else:
        typer.echo("Next: 'levelup status', then 'levelup log 45m theory'.")


def logout() -> None:
    """Forget the token (the server address is kept). The token itself stays valid until revoked."""
    path = config.config_path()
    values = config.read_file(path)
    if not values.get("token"):
        typer.echo(f"Not logged in (no token in {path}).")
        return
    values.pop("token", None)
    config.write_file(values, path)
    config.cache_clear()
    url = values.get("url", "the server")
    typer.echo(f"Logged out. The token still works until you revoke it at {url}/accounts/tokens/.")


def whoami(json_out: JsonOpt = False) -> None:
    """Who the token belongs to, on which server."""
    client, settings = _connect()
    with client:
        me = client.get("/me")
    if json_out:
        print_json({**me, "url": settings.url})
        return
    days = {0: "Monday", 5: "Saturday", 6: "Sunday"}
    week = days.get(me.get("week_start", 0), str(me.get("week_start")))
    name = me.get("display_name") or me.get("username")
    typer.echo(
        f"{me.get('username')} ({name}) on {settings.url}; time zone {me.get('time_zone')}, "
        f"weeks start on {week}."
    )


def enrollments(json_out: JsonOpt = False) -> None:
    """Your enrollments; the one commands act on is marked with *."""
    from levelup.cli.output import render_enrollments

    client, settings = _connect()
    with client:
        rows = _rows(client.get("/enrollments"))
        chosen: int | None
        try:
            chosen = _enrollment(client, settings)["id"]
        except CliError:
            chosen = None
    if json_out:
        print_json(rows)
        return
    render_enrollments(rows, chosen)


def use(
    enrollment_id: Annotated[int, typer.Argument(min=1, help="An ID from 'levelup enrollments'.")],
) -> None:
    """Make one enrollment the default for every command (saved in the config file)."""
    client, settings = _connect(enrollment_id)
    with client:
        row = _enrollment(client, settings)
    path = config.config_path()
    values = config.read_file(path)
    values["enrollment"] = int(row["id"])
    config.write_file(values, path)
    typer.echo(f"Commands now act on enrollment {row['id']} ({_slug(row)}).")


# --- reading -----------------------------------------------------------------------


def status(enrollment: EnrollmentOpt = None, json_out: JsonOpt = False) -> None:
    """Journey month, on track or not, progress per phase and the next checkpoint."""
    from levelup.cli.output import render_status

    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        data = client.get(f"{_base(row)}/dashboard")
    if json_out:
        print_json(data)
        return
    if isinstance(data, dict) and not data.get("roadmap") and not data.get("roadmap_title"):
        data = {**data, "roadmap_title": row.get("roadmap_title") or _slug(row)}
    render_status(data)


def week(
    week: Annotated[
        str | None,
        typer.Option(
            "--week",
            "-w",
            help="ISO week YYYY-Www, 'this' or 'last' (default: this week).",
            show_default=False,
        ),
    ] = None,
    enrollment: EnrollmentOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The weekly review: time per category against the roadmap's targets."""
    from levelup.cli.output import render_week

    iso = _parse_week(week)
    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        data = client.get(f"{_base(row)}/weekly-review", week=None if iso == "LAST" else iso)
        if iso == "LAST" and isinstance(data, dict) and data.get("previous_week"):
            # "Last week" in the learner's zone and week start, which only the server knows.
            data = client.get(f"{_base(row)}/weekly-review", week=data["previous_week"])
    if json_out:
        print_json(data)
        return
    render_week(data)


def _parse_week(text: str | None) -> str | None:
    if text is None or text.strip().lower() == "this":
        return None
    value = text.strip().upper()
    if value == "LAST":
        return value
    match = WEEK_RE.match(value)
    if match:
        try:
            dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return value
        except ValueError:
            pass
    raise CliError(
        f"week: {text!r} is not an ISO week; use YYYY-Www like 2026-W07, 'this' or 'last'",
        ExitCode.USAGE,
    )


def next_(enrollment: EnrollmentOpt = None, json_out: JsonOpt = False) -> None:
    """This week's plan: hours per item."""
    from levelup.cli.output import render_next

    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        data = client.get(f"{_base(row)}/plan/this-week")
    if json_out:
        print_json(data)
        return
    render_next(data)


# --- writing ------------------------------------------------------------------------


def log(
    duration: Annotated[
        str, typer.Argument(help="How long: 45m, 1h30m, 1.5h, 1:30, or a bare number of minutes.")
    ],
    category: Annotated[
        str,
        typer.Argument(
            help="A weekly-schedule category, e.g. theory.", autocompletion=complete_category
        ),
    ],
    note: Annotated[str | None, typer.Argument(help="What you did.", show_default=False)] = None,
    item: Annotated[
        str | None,
        typer.Option(
            "--item",
            "-i",
            help="The item you worked on.",
            autocompletion=complete_item,
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help="YYYY-MM-DD, 'today' or 'yesterday' (default: today where you live).",
            show_default=False,
        ),
    ] = None,
    enrollment: EnrollmentOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Log study time. Safe to repeat after a network failure: it never counts twice."""
    minutes = parse_duration(duration)
    body: dict[str, Any] = {"minutes": minutes, "category": category.strip()}
    # Without --date the server picks today in the learner's own time zone,
    # which may differ from this machine's.
    day = _parse_date(date)
    if item:
        body["item_key"] = item.strip()
    if note:
        body["note"] = note
    # One key per invocation: every retry repeats it, so the server creates at
    # most one session however many attempts reach it.
    key = str(uuid.uuid4())
    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        day = _resolve_day(client, day)
        if day:
            body["date"] = day
        session, replayed = client.post(f"{_base(row)}/sessions", body, idempotency_key=key)
    if json_out:
        print_json(session)
        return
    session = session if isinstance(session, dict) else {}
    what = f"{format_minutes(minutes)} of {body['category']}"
    if item:
        what += f" on {body['item_key']}"
    when = session.get("date") or "today"
    suffix = f" (session {session['id']})" if session.get("id") is not None else ""
    if replayed:
        suffix += "; the server already had it, nothing counted twice"
    typer.echo(f"Logged {what} on {when}{suffix}.")


def _set_status(key: str, new: str, enrollment: int | None, json_out: bool) -> None:
    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        data = client.put(f"{_base(row)}/items/{item_path(key)}", {"status": new})
    if json_out:
        print_json(data)
        return
    title = data.get("title") if isinstance(data, dict) else None
    shown = data.get("status", new) if isinstance(data, dict) else new
    typer.echo(f"{key}{' (' + title + ')' if title else ''}: {str(shown).replace('_', ' ')}.")


def start(key: ItemArg, enrollment: EnrollmentOpt = None, json_out: JsonOpt = False) -> None:
    """Mark an item in progress."""
    _set_status(key, "in_progress", enrollment, json_out)


def done(key: ItemArg, enrollment: EnrollmentOpt = None, json_out: JsonOpt = False) -> None:
    """Mark an item done (a topic ticks its subtopics too)."""
    _set_status(key, "done", enrollment, json_out)


def note(
    key: ItemArg,
    message: Annotated[
        str | None,
        typer.Option(
            "--message",
            "-m",
            help="Replace the notes with this text instead of opening $EDITOR.",
            show_default=False,
        ),
    ] = None,
    enrollment: EnrollmentOpt = None,
) -> None:
    """Edit an item's notes (Markdown) in $VISUAL or $EDITOR; never overwrites a newer change."""
    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        path = f"{_base(row)}/items/{item_path(key)}"
        current = client.get(path)
        before = str(current.get("notes") or "")
        version = current.get("version")
        text = message if message is not None else _edit(before, key)
        if text.strip() == before.strip():
            typer.echo(f"{key}: notes unchanged.")
            return
        try:
            client.put(
                path, {"notes": text}, if_match=str(version) if version is not None else None
            )
        except CliError as exc:
            if exc.code == ExitCode.CONFLICT:
                saved = _keep(text, key)
                raise CliError(
                    f"{key} changed on the server while you were editing; nothing was overwritten. "
                    f"Your text is in {saved}; run 'levelup note {key}' again",
                    ExitCode.CONFLICT,
                ) from None
            raise
    typer.echo(f"{key}: notes saved.")


def _edit(text: str, key: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    handle, name = tempfile.mkstemp(prefix="levelup-note-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            result = subprocess.run([*shlex.split(editor), name], check=False)  # noqa: S603
        except FileNotFoundError:
            raise CliError(
                f"editor {editor!r} not found; set EDITOR or use --message", ExitCode.USAGE
            ) from None
        if result.returncode != 0:
            raise CliError(
                f"the editor exited with status {result.returncode}; notes of {key} not saved",
                ExitCode.UNEXPECTED,
            )
        return Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)


def _keep(text: str, key: str) -> Path:
    folder = config.cache_dir() / "unsaved-notes"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{re.sub(r'[^a-z0-9-]+', '_', key.lower())}-{stamp}.md"
    target.write_text(text, encoding="utf-8")
    return target


practice_app = typer.Typer(
    help="Log practice problems (LeetCode, HackerRank, …).", no_args_is_help=True
)


@practice_app.command("add")
@handle_errors
def practice_add(
    title: Annotated[str, typer.Argument(help="The problem's name, e.g. 'Two Sum'.")],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            help="leetcode, hackerrank or other.",
            autocompletion=_choices("leetcode", "hackerrank", "other"),
        ),
    ] = "leetcode",
    difficulty: Annotated[
        str,
        typer.Option(
            "--difficulty",
            help="easy, medium or hard.",
            autocompletion=_choices("easy", "medium", "hard"),
        ),
    ] = "medium",
    outcome: Annotated[
        str,
        typer.Option(
            help="solved, solved_with_help or not_solved.",
            autocompletion=_choices("solved", "solved_with_help", "not_solved"),
        ),
    ] = "solved",
    url: Annotated[
        str | None, typer.Option(help="Link to the problem.", show_default=False)
    ] = None,
    item: Annotated[
        str | None,
        typer.Option(
            "--item",
            "-i",
            help="A related item key.",
            autocompletion=complete_item,
            show_default=False,
        ),
    ] = None,
    minutes: Annotated[
        str | None,
        typer.Option("--time", "-t", help="Time spent: 25m, 1h, … (optional).", show_default=False),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help="YYYY-MM-DD, 'today' or 'yesterday' (default: today where you live).",
            show_default=False,
        ),
    ] = None,
    enrollment: EnrollmentOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Log a practice problem."""
    body: dict[str, Any] = {
        "platform": platform.strip().lower(),
        "title": title,
        "difficulty": difficulty.strip().lower(),
        "outcome": outcome.strip().lower().replace("-", "_").replace(" ", "_"),
    }
    day = _parse_date(date)
    if url:
        body["url"] = url
    if item:
        body["item_key"] = item.strip()
    if minutes:
        body["minutes"] = parse_duration(minutes)
    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        day = _resolve_day(client, day)
        if day:
            body["date"] = day
        # No Idempotency-Key: the practice endpoint does not honour one, so a
        # lost answer is reported rather than retried (a retry could count twice).
        data, _ = client.post(f"{_base(row)}/practice", body)
    if json_out:
        print_json(data)
        return
    result = body["outcome"].replace("_", " ")
    typer.echo(f"Logged practice: {title} ({body['platform']}, {body['difficulty']}, {result}).")


def export(
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="csv or json.", autocompletion=_choices("csv", "json")),
    ] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default: standard output).",
            show_default=False,
        ),
    ] = None,
    enrollment: EnrollmentOpt = None,
) -> None:
    """Export your study sessions as CSV or JSON."""
    kind = format.strip().lower()
    if kind not in ("csv", "json"):
        raise CliError(f"format: {format!r} is not csv or json", ExitCode.USAGE)
    client, settings = _connect(enrollment)
    with client:
        row = _enrollment(client, settings)
        if kind == "csv":
            payload = client.request("GET", f"{_base(row)}/sessions.csv").content
        else:
            sessions = _all_sessions(client, _base(row))
            import json

            payload = (json.dumps(sessions, indent=2, ensure_ascii=False) + "\n").encode()
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(payload)
    except OSError as exc:
        raise CliError(f"output: cannot write {output}: {exc.strerror}", ExitCode.USAGE) from None
    typer.echo(f"Wrote {output} ({len(payload):,} bytes).", err=True)


def _all_sessions(client: Client, base: str) -> list[dict[str, Any]]:
    """Every session, following the list endpoint's pages."""
    rows: list[dict[str, Any]] = []
    page_size = 500  # the server's maximum
    while True:
        data = client.get(f"{base}/sessions", limit=page_size, offset=len(rows))
        batch = _rows(data)
        rows.extend(batch)
        total = data.get("count") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or not batch
            or (total is not None and len(rows) >= int(total))
        ):
            return rows
        if total is None and len(batch) < page_size:
            return rows


def register(app: typer.Typer) -> None:
    """Add the learner commands to the top-level app."""

    def add(func: Callable[..., Any], name: str | None = None) -> None:
        app.command(name=name, rich_help_panel=PANEL)(handle_errors(func))

    add(login)
    add(logout)
    add(whoami)
    add(status)
    add(log)
    add(week)
    add(next_, "next")
    add(start)
    add(done)
    add(note)
    add(export)
    add(enrollments)
    add(use)
    app.add_typer(practice_app, name="practice", rich_help_panel=PANEL)
