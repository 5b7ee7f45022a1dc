"""Pages of the roadmap studio: your roadmaps, fork, the two editors, versions and diffs.

Each view parses the form, calls a roadmaps service or selector, and renders.
A private roadmap is 404 to everyone but its owner; editing someone else's
roadmap you can see is 403 (fork it instead).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from levelup.lib.errors import ApplicationError, Forbidden, NotFound
from levelup.roadmaps import selectors, services
from levelup.roadmaps.editor import editor_apply, editor_fields, field_for_paths
from levelup.roadmaps.export import version_export
from levelup.roadmaps.markdown_io import markdown_to_document
from levelup.roadmaps.merge import MergeResult, merge_documents
from levelup.roadmaps.models import Roadmap, Visibility
from levelup.roadmaps.safeparse import parse_json, parse_yaml, yaml_path_lines


def _visible(request: HttpRequest, slug: str) -> Roadmap:
    try:
        return selectors.roadmap_get(slug, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _editable(request: HttpRequest, slug: str) -> Roadmap:
    try:
        return selectors.roadmap_for_editing(slug, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


def _problems(exc: ApplicationError, lines: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Each problem with its path, line (when known) and rule, for the template."""
    out = []
    for error in exc.errors or [{"field": "(document)", "message": exc.message}]:
        path = error.get("field", "")
        line = error.get("line") or (lines or {}).get(_nearest(path, lines or {}))
        out.append(
            {
                "path": path,
                "message": error.get("message", ""),
                "rule": error.get("rule", ""),
                "line": line,
            }
        )
    return out


def _nearest(path: str, lines: Mapping[str, Any]) -> str:
    """The longest prefix of `path` that has a line (a missing field: its parent)."""
    while path and path not in lines:
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return path


@login_required
def studio(request: HttpRequest) -> HttpResponse:
    """Your roadmaps, and forms to start one: a YAML document or a Markdown import."""
    own = list(
        Roadmap.objects.filter(owner_id=request.user.pk)
        .select_related("current_version", "forked_from")
        .defer("current_version__document")
        .order_by("title")
    )
    context: dict[str, Any] = {"own": own, "problems": [], "text": "", "markdown": ""}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "import":
                context["markdown"] = request.POST.get("markdown", "")
                upload = request.FILES.get("file")
                raw: bytes | str = upload.read() if upload else context["markdown"]
                imported = markdown_to_document(raw)
                data = dict(imported.data)
                data["slug"] = services.free_slug(str(data.get("slug") or "roadmap"))
                result = services.roadmap_create(owner=request.user, data=data)  # type: ignore[arg-type]
                for warning in imported.warnings:
                    messages.warning(request, f"{warning['field']}: {warning['message']}")
            else:
                context["text"] = request.POST.get("text", "")
                result = services.roadmap_create(
                    owner=request.user,  # type: ignore[arg-type]
                    data=parse_yaml(context["text"]),
                )
        except ApplicationError as exc:
            lines = _safe_lines(context["text"]) if action != "import" else {}
            context["problems"] = _problems(exc, lines)
            context["action"] = action
            return render(request, "roadmaps/studio.html", context, status=422)
        messages.success(request, f"Created {result.roadmap.title} (private).")
        return redirect("roadmaps:detail", result.roadmap.slug)
    return render(request, "roadmaps/studio.html", context)


def _safe_lines(text: str) -> dict[str, int]:
    try:
        return yaml_path_lines(text)
    except ApplicationError:
        return {}


@require_POST
@login_required
def fork(request: HttpRequest, slug: str) -> HttpResponse:
    source = _visible(request, slug)
    version = None
    wanted = request.POST.get("version", "")
    if wanted.isdigit():
        try:
            version = selectors.version_get(source, int(wanted))
        except NotFound as exc:
            raise Http404(exc.message) from None
    result = services.roadmap_fork(user=request.user, source=source, version=version)  # type: ignore[arg-type]
    messages.success(
        request, f"Forked {source.title} as {result.roadmap.slug} (private). Edit it here."
    )
    return redirect("roadmaps:edit", result.roadmap.slug)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The structured editor: titles, windows, efforts, slugs, add/remove/reorder, schedule."""
    roadmap = _editable(request, slug)
    assert roadmap.current_version is not None
    data: dict[str, Any] = dict(roadmap.current_version.document)
    problems: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        draft = request.POST.get("draft", "")
        try:
            base = parse_json(draft) if draft else data
            data = editor_apply(base, request.POST)
            if request.POST.get("action") == "publish":
                result = services.roadmap_publish(roadmap=roadmap, user=request.user, data=data)  # type: ignore[arg-type]
                if result.created:
                    messages.success(request, f"Published version {result.version.number}.")
                    return redirect(
                        reverse("roadmaps:versions", args=[slug])
                        + f"?from={result.previous.number if result.previous else 1}"
                        + f"&to={result.version.number}"
                    )
                messages.info(request, "Nothing changed; no new version.")
                return redirect("roadmaps:edit", slug)
            services.validated(data)
            messages.info(request, "The roadmap is valid. Publish to make it a new version.")
        except ApplicationError as exc:
            problems = _problems(exc)
            status = 422
    rows = editor_fields(data)
    by_field: dict[str, list[dict[str, Any]]] = {}
    fields = field_for_paths(rows)
    unplaced = []
    for problem in problems:
        name = fields.get(problem["path"]) or fields.get(_nearest(problem["path"], fields))
        if name:
            by_field.setdefault(name, []).append(problem)
        else:
            unplaced.append(problem)
    for row in rows:
        for inp in row.inputs:
            inp.errors = by_field.get(inp.name, [])  # type: ignore[attr-defined]
    context = {
        "roadmap": roadmap,
        "rows": rows,
        "problems": problems,
        "unplaced": unplaced,
        "draft": json.dumps(data),
    }
    return render(request, "roadmaps/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def source(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole document as YAML (or Markdown) in a text box, checked on every save."""
    roadmap = _editable(request, slug)
    assert roadmap.current_version is not None
    fmt = request.POST.get("format") or request.GET.get("format") or "yaml"
    fmt = "markdown" if fmt == "markdown" else "yaml"
    text = version_export(version=roadmap.current_version, fmt=fmt).content
    problems: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            data = markdown_to_document(text).data if fmt == "markdown" else parse_yaml(text)
            if request.POST.get("action") == "publish":
                result = services.roadmap_publish(roadmap=roadmap, user=request.user, data=data)  # type: ignore[arg-type]
                if result.created:
                    messages.success(request, f"Published version {result.version.number}.")
                    return redirect(
                        reverse("roadmaps:versions", args=[slug])
                        + f"?from={result.previous.number if result.previous else 1}"
                        + f"&to={result.version.number}"
                    )
                messages.info(request, "Nothing changed; no new version.")
            else:
                services.validated(data)
                messages.info(request, "The document is valid. Publish to make it a new version.")
        except ApplicationError as exc:
            problems = _problems(exc, _safe_lines(text) if fmt == "yaml" else {})
            status = 422
    lines = text.splitlines()
    by_line: dict[int, list[dict[str, Any]]] = {}
    for problem in problems:
        if problem["line"]:
            by_line.setdefault(int(problem["line"]), []).append(problem)
    listing = [
        {"number": n, "text": line, "problems": by_line.get(n, [])}
        for n, line in enumerate(lines, start=1)
        if by_line.get(n)
    ]
    context = {
        "roadmap": roadmap,
        "text": text,
        "format": fmt,
        "problems": problems,
        "listing": listing,
    }
    return render(request, "roadmaps/source.html", context, status=status)


def versions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version, and the diff between two of them by item key."""
    roadmap = _visible(request, slug)
    assert roadmap.current_version is not None
    listing = list(selectors.version_list(roadmap))
    current = roadmap.current_version.number
    start_raw, end_raw = request.GET.get("from", ""), request.GET.get("to", "")
    diff = None
    start = int(start_raw) if start_raw.isdigit() else max(current - 1, 1)
    end = int(end_raw) if end_raw.isdigit() else current
    if start != end or start_raw:
        try:
            diff = selectors.version_diff_between(roadmap, start, end)
        except NotFound as exc:
            raise Http404(exc.message) from None
    context = {
        "roadmap": roadmap,
        "versions": listing,
        "diff": diff,
        "from": start,
        "to": end,
        "can_edit": selectors.can_edit(roadmap, request.user),
        "upstream": selectors.upstream_status(roadmap)
        if selectors.can_edit(roadmap, request.user)
        else None,
        "visibilities": Visibility.choices,
    }
    return render(request, "roadmaps/versions.html", context)


def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Download any version (`?version=N`) as YAML, JSON or Markdown (`?format=`)."""
    roadmap = _visible(request, slug)
    wanted = request.GET.get("version", "")
    try:
        version = selectors.version_get(roadmap, int(wanted) if wanted.isdigit() else None)
        exported = version_export(version=version, fmt=request.GET.get("format", "yaml"))
    except NotFound as exc:
        raise Http404(exc.message) from None
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_POST
@login_required
def settings_update(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = _editable(request, slug)
    try:
        services.roadmap_settings_update(
            roadmap=roadmap, visibility=request.POST.get("visibility", "")
        )
        messages.success(request, f"{roadmap.title} is now {roadmap.get_visibility_display()}.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("roadmaps:versions", slug)


@require_http_methods(["GET", "POST"])
@login_required
def upstream(request: HttpRequest, slug: str) -> HttpResponse:
    """Take in the upstream's new version: a three-way merge by item key."""
    roadmap = _editable(request, slug)
    status = selectors.upstream_status(roadmap)
    if status is None:
        messages.info(request, "There is no upstream update to take in.")
        return redirect("roadmaps:versions", slug)
    upstream_roadmap, upstream_version = status
    merged: MergeResult = merge_documents(
        base=roadmap.forked_from_version.document if roadmap.forked_from_version else None,
        ours=roadmap.current_version.document if roadmap.current_version else {},
        theirs=upstream_version.document,
    )
    problems: list[dict[str, Any]] = []
    if request.method == "POST":
        choices = {c.key: request.POST.get(f"choice-{c.key}", "") for c in merged.conflicts}
        try:
            result = services.fork_merge_upstream(
                roadmap=roadmap,
                user=request.user,  # type: ignore[arg-type]
                upstream_version=upstream_version,
                choices=choices,
            )
        except ApplicationError as exc:
            problems = _problems(exc)
        else:
            messages.success(
                request,
                f"Took in {upstream_roadmap.title} version {upstream_version.number}"
                + (f" as version {result.version.number}." if result.created else "."),
            )
            return redirect("roadmaps:versions", slug)
    context = {
        "roadmap": roadmap,
        "upstream": upstream_roadmap,
        "upstream_version": upstream_version,
        "merged": merged,
        "problems": problems,
    }
    return render(request, "roadmaps/upstream.html", context, status=422 if problems else 200)
