"""The load benchmark's baseline (bench/load.py): served only when BENCH_BASELINE is on.

A bare view behind the same middleware as every page (sessions, sign-in, second factor,
CSP): one indexed query and a small template. Each page's p95 is reported as a multiple of
this one's, so the figures say what our own code costs on top of Django and the database.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from training.models import Indicator


@login_required
def baseline(request: HttpRequest) -> HttpResponse:
    indicator = Indicator.objects.filter(key=request.GET.get("key", "isolation")).first()
    return render(request, "bench/baseline.html", {"indicator": indicator})
