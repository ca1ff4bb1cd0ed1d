"""No browser or proxy keeps a page: `Cache-Control: no-store` on every response the
application draws (one middleware), while static files keep their long cache."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path, reverse

from casenotes.tests.case_factories import CaseFactory
from conftest import signed_in_client
from portal import unsubscribe
from portal import urls as project_urls
from portal.models import EmailKind
from training import services as training_services
from training.tests.factories import INDICATORS, small_module
from training.tests.report_data import attempt_with


@pytest.fixture
def certificate(alice):
    training_services.indicators_load(data=INDICATORS)
    module, _ = training_services.module_load_from_json(data=small_module())
    attempt = attempt_with(alice, module.versions.get(), [0, 0], percent=100)
    return training_services.certificate_issue(attempt=attempt)


# (who looks, the URL name, its arguments given alice, her case and her certificate)
SIGNED_IN_PAGES = {
    "home": ("alice", "portal:home", lambda alice, case, certificate: []),
    "case page": ("alice", "casenotes:case-detail", lambda alice, case, certificate: [case.pk]),
    "certificate": (
        "alice",
        "training:certificate-detail",
        lambda alice, case, certificate: [certificate.code],
    ),
    "printable record": (
        "bob",
        "training:person-record",
        lambda alice, case, certificate: [alice.pk],
    ),
    "record CSV": (
        "bob",
        "training:person-record-csv",
        lambda alice, case, certificate: [alice.pk],
    ),
    "team matrix CSV": ("bob", "training:team-matrix-csv", lambda alice, case, certificate: []),
    "team people CSV": ("bob", "training:team-people-csv", lambda alice, case, certificate: []),
}


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_it_tells_browsers_and_proxies_to_keep_no_page_of_a_signed_in_person(
    page, alice, bob, certificate
):
    viewer, url_name, args = SIGNED_IN_PAGES[page]
    client = signed_in_client({"alice": alice, "bob": bob}[viewer])
    case = CaseFactory(author=alice)

    response = client.get(reverse(url_name, args=args(alice, case, certificate)))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_it_keeps_no_error_page_of_a_signed_in_person(alice):
    response = signed_in_client(alice).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_it_overrides_what_a_view_says_about_caching(platform_admin):
    """The admin's views say `max-age=0, no-cache, …, private`; the middleware has the last
    word."""
    response = signed_in_client(platform_admin).get(reverse("admin:index"))

    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        lambda alice, certificate: reverse("portal:sign-in"),
        lambda alice, certificate: reverse(
            "portal:email-unsubscribe",
            args=[unsubscribe.token_make(user_id=alice.pk, kind=EmailKind.DUE_SOON)],
        ),
        lambda alice, certificate: reverse(
            "certificates:certificate-verify", args=[certificate.code]
        ),
    ],
    ids=["sign-in", "unsubscribe link", "certificate check"],
)
def test_it_keeps_no_page_of_anyone_signed_out_either(client, alice, certificate, path):
    response = client.get(path(alice, certificate))

    assert response["Cache-Control"] == "no-store"


def test_it_leaves_static_files_their_long_cache(settings, alice):
    settings.WHITENOISE_USE_FINDERS = True
    # As the manifest storage's fingerprinted names are in production.
    settings.WHITENOISE_IMMUTABLE_FILE_TEST = r"\.js$"
    client = signed_in_client(alice, Client())

    response = client.get("/static/js/threshold.js")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]


def _boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", _boom), *project_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_it_keeps_no_redirect_refusal_or_server_error_of_a_signed_in_person(alice):
    """Not only pages: what a view answers instead (a redirect, a 403, a 500) is kept nowhere."""
    unverified = Client()
    unverified.force_login(alice)
    client = signed_in_client(alice, Client(raise_request_exception=False))
    answers = {
        "second-factor gate": unverified.get(reverse("portal:home")),
        "refusal": client.get(reverse("portal:manage-user-list")),
        "server error": client.get("/boom/"),
        "after a post": client.post(reverse("portal:sign-out")),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "second-factor gate": 302,
        "refusal": 403,
        "server error": 500,
        "after a post": 302,
    }
    assert {answer["Cache-Control"] for answer in answers.values()} == {"no-store"}
