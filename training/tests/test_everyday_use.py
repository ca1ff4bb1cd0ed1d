"""Issue 20 for learners: where am I in a module, "Stop for now" says the progress is saved,
checking a certificate by its code, and searching My training once it is long."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from training import presenters, services
from training.models import Certificate
from training.tests.factories import small_module
from training.version_reader import version_read


@pytest.fixture
def learner(verified_client, alice):
    return verified_client(alice)


@pytest.fixture
def document():
    return version_read(small_module())


@pytest.mark.parametrize(
    ("step_key", "choices", "expected"),
    [
        ("intro", [], "Step 1 of about 6"),
        ("d2", [0], "Step 3 of about 6"),
        ("p2-d1", [0, 2], "Step 5 of about 6"),
        ("p2-end", [0, 2, 1], "Step 6 of 6"),
    ],
)
def test_it_says_which_step_of_about_how_many(document, step_key, choices, expected):
    assert presenters.step_position(document, step_key, choices) == expected


def test_it_counts_the_longest_branch_still_open():
    data = small_module()
    d1 = data["scenarios"][0]["steps"][1]
    d1["choices"][2]["next"] = "end-b"  # referring at once skips the second worry
    document = version_read(data)

    assert presenters.step_position(document, "d1", []) == "Step 2 of about 6"
    assert presenters.step_position(document, "end-b", [2]) == "Step 3 of about 5"


def test_it_says_nothing_for_a_step_off_the_path_replayed(document):
    assert presenters.step_position(document, "end-b", [0, 0]) == ""


def test_it_survives_a_loop_with_a_way_out():
    data = copy.deepcopy(small_module())
    d2 = data["scenarios"][0]["steps"][2]
    d2["choices"][0]["next"] = "d1"  # "Monitor" goes back to the first worry
    document = version_read(data)

    assert presenters.step_position(document, "d2", [0, 0, 0]) == "Step 5 of about 8"


def test_it_shows_the_step_position_in_the_player(learner, alice, version):
    attempt = services.attempt_start(user=alice, version=version)
    services.attempt_rate_confidence(user=alice, attempt=attempt, confidence=3)

    page = learner.get(reverse("training:attempt-play", args=[attempt.pk])).content.decode()

    assert "Step 1 of about 6" in page


def test_it_confirms_progress_is_saved_after_stop_for_now(learner, alice, version):
    attempt = services.attempt_start(user=alice, version=version)
    services.attempt_rate_confidence(user=alice, attempt=attempt, confidence=3)
    step_page = learner.get(reverse("training:attempt-play", args=[attempt.pk])).content.decode()
    stop = reverse("training:attempt-stop", args=[attempt.pk])
    assert f'href="{stop}"' in step_page

    response = learner.get(stop, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "training:module-detail", args=[version.module.key]
    )
    page = response.content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Your progress is saved" in page
    assert "Resume where you left off" in page


def test_it_does_not_stop_someone_elses_attempt(verified_client, alice, charlie, version):
    attempt = services.attempt_start(user=alice, version=version)

    response = verified_client(charlie).get(reverse("training:attempt-stop", args=[attempt.pk]))

    assert response.status_code == 404


# --- Checking a certificate ---------------------------------------------------------------


@pytest.fixture
def certificate(alice, version):
    attempt = services.attempt_start(user=alice, version=version)
    Certificate.objects.create(
        attempt=attempt,
        user=alice,
        version=version,
        code="ABCD-EFGH-JK23",
        issued_at=version.published_at,
        expires_at=version.published_at.replace(year=version.published_at.year + 1),
    )
    return Certificate.objects.get()


@pytest.mark.parametrize(
    "typed", ["ABCD-EFGH-JK23", "abcd efgh jk23", " abcdefghjk23 ", "Abcd–efgh jk 23"]
)
def test_it_finds_a_certificate_however_its_code_is_typed(client, certificate, typed):
    response = client.get(reverse("certificates:certificate-check"), {"code": typed}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "certificates:certificate-verify", args=["ABCD-EFGH-JK23"]
    )
    assert "This certificate is genuine" in response.content.decode()


def test_it_answers_an_unknown_code_with_a_designed_page(client, certificate):
    response = client.get(reverse("certificates:certificate-check"), {"code": "ZZZZ-ZZZZ-ZZ22"})

    assert response.status_code == 404
    page = response.content.decode()
    assert "No certificate has that code" in page
    assert 'name="code"' in page  # try another


def test_it_asks_for_a_code_left_empty(client, db):
    response = client.get(reverse("certificates:certificate-check"), {"code": " "})

    assert response.status_code == 400
    assert "Enter the certificate code" in response.content.decode()


def test_it_links_the_certificate_to_the_check_page_and_offers_printing(learner, certificate):
    page = learner.get(
        reverse("training:certificate-detail", args=[certificate.code])
    ).content.decode()

    assert f'href="{reverse("certificates:certificate-check")}"' in page
    assert "data-threshold-print" in page


# --- Searching My training ----------------------------------------------------------------


@pytest.fixture
def many_modules(indicators):
    for number in range(11):
        title = "Online grooming and games" if number == 3 else f"Module number {number}"
        services.module_load_from_json(data=small_module(key=f"module-{number}", title=title))


def test_it_offers_no_search_for_ten_modules_or_fewer(learner, module):
    assert 'name="q"' not in learner.get(reverse("training:catalogue")).content.decode()


def test_it_searches_my_training_once_it_lists_more_than_ten(learner, many_modules):
    everything = learner.get(reverse("training:catalogue")).content.decode()
    found = learner.get(reverse("training:catalogue"), {"q": "GROOMING games"}).content.decode()

    assert 'name="q"' in everything
    assert "Online grooming and games" in found
    assert "Module number 4" not in found
    assert "1 module matches" not in found and "1 module match" in found
