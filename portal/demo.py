"""The demo world loaded by `manage.py load_demo`: fictional authorities, teams and people."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Authority, AuthorityPathway, Role, Team, User

DEMO_PASSWORD = "threshold-demo-2026"  # noqa: S105 - demo only, printed on purpose

AUTHORITIES = [
    {
        "name": "Northbridge City Council",
        "region": "North West",
        "is_prevent_priority_area": True,
    },
    {
        "name": "Wealdshire County Council",
        "region": "South East",
        "is_prevent_priority_area": False,
    },
]
# Who to contact: Northbridge has filled in its page; Wealdshire only its front door, so the
# demo shows both its own words and the national wording in the training.
PATHWAYS = {
    "Northbridge City Council": {
        "prevent_lead": "the Northbridge Prevent team (0161 496 0000)",
        "referral_route": "the National Prevent Referral Form, sent to prevent@northbridge.example",
        "ct_policing": "Counter Terrorism Policing North West (0161 496 0999)",
        "front_door": "the Northbridge Children's Front Door (0161 496 0001)",
        "lado": "the Northbridge LADO (0161 496 0002)",
        "out_of_hours": "the Northbridge Emergency Duty Team (0161 496 0003)",
        "threshold_document": "the Northbridge Continuum of Need",
        "threshold_document_url": "https://northbridge.example/continuum-of-need",
    },
    "Wealdshire County Council": {
        "front_door": "the Children's Advice and Duty Service (01632 960 000)",
    },
}
TEAMS = [
    ("Northbridge City Council", "Early Help North"),
    ("Northbridge City Council", "Children's Social Care East"),
    ("Wealdshire County Council", "Family Support Weald"),
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: Role
    authority: str | None
    team: str | None = None
    is_superuser: bool = False


PEOPLE = [
    DemoPerson(
        "alice@northbridge.example",
        "Alice Okafor",
        Role.PRACTITIONER,
        "Northbridge City Council",
        "Early Help North",
    ),
    DemoPerson(
        "bob@northbridge.example",
        "Bob Hughes",
        Role.SUPERVISOR,
        "Northbridge City Council",
        "Early Help North",
    ),
    DemoPerson("carol@northbridge.example", "Carol Singh", Role.AUTHOR, "Northbridge City Council"),
    DemoPerson(
        "dave@northbridge.example", "Dave Morgan", Role.AUTHORITY_ADMIN, "Northbridge City Council"
    ),
    DemoPerson(
        "ella@northbridge.example",
        "Ella Brennan",
        Role.PRACTITIONER,
        "Northbridge City Council",
        "Children's Social Care East",
    ),
    DemoPerson(
        "charlie@wealdshire.example",
        "Charlie Adeyemi",
        Role.PRACTITIONER,
        "Wealdshire County Council",
        "Family Support Weald",
    ),
    DemoPerson(
        "wendy@wealdshire.example",
        "Wendy Clarke",
        Role.AUTHORITY_ADMIN,
        "Wealdshire County Council",
    ),
    DemoPerson("admin@threshold.example", "Pat Admin", Role.PRACTITIONER, None, is_superuser=True),
]


def _demo_totp_key(email: str) -> str:
    """A fixed key per demo person, so `demo_otp` can show the current code without a phone."""
    return hashlib.sha256(f"threshold-demo-totp:{email}".encode()).hexdigest()[:40]


@transaction.atomic
def demo_load() -> list[DemoPerson]:
    """Create or bring back the demo data; running it again changes nothing."""
    authorities = {}
    for spec in AUTHORITIES:
        authority, _ = Authority.objects.update_or_create(name=spec["name"], defaults=spec)
        AuthorityPathway.objects.update_or_create(
            authority=authority, defaults=PATHWAYS[authority.name]
        )
        authorities[authority.name] = authority
    teams = {}
    for authority_name, team_name in TEAMS:
        team, _ = Team.objects.get_or_create(authority=authorities[authority_name], name=team_name)
        teams[team_name] = team
    for person in PEOPLE:
        user, created = User.objects.get_or_create(
            email=person.email,
            defaults={
                "full_name": person.full_name,
                "role": person.role,
                "authority": authorities.get(person.authority or ""),
                "team": teams.get(person.team or ""),
                "is_staff": person.is_superuser,
                "is_superuser": person.is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": _demo_totp_key(person.email), "confirmed": True},
        )
    return PEOPLE
