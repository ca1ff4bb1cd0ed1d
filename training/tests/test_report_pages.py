"""The report pages and CSV exports: who may open them, what the page and the CSV say (the
same figures), CSV names and safety, the query budget, accessible tables and charts."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.tests.factories import AuthorityFactory, TeamFactory, UserFactory
from training import services
from training.tests.report_data import (
    assign,
    attempt_with,
    generated_team,
    modules_with_versions,
)

NOW = "2026-11-27 10:00 +00:00"
TEAM_PROGRESS = reverse("training:team-progress")
AUTHORITY_REPORT = reverse("training:authority-report")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def supervisor(verified_client, bob):
    return verified_client(bob)


@pytest.fixture
def admin(verified_client, dave):
    return verified_client(dave)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed, for plain assertions."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


# --- Who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_it_forbids_practitioners_and_authors_the_team_page(persona, request, verified_client):
    client = verified_client(request.getfixturevalue(persona))
    assert client.get(TEAM_PROGRESS).status_code == 403
    assert client.get(AUTHORITY_REPORT).status_code == 403


def test_it_forbids_a_supervisor_the_authority_report(supervisor):
    assert supervisor.get(AUTHORITY_REPORT).status_code == 403


def test_it_hides_charlies_record_from_bob(supervisor, charlie):
    assert supervisor.get(reverse("training:person-record", args=[charlie.pk])).status_code == 404


def test_it_hides_alices_record_and_attempts_from_charlie(verified_client, charlie, alice, version):
    client = verified_client(charlie)
    attempt = attempt_with(alice, version, [0])
    assert client.get(reverse("training:person-record", args=[alice.pk])).status_code == 404
    url = reverse("training:person-attempt", args=[alice.pk, attempt.pk])
    assert client.get(url).status_code == 404


def test_it_hides_another_authoritys_person_from_an_admin(admin, charlie):
    for name in ["training:person-record", "training:person-record-csv"]:
        assert admin.get(reverse(name, args=[charlie.pk])).status_code == 404


def test_it_shows_a_practitioner_their_own_record_only(verified_client, alice, bob):
    client = verified_client(alice)
    assert client.get(reverse("training:person-record", args=[alice.pk])).status_code == 200
    assert client.get(reverse("training:person-record", args=[bob.pk])).status_code == 404


def test_it_hides_another_teams_person_from_a_supervisor(supervisor, authority):
    stranger = UserFactory(authority=authority, team=TeamFactory(authority=authority))
    assert supervisor.get(reverse("training:person-record", args=[stranger.pk])).status_code == 404


def test_it_answers_404_to_a_team_filter_outside_the_supervisors_scope(supervisor, authority):
    other = TeamFactory(authority=authority, name="Youth Justice")
    assert supervisor.get(TEAM_PROGRESS, {"team": other.pk}).status_code == 404


def test_it_hides_charlies_attempt_from_bob(supervisor, charlie, version):
    attempt = attempt_with(charlie, version, [0])
    url = reverse("training:person-attempt", args=[charlie.pk, attempt.pk])
    assert supervisor.get(url).status_code == 404


# --- The team page --------------------------------------------------------------------------


def test_it_shows_the_matrix_as_an_accessible_sortable_table(supervisor, alice, version):
    assign(alice, version.module, due_on=timezone.localdate() - timedelta(days=3))
    response = supervisor.get(TEAM_PROGRESS, {"sort": "-overdue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="matrix-caption">Modules by person</caption>' in html
    assert '<th scope="col" class="govuk-table__header">Jo&#x27;s bedroom door</th>' in html
    assert re.search(r'<th scope="row"[^>]*><a [^>]*>Alice Okafor</a></th>', html)
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=overdue">Overdue' in html
    assert 'aria-sort="none"><a class="govuk-link" href="?sort=name">Name' in html
    assert "Overdue</strong>" in html


def test_it_keeps_the_filters_in_the_sort_links(admin, alice, team, version):
    assign(alice, version.module, due_on=timezone.localdate() - timedelta(days=1))
    response = admin.get(TEAM_PROGRESS, {"team": team.pk, "status": "overdue"})
    assert f'href="?team={team.pk}&amp;status=overdue&amp;sort=tendency"' in (
        response.content.decode()
    )


def test_it_shows_the_extended_due_date_in_the_matrix(supervisor, alice, version):
    today = timezone.localdate()
    assign(
        alice,
        version.module,
        due_on=today - timedelta(days=3),
        extended_due_on=today + timedelta(days=20),
        reason="Jury service",
    )
    page = text_of(supervisor.get(TEAM_PROGRESS))
    assert "Not started Due 17 Dec 2026 (extended)" in page
    assert "Nothing is overdue." in page


def test_it_draws_the_tendency_chart_from_the_table_beside_it(supervisor, alice, team, version):
    attempt_with(alice, version, [-2, -1])
    attempt_with(UserFactory(authority=team.authority, team=team), version, [0])
    response = supervisor.get(TEAM_PROGRESS)
    html = response.content.decode()
    assert 'role="img" aria-labelledby="tendency-chart-title tendency-chart-desc"' in html
    assert "-1.5 or below (under-reacting): 0 people; -1.5 to -0.5 (under-reacting): 1 person" in (
        html
    )
    assert "-1.5 or below Under-reacting 0 -1.5 to -0.5 Under-reacting 1" in text_of(response)
    for words in ["under-reacting", "proportionate", "over-referring"]:
        assert f'text-anchor="middle">{words}</text>' in html


def test_it_uses_no_inline_styles_or_scripts(supervisor, alice, version):
    attempt_with(alice, version, [1])
    html = supervisor.get(TEAM_PROGRESS).content.decode()
    assert "style=" not in html
    assert "<script>" not in html


# --- Page and CSV agree ---------------------------------------------------------------------


def test_it_shows_the_same_tendency_on_the_page_and_in_the_csv(supervisor, alice, version):
    attempt_with(alice, version, [-2, 0, -1], at=timezone.now() - timedelta(days=2))
    attempt_with(alice, version, [-1, 0, 0, -2], after=5)
    page = text_of(supervisor.get(TEAM_PROGRESS))
    rows = csv_rows(supervisor.get(reverse("training:team-people-csv")))
    alice_row = dict(zip(rows[0], next(r for r in rows if r[0] == "Alice Okafor"), strict=True))
    assert alice_row["Response tendency"] == "-0.57"  # 4 under-reactions in 7 decisions
    assert alice_row["Safeguarding route"] == "4 under, 0 over"
    words = "Chooses less than needed about 6 times in 10"  # 4 of 7: 0.57
    assert alice_row["Safeguarding route in words"] == words
    assert alice_row["Prevent route in words"] == "Chooses within the accepted band every time"
    assert alice_row["Critical misses"] == "0"
    assert alice_row["Tendency"] == "Under-reacting"
    assert alice_row["Decisions"] == "7"
    assert alice_row["Calibration"] == "+0.57"  # 1.0 confident, 3 in 7 within bands
    assert f"Safeguarding: {words.lower()} (4 under, 0 over)" in page
    assert "net -0.57 over 7 decisions" in page
    assert "More confident than their answers show +0.57 (43% within bands)" in page


def test_it_exports_the_matrix_as_the_page_shows_it(supervisor, alice, version):
    assign(alice, version.module, due_on=timezone.localdate() - timedelta(days=1))
    rows = csv_rows(supervisor.get(reverse("training:team-matrix-csv")))
    assert rows[0] == ["Name", "Email address", "Team", "Jo's bedroom door", "Overdue"]
    assert ["Alice Okafor", "alice@northbridge.example", "Early Help North", "Overdue", "1"] in rows
    assert ["Bob Hughes", "bob@northbridge.example", "Early Help North", "Not assigned", "0"] in (
        rows
    )


def test_it_names_the_csv_files_after_the_team_and_the_day(supervisor):
    matrix = supervisor.get(reverse("training:team-matrix-csv"))
    people = supervisor.get(reverse("training:team-people-csv"))
    assert matrix["Content-Type"] == "text/csv; charset=utf-8"
    assert matrix["Content-Disposition"] == (
        'attachment; filename="early-help-north-matrix-2026-11-27.csv"'
    )
    assert people["Content-Disposition"] == (
        'attachment; filename="early-help-north-people-2026-11-27.csv"'
    )


def test_it_names_an_admins_all_teams_export_after_the_authority(admin):
    response = admin.get(reverse("training:team-matrix-csv"))
    assert "northbridge-city-council-matrix-2026-11-27.csv" in response["Content-Disposition"]


def test_it_exports_only_the_filtered_people(supervisor, alice, team, version):
    late = UserFactory(authority=team.authority, team=team, full_name="Late Larry")
    assign(late, version.module, due_on=timezone.localdate() - timedelta(days=1))
    rows = csv_rows(supervisor.get(reverse("training:team-people-csv"), {"status": "overdue"}))
    assert [row[0] for row in rows[1:]] == ["Late Larry"]


def test_it_stops_a_name_running_as_a_formula_in_the_csv(supervisor, team):
    UserFactory(authority=team.authority, team=team, full_name='=HYPERLINK("http://x","y")')
    rows = csv_rows(supervisor.get(reverse("training:team-people-csv")))
    assert '\'=HYPERLINK("http://x","y")' in [row[0] for row in rows]


# --- A person's record ----------------------------------------------------------------------


def test_it_shows_the_record_with_extension_and_links_to_each_attempt(supervisor, alice, version):
    today = timezone.localdate()
    assign(
        alice,
        version.module,
        due_on=today - timedelta(days=1),
        extended_due_on=today + timedelta(days=10),
        reason="Parental leave",
    )
    attempt = attempt_with(alice, version, [0, -1], percent=75)
    response = supervisor.get(reverse("training:person-record", args=[alice.pk]))
    page = text_of(response)
    assert "7 Dec 2026 (extended from 26 Nov 2026: Parental leave)" in page
    assert reverse("training:person-attempt", args=[alice.pk, attempt.pk]) in (
        response.content.decode()
    )
    assert "Jo's bedroom door, version 1" in page.replace("&#x27;", "'")


def test_it_exports_the_record_as_csv(supervisor, alice, version):
    assign(alice, version.module, due_on=timezone.localdate(), reason="")
    attempt_with(alice, version, [0], percent=75, before=2, after=4)
    response = supervisor.get(reverse("training:person-record-csv", args=[alice.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="alice-okafor-training-record-2026-11-27.csv"'
    )
    rows = [dict(zip(csv_rows(response)[0], row, strict=True)) for row in csv_rows(response)[1:]]
    assert [row["Kind"] for row in rows] == ["Assignment", "Attempt"]
    assert rows[0]["Due on"] == "2026-11-27"
    assert rows[0]["Status"] == "Due soon"
    assert (rows[1]["Score"], rows[1]["Confidence after"], rows[1]["Version"]) == ("75%", "4", "1")


def test_it_shows_each_decision_with_its_feedback(supervisor, alice, version):
    attempt = attempt_with(alice, version, [-1, 2])
    response = supervisor.get(reverse("training:person-attempt", args=[alice.pk, attempt.pk]))
    page = text_of(response)
    assert "1. First worry" in page
    assert "2. Second worry" in page
    assert "Choice Nothing" in page
    assert "Response chosen Record and keep watch · No Prevent action" in page
    assert "Accepted response Safeguarding: Universal support; Prevent: No Prevent action" in page
    assert "Safeguarding: 2 steps above the accepted band, an over-reaction." in page
    assert "Because Monitor." in page  # the first choice's feedback of the second decision


# --- The authority report -------------------------------------------------------------------


def other_people(authority, count, version):
    team = TeamFactory(authority=authority, name="Secret Team Name")
    for n in range(count):
        person = UserFactory(authority=authority, team=team, full_name=f"Hidden Person {n}")
        attempt_with(person, version, [1, 1], before=2, after=3)


def test_it_withholds_the_comparison_with_four_people_elsewhere(admin, other_authority, version):
    other_people(other_authority, 4, version)
    page = text_of(admin.get(AUTHORITY_REPORT))
    assert "Not enough other authorities have data yet for a fair comparison." in page
    assert "Median of other authorities" not in page


def test_it_compares_with_five_people_elsewhere_and_names_none_of_them(
    admin, alice, other_authority, version
):
    attempt_with(alice, version, [0, 0], before=2, after=4)
    other_people(other_authority, 5, version)
    page = text_of(admin.get(AUTHORITY_REPORT))
    assert "Mean response tendency 0.00 +1.00 (1 authority) -1.00" in page
    assert "Mean confidence change +2.00 +1.00 (1 authority) +1.00" in page
    for secret in ["Hidden Person", "Secret Team Name", "Wealdshire", "charlie"]:
        assert secret not in page


def test_it_shows_each_team_of_the_authority(admin, alice, team, version):
    assign(alice, version.module, due_on=timezone.localdate(), completed=True)
    attempt_with(alice, version, [-2, -1])  # under-reacting at both decisions
    page = text_of(admin.get(AUTHORITY_REPORT))
    routes = (
        "Safeguarding: chooses less than needed every time (2 under, 0 over) "
        "Prevent: chooses within the accepted band every time (0 under, 0 over) "
        "mean -1.00, under-reacting"
    )
    assert f"Early Help North 1 100% +2.00 {routes}" in page
    assert f"Whole authority 1 100% +2.00 {routes}" in page


# --- The query budget -----------------------------------------------------------------------


@pytest.fixture
def big_team(team):
    """200 people (with bob, 201) and 20 modules: assignments, attempts, eight answers each."""
    versions = modules_with_versions(20)
    return generated_team(team, people=200, versions=versions)


def test_it_draws_the_page_for_200_people_and_20_modules_in_15_queries(
    supervisor, big_team, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = supervisor.get(TEAM_PROGRESS)
    assert response.status_code == 200
    assert len(response.context["report"].people) == 201
    assert len(response.context["report"].modules) == 20


def test_it_exports_200_people_in_as_few_queries(
    supervisor, big_team, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        rows = csv_rows(supervisor.get(reverse("training:team-matrix-csv")))
    assert len(rows) == 202


def test_it_draws_an_admins_all_teams_page_in_15_queries(
    admin, big_team, authority, django_assert_max_num_queries
):
    TeamFactory(authority=AuthorityFactory(name="Elsewhere"), name="Not counted")
    with django_assert_max_num_queries(15):
        response = admin.get(TEAM_PROGRESS)
    assert response.status_code == 200


def test_it_draws_the_authority_report_in_a_fixed_number_of_queries(
    admin, big_team, other_authority, version, django_assert_max_num_queries
):
    other_people(other_authority, 5, version)
    with django_assert_max_num_queries(12):
        response = admin.get(AUTHORITY_REPORT)
    assert response.status_code == 200


def test_it_draws_a_long_record_in_a_fixed_number_of_queries(
    supervisor, alice, version, django_assert_max_num_queries
):
    for day in range(12):
        attempt = attempt_with(
            alice, version, [0, 0], percent=100, at=timezone.now() - timedelta(day)
        )
        services.certificate_issue(attempt=attempt)
        assign(alice, version.module, due_on=timezone.localdate() - timedelta(days=day))
    with django_assert_max_num_queries(10):
        response = supervisor.get(reverse("training:person-record", args=[alice.pk]))
    assert response.content.decode().count("Jo&#x27;s bedroom door</th>") == 24


# --- A large team, a page at a time ---------------------------------------------------------


def test_it_shows_a_large_team_fifty_people_a_page_and_the_csv_everyone(supervisor, bob):
    generated_team(bob.team, people=60, versions=modules_with_versions(2))
    url = reverse("training:team-progress")

    first = supervisor.get(url)
    second = supervisor.get(url, {"page": 2, "sort": "-name"})
    csv_people = csv_rows(supervisor.get(reverse("training:team-matrix-csv")))[1:]

    assert len(first.context["page"].object_list) == 50
    assert "people 1 to 50 of 61" in text_of(first)  # sixty, and bob himself
    # The sort survives paging: descending by name, the second page starts at the 51st.
    names = [row.person.full_name for row in second.context["page"].object_list]
    assert len(names) == 11 and names == sorted(names, reverse=True)
    assert names[0] == "Person 0009"
    assert len(csv_people) == 61


def test_it_builds_the_second_pages_rows_as_the_csv_has_them(supervisor, bob):
    generated_team(bob.team, people=60, versions=modules_with_versions(3))

    response = supervisor.get(TEAM_PROGRESS, {"page": 2})
    csv_people = csv_rows(supervisor.get(reverse("training:team-people-csv")))
    csv_matrix = csv_rows(supervisor.get(reverse("training:team-matrix-csv")))

    rows = response.context["page"].object_list
    assert [row.person.full_name for row in rows] == [line[0] for line in csv_people[51:]]
    assert [row.person.full_name for row in rows][:2] == ["Person 0049", "Person 0050"]
    for row, figures, matrix in zip(rows, csv_people[51:], csv_matrix[51:], strict=True):
        assert [str(value) for value in row.figures().values()] == figures
        assert [cell.label for cell in row.cells] + [str(row.overdue)] == matrix[3:]
        drawn = render_to_string(
            "training/reports/_matrix_row.html", {"row": row, "report": response.context["report"]}
        )
        assert drawn in response.content.decode()
    assert "people 51 to 61 of 61" in text_of(response)


def test_it_reads_a_page_in_the_same_queries_for_20_and_200_people(supervisor, bob):
    versions = modules_with_versions(4)
    counts = []
    for first, people in [(0, 20), (20, 180)]:
        generated_team(bob.team, people=people, versions=versions, first=first, seed=first)
        supervisor.get(TEAM_PROGRESS)  # the session saved once
        with CaptureQueriesContext(connection) as queries:
            response = supervisor.get(TEAM_PROGRESS, {"page": 2})
        counts.append(len(queries))
        assert response.status_code == 200
    assert counts[0] == counts[1] <= 13
    assert len(response.context["page"].object_list) == 50


# --- The overdue list -----------------------------------------------------------------------


def overdue_people(team, count, module):
    """`count` people, the nth overdue by n days."""
    today = timezone.localdate()
    for n in range(1, count + 1):
        person = UserFactory(authority=team.authority, team=team, full_name=f"Late {n:02d}")
        assign(person, module, due_on=today - timedelta(days=n))


def overdue_section(response) -> str:
    html = response.content.decode()
    return html[html.index(">Overdue</h2>") : html.index(">How each person decides</h2>")]


def test_it_lists_the_ten_people_longest_overdue_and_links_to_the_rest(supervisor, team, module):
    overdue_people(team, 11, module)

    section = overdue_section(supervisor.get(TEAM_PROGRESS, {"module": module.key}))

    names = re.findall(r"<a [^>]*>(Late \d\d)</a></th>", section)
    assert names == [f"Late {n:02d}" for n in range(11, 1, -1)]
    assert "Showing the 10 people longest overdue, of 11 with overdue training." in section
    assert (
        f'<a class="govuk-link" href="?module={module.key}&amp;status=overdue">'
        "Show everyone with overdue training in the table</a>"
    ) in section


def test_it_lists_ten_overdue_people_without_a_link(supervisor, team, module):
    overdue_people(team, 10, module)

    section = overdue_section(supervisor.get(TEAM_PROGRESS))

    assert len(re.findall(r"<a [^>]*>(Late \d\d)</a></th>", section)) == 10
    assert "Showing the" not in section
    assert "status=overdue" not in section


def test_it_shows_everyone_overdue_in_the_table_that_the_link_opens(supervisor, team, module):
    overdue_people(team, 11, module)

    response = supervisor.get(TEAM_PROGRESS, {"status": "overdue"})
    section = overdue_section(response)

    assert len(response.context["page"].object_list) == 11
    assert "Showing the 10 people longest overdue, of 11 with overdue training." in section
    assert "Show everyone" not in section  # the table already does
