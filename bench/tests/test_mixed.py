"""The mixed-workload benchmark's own workings, on a tiny seed: the accounts it prepares sign
in with the codes its users compute, and the forms its users fill in are the ones the pages
post (templates change; the benchmark must keep up or it measures error pages)."""

from __future__ import annotations

import importlib
import re
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import mixed
from bench.browser import form_on, totp
from bench.management.commands.seed_scale import Command as SeedScale
from bench.scale_seed.modules import LIBRARY_MODULES
from casenotes.models import Comment
from portal.models import User
from training.models import Answer

# The whole library and two authority copies, which the authors' slots edit.
TINY = {
    "authorities": 3,
    "staff": 60,
    "modules": len(list(LIBRARY_MODULES.glob("*.json"))) + 2,
    "attempts": 200,
    "cases": 10,
}
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def accounts(django_db_setup, django_db_blocker):
    """Seeded and prepared once for the module, rolled back after its last test."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command(SeedScale(), stdout=StringIO(), comments=60, team_size=12, **TINY)
        yield mixed.accounts_prepare(8, 8077)
        transaction.set_rollback(True)


def _person(accounts: dict, role: str) -> User:
    return User.objects.get(email=accounts["slots"][role][0]["email"])


def test_it_computes_the_codes_django_otp_accepts(db, alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)

    assert device.verify_token(totp(device.key))


def test_it_signs_in_the_virtual_users_of_a_shared_account_in_any_order(db, accounts, settings):
    """Users start in any order: the last device's code is tried against every other device
    first, and with django-otp's throttle on, those would then refuse their own codes."""
    settings.OTP_TOTP_THROTTLE_FACTOR = importlib.import_module(
        "bench.settings"
    ).OTP_TOTP_THROTTLE_FACTOR
    slots = accounts["slots"]["supervisor"]
    supervisor = User.objects.get(email=slots[0]["email"])

    matched = [match_token(supervisor, totp(slot["key"])) for slot in reversed(slots)]

    assert [device.name for device in matched] == [
        f"bench-supervisor-{number}" for number in reversed(range(len(slots)))
    ]


def test_it_gives_each_practitioner_and_case_user_an_account_of_their_own(db, accounts):
    for role in ("practitioner", "case"):
        emails = [slot["email"] for slot in accounts["slots"][role]]
        assert len(emails) == len(set(emails))
    assert accounts["slots"]["author"][0]["module"]


def test_it_answers_a_decision_with_the_form_on_the_step(db, accounts, verified_client):
    client = verified_client(_person(accounts, "practitioner"))
    catalogue = client.get("/training/").content.decode()
    key = re.findall(r'href="/training/modules/([\w-]+)/"', catalogue)[0]
    module = client.get(f"/training/modules/{key}/").content.decode()
    start = form_on(module, "/start/")
    play = client.post(start.action, urlencode(start.data()), content_type=FORM)["Location"]

    for _ in range(30):
        page = client.get(play).content.decode()
        action = next(a for a in ("/answer/", "/continue/", "/confidence/") if a in page)
        form = form_on(page, action)
        response = client.post(play + action.strip("/") + "/", urlencode(form.data()), FORM)
        assert response.status_code == 302
        if action == "/answer/":
            break

    assert "/feedback/" in response["Location"]
    email = accounts["slots"]["practitioner"][0]["email"]
    assert Answer.objects.filter(attempt__user__email=email).exists()


def test_it_comments_and_votes_with_the_forms_on_the_case_page(db, accounts, verified_client):
    client = verified_client(_person(accounts, "case"))
    case = accounts["case"]
    page = client.get(f"/cases/{case}/").content.decode()

    comment = form_on(page, f"/cases/{case}/comments/").data(body="We asked the DSL first.")
    vote = form_on(page, f"/cases/{case}/vote/").data(rationale="No dated threat yet.")
    commented = client.post(f"/cases/{case}/comments/", urlencode(comment), FORM)
    voted = client.post(f"/cases/{case}/vote/", urlencode(vote), FORM)

    assert (commented.status_code, voted.status_code) == (302, 302)
    assert Comment.objects.filter(case_id=case, body="We asked the DSL first.").exists()


def test_it_saves_a_step_with_the_editors_form_as_it_stands(db, accounts, verified_client):
    slot = accounts["slots"]["author"][0]
    client = verified_client(User.objects.get(email=slot["email"]))
    module = client.get(f"/training/studio/modules/{slot['module']}/").content.decode()
    scenario = re.findall(r'href="(/training/studio/scenarios/\d+/)"', module)[0]
    the_map = client.get(scenario).content.decode()
    step = re.findall(r'href="(/training/studio/steps/\d+/)"', the_map)[0]
    editor = client.get(step).content.decode()

    form = form_on(editor, step, here=step)
    response = client.post(step, urlencode(form.data()), FORM)

    assert response.status_code == 302
    assert response["Location"] == step
