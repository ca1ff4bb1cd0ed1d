"""Preview: the author plays the current draft as a learner would, and nothing is recorded."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from portal.models import AuditEvent, OutboxEmail
from training import services
from training.models import Answer, Assignment, Attempt, Certificate
from training.tests.studio_data import saved_choices, step_details, studio_draft, text_of


@pytest.fixture
def draft(indicators, carol):
    return studio_draft(by=carol)


@pytest.fixture
def author(verified_client, carol):
    return verified_client(carol)


def _url(name: str, draft) -> str:
    return reverse(f"training:studio-preview{name}", args=[draft.module.pk])


def _start(client, draft, confidence: int = 2):
    return client.post(_url("", draft), {"confidence": confidence})


def _continue(client, draft, step):
    return client.post(_url("-play", draft), {"step_key": step.key})


def _answer(client, draft, choice: int, position: int = 0):
    return client.post(
        _url("-play", draft),
        {"step_key": draft.decision.key, "position": position, "choice": choice},
    )


def _state(client, draft):
    return client.session.get(f"studio-preview-{draft.module.pk}")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _walk(client, draft) -> None:
    """Play the whole draft through the pages, choosing the proportionate response."""
    _start(client, draft)
    _continue(client, draft, draft.intro)
    _answer(client, draft, 1)
    client.get(_url("-feedback", draft))
    _continue(client, draft, draft.end)
    client.post(_url("-finish", draft), {"confidence": 4})


# --- Playing the draft ----------------------------------------------------------------------


def test_it_asks_how_confident_the_author_is_first_and_says_nothing_is_recorded(author, draft):
    page = text_of(author.get(_url("", draft)))

    assert (
        "How confident are you to recognise and respond proportionately to worries about "
        "online radicalisation?" in page
    )
    assert "Nothing is recorded." in page


def test_it_shows_the_first_step_after_the_confidence_question(author, draft):
    response = _start(author, draft)

    assert response.status_code == 302
    assert response["Location"] == _url("-play", draft)
    assert "Meet Sam" in text_of(author.get(response["Location"]))


def test_it_asks_for_a_confidence_rating_before_starting(author, draft):
    response = author.post(_url("", draft), {"confidence": ""})

    assert response.status_code == 400
    assert "Select how confident you feel, from 1 to 5" in text_of(response)
    assert _state(author, draft) is None


def test_it_moves_from_a_narrative_step_to_the_decision(author, draft):
    _start(author, draft)

    response = _continue(author, draft, draft.intro)

    page = text_of(author.get(response["Location"]))
    assert "What do you do?" in page
    assert "Offer early help" in page


def test_it_shows_the_feedback_on_a_choice_as_the_player_does(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)

    response = _answer(author, draft, 2)

    assert response["Location"] == _url("-feedback", draft)
    page = text_of(author.get(response["Location"]))
    assert "What you chose Refer to Prevent" in page
    assert (
        "Safeguarding route Universal support An under-reaction: 1 step below the accepted band"
    ) in page
    assert (
        "Prevent route Prevent referral An over-reaction: 2 steps above the accepted band"
    ) in page
    assert "Feedback on refer to prevent." in page
    assert (
        "The accepted response Safeguarding route Family help (early help or section 17) "
        "Prevent route No Prevent action"
    ) in page
    assert "Isolation with no other signs calls for early help." in page


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def test_it_draws_each_page_with_the_players_own_template(author, draft):
    start = author.get(_url("", draft))
    _start(author, draft)
    step = author.get(_url("-play", draft))
    _continue(author, draft, draft.intro)
    _answer(author, draft, 2)
    feedback = author.get(_url("-feedback", draft))

    assert _template_names(start)[0] == "training/confidence_before.html"
    assert _template_names(step)[0] == "training/step.html"
    assert _template_names(feedback)[0] == "training/feedback.html"
    assert "training/studio/_preview_banner.html" in _template_names(feedback)


def test_it_points_the_players_pages_back_at_the_preview(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    _answer(author, draft, 2)

    page = author.get(_url("-feedback", draft)).content.decode()

    assert f'href="{_url("-play", draft)}"' in page
    assert "Nothing is recorded." in page
    assert "/attempts/" not in page


def test_it_asks_for_a_choice_at_a_decision(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)

    response = author.post(_url("-play", draft), {"step_key": draft.decision.key, "position": 0})

    assert response.status_code == 400
    assert "Select what you would do" in text_of(response)
    assert _state(author, draft)["answers"] == []


def test_it_asks_for_confidence_again_after_the_last_step(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    _answer(author, draft, 1)

    response = author.post(_url("-play", draft), {"step_key": draft.end.key}, follow=True)

    assert response.redirect_chain[-1][0] == _url("-finish", draft)
    assert "Before you see your results" in text_of(response)


def test_it_ends_with_the_summary_a_learner_would_see(author, draft):
    _walk(author, draft)

    page = text_of(author.get(_url("-finish", draft)))

    assert "Your results" in page
    assert "100%" in page
    assert "A learner would earn a certificate (pass mark 70%)." in page
    assert "Confidence 2 before, 4 after (out of 5)" in page


def test_it_scores_a_path_below_the_pass_mark_as_a_learner_would_not_pass(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    _answer(author, draft, 0)
    _continue(author, draft, draft.end)

    response = author.post(_url("-finish", draft), {"confidence": 1})

    page = text_of(response)
    assert "0%" in page
    assert "a learner would not earn a certificate" in page


def test_it_records_nothing_in_a_whole_preview(author, draft, alice):
    models = [Attempt, Answer, Certificate, Assignment, OutboxEmail, AuditEvent]
    before = [model.objects.count() for model in models]

    _walk(author, draft)

    assert "Your results" in text_of(author.get(_url("-finish", draft)))
    assert [model.objects.count() for model in models] == before


def test_it_plays_the_draft_rather_than_the_published_version(author, draft, carol):
    services.version_publish(module=draft.module, by=carol, change_note="First version.")
    services.step_update(
        by=draft.author,
        step=draft.intro,
        **step_details(draft.intro, title="Meet Sam, again"),
        choices=[],
    )

    response = _start(author, draft)

    assert "Meet Sam, again" in text_of(author.get(response["Location"]))


def test_it_shows_the_problems_instead_of_playing_a_draft_with_problems(author, draft):
    services.step_update(
        by=draft.author,
        step=draft.decision,
        **step_details(draft.decision, explanation=""),
        choices=saved_choices(draft.decision),
    )

    response = author.get(_url("", draft))

    page = text_of(response)
    assert "Fix the draft before previewing it" in page
    assert "does not explain why its bands are right" in page
    assert 'name="confidence"' not in response.content.decode()


def test_it_does_not_start_a_draft_with_problems_from_a_posted_form(author, draft):
    services.step_update(
        by=draft.author, step=draft.intro, **step_details(draft.intro, next_step=None), choices=[]
    )

    response = _start(author, draft)

    assert "Fix the draft before previewing it" in text_of(response)
    assert _state(author, draft) is None


# --- Back button, resubmits and a draft that changes mid-preview ----------------------------


def test_it_ignores_a_continue_resubmitted_from_the_back_button(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)

    response = _continue(author, draft, draft.intro)

    assert response.status_code == 302
    assert response["Location"] == _url("-play", draft)
    assert _state(author, draft)["step"] == draft.decision.key
    assert "What do you do?" in text_of(author.get(response["Location"]))


def test_it_ignores_an_answer_submitted_twice(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    _answer(author, draft, 1)

    response = _answer(author, draft, 0)

    assert response.status_code == 302
    assert _state(author, draft)["answers"] == [[draft.decision.key, 1]]
    assert _state(author, draft)["step"] == draft.end.key


def test_it_restarts_with_a_message_when_the_step_it_is_on_leaves_the_draft(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    services.step_update(
        by=draft.author,
        step=draft.decision,
        **step_details(draft.decision, key="renamed"),
        choices=saved_choices(draft.decision),
    )

    response = author.get(_url("-play", draft))

    assert response.status_code == 302
    assert response["Location"] == _url("", draft)
    assert "The draft or the preview moved on" in " ".join(_messages(response))
    assert _state(author, draft) is None
    assert "Before you start" in text_of(author.get(response["Location"]))


def test_it_restarts_with_a_message_when_the_chosen_choice_is_removed(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    _answer(author, draft, 2)
    services.step_update(
        by=draft.author,
        step=draft.decision,
        **step_details(draft.decision),
        choices=saved_choices(draft.decision)[:2],
    )

    response = author.get(_url("-feedback", draft))

    assert response.status_code == 302
    assert response["Location"] == _url("", draft)
    assert "The draft or the preview moved on" in " ".join(_messages(response))


def test_it_restarts_the_summary_when_an_answered_step_leaves_the_draft(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)
    _answer(author, draft, 1)
    _continue(author, draft, draft.end)
    author.post(_url("-finish", draft), {"confidence": 4})
    services.step_update(
        by=draft.author,
        step=draft.decision,
        **step_details(draft.decision, key="renamed"),
        choices=saved_choices(draft.decision),
    )

    response = author.get(_url("-finish", draft))

    assert response.status_code == 302
    assert response["Location"] == _url("", draft)


def test_it_shows_the_problems_when_the_draft_gains_one_mid_preview(author, draft):
    _start(author, draft)
    services.step_update(
        by=draft.author, step=draft.intro, **step_details(draft.intro, next_step=None), choices=[]
    )

    response = author.get(_url("-play", draft), follow=True)

    assert "Fix the draft before previewing it" in text_of(response)


def test_it_sends_a_stale_confidence_post_back_to_the_current_step(author, draft):
    """The end's confidence form resubmitted (back button) after starting again keeps the
    new preview where it is."""
    _start(author, draft)
    _continue(author, draft, draft.intro)

    response = author.post(_url("-finish", draft), {"confidence": 5})

    assert response.status_code == 302
    assert response["Location"] == _url("-play", draft)
    assert "The draft or the preview moved on" in " ".join(_messages(response))
    assert _state(author, draft)["step"] == draft.decision.key
    assert _state(author, draft)["confidence_after"] is None


def test_it_sends_a_visit_to_feedback_before_any_answer_back_to_the_current_step(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)

    response = author.get(_url("-feedback", draft))

    assert response["Location"] == _url("-play", draft)
    assert _state(author, draft)["step"] == draft.decision.key


def test_it_sends_a_visit_with_no_preview_under_way_to_its_start(author, draft):
    for name in ("-play", "-feedback", "-finish"):
        response = author.get(_url(name, draft))

        assert response["Location"] == _url("", draft)


def test_it_starts_again_when_asked(author, draft):
    _start(author, draft)
    _continue(author, draft, draft.intro)

    response = author.post(_url("-restart", draft))

    assert response["Location"] == _url("", draft)
    assert _state(author, draft) is None


# --- Who may preview ------------------------------------------------------------------------


def test_it_answers_404_to_another_authoritys_admin(verified_client, wendy, draft):
    client = verified_client(wendy)

    assert _start(client, draft).status_code == 404
    assert client.post(_url("-restart", draft)).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_forbids_practitioners_and_supervisors(persona, request, verified_client, draft):
    client = verified_client(request.getfixturevalue(persona))

    assert _start(client, draft).status_code == 403
