"""Public pages: home, roadmap, topic, project."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "roadmaps/home.html")


def openapi_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/api/v1/openapi.json")


def docs_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/api/v1/docs")
