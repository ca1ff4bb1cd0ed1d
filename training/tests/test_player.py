"""The learner's journey through a module, as pages."""

import pytest
from django.urls import reverse

from training.models import Answer, Attempt, Certificate


@pytest.fixture
def player(verified_client, alice, module):
    return verified_client(alice)


def _start(client, module):
    response = client.post(reverse("training:attempt-start", args=[module.key]))
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("training:attempt-play", args=[attempt.pk])
    return attempt


def _play(client, attempt, choices):
    """Answer confidence, then walk the steps picking choice indexes in order."""
    client.post(reverse("training:attempt-confidence", args=[attempt.pk]), {"confidence": 2})
    for _ in range(20):
        attempt.refresh_from_db()
        if not attempt.current_step_key:
            break
        page = client.get(reverse("training:attempt-play", args=[attempt.pk]))
        if 'name="choice"' in page.content.decode():
            client.post(
                reverse("training:attempt-answer", args=[attempt.pk]),
                {
                    "step_key": attempt.current_step_key,
                    "position": attempt.answer_count,
                    "choice": choices.pop(0),
                },
            )
        else:
            client.post(
                reverse("training:attempt-continue", args=[attempt.pk]),
                {"step_key": attempt.current_step_key},
            )
    return client.post(reverse("training:attempt-confidence", args=[attempt.pk]), {"confidence": 4})


def test_it_lists_library_modules_in_my_training(player, module):
    response = player.get(reverse("training:catalogue"))
    assert response.status_code == 200
    assert "Jo&#x27;s bedroom door" in response.content.decode()
    assert "Not started" in response.content.decode()


def test_it_asks_confidence_before_the_first_step(player, module):
    attempt = _start(player, module)
    page = player.get(reverse("training:attempt-play", args=[attempt.pk])).content.decode()
    assert (
        "How confident are you to recognise and respond proportionately to a test concern?" in page
    )


def test_it_shows_an_error_when_no_choice_is_selected(player, module):
    attempt = _start(player, module)
    player.post(reverse("training:attempt-confidence", args=[attempt.pk]), {"confidence": 3})
    player.post(reverse("training:attempt-continue", args=[attempt.pk]), {"step_key": "intro"})
    response = player.post(
        reverse("training:attempt-answer", args=[attempt.pk]), {"step_key": "d1", "position": 0}
    )
    assert response.status_code == 400
    assert "Select what you would do" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_passes_with_proportionate_answers_and_issues_a_certificate(player, module):
    attempt = _start(player, module)
    response = _play(player, attempt, [1, 2, 0])
    assert response["Location"] == reverse("training:attempt-summary", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.percent, attempt.passed, attempt.confidence_after) == (100, True, 4)
    certificate = Certificate.objects.get(attempt=attempt)
    summary = player.get(response["Location"]).content.decode()
    assert certificate.code in summary


def test_it_records_a_double_submitted_answer_once(player, module):
    attempt = _start(player, module)
    player.post(reverse("training:attempt-confidence", args=[attempt.pk]), {"confidence": 3})
    player.post(reverse("training:attempt-continue", args=[attempt.pk]), {"step_key": "intro"})
    answer = {"step_key": "d1", "position": 0, "choice": 0}
    first = player.post(reverse("training:attempt-answer", args=[attempt.pk]), answer)
    second = player.post(reverse("training:attempt-answer", args=[attempt.pk]), answer, follow=True)
    assert first.status_code == 302
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert "already answered" in second.content.decode()
    attempt.refresh_from_db()
    assert attempt.current_step_key == "d2"


def test_it_fails_below_the_pass_mark_without_a_certificate(player, module):
    attempt = _start(player, module)
    _play(player, attempt, [0, 0, 2])
    attempt.refresh_from_db()
    assert attempt.passed is False
    assert not Certificate.objects.exists()


def test_it_hides_another_persons_attempt(verified_client, alice, charlie, module):
    client = verified_client(alice)
    attempt = _start(client, module)
    other = verified_client(charlie)
    assert other.get(reverse("training:attempt-play", args=[attempt.pk])).status_code == 404


def test_it_links_a_radio_error_to_the_first_radio(player, module):
    attempt = _start(player, module)

    response = player.post(reverse("training:attempt-confidence", args=[attempt.pk]), {})

    page = response.content.decode()
    assert 'href="#id_confidence_1"' in page
    assert 'id="id_confidence_1"' in page
