"""The staff CSV import: the pure parser first (no database), then the service and the page."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import services
from portal.forms import StaffImportForm
from portal.models import AuditAction, AuditEvent, Role, User
from portal.staff_import import MAX_FILE_BYTES, MAX_ROWS, StaffRow, parse_staff_csv
from portal.tests.phrasing import banned_in

ROLES = dict(Role.choices)
ROLE_LABELS = "Practitioner, Supervisor, Author or Authority admin"
HEADER = "email,full_name,role,team"
TEAMS = {"Early Help North", "Youth Justice"}


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def parse(data: bytes, existing=frozenset()):
    return parse_staff_csv(data, roles=ROLES, team_names=TEAMS, existing_emails=existing)


def problems_of(data: bytes, existing=frozenset()) -> list[str]:
    return [str(problem) for problem in parse(data, existing).problems]


# --- The parser (pure: no database) -------------------------------------------------------


def test_it_reads_every_row_of_a_valid_file():
    result = parse(
        csv_bytes(
            "erin@northbridge.example,Erin Walsh,practitioner,Early Help North",
            "fay@northbridge.example,Fay Owusu,supervisor,",
        )
    )
    assert result.problems == []
    assert result.rows == [
        StaffRow(2, "erin@northbridge.example", "Erin Walsh", "practitioner", "Early Help North"),
        StaffRow(3, "fay@northbridge.example", "Fay Owusu", "supervisor", ""),
    ]


def test_it_accepts_a_utf8_byte_order_mark():
    data = "\ufeff".encode() + csv_bytes("zoe@northbridge.example,Zoë Brontë,author,")
    assert [row.full_name for row in parse(data).rows] == ["Zoë Brontë"]


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("practitioner", "practitioner"),
        ("SUPERVISOR", "supervisor"),
        ("Author", "author"),
        ("authority_admin", "authority_admin"),
        ("Authority admin", "authority_admin"),
        (" authority ADMIN ", "authority_admin"),
    ],
)
def test_it_accepts_role_values_and_labels_in_any_case(written, role):
    result = parse(csv_bytes(f"erin@northbridge.example,Erin Walsh,{written},"))
    assert [row.role for row in result.rows] == [role]


def test_it_matches_a_team_by_name_ignoring_case():
    result = parse(csv_bytes("erin@northbridge.example,Erin Walsh,author, youth JUSTICE "))
    assert [row.team_name for row in result.rows] == ["Youth Justice"]


def test_it_lower_cases_email_addresses():
    result = parse(csv_bytes("Erin@Northbridge.Example,Erin Walsh,author,"))
    assert [row.email for row in result.rows] == ["erin@northbridge.example"]


def test_it_accepts_columns_in_any_order():
    data = csv_bytes(
        "author,,Erin Walsh,erin@northbridge.example", header="role,team,full_name,email"
    )
    assert [row.email for row in parse(data).rows] == ["erin@northbridge.example"]


def test_it_reports_an_unknown_role_by_the_labels_people_know_with_its_row():
    (problem,) = parse(csv_bytes("erin@northbridge.example,Erin Walsh,manager,")).problems
    assert str(problem) == (
        "Row 2: The role must be one of Practitioner, Supervisor, Author or Authority admin, "
        "not ‘manager’"
    )
    assert problem.column == "role"


def test_it_reports_a_bad_email_address_with_its_line():
    problems = problems_of(
        csv_bytes("erin@northbridge.example,Erin Walsh,author,", "fay.northbridge,Fay,author,")
    )
    assert problems == [
        "Row 3: Enter the email address in the correct format, like name@example.com, "
        "not ‘fay.northbridge’"
    ]


def test_it_reports_an_address_repeated_in_the_file():
    problems = problems_of(
        csv_bytes(
            "erin@northbridge.example,Erin Walsh,author,",
            "fay@northbridge.example,Fay Owusu,author,",
            "ERIN@northbridge.example,Erin W,author,",
        )
    )
    assert problems == ["Row 4: erin@northbridge.example is already in row 2 of this file"]


def test_it_reports_an_address_that_already_has_an_account():
    problems = problems_of(
        csv_bytes("Alice@Northbridge.example,Alice Okafor,author,"),
        existing={"alice@northbridge.example"},
    )
    assert problems == ["Row 2: alice@northbridge.example already has an account"]


def test_it_reports_an_unknown_team():
    problems = problems_of(csv_bytes("erin@northbridge.example,Erin Walsh,author,Fostering"))
    assert problems == [
        "Row 2: There is no team called ‘Fostering’ in your authority. "
        "Create it first, or leave the team empty"
    ]


def test_it_reports_a_blank_name_and_role_naming_their_columns():
    problems = parse(csv_bytes("erin@northbridge.example, ,,")).problems
    assert [(str(problem), problem.column) for problem in problems] == [
        ("Row 2: Enter the person’s full name", "full_name"),
        (f"Row 2: Enter the person’s role: {ROLE_LABELS}", "role"),
    ]


def test_it_reports_a_blank_email_address():
    assert problems_of(csv_bytes(",Erin Walsh,author,")) == [
        "Row 2: Enter the person’s email address"
    ]


def test_it_reports_each_missing_unexpected_or_repeated_column_heading():
    data = csv_bytes("erin@northbridge.example,Erin,author,,", header="email,name,role,Role,")
    problems = parse(data).problems
    assert [(problem.line, problem.column, problem.message) for problem in problems] == [
        (1, "full_name", "The first row needs this column heading"),
        (1, "team", "The first row needs this column heading"),
        (1, "name", "This heading is not one of the four a staff file uses: rename or remove it"),
        (1, "role", "This heading is used more than once"),
        (1, "", "A column has no heading: remove the column or name it"),
    ]


def test_it_reports_a_row_with_the_wrong_number_of_values():
    problems = problems_of(csv_bytes("erin@northbridge.example,Erin Walsh,author,,extra"))
    assert problems == [
        "Row 2: This row has 5 values. Each row needs 4, one under each column heading (a comma "
        "inside a name needs the name in quotes)"
    ]


def test_it_reports_a_file_that_is_not_utf8():
    data = csv_bytes("zoe@northbridge.example,Zoë Brontë,author,").decode().encode("cp1252")
    assert problems_of(data) == [
        "The file is not saved as UTF-8 text. In Excel, save it as ‘CSV UTF-8 (Comma delimited)’"
    ]


@pytest.mark.parametrize("data", [b"", b"\n \r\n", "\ufeff".encode()])
def test_it_reports_an_empty_file(data):
    assert problems_of(data) == ["The file is empty"]


def test_it_reports_a_file_with_only_the_header():
    assert problems_of(csv_bytes(",,,", "")) == ["The file has no staff under its first row"]


def test_it_refuses_a_file_over_1_mb():
    data = csv_bytes() + b"x" * MAX_FILE_BYTES
    assert problems_of(data) == ["The file is larger than 1 MB. Split it into smaller files"]


def test_it_refuses_more_rows_than_one_import_takes():
    rows = [f"person{n}@northbridge.example,Person {n},practitioner," for n in range(MAX_ROWS + 1)]
    assert problems_of(csv_bytes(*rows)) == [
        "The file has 2,001 staff rows; one import takes at most 2,000. Split it into smaller files"
    ]


def test_it_accepts_as_many_rows_as_one_import_takes():
    rows = [f"person{n}@northbridge.example,Person {n},practitioner," for n in range(MAX_ROWS)]
    assert len(parse(csv_bytes(*rows)).rows) == MAX_ROWS


def test_it_reports_every_problem_and_returns_no_rows():
    result = parse(
        csv_bytes(
            "erin@northbridge.example,Erin Walsh,author,",
            "not-an-address,Fay Owusu,boss,Fostering",
        )
    )
    assert [problem.line for problem in result.problems] == [3, 3, 3]
    assert result.rows == []


def test_it_skips_blank_lines_but_keeps_counting_them():
    data = csv_bytes("", "erin@northbridge.example,Erin Walsh,boss,")
    assert problems_of(data)[0].startswith("Row 3: The role must be one of")


def test_it_numbers_lines_as_rows_when_a_quoted_value_holds_a_line_break():
    data = csv_bytes(
        'erin@northbridge.example,"Erin\nWalsh",author,', "fay@northbridge.example,Fay,boss,"
    )
    assert problems_of(data)[0].startswith("Row 3: The role must be one of")


# --- The upload form ----------------------------------------------------------------------


class UnreadableUpload(SimpleUploadedFile):
    def read(self, *args, **kwargs):
        raise AssertionError("the file was read before its size was checked")


def test_it_refuses_a_5_mb_upload_by_its_size_without_reading_it():
    upload = UnreadableUpload("junk.csv", b"")
    upload.size = 5 * 1024 * 1024
    form = StaffImportForm(data={}, files={"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is larger than 1 MB. Split it into smaller files"]


# --- The service and the page -------------------------------------------------------------


def upload(content: bytes, name: str = "staff.csv") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


@pytest.fixture
def import_page(verified_client, dave, team):
    client = verified_client(dave)

    def post(content: bytes):
        return client.post(reverse("portal:manage-user-import"), upload(content))

    return post


VALID_FILE = csv_bytes(
    "erin@northbridge.example,Erin Walsh,practitioner,early help north",
    "fay@northbridge.example,Fay Owusu,Supervisor,",
)


def test_it_imports_every_row_of_a_valid_file(import_page, dave, team):
    response = import_page(VALID_FILE)
    erin = User.objects.get(email="erin@northbridge.example")
    fay = User.objects.get(email="fay@northbridge.example")
    assert response.status_code == 302
    assert (erin.authority, erin.team, erin.role) == (dave.authority, team, Role.PRACTITIONER)
    assert (fay.authority, fay.team, fay.role) == (dave.authority, None, Role.SUPERVISOR)
    assert not erin.has_usable_password()


def test_it_says_how_many_people_were_imported(import_page):
    response = import_page(VALID_FILE)
    page = response.client.get(response["Location"]).content.decode()
    assert "2 people imported" in page


def test_it_emails_each_imported_person_a_working_set_password_link(
    import_page, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        import_page(VALID_FILE)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "erin@northbridge.example",
        "fay@northbridge.example",
    ]
    path = re.search(r"http://testserver(/account/set-password/\S+/)", mail.outbox[0].body)[1]
    client.logout()
    assert "Choose your password" in client.get(path, follow=True).content.decode()


def test_it_records_the_import_and_each_new_account(import_page, dave):
    import_page(VALID_FILE)
    summary = AuditEvent.objects.get(action=AuditAction.USERS_IMPORTED)
    created = AuditEvent.objects.filter(action=AuditAction.USER_CREATED)
    assert (summary.actor, summary.authority, summary.detail) == (
        dave,
        dave.authority,
        {"count": 2},
    )
    assert {event.subject.email for event in created} == {
        "erin@northbridge.example",
        "fay@northbridge.example",
    }


BAD_FILES = {
    "unknown role": (
        csv_bytes("erin@northbridge.example,Erin Walsh,practitioner,", "fay@x.example,Fay,boss,"),
        ["Row 3: The role must be one of"],
    ),
    "bad email": (
        csv_bytes("erin@northbridge.example,Erin Walsh,author,", "fay@,Fay Owusu,author,"),
        ["Row 3: Enter the email address in the correct format"],
    ),
    "duplicate email": (
        csv_bytes("erin@northbridge.example,Erin,author,", "erin@northbridge.example,E,author,"),
        ["Row 3: erin@northbridge.example is already in row 2 of this file"],
    ),
    "existing account": (
        csv_bytes("erin@northbridge.example,Erin,author,", "ALICE@northbridge.example,A,author,"),
        ["Row 3: alice@northbridge.example already has an account"],
    ),
    "account in another authority": (
        csv_bytes("erin@northbridge.example,Erin,author,", "charlie@wealdshire.example,C,author,"),
        ["Row 3: charlie@wealdshire.example already has an account"],
    ),
    "unknown team": (
        csv_bytes("erin@northbridge.example,Erin,author,Family Support Weald"),
        ["Row 2: There is no team called ‘Family Support Weald’ in your authority."],
    ),
    "wrong columns": (
        csv_bytes("erin@northbridge.example,Erin,author", header="email,name,role"),
        ["Row 1: The first row needs this column heading"] * 2 + ["Row 1: This heading is not"],
    ),
    "not UTF-8": (
        "email,full_name,role,team\nzoe@northbridge.example,Zoë,author,\n".encode("cp1252"),
        ["The file is not saved as UTF-8 text."],
    ),
    "empty": (b"", ["The file is empty"]),
    "header only": (csv_bytes(), ["The file has no staff under its first row"]),
    "5 MB of junk": (
        bytes(range(256)) * (5 * 1024 * 1024 // 256),
        ["The file is larger than 1 MB. Split it into smaller files"],
    ),
    "too many rows": (
        csv_bytes(*[f"p{n}@northbridge.example,P {n},author," for n in range(MAX_ROWS + 1)]),
        ["The file has 2,001 staff rows; one import takes at most 2,000."],
    ),
    "several problems": (
        csv_bytes(
            "erin@northbridge.example,Erin,author,",
            "nobody,Fay,boss,",
            "alice@northbridge.example,Alice,author,Nowhere",
        ),
        [
            "Row 3: Enter the email address in the correct format, like name@example.com, not",
            "Row 3: The role must be one of",
            "Row 4: alice@northbridge.example already has an account",
            "Row 4: There is no team called ‘Nowhere’",
        ],
    ),
}


@pytest.mark.parametrize(("content", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_it_imports_nothing_from_a_bad_file_and_reports_each_problem(
    content, expected, import_page, alice, charlie
):
    before = User.objects.count()
    response = import_page(content)
    row_problems = [str(problem) for problem in response.context["problems"]]
    reported = row_problems or response.context["form"].errors["file"]
    assert response.status_code == 200
    assert "<title>Error: Import staff" in response.content.decode()
    assert User.objects.count() == before
    assert len(reported) == len(expected), reported
    for shown, wanted in zip(reported, expected, strict=True):
        assert shown.startswith(wanted), (shown, wanted)


def test_it_lists_each_row_problem_with_its_row_and_column_heading_on_the_page(import_page):
    response = import_page(BAD_FILES["unknown role"][0])
    page = response.content.decode()
    assert "The file has 1 problem, listed below, so nothing was imported." in page
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', page, re.S)
    assert cells == [
        "3",
        "<code>role</code>",
        f"The role must be one of {ROLE_LABELS}, not ‘boss’",
    ]


def test_it_sends_no_email_when_the_file_is_rejected(
    import_page, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_page(BAD_FILES["existing account"][0])
    assert mail.outbox == []


def test_it_writes_no_audit_event_when_the_file_is_rejected(import_page, alice):
    import_page(BAD_FILES["existing account"][0])
    assert not AuditEvent.objects.filter(action=AuditAction.USERS_IMPORTED).exists()


def test_it_asks_for_a_file(verified_client, dave):
    response = verified_client(dave).post(reverse("portal:manage-user-import"), {})
    assert "Choose a CSV file" in response.content.decode()


def test_it_refuses_an_import_into_another_authority(dave, other_authority):
    with pytest.raises(PermissionDenied):
        services.staff_import(actor=dave, authority=other_authority, file_bytes=VALID_FILE)


BLANKS = csv_bytes(",,,x", " ,  , authority admin, ", "a,b,c,d", header="email,full_name,role,team")


@pytest.mark.parametrize("content", [*[content for content, _ in BAD_FILES.values()], BLANKS])
def test_it_words_every_problem_for_people(content):
    """No internal names (full_name, authority_admin) or capitalised addresses in a message:
    the column heading, which the file must spell as it is, is kept apart in `column`."""
    existing = {"alice@northbridge.example", "charlie@wealdshire.example"}
    problems = parse(content, existing).problems
    assert problems
    assert [banned_in(problem.message) for problem in problems] == [[]] * len(problems)
