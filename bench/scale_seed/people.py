"""Authorities, teams and staff of the scale seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.scale_seed import wording
from bench.scale_seed.tables import id_counter
from portal.models import Authority, Role, Team, User

AUTHORITY_PREFIX = "Scale Authority "
EMAIL_DOMAIN = "scale.example"
# Teams other than the benchmark's big one: sizes seen in children's services.
TEAM_SIZES = (12, 45)


@dataclass
class Person:
    pk: int
    email: str
    role: str
    authority: AuthorityInfo
    team: TeamInfo | None
    joined: datetime
    skill: float  # chance of choosing the proportionate response at a decision
    bias: int  # which way their other choices lean: -1 under-reacts, +1 over-refers


@dataclass
class TeamInfo:
    pk: int
    name: str
    members: list[Person] = field(default_factory=list)

    @property
    def supervisor(self) -> Person:
        return self.members[0]


@dataclass
class AuthorityInfo:
    pk: int
    name: str
    region: str
    priority: bool
    people: list[Person] = field(default_factory=list)
    teams: list[TeamInfo] = field(default_factory=list)

    @property
    def admin(self) -> Person:
        return next(p for p in self.people if p.role == Role.AUTHORITY_ADMIN)

    @property
    def authors(self) -> list[Person]:
        return [p for p in self.people if p.role == Role.AUTHOR]

    @property
    def moderators(self) -> list[Person]:
        return [p for p in self.people if p.role in (Role.SUPERVISOR, Role.AUTHORITY_ADMIN)]


@dataclass
class World:
    authorities: list[AuthorityInfo]
    people: list[Person]
    big_team: TeamInfo | None


def authority_name(index: int) -> str:
    return f"{AUTHORITY_PREFIX}{index + 1:02d}"


def staff_per_authority(staff: int, authorities: int) -> list[int]:
    base, extra = divmod(staff, authorities)
    return [base + (1 if index < extra else 0) for index in range(authorities)]


def team_sizes(rng: random.Random, people: int, first: int | None) -> list[int]:
    """Split `people` into teams; the first is `first` people when given (the benchmark's
    team). A remainder too small to be a team joins the last one."""
    sizes = [min(first, people)] if first else []
    left = people - sum(sizes)
    while left > 0:
        size = rng.randint(*TEAM_SIZES)
        if left - size < TEAM_SIZES[0]:
            size = left
        sizes.append(size)
        left -= size
    return sizes


def world_create(
    *,
    rng: random.Random,
    now: datetime,
    authorities: int,
    staff: int,
    team_size: int,
    password_hash: str,
) -> World:
    """Create the authorities, teams and people, in three bulk inserts.

    Each authority has one admin, one or two authors and teams with a supervisor (their
    first member) and practitioners. Authority 01's first team has `team_size` people, or as
    many as its share of the staff allows.
    """
    authority_ids, team_ids, user_ids = id_counter(Authority), id_counter(Team), id_counter(User)
    world = World(authorities=[], people=[], big_team=None)
    authority_rows, team_rows, user_rows = [], [], []
    number = 0
    for index, size in enumerate(staff_per_authority(staff, authorities)):
        info = AuthorityInfo(
            pk=next(authority_ids),
            name=authority_name(index),
            region=wording.REGIONS[index % len(wording.REGIONS)],
            priority=index % 3 == 0,
        )
        world.authorities.append(info)
        authority_rows.append(
            Authority(
                pk=info.pk,
                name=info.name,
                region=info.region,
                is_prevent_priority_area=info.priority,
            )
        )
        authors = 2 if size >= 200 else 1
        roles = [Role.AUTHORITY_ADMIN] + [Role.AUTHOR] * authors
        in_teams = max(size - len(roles), 0)
        sizes = team_sizes(rng, in_teams, team_size if index == 0 else None)
        for team_number, members in enumerate(sizes, start=1):
            kind = wording.TEAM_KINDS[(team_number - 1) % len(wording.TEAM_KINDS)]
            team = TeamInfo(pk=next(team_ids), name=f"{kind} {team_number}")
            info.teams.append(team)
            team_rows.append(Team(pk=team.pk, authority_id=info.pk, name=team.name))
            roles += [(Role.SUPERVISOR, team)] + [(Role.PRACTITIONER, team)] * (members - 1)
        for spec in roles[:size]:
            role, team = spec if isinstance(spec, tuple) else (spec, None)
            number += 1
            person = Person(
                pk=next(user_ids),
                email=f"staff{number:05d}@authority{index + 1:02d}.{EMAIL_DOMAIN}",
                role=role,
                authority=info,
                team=team,
                joined=_joined(rng, now),
                skill=rng.betavariate(6, 2.5),
                bias=rng.choice((-1, 1)),
            )
            info.people.append(person)
            if team is not None:
                team.members.append(person)
            world.people.append(person)
            user_rows.append(
                User(
                    pk=person.pk,
                    email=person.email,
                    full_name=wording.full_name(rng),
                    role=role,
                    authority_id=info.pk,
                    team_id=team.pk if team else None,
                    password=password_hash,
                    date_joined=person.joined,
                )
            )
        if index == 0 and info.teams:
            world.big_team = info.teams[0]
    Authority.objects.bulk_create(authority_rows)
    Team.objects.bulk_create(team_rows)
    User.objects.bulk_create(user_rows, batch_size=2000)
    return world


def _joined(rng: random.Random, now: datetime) -> datetime:
    """Most staff have been in post for years; one in twenty joined in the last four months."""
    days = rng.uniform(7, 120) if rng.random() < 0.05 else rng.uniform(365, 6 * 365)
    return now - timedelta(days=days)
