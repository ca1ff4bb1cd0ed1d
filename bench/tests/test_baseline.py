"""The load benchmark's yardstick: served under bench.settings only, never by the portal."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from training import services
from training.tests.factories import INDICATORS


@pytest.fixture
def bench_installed(settings):
    """What bench.settings adds to the portal's settings, for one test."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
    settings.ROOT_URLCONF = "bench.urls"


def test_it_is_not_routed_by_the_portal():
    with pytest.raises(Resolver404):
        resolve("/bench/baseline/", urlconf="portal.urls")


def test_it_is_not_installed_by_the_portals_settings():
    portal_settings = importlib.import_module("portal.settings")

    assert not any(app.startswith("bench") for app in portal_settings.INSTALLED_APPS)
    assert portal_settings.ROOT_URLCONF == "portal.urls"


def test_it_is_installed_and_routed_by_the_bench_settings():
    bench_settings = importlib.import_module("bench.settings")

    assert "bench" in bench_settings.INSTALLED_APPS
    assert resolve("/bench/baseline/", urlconf="bench.urls").url_name == "bench-baseline"
    assert resolve("/cases/", urlconf="bench.urls").view_name == "casenotes:case-list"


def test_it_renders_one_indexed_query_behind_the_usual_middleware(
    bench_installed, verified_client, alice
):
    services.indicators_load(data=INDICATORS)
    client = verified_client(alice)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/baseline/", {"key": "grievance"})

    assert response.status_code == 200
    assert b"<h1>Grievance</h1>" in response.content
    assert "Content-Security-Policy" in response.headers  # the same middleware as every page
    own = [q["sql"] for q in queries if "training_indicator" in q["sql"]]
    assert len(own) == 1 and '"key" =' in own[0]


def test_it_still_needs_a_signed_in_person(bench_installed, client, db):
    assert client.get("/bench/baseline/").status_code == 302
