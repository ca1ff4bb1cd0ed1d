"""The load benchmark's yardstick (bench/mixed.py), served only under bench.settings.

A bare view behind the same middleware as every page (sessions, sign-in, second factor,
CSP): one indexed query and a small template. The mixed workload's throughput is reported as
a fraction of this one's, so the figures say what our own code costs on top of Django and the
database.
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
