"""Read and check a staff CSV file before anything is saved. Pure: no ORM, no queries.

The caller supplies what the database knows (the authority's team names, the addresses that
already have accounts, the role vocabulary) and gets back either every row, ready to save, or
every problem found, each with its line number (line 1 is the header, as in a spreadsheet).
An import is all or nothing, so the person fixes the whole file in one go.
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
    line: int | None  # None for a problem with the whole file
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"Line {self.line}: {self.message}"


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
    header_problem = _check_header(records[0][1])
    if header_problem is not None:
        return ParsedStaff(problems=[header_problem])
    body = [(line, values) for line, values in records[1:] if any(v.strip() for v in values)]
    if not body:
        return ParsedStaff(problems=[Problem(None, "The file has no staff under the header row.")])
    if len(body) > MAX_ROWS:
        message = (
            f"The file has {len(body):,} staff rows; one import takes at most {MAX_ROWS:,}. "
            "Split it into smaller files."
        )
        return ParsedStaff(problems=[Problem(None, message)])

    columns = [name.strip().lower() for name in records[0][1]]
    checker = _RowChecker(roles=roles, team_names=team_names, existing_emails=existing_emails)
    result = ParsedStaff()
    for line, values in body:
        if len(values) != len(COLUMNS):
            result.problems.append(
                Problem(line, f"expected {len(COLUMNS)} values, found {len(values)}.")
            )
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
        return [], Problem(None, "The file is larger than 1 MB. Split it into smaller files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], Problem(
            None,
            "The file is not saved as UTF-8 text. In Excel, save it as "
            "‘CSV UTF-8 (Comma delimited)’.",
        )
    if not text.strip():
        return [], Problem(None, "The file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        # Numbered by record, not physical line, so a quoted line break inside a cell keeps
        # the numbers matching the rows a spreadsheet shows.
        for line, values in enumerate(reader, start=1):
            records.append((line, values))
    except csv.Error as error:
        return [], Problem(len(records) + 1, f"this line cannot be read as CSV ({error}).")
    return records, None


def _check_header(header: list[str]) -> Problem | None:
    columns = [name.strip().lower() for name in header]
    if sorted(columns) == sorted(COLUMNS):
        return None
    expected = ", ".join(COLUMNS)
    missing = [name for name in COLUMNS if name not in columns]
    unexpected = dict.fromkeys(
        name or "(blank)" for name in columns if name not in COLUMNS or columns.count(name) > 1
    )
    details = []
    if missing:
        details.append(f"missing: {', '.join(missing)}")
    if unexpected:
        details.append(f"not expected: {', '.join(unexpected)}")
    return Problem(1, f"the header row must be {expected} ({'; '.join(details)}).")


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
        self.role_values = ", ".join(roles)
        self.teams = {name.strip().lower(): name for name in team_names}
        self.existing_emails = existing_emails
        self.first_line_by_email: dict[str, int] = {}

    def check(self, line: int, values: dict[str, str]) -> tuple[StaffRow | None, list[Problem]]:
        problems: list[str] = []
        email = self._email(line, values["email"].strip().lower(), problems)
        full_name = " ".join(values["full_name"].split())
        if not full_name:
            problems.append("full_name is blank.")
        elif len(full_name) > MAX_FULL_NAME_LENGTH:
            problems.append(f"full_name is longer than {MAX_FULL_NAME_LENGTH} characters.")
        role = self.roles.get(_normalise(values["role"]))
        if role is None:
            shown = values["role"].strip()
            problems.append(
                f"role ‘{shown}’ is not one of {self.role_values}."
                if shown
                else f"role is blank; use one of {self.role_values}."
            )
        team_name = values["team"].strip()
        if team_name:
            known = self.teams.get(team_name.lower())
            if known is None:
                problems.append(
                    f"there is no team called ‘{team_name}’ in your authority. "
                    "Create it first, or leave team blank."
                )
            team_name = known or ""
        if problems:
            return None, [Problem(line, message) for message in problems]
        return StaffRow(line, email, full_name, role, team_name), []

    def _email(self, line: int, email: str, problems: list[str]) -> str:
        if not email:
            problems.append("email is blank.")
            return email
        try:
            if len(email) > MAX_EMAIL_LENGTH:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problems.append(f"‘{email}’ is not a valid email address.")
            return email
        first_line = self.first_line_by_email.setdefault(email, line)
        if first_line != line:
            problems.append(f"{email} is already on line {first_line} of this file.")
        elif email in self.existing_emails:
            problems.append(f"{email} already has an account.")
        return email
