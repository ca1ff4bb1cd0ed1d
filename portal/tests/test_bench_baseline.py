"""The load benchmark's baseline page exists only when BENCH_BASELINE turns it on."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

from portal import urls
from training import services
from training.tests.factories import INDICATORS


@pytest.fixture
def baseline_on(settings):
    settings.BENCH_BASELINE = True
    clear_url_caches()
    importlib.reload(urls)
    yield
    settings.BENCH_BASELINE = False
    clear_url_caches()
    importlib.reload(urls)


def test_it_is_not_served_normally(verified_client, alice):
    assert verified_client(alice).get("/bench/baseline/").status_code == 404


def test_it_renders_one_indexed_query_behind_the_usual_middleware(
    baseline_on, verified_client, alice
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


def test_it_still_needs_a_signed_in_person(baseline_on, client, db):
    assert client.get("/bench/baseline/").status_code == 302
