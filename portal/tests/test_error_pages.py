"""Designed error pages: a clear message, no stack trace, no detail of what went wrong."""

import pytest
from django.test import Client
from django.urls import include, path


def _explode(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("explode/", _explode),
    path("", include("portal.urls")),
]


def test_it_shows_the_designed_not_found_page(verified_client, alice):
    client = verified_client(alice)

    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "govuk-header" in page


def test_it_shows_the_designed_forbidden_page(verified_client, alice):
    client = verified_client(alice)

    response = client.get("/manage/users/")

    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


@pytest.mark.urls(__name__)
def test_it_shows_the_designed_error_page_without_a_stack_trace(db):
    client = Client(raise_request_exception=False)

    response = client.get("/explode/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "secret internal detail" not in page
    assert "Traceback" not in page
