"""Cases and their discussion for the scale seed: cases, comments, consensus votes, flags.

Who writes on a case follows casenotes.access: a team case is discussed by its team, an
authority case by its authority, and a case approved for the region or every authority also
by people there. The first case is the benchmark's: shared with everyone, exactly 100
comments (when the total allows) and 50 votes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from bench.scale_seed import wording
from bench.scale_seed.people import AuthorityInfo, Person, World
from bench.scale_seed.tables import BulkWriter, id_counter
from casenotes.models import AgeBand, Case, Comment, ConsensusVote, Flag, Ideology, Setting
from casenotes.models import Visibility as CaseVisibility
from portal.models import Authority, Role
from training import responses
from training.models import Indicator

# Scale authorities keep the default retention (24 months).
RETENTION_MONTHS = Authority._meta.get_field("case_retention_months").get_default()
AGE_BANDS, SETTINGS, IDEOLOGIES = AgeBand.values, Setting.values, Ideology.values
BIG_CASE_COMMENTS = 100
BIG_CASE_VOTES = 50
OTHER_CASE_MOST_COMMENTS = 80  # so the benchmark's case is the one with 100
RETENTION_DAYS_USED = 600  # cases are up to this old: inside the 24 months' retention
# The responses practitioners record, roughly as often as a study of ten authorities saw them
# (counted on the old single scale, read onto the two routes by the documented mapping).
OLD_LEVEL_WEIGHTS = {
    "no_further_action": 8,
    "monitor_and_record": 18,
    "universal_support": 22,
    "early_help": 22,
    "statutory_social_care": 10,
    "prevent_referral": 17,
    "police_emergency": 3,
}
RESPONSE_WEIGHTS = {
    responses.FROM_OLD_LEVEL[level]: weight for level, weight in OLD_LEVEL_WEIGHTS.items()
}
ACTIONS_NAMED = (0, 1, 1, 2, 2, 3)  # how many actions a response names, picked evenly
VISIBILITY_WEIGHTS = {
    CaseVisibility.TEAM: 20,
    CaseVisibility.AUTHORITY: 45,
    CaseVisibility.REGION: 15,
    CaseVisibility.ALL: 20,
}


def spread(
    total: int, slots: int, rng: random.Random, *, cap: int | None = None, base: float = 0.0
) -> list[int]:
    """Split `total` over `slots` with a long tail (a few busy, many quiet), each at most `cap`
    (raised if the total cannot fit under it). `base` lifts the quiet ones: with 0 some get
    nothing; with 0.5 the quietest get about a third of the average."""
    if slots <= 0:
        return []
    cap = max(cap or total, -(-total // slots))
    weights = [base + rng.expovariate(1.0) for _ in range(slots)]
    scale = total / (sum(weights) or 1.0)
    counts = [min(cap, int(weight * scale)) for weight in weights]
    left = total - sum(counts)
    while left > 0:
        slot = rng.randrange(slots)
        if counts[slot] < cap:
            counts[slot] += 1
            left -= 1
    return counts


@dataclass
class CaseInfo:
    pk: int
    authority: AuthorityInfo
    author: Person
    created_at: datetime
    response: tuple[str, str]  # (safeguarding, prevent)
    discussants: list[Person]  # who may see it, so may comment and vote
    local: list[Person]  # the part of them most comments come from: its own authority or team
    moderators: list[Person]


class CaseWriter:
    def __init__(self, *, world: World, rng: random.Random, now: datetime, batch_size: int) -> None:
        self.world, self.rng, self.now = world, rng, now
        self.case_ids, self.comment_ids = id_counter(Case), id_counter(Comment)
        self.indicator_ids = list(Indicator.objects.order_by("key").values_list("pk", flat=True))
        self.by_region: dict[str, list[Person]] = {}
        self.posters: dict[int, list[Person]] = {}
        self.moderators: dict[int, list[Person]] = {}
        for authority in world.authorities:
            self.by_region.setdefault(authority.region, []).extend(authority.people)
            roles = (Role.PRACTITIONER, Role.SUPERVISOR)
            posters = [p for p in authority.people if p.role in roles]
            self.posters[authority.pk] = posters or authority.people
            self.moderators[authority.pk] = authority.moderators
        self.cases = BulkWriter(
            Case,
            [
                "id", "authority_id", "author_id", "team_id", "title", "age_band", "setting",
                "ideology", "response_safeguarding", "response_prevent", "response_actions",
                "question", "account", "visibility", "sharing", "sharing_decided_by_id",
                "sharing_decided_at", "status", "outcome", "outcome_safeguarding",
                "outcome_prevent", "outcome_actions", "is_hidden", "hidden_reason", "created_at",
                "delete_after",
            ],
            batch_size=batch_size,
        )  # fmt: skip
        self.case_indicators = BulkWriter(
            Case.indicators.through, ["case_id", "indicator_id"], batch_size=batch_size
        )
        self.comments = BulkWriter(
            Comment,
            ["id", "case_id", "author_id", "body", "is_hidden", "hidden_reason", "created_at"],
            batch_size=batch_size,
        )
        self.votes = BulkWriter(
            ConsensusVote,
            [
                "case_id", "voter_id", "safeguarding", "prevent", "actions", "rationale",
                "voter_in_priority_area", "updated_at",
            ],
            batch_size=batch_size,
        )  # fmt: skip
        self.flags = BulkWriter(
            Flag,
            [
                "case_id", "comment_id", "raised_by_id", "reason", "created_at", "resolved_at",
                "resolved_by_id", "resolution",
            ],
            batch_size=batch_size,
        )  # fmt: skip
        self.writers = (self.cases, self.case_indicators, self.comments, self.votes, self.flags)

    def flush(self) -> None:
        for writer in self.writers:
            writer.flush()

    def write_all(
        self,
        *,
        cases: int,
        comments: int,
        on_cases: Callable[[int], None],
        on_comments: Callable[[int], None],
    ) -> int:
        """Write the cases, then their discussion; returns the benchmark case's id."""
        rng = self.rng
        sizes = [len(a.people) for a in self.world.authorities]
        big = min(BIG_CASE_COMMENTS, comments)
        counts = [big] + spread(comments - big, cases - 1, rng, cap=OTHER_CASE_MOST_COMMENTS)
        infos = []
        for number in range(cases):
            if number == 0:
                info = self._case(self.world.authorities[0], big=True)
            else:
                authority = rng.choices(self.world.authorities, weights=sizes)[0]
                info = self._case(authority, big=False)
            infos.append(info)
            if number % 1000 == 999:
                on_cases(number + 1)
        self.cases.flush()
        self.case_indicators.flush()
        on_cases(cases)
        written = 0
        for number, (info, count) in enumerate(zip(infos, counts, strict=True)):
            votes = BIG_CASE_VOTES if number == 0 else rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8))
            self._discussion(info, count, votes)
            written += count
            if number % 200 == 199:
                on_comments(written)
        self.flush()
        on_comments(written)
        return infos[0].pk

    def _case(self, authority: AuthorityInfo, *, big: bool) -> CaseInfo:
        rng, now = self.rng, self.now
        author = rng.choice(self.posters[authority.pk])
        if big:
            team_members = authority.teams[0].members if authority.teams else []
            author = next((p for p in team_members if p.role == Role.PRACTITIONER), author)
        visibility = CaseVisibility.ALL
        if not big:
            choices = [v for v in VISIBILITY_WEIGHTS if v != CaseVisibility.TEAM or author.team]
            visibility = rng.choices(choices, [VISIBILITY_WEIGHTS[v] for v in choices])[0]
        created_at = now - timedelta(days=60 if big else rng.uniform(0.05, RETENTION_DAYS_USED))
        sharing, decided_by, decided_at = Case.Sharing.NOT_NEEDED, None, None
        moderators = [p for p in self.moderators[authority.pk] if p is not author] or [author]
        if visibility in (CaseVisibility.REGION, CaseVisibility.ALL):
            roll = rng.random()
            sharing = Case.Sharing.APPROVED
            if not big and roll < 0.15:
                sharing = Case.Sharing.PENDING
            elif not big and roll < 0.25:
                sharing = Case.Sharing.DECLINED
            if sharing != Case.Sharing.PENDING:
                decided_by = rng.choice(moderators)
                decided_at = min(created_at + timedelta(hours=rng.uniform(1, 72)), now)
        discussants, local = self._discussants(authority, author, visibility, sharing)
        response = rng.choices(list(RESPONSE_WEIGHTS), list(RESPONSE_WEIGHTS.values()))[0]
        recorded = not big and created_at < now - timedelta(days=30) and rng.random() < 0.3
        hidden = not big and rng.random() < 0.01
        pk = next(self.case_ids)
        self.cases.add(
            (
                pk, authority.pk, author.pk, author.team.pk if author.team else None,
                wording.case_title(rng)[:150], rng.choice(AGE_BANDS), rng.choice(SETTINGS),
                rng.choice(IDEOLOGIES), *response, _actions(rng),
                wording.case_question(rng), wording.case_account(rng), visibility, sharing,
                decided_by.pk if decided_by else None, decided_at,
                Case.Status.OUTCOME_RECORDED if recorded else Case.Status.OPEN,
                wording.case_outcome(rng) if recorded else "",
                *(_near(response, rng) if recorded else ("", "")),
                _actions(rng) if recorded else [],
                hidden, wording.HIDDEN_REASON if hidden else "", created_at,
                timezone.localdate(created_at) + relativedelta(months=RETENTION_MONTHS),
            )
        )  # fmt: skip
        picked = min(len(self.indicator_ids), rng.randint(1, 4))
        for indicator in rng.sample(self.indicator_ids, picked):
            self.case_indicators.add((pk, indicator))
        return CaseInfo(pk, authority, author, created_at, response, discussants, local, moderators)

    def _discussants(
        self, authority: AuthorityInfo, author: Person, visibility: str, sharing: str
    ) -> tuple[list[Person], list[Person]]:
        """Who may see the case, and the part of them most comments come from."""
        if visibility == CaseVisibility.TEAM and author.team:
            return author.team.members, author.team.members
        if sharing == Case.Sharing.APPROVED and visibility == CaseVisibility.REGION:
            return self.by_region[authority.region], authority.people
        if sharing == Case.Sharing.APPROVED and visibility == CaseVisibility.ALL:
            return self.world.people, authority.people
        return authority.people, authority.people

    def _discussion(self, case: CaseInfo, comments: int, votes: int) -> None:
        """Comments oldest first, the case's author answering now and then; votes from
        distinct people; a few flags, most already looked at by a moderator."""
        rng, now = self.rng, self.now
        span = now - case.created_at
        times = sorted(case.created_at + span * rng.random() for _ in range(comments))
        for moment in times:
            pool = case.discussants if rng.random() < 0.3 else case.local
            author = case.author if rng.random() < 0.2 else rng.choice(pool)
            hidden = rng.random() < 0.005
            pk = next(self.comment_ids)
            self.comments.add(
                (
                    pk, case.pk, author.pk, wording.comment_body(rng), hidden,
                    wording.HIDDEN_REASON if hidden else "", moment,
                )
            )  # fmt: skip
            if rng.random() < 0.003:
                self._flag(case, pk, moment)
        picked = rng.sample(case.discussants, min(votes + 1, len(case.discussants)))
        for voter in [p for p in picked if p is not case.author][:votes]:
            self.votes.add(
                (
                    case.pk, voter.pk, *_near(case.response, rng), _actions(rng),
                    wording.vote_rationale(rng),
                    voter.authority.priority, case.created_at + span * rng.random(),
                )
            )  # fmt: skip
        if rng.random() < 0.005:
            self._flag(case, None, case.created_at + span * rng.random())

    def _flag(self, case: CaseInfo, comment_id: int | None, after: datetime) -> None:
        rng = self.rng
        raised_at = min(after + timedelta(hours=rng.uniform(0.1, 48)), self.now)
        resolved = rng.random() < 0.6
        resolver = rng.choice(case.moderators)
        resolved_at = min(raised_at + timedelta(hours=rng.uniform(1, 72)), self.now)
        self.flags.add(
            (
                case.pk, comment_id, rng.choice(case.discussants).pk,
                rng.choice(wording.FLAG_REASONS), raised_at,
                resolved_at if resolved else None,
                resolver.pk if resolved else None,
                "Checked: nothing needed changing." if resolved else "",
            )
        )  # fmt: skip


def _near(routes: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    """A response close to the one taken, a step or none on each route: most outcomes (and
    votes) end where the case started."""
    near = []
    for route, key in zip(responses.ROUTES, routes, strict=True):
        levels = responses.LEVEL_KEYS[route]
        index = levels.index(key) + rng.choice((-1, 0, 0, 0, 1))
        near.append(levels[min(max(index, 0), len(levels) - 1)])
    return near[0], near[1]


def _actions(rng: random.Random) -> list[str]:
    """A few actions, in the vocabulary's order (as the services store them)."""
    picked = set(rng.sample(responses.ACTION_KEYS, rng.choice(ACTIONS_NAMED)))
    return [key for key in responses.ACTION_KEYS if key in picked]
