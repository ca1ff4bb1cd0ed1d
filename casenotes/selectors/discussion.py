"""Reads of the discussion of a case: its comments, the consensus vote, the moderation queue.

Comments are read only through a case the viewer may see (casenotes.access.scope_cases), and
hidden comments only by moderators of the case's authority. People are named only when the
viewer, the person and the case all belong to one authority; otherwise by role and region
("Practitioner, North West"), so no name crosses an authority boundary.

The votes' distribution is shown only to people who have voted, so nobody's answer is anchored
by their colleagues' (or by what was done). The case's author does not vote (their answer is
the decision they recorded) and sees the distribution once there is at least one vote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from casenotes import access
from casenotes.forms_discussion import CommentForm, VoteForm
from casenotes.models import Case, Comment, ConsensusVote, Flag
from casenotes.responses import Response
from portal.models import Role, User
from portal.pagination import page_numbers
from portal.responses import Action, PreventRoute, SafeguardingRoute
from training import responses

# Comments on one page of a case's discussion, oldest first; a comment's link finds its page.
COMMENTS_PER_PAGE = 50

# --- Naming people -----------------------------------------------------------------------------


def person_shown_as(user: User, *, person: User, case: Case) -> str:
    """How a commenter (or whoever raised a flag) is named to `user` in a case's discussion.

    `person.authority` must be fetched with them."""
    region = person.authority.region if person.authority_id is not None else ""
    return _shown_as(user, person=person, region=region, case=case)


def _shown_as(user: User, *, person: User | Commenter, region: str, case: Case) -> str:
    if person.pk == user.pk:
        return "You"
    if person.authority_id is None:
        return person.get_role_display()
    if person.authority_id == case.authority_id:
        return access.author_shown_as(
            user, author=person, authority_id=case.authority_id, region=region
        )
    return f"{person.get_role_display()}, {region}"


@dataclass(frozen=True)
class Commenter:
    """Who wrote a comment, read with it as plain values: what naming them needs."""

    pk: int
    full_name: str
    role: str
    authority_id: int | None

    def get_role_display(self) -> str:
        return Role(self.role).label


@dataclass(frozen=True)
class CommentShown:
    """A comment as the case page shows it. Read as values, not models: a long discussion
    brings hundreds of comments, their authors and authorities."""

    pk: int
    body: str
    is_hidden: bool
    hidden_reason: str
    created_at: datetime
    shown_as: str


# --- The distribution of votes -----------------------------------------------------------------


@dataclass(frozen=True)
class OwnVote:
    response: Response
    rationale: str


@dataclass(frozen=True)
class VoteGroup:
    """Votes naming one response (both routes and the same actions), from one side of the
    Prevent priority area split: a row of the grouped count."""

    response: Response
    in_priority_area: bool
    count: int


@dataclass(frozen=True)
class GridCell:
    count: int
    is_own: bool
    is_decision: bool


@dataclass(frozen=True)
class GridRow:
    label: str  # a safeguarding level
    cells: tuple[GridCell, ...]  # one per Prevent level, least to most intrusive
    total: int


@dataclass(frozen=True)
class RouteGrid:
    """Votes by safeguarding route (rows) and Prevent route (columns): the two are chosen
    together, so a vote for child protection with a Prevent referral is one count, not two."""

    columns: tuple[str, ...]  # the Prevent levels' labels
    rows: tuple[GridRow, ...]  # every safeguarding level, least to most intrusive
    column_totals: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class LevelCount:
    """Votes for one level of a route, split by whether the voter works in a Prevent priority
    area (as their authority was designated when they voted)."""

    level: str
    label: str
    priority: int
    other: int
    is_own: bool
    is_decision: bool

    @property
    def total(self) -> int:
        return self.priority + self.other


@dataclass(frozen=True)
class ActionCount:
    """How many answers name an action, of all the answers."""

    key: str
    label: str
    count: int
    of: int
    is_own: bool
    is_decision: bool


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: int
    width: int
    height: int
    text_x: int
    text_y: int
    text: str
    group: str  # "priority-area" or "other-areas", the CSS modifier


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: int
    bars: tuple[ChartBar, ChartBar]


# Geometry of a route's chart (SVG user units): labels right-aligned at LABEL_RIGHT, then two
# bars per level whose length is the level's share of that group's votes.
CHART_WIDTH = 640
CHART_TOP = 40
LABEL_RIGHT = 280
BAR_LEFT = 290
BAR_MAX = 250
BAR_HEIGHT = 16
ROW_HEIGHT = 48


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


@dataclass(frozen=True)
class RouteSplit:
    """One route's votes by level, split by Prevent priority area, with the chart of them."""

    route: str  # "safeguarding" or "prevent", also the chart's id
    name: str  # "Safeguarding" or "Prevent"
    rows: tuple[LevelCount, ...]  # every level of the route, least to most intrusive

    @property
    def priority_total(self) -> int:
        return sum(row.priority for row in self.rows)

    @property
    def other_total(self) -> int:
        return sum(row.other for row in self.rows)

    @property
    def total(self) -> int:
        return self.priority_total + self.other_total

    @property
    def chart_height(self) -> int:
        return CHART_TOP + ROW_HEIGHT * len(self.rows)

    @property
    def chart_rows(self) -> list[ChartRow]:
        """Bars as shares of each group, so a group with fewer voters still compares."""
        totals = {"priority-area": self.priority_total, "other-areas": self.other_total}
        chart = []
        for index, row in enumerate(self.rows):
            top = CHART_TOP + index * ROW_HEIGHT
            bars = []
            for offset, (group, count) in enumerate(
                (("priority-area", row.priority), ("other-areas", row.other))
            ):
                share = _share(count, totals[group])
                width = round(BAR_MAX * share / 100)
                y = top + offset * (BAR_HEIGHT + 2)
                bars.append(
                    ChartBar(
                        x=BAR_LEFT,
                        y=y,
                        width=width,
                        height=BAR_HEIGHT,
                        text_x=BAR_LEFT + width + 6,
                        text_y=y + BAR_HEIGHT - 3,
                        text=f"{count} ({share}%)",
                        group=group,
                    )
                )
            chart.append(ChartRow(row.label, top + BAR_HEIGHT + 6, (bars[0], bars[1])))
        return chart

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def label_right(self) -> int:
        return LABEL_RIGHT


@dataclass(frozen=True)
class Distribution:
    grid: RouteGrid
    splits: tuple[RouteSplit, RouteSplit]  # safeguarding, then Prevent
    actions: tuple[ActionCount, ...]  # the actions any answer names, most named first
    decision: Response  # what was done

    @property
    def priority_total(self) -> int:
        return self.splits[0].priority_total

    @property
    def other_total(self) -> int:
        return self.splits[0].other_total

    @property
    def total(self) -> int:
        return self.grid.total


def _votes(case: Case, user: User) -> tuple[list[VoteGroup], OwnVote | None]:
    """Counts per (response, priority area) and the user's own vote, in one query. A vote's
    actions are stored in the vocabulary's order, so equal sets group together."""
    mine = Q(voter_id=user.pk)
    rows = (
        ConsensusVote.objects.filter(case=case)
        .order_by()
        .values("safeguarding", "prevent", "actions", "voter_in_priority_area")
        .annotate(
            count=Count("pk"),
            mine=Count("pk", filter=mine),
            mine_rationale=Max("rationale", filter=mine),
        )
    )
    groups, own = [], None
    for row in rows:
        response = Response(row["safeguarding"], row["prevent"], tuple(row["actions"]))
        groups.append(VoteGroup(response, row["voter_in_priority_area"], row["count"]))
        if row["mine"]:
            own = OwnVote(response, row["mine_rationale"] or "")
    return groups, own


def _grid(groups: list[VoteGroup], *, own: Response | None, decision: Response) -> RouteGrid:
    counts: Counter[tuple[str, str]] = Counter()
    for group in groups:
        counts[(group.response.safeguarding, group.response.prevent)] += group.count
    prevent_levels = PreventRoute.values
    rows = tuple(
        GridRow(
            label=label,
            cells=tuple(
                GridCell(
                    count=counts[(level, prevent)],
                    is_own=own is not None and (own.safeguarding, own.prevent) == (level, prevent),
                    is_decision=(decision.safeguarding, decision.prevent) == (level, prevent),
                )
                for prevent in prevent_levels
            ),
            total=sum(counts[(level, prevent)] for prevent in prevent_levels),
        )
        for level, label in SafeguardingRoute.choices
    )
    return RouteGrid(
        columns=tuple(PreventRoute.labels),
        rows=rows,
        column_totals=tuple(
            sum(row.cells[index].count for row in rows) for index in range(len(prevent_levels))
        ),
        total=sum(counts.values()),
    )


def _split(
    route: str, groups: list[VoteGroup], *, own: Response | None, decision: Response
) -> RouteSplit:
    counts: Counter[tuple[str, bool]] = Counter()
    for group in groups:
        counts[(getattr(group.response, route), group.in_priority_area)] += group.count
    rows = tuple(
        LevelCount(
            level=term.key,
            label=term.label,
            priority=counts[(term.key, True)],
            other=counts[(term.key, False)],
            is_own=own is not None and getattr(own, route) == term.key,
            is_decision=getattr(decision, route) == term.key,
        )
        for term in responses.LEVELS[route]
    )
    return RouteSplit(route=route, name=responses.ROUTE_NAMES[route], rows=rows)


def _action_counts(
    groups: list[VoteGroup], *, own: Response | None, decision: Response
) -> tuple[ActionCount, ...]:
    counts: Counter[str] = Counter()
    for group in groups:
        for action in group.response.actions:
            counts[action] += group.count
    total = sum(group.count for group in groups)
    named = [key for key in responses.ACTION_KEYS if counts[key]]
    return tuple(
        ActionCount(
            key=key,
            label=Action(key).label,
            count=counts[key],
            of=total,
            is_own=own is not None and key in own.actions,
            is_decision=key in decision.actions,
        )
        for key in sorted(named, key=lambda key: -counts[key])  # stable: vocabulary order
    )


def _distribution(groups: list[VoteGroup], *, own: OwnVote | None, case: Case) -> Distribution:
    mine = own.response if own is not None else None
    decision = case.decision
    return Distribution(
        grid=_grid(groups, own=mine, decision=decision),
        splits=(
            _split(responses.SAFEGUARDING, groups, own=mine, decision=decision),
            _split(responses.PREVENT, groups, own=mine, decision=decision),
        ),
        actions=_action_counts(groups, own=mine, decision=decision),
        decision=decision,
    )


# --- The discussion panel ----------------------------------------------------------------------


@dataclass
class Discussion:
    """What the case page's discussion panel shows (templates/casenotes/discussion/_panel.html).

    `distribution` is None until the viewer may see it; `shows_decision` says whether the
    page may show what was done (case.decision) without anchoring the viewer.
    """

    case: Case
    comments: list[CommentShown]  # this page's, of those visible to the viewer, oldest first
    comment_page: Page  # which page of the comments, and how many there are
    comment_page_numbers: list[int | str]
    can_take_part: bool  # may comment and vote: staff of an authority, case not hidden
    is_author: bool
    can_moderate: bool
    comment_form: CommentForm | None
    vote_form: VoteForm | None
    own_vote: OwnVote | None
    vote_count: int
    distribution: Distribution | None

    @property
    def shows_decision(self) -> bool:
        return self.is_author or self.distribution is not None


def visible_comments(queryset: QuerySet[Comment], *, user: User, case: Case) -> QuerySet[Comment]:
    if access.is_moderator_of(user, case.authority_id):
        return queryset
    return queryset.filter(is_hidden=False)


def discussion_for_case(
    *,
    case: Case,
    user: User,
    page_number: int | str | None = None,
    comment_form: CommentForm | None = None,
    vote_form: VoteForm | None = None,
) -> Discussion:
    """The discussion of a case the user may see (fetched through a selector), in three
    queries: the visible comments counted, one page of them with their authors, and the votes
    counted with the user's own among them.

    page_number is the comment page asked for (the nearest real page for a bad one). Pass
    bound forms to show them with their errors; by default they are empty (the vote form holds
    the user's current vote).
    """
    visible = visible_comments(case.comments.all(), user=user, case=case)
    paginator = Paginator(visible.values_list("pk", flat=True), COMMENTS_PER_PAGE)
    page = paginator.get_page(page_number)
    # The page's comments picked by a subquery on comment_case_order, then joined to their
    # authors: PostgreSQL joins 50 rows by key rather than hashing every user.
    rows = Comment.objects.filter(pk__in=page.object_list).values_list(
        "pk", "body", "is_hidden", "hidden_reason", "created_at",
        "author_id", "author__full_name", "author__role", "author__authority_id",
        "author__authority__region",
    )  # fmt: skip
    page.object_list = [
        CommentShown(
            pk, body, is_hidden, hidden_reason, created_at,
            shown_as=_shown_as(
                user, person=Commenter(author, name, role, authority), region=region or "",
                case=case,
            ),
        )
        for pk, body, is_hidden, hidden_reason, created_at, author, name, role, authority, region
        in rows
    ]  # fmt: skip
    groups, own = _votes(case, user)
    is_author = case.author_id == user.pk
    can_take_part = access.can_post(user) and not case.is_hidden
    vote_count = sum(group.count for group in groups)
    if can_take_part and not is_author and vote_form is None:
        vote_form = VoteForm(initial=_vote_initial(own))
    shown = own is not None or (is_author and vote_count > 0)
    return Discussion(
        case=case,
        comments=page.object_list,
        comment_page=page,
        comment_page_numbers=page_numbers(page),
        can_take_part=can_take_part,
        is_author=is_author,
        can_moderate=access.is_moderator_of(user, case.authority_id),
        comment_form=(comment_form or CommentForm()) if can_take_part else None,
        vote_form=vote_form if can_take_part and not is_author else None,
        own_vote=own,
        vote_count=vote_count,
        distribution=_distribution(groups, own=own, case=case) if shown else None,
    )


def _vote_initial(own: OwnVote | None) -> dict[str, object] | None:
    """The vote form holds the user's current vote, if any."""
    if own is None:
        return None
    return {
        "safeguarding": own.response.safeguarding,
        "prevent": own.response.prevent,
        "actions": list(own.response.actions),
        "rationale": own.rationale,
    }


# --- One comment, the moderation queue ---------------------------------------------------------


def comment_get_for_user(*, user: User, pk: int) -> Comment:
    """A comment on a case the user may see, with its case and author; hidden comments only
    for the case's moderators. 404 otherwise."""
    comment = (
        Comment.objects.select_related("case__authority", "author__authority")
        .filter(pk=pk, case__in=Case.objects.for_user(user))
        .first()
    )
    if comment is None or (
        comment.is_hidden and not access.is_moderator_of(user, comment.case.authority_id)
    ):
        raise Http404("No such comment.")
    comment.shown_as = person_shown_as(user, person=comment.author, case=comment.case)
    return comment


def comment_page_number(*, comment: Comment, user: User) -> int:
    """Which page of its case's discussion shows a comment to `user` (fetched with its case
    through comment_get_for_user): count the visible comments before it."""
    case = comment.case
    earlier = visible_comments(case.comments.all(), user=user, case=case).filter(
        Q(created_at__lt=comment.created_at) | Q(created_at=comment.created_at, pk__lt=comment.pk)
    )
    return earlier.count() // COMMENTS_PER_PAGE + 1


def comment_get_for_moderator(*, user: User, pk: int) -> Comment:
    """A comment on a case of the moderator's own authority. 404 for anyone else."""
    comment = comment_get_for_user(user=user, pk=pk)
    if not access.is_moderator_of(user, comment.case.authority_id):
        raise Http404("No such comment.")
    return comment


def open_flags(*, user: User, target: Case | Comment) -> list[Flag]:
    """The open flags of a case (on the case itself) or of a comment (fetched with its case),
    oldest first, each with `raised_by_shown_as`."""
    if isinstance(target, Case):
        case, flags = target, target.flags.filter(comment__isnull=True)
    else:
        case, flags = target.case, target.flags.all()
    flags = list(flags.filter(resolved_at__isnull=True).select_related("raised_by__authority"))
    for flag in flags:
        flag.raised_by_shown_as = person_shown_as(user, person=flag.raised_by, case=case)
    return flags


def moderation_queue_for_user(*, user: User) -> QuerySet[Flag]:
    """Open flags on cases (and their comments) of the moderator's own authority that they can
    see, oldest first; with_raised_by_shown_as names who raised a page of them. Nothing for
    anyone who does not moderate."""
    if not access.can_moderate(user):
        return Flag.objects.none()
    cases = Case.objects.for_user(user).filter(authority_id=user.authority_id)
    return (
        Flag.objects.filter(resolved_at__isnull=True, case__in=cases)
        .select_related("case", "comment", "raised_by__authority")
        .order_by("created_at", "id")
    )


def with_raised_by_shown_as(flags: Iterable[Flag], *, user: User) -> list[Flag]:
    """Set `raised_by_shown_as` on each flag (its case and raiser's authority fetched with it)."""
    flags = list(flags)
    for flag in flags:
        flag.raised_by_shown_as = person_shown_as(user, person=flag.raised_by, case=flag.case)
    return flags
