"""Read and check a staff CSV file before anything is saved. Pure: no ORM, no queries.

The caller supplies what the database knows (the authority's team names, the addresses that
already have accounts, the role vocabulary) and gets back either every row, ready to save, or
every problem found, each with its row number (row 1 is the header, as in a spreadsheet)
and the heading of the column it is in. Messages are in the person's words ("Enter the
person's full name", roles by their labels); the column's heading, which the file itself must
use, is kept apart so the page can show it as it must be typed. An import is all or nothing,
so the person fixes the whole file in one go.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("email", "full_name", "role", "team")
MAX_EMAIL_LENGTH = 254
MAX_FULL_NAME_LENGTH = 150


@dataclass(frozen=True)
class StaffRow:
    line: int
    email: str  # lower-cased
    full_name: str
    role: str  # a role value, e.g. "authority_admin"
    team_name: str  # the team's name as the authority spells it, or "" for no team


@dataclass(frozen=True)
class Problem:
    line: int | None  # the spreadsheet's row number; None for a problem with the whole file
    message: str
    column: str = ""  # the heading of the column the problem is in, as the file must spell it

    def __str__(self) -> str:
        return self.message if self.line is None else f"Row {self.line}: {self.message}"


@dataclass
class ParsedStaff:
    rows: list[StaffRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


def parse_staff_csv(
    data: bytes,
    *,
    roles: Mapping[str, str],
    team_names: Collection[str],
    existing_emails: Collection[str],
) -> ParsedStaff:
    """Check every row of a staff CSV file.

    roles maps each role value to its label (either is accepted, in any case); team_names are
    the authority's teams (matched ignoring case); existing_emails are lower-cased addresses
    that already have an account. Rows are returned only when there are no problems.
    """
    records, problem = _read_records(data)
    if problem is not None:
        return ParsedStaff(problems=[problem])
    header_problems = _check_header(records[0][1])
    if header_problems:
        return ParsedStaff(problems=header_problems)
    body = [(line, values) for line, values in records[1:] if any(v.strip() for v in values)]
    if not body:
        return ParsedStaff(problems=[Problem(None, "The file has no staff under its first row")])
    if len(body) > MAX_ROWS:
        message = (
            f"The file has {len(body):,} staff rows; one import takes at most {MAX_ROWS:,}. "
            "Split it into smaller files"
        )
        return ParsedStaff(problems=[Problem(None, message)])

    columns = [name.strip().lower() for name in records[0][1]]
    checker = _RowChecker(roles=roles, team_names=team_names, existing_emails=existing_emails)
    result = ParsedStaff()
    for line, values in body:
        if len(values) != len(COLUMNS):
            message = (
                f"This row has {len(values)} values. Each row needs {len(COLUMNS)}, one under "
                "each column heading (a comma inside a name needs the name in quotes)"
            )
            result.problems.append(Problem(line, message))
            continue
        row, problems = checker.check(line, dict(zip(columns, values, strict=True)))
        result.problems.extend(problems)
        if row is not None:
            result.rows.append(row)
    if result.problems:
        result.rows = []
    return result


def _read_records(data: bytes) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """Decode and split the file into (line, values) records, or say why it can't be read."""
    if len(data) > MAX_FILE_BYTES:
        return [], Problem(None, "The file is larger than 1 MB. Split it into smaller files")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], Problem(
            None,
            "The file is not saved as UTF-8 text. In Excel, save it as "
            "‘CSV UTF-8 (Comma delimited)’",
        )
    if not text.strip():
        return [], Problem(None, "The file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        # Numbered by record, not physical line, so a quoted line break inside a cell keeps
        # the numbers matching the rows a spreadsheet shows.
        for line, values in enumerate(reader, start=1):
            records.append((line, values))
    except csv.Error:  # a value past csv's field limit (128 KB), as from unmatched quotes
        return [], Problem(
            len(records) + 1,
            "This row cannot be read: a value is far too long. Check its quotation marks (a "
            "value that starts with one must end with one)",
        )
    return records, None


def _check_header(header: list[str]) -> list[Problem]:
    """One problem a heading: each missing, unknown or repeated one, named as it must be."""
    columns = [name.strip().lower() for name in header]
    if sorted(columns) == sorted(COLUMNS):
        return []
    problems = [
        Problem(1, "The first row needs this column heading", column=name)
        for name in COLUMNS
        if name not in columns
    ]
    for name in dict.fromkeys(columns):
        if not name:
            problems.append(Problem(1, "A column has no heading: remove the column or name it"))
        elif name not in COLUMNS:
            message = "This heading is not one of the four a staff file uses: rename or remove it"
            problems.append(Problem(1, message, column=name))
        elif columns.count(name) > 1:
            problems.append(Problem(1, "This heading is used more than once", column=name))
    return problems


def _normalise(word: str) -> str:
    """'Authority admin', 'authority_admin' and 'AUTHORITY-ADMIN' all read the same."""
    return re.sub(r"[\s_-]+", " ", word.strip().lower())


class _RowChecker:
    def __init__(
        self,
        *,
        roles: Mapping[str, str],
        team_names: Collection[str],
        existing_emails: Collection[str],
    ) -> None:
        self.roles = {_normalise(value): value for value in roles}
        self.roles.update({_normalise(label): value for value, label in roles.items()})
        labels = list(roles.values())
        self.role_labels = f"{', '.join(labels[:-1])} or {labels[-1]}"
        self.teams = {name.strip().lower(): name for name in team_names}
        self.existing_emails = existing_emails
        self.first_line_by_email: dict[str, int] = {}

    def check(self, line: int, values: dict[str, str]) -> tuple[StaffRow | None, list[Problem]]:
        problems: list[tuple[str, str]] = []  # (column, message)
        email = self._email(line, values["email"].strip().lower(), problems)
        full_name = " ".join(values["full_name"].split())
        if not full_name:
            problems.append(("full_name", "Enter the person’s full name"))
        elif len(full_name) > MAX_FULL_NAME_LENGTH:
            message = f"The full name must be {MAX_FULL_NAME_LENGTH} characters or fewer"
            problems.append(("full_name", message))
        role = self.roles.get(_normalise(values["role"]))
        if role is None:
            shown = values["role"].strip()
            problems.append(
                (
                    "role",
                    f"The role must be one of {self.role_labels}, not ‘{shown}’"
                    if shown
                    else f"Enter the person’s role: {self.role_labels}",
                )
            )
        team_name = values["team"].strip()
        if team_name:
            known = self.teams.get(team_name.lower())
            if known is None:
                message = (
                    f"There is no team called ‘{team_name}’ in your authority. Create it "
                    "first, or leave the team empty"
                )
                problems.append(("team", message))
            team_name = known or ""
        if problems:
            return None, [Problem(line, message, column) for column, message in problems]
        return StaffRow(line, email, full_name, role, team_name), []

    def _email(self, line: int, email: str, problems: list[tuple[str, str]]) -> str:
        if not email:
            problems.append(("email", "Enter the person’s email address"))
            return email
        if len(email) > MAX_EMAIL_LENGTH:
            message = f"The email address must be {MAX_EMAIL_LENGTH} characters or fewer"
            problems.append(("email", message))
            return email
        try:
            validate_email(email)
        except ValidationError:
            message = (
                f"Enter the email address in the correct format, like name@example.com, "
                f"not ‘{email}’"
            )
            problems.append(("email", message))
            return email
        first_line = self.first_line_by_email.setdefault(email, line)
        if first_line != line:
            problems.append(("email", f"{email} is already in row {first_line} of this file"))
        elif email in self.existing_emails:
            problems.append(("email", f"{email} already has an account"))
        return email
