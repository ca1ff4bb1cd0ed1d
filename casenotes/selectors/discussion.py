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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from casenotes import access
from casenotes.forms_discussion import CommentForm, VoteForm
from casenotes.models import Case, Comment, Flag
from casenotes.selectors import consensus
from casenotes.selectors.consensus import Distribution, OwnVote
from portal.models import Role, User
from portal.pagination import page_numbers

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
    groups, own = consensus.votes_counted(case, user)
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
        distribution=consensus.distribution_of(groups, own=own, case=case) if shown else None,
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
