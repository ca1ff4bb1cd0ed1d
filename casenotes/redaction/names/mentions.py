"""Every mention of a person in a text: runs accepted, surnames first, titles, names joined
by "and", and words learned once (steps 2 to 5 of the package docstring)."""

from __future__ import annotations

import re

from casenotes.redaction import ages
from casenotes.redaction.context import (
    ALIAS_GAP_RE,
    CALLED,
    DETERMINERS,
    JOINERS,
    MONTHS,
    NOT_LOWER_NAMES,
    OTHER_VERBS,
    ROLE_NOUNS,
    SAY_VERBS,
)
from casenotes.redaction.lexicon import COMMON, FIRST, KEEP, NAME, PARTICLES, STOP, SURNAME, TITLES
from casenotes.redaction.names import letters, reach
from casenotes.redaction.names.reader import NAMEISH, Accepted, Mention, Reader
from casenotes.redaction.tokens import (
    CAP,
    DEFINITE,
    LOWER,
    NONE,
    PARTICIPANT,
    UNKNOWN,
    UPPER,
    WEAK,
    WORD,
    Token,
)


def find(text: str, tokens: list[Token], participant_words: dict[str, bool]) -> list[Mention]:
    """Every mention of a person in `text`, in order."""
    reader = Reader(text, tokens, participant_words)
    classes = reader.classes
    used = [False] * len(tokens)
    accepted: list[Accepted] = []
    surname_first: dict[int, list[str]] = {}  # "KHAN, Amira" reads as Amira Khan

    def take(i: int, j: int, title: int | None, strong: bool) -> None:
        accepted.append((i, j, title, strong))
        for k in range(i if title is None else title, j):
            used[k] = True

    # "KHAN, Amira": a surname in capitals, a comma, then the first name
    capitals = [k for k, t in enumerate(tokens[:-2]) if t.shape == UPPER and classes[k] != NONE]
    for i in capitals:
        surname, comma, first = tokens[i], tokens[i + 1], tokens[i + 2]
        if (
            surname.shape == UPPER and classes[i] != NONE and comma.text == ","
            and first.shape == CAP and classes[i + 2] in NAMEISH and not used[i]
            and (surname.flags & SURNAME or classes[i] == PARTICIPANT
                 or (classes[i + 2] == DEFINITE and first.flags & FIRST)
                 or classes[i + 2] == PARTICIPANT)
        ):  # fmt: skip
            j = i + 3
            while j < len(tokens) and classes[j] in NAMEISH and reader.adjacent(j - 1, j):
                j += 1
            surname_first[i] = [tokens[k].fold for k in range(i + 2, j)] + [surname.fold]
            take(i, j, None, True)

    rejected = []
    for i, j in reader.runs():
        if any(used[i:j]):
            continue
        result = reader.accept(i, j)
        if result is None:
            rejected.append((i, j))
        else:
            take(*result)
    # "Mr white": after a title, a known name in any case; in a note typed in lower case
    # ("head of year mr lawson"), any word that is not a stop word, a place or a verb
    titled = [k for k, t in enumerate(tokens[:-1]) if t.fold in TITLES]
    lower_note = _lower_case_note(tokens)
    for k in titled:
        token = tokens[k]
        if token.kind == WORD and not used[k]:
            nxt = k + 2 if tokens[k + 1].text == "." and k + 2 < len(tokens) else k + 1
            after = tokens[nxt]
            if (
                after.kind == WORD and not used[nxt]
                and (
                    after.flags & NAME
                    or lower_note and token.fold in PERSONAL_TITLES and _lower_surname(after)
                )
                and reader.adjacent(nxt - 1, nxt) and reader.title_before(nxt) == k
            ):  # fmt: skip
                take(nxt, nxt + 1, k, True)
    _initials(reader, used, take)
    _with_school_year(reader, used, take)
    letters.find(reader, used, take)
    _coordinated(reader, rejected, used, take)
    if lower_note:
        _lower_case_names(reader, used, take)
    _learned(reader, accepted, used, take, lower_note)
    _coordinated(reader, rejected, used, take)

    reach.extend(reader, accepted, used, lower_note)
    mentions: list[Mention] = []
    for i, j, title, _strong in sorted(accepted, key=lambda a: a[0] if a[2] is None else a[2]):
        start = tokens[_couple_title(reader, title)].start if title is not None else tokens[i].start
        parts = surname_first.get(i) or [
            tokens[k].fold for k in range(i, j)
            if classes[k] in NAMEISH or (tokens[k].kind == WORD and tokens[k].flags & NAME)
        ] or [tokens[k].fold for k in range(i, j) if tokens[k].kind == WORD]  # fmt: skip
        mention = Mention(start=start, end=tokens[j - 1].end, parts=parts, titled=title is not None)
        ages.clues(reader, mention, i, j, title)
        if mentions and _is_alias(text[mentions[-1].end : mention.start]):
            mention.alias_of = len(mentions) - 1
        mentions.append(mention)
    return mentions


# "mo (year 5)", "Faith in Y3", "ruby-rose y7": a school year, and what may stand between it
# and the word before it
SCHOOL_YEAR_RE = re.compile(r"(?<![\w-])(?:y|yr|year)[ \t]?\d{1,2}\b", re.I)
BEFORE_SCHOOL_YEAR_RE = re.compile(r"(?:[ \t]+in|[ \t]*\()?[ \t]*$")


def _with_school_year(reader: Reader, used: list[bool], take) -> None:
    """A first name, even one that is a word or in lower case, with a school year after it
    is a child: "mo (year 5) said", "Faith in Y3 told class"."""
    tokens, text = reader.tokens, reader.text
    for year in SCHOOL_YEAR_RE.finditer(text):
        gap = BEFORE_SCHOOL_YEAR_RE.search(text, max(0, year.start() - 6), year.start())
        if gap is None or gap.start() == year.start() and year.start() > 0:
            continue  # "Y3" glued to the word before
        k = reader.token_ending_at(gap.start())
        if k is None:
            continue
        token = tokens[k]
        if (
            used[k] or token.kind != WORD or not token.flags & FIRST
            or token.flags & (STOP | KEEP) or token.poss or token.fold in MONTHS
        ):  # fmt: skip
            continue
        take(k, k + 1, None, True)


def _couple_title(reader: Reader, title: int) -> int:
    """The first title of a couple named once ("Mr and Mrs Atherton", "Mr & Mrs Dlamini"):
    the pair is one mention, so no bare "Mr and" is left before the label."""
    tokens = reader.tokens
    if (
        title >= 2
        and tokens[title].fold in PERSONAL_TITLES
        and tokens[title - 2].fold in PERSONAL_TITLES
        and tokens[title - 1].text.lower() in ("and", "&")
        and reader.adjacent(title - 2, title - 1)
        and reader.adjacent(title - 1, title)
    ):
        return title - 2
    return title


ALIAS_WORD_RE = re.compile(r"(?i)known|aka|a\.k\.a|goes|real|full")


def _is_alias(gap: str) -> bool:
    """What lies between a name and its nickname: "Mohammed (Mo)", "Mohammed, known as Mo"."""
    return bool(ALIAS_GAP_RE.fullmatch(gap)) and (
        any(mark in gap for mark in "(\"'“‘") or bool(ALIAS_WORD_RE.search(gap))
    )


# From a capital, so the pattern is only tried there (a lookbehind first is tried everywhere)
INITIALS_RE = re.compile(r"[A-Z](?<![\w.][A-Z])\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?(?![\w])")


# Dotted initials that stand for a subject, a time, a place or a title, not a person; any
# others ("Case: B.T., aged 16", "Child is A.R.") are a person's, as the guide marks them.
NOT_PERSON_INITIALS = frozenset(
    "PE RE RS IT DT ICT UK US USA EU UN GP PS NB AM PM TV OK ID BA MA MSC BSC MP QC KC PC DC DS "
    "DI FE HE SEN DOB AD BC BBC RIP ASAP".split()
)


def _initials(reader: Reader, used: list[bool], take) -> None:
    """ "J.S. said", "her brother, K.M.", "Case: B.T.": dotted initials stand for a person
    unless they are a subject, a time or a title ("in P.E. lessons", "10 a.m."); those only
    before a verb of a person or after a role noun."""
    text, tokens = reader.text, reader.tokens
    matches = list(INITIALS_RE.finditer(text))
    if not matches:
        return
    index = {token.start: k for k, token in enumerate(tokens)}
    for match in matches:
        i = index.get(match.start())
        j = index.get(match.end() - 1)
        if i is None or j is None or any(used[i : j + 1]):
            continue
        after = reader.next_word(j + 1)
        verb = after is not None and (after.fold in SAY_VERBS or after.fold in OTHER_VERBS)
        letters = match.group().replace(".", "").replace(" ", "")
        if verb or reader.role_before(i)[0] or letters not in NOT_PERSON_INITIALS:
            take(i, j + 1, None, False)


def _lower_case_note(tokens: list[Token]) -> bool:
    """A note typed in lower case: hardly a word begins with a capital."""
    lower = capital = 0
    most = len(tokens)  # lower never passes it: stop once the capitals rule the note out
    for token in tokens:
        if token.kind == WORD and len(token.text) >= 2:
            if token.shape == LOWER:
                lower += token.text[1].islower()
            elif token.text[1].isalpha():
                capital += 1
                if capital * 20 >= most:
                    return False
    return lower >= 12 and capital * 20 < lower


def _lower_case_names(reader: Reader, used: list[bool], take) -> None:
    """In a lower-case note, a name after a role noun or "called" ("her brother kai", "a lad
    called tank"): a name word needs the role noun, any other word "called" or "known as"."""
    tokens = reader.tokens
    for k, token in enumerate(tokens):
        if used[k] or token.kind != WORD or token.shape != LOWER or len(token.fold) < 3:
            continue
        if token.flags & (STOP | KEEP) or token.fold in TITLES or token.fold in NOT_LOWER_NAMES:
            continue
        j = k + 1
        # "mum kerry hollis", "ryan w (y9)": a surname or an initial after the first name
        after = reader.next_word(j)
        if (
            after is not None
            and after.shape == LOWER
            and not after.flags & (STOP | KEEP)
            and after.fold not in NOT_LOWER_NAMES
            and (
                after.flags & SURNAME
                or len(after.fold) == 1
                or reader.age_after(j + 1)
                or j + 1 < len(tokens)
                and tokens[j + 1].text == ")"  # "mum (tina roper)"
            )
        ):
            j += 1
        named, _ = reader.role_before(k)
        if not named and token.flags & FIRST and not token.flags & COMMON:
            # "saw lily-rose tanner (12)", "mum (tina roper)": an age, or a role before brackets
            named = reader.age_after(j) is not None or _role_bracket_before(reader, k)
        if not named and token.flags & FIRST:
            # "spoke to grace (y8)": a word-name too, when its age or year is bracketed after it,
            # or when it is the person met ("went to see bill", "spoke to hope")
            named = _bracketed_age_after(reader, j) or reader.met(k)
        if not named:
            continue
        before = reader.word_before(k, skip_commas=True)
        called = before is not None and tokens[before].fold in CALLED | {"as", "by"}
        if token.flags & NAME or called:
            take(k, j, None, True)


# Titles that only come before a name ("pc" may be a computer, "dr" a drive)
PERSONAL_TITLES = frozenset("mr mrs ms miss mx".split())


def _lower_surname(token: Token) -> bool:
    return (
        len(token.fold) >= 3
        and not token.flags & (STOP | KEEP)
        and token.fold not in NOT_LOWER_NAMES
        and token.fold not in TITLES
    )


def _bracketed_age_after(reader: Reader, j: int) -> bool:
    end = reader.tokens[j - 1].end
    return reader.text[end : end + 3].lstrip(" ").startswith("(") and (
        reader.age_after(j) is not None
    )


# Words before which a word-name reads as its ordinary word ("a summer", "is hope", "by will")
WORD_NAME_READS_AS_WORD = DETERMINERS | frozenset(
    "is was are be been of with by in for lost more less full little great much real true "
    "gave give show shows showed said have has had".split()
)


def _word_name_again(reader: Reader, k: int, lower_note: bool) -> bool:
    """A word-name learned from a sure mention, met again: in a lower-case note in any case,
    elsewhere only in capitals, not opening a sentence and not before another capitalised word
    ("Hope Street")."""
    if lower_note:
        return _word_name_here(reader, k)
    token = reader.tokens[k]
    if token.shape != CAP or reader.sentence_start(k):  # "Will check", "Summer term ends"
        return False
    after = reader.next_word(k + 1)
    if after is not None and after.shape != LOWER and reader.adjacent(k, k + 1):
        return False
    return _word_name_here(reader, k)


def _word_name_here(reader: Reader, k: int) -> bool:
    before = reader.word_before(k)
    return before is None or reader.tokens[before].fold not in WORD_NAME_READS_AS_WORD


def _role_bracket_before(reader: Reader, k: int) -> bool:
    tokens = reader.tokens
    return (
        k >= 2 and tokens[k - 1].text == "(" and tokens[k - 2].kind == WORD
        and tokens[k - 2].fold in ROLE_NOUNS
    )  # fmt: skip


def _coordinated(reader: Reader, rejected: list[tuple[int, int]], used: list[bool], take) -> None:
    """A weak word joined to a name by "and", "or" or a comma is a name: "Amira and Hope"."""
    tokens = reader.tokens
    for i, j in rejected:
        if any(used[i:j]) or j - i != 1 or reader.classes[i] != WEAK:
            continue
        if tokens[i].flags & STOP:
            continue
        for joiner, neighbour in ((i - 1, i - 2), (j, j + 1)):
            if not (0 <= neighbour < len(tokens)) or not (0 <= joiner < len(tokens)):
                continue
            if (tokens[joiner].fold in JOINERS or tokens[joiner].text == ",") and used[neighbour]:
                if tokens[neighbour].kind == WORD and not reader.newline_before(joiner):
                    take(i, j, None, False)
                    break


def _learned(
    reader: Reader, accepted: list[Accepted], used: list[bool], take, lower_note: bool
) -> None:
    """A word surely accepted as a name once is a name wherever else it appears in the text.

    Ordinary words that are names (Hope) keep their own rules, but one learned from a sure
    mention ("grace (y8)", "Faith in Y3") is the person again where no article or verb makes
    it a word ("spoke to grace", not "there is hope"): in capitals, or in any case in a
    lower-case note; a place that is a name (Jordan)
    must read as a person; an unknown word is learned only in capitals and from a sure mention.
    """
    tokens, classes = reader.tokens, reader.classes
    learned = {
        tokens[k].fold
        for i, j, _title, strong in accepted
        for k in range(i, j)
        if tokens[k].kind == WORD and len(tokens[k].fold) >= 2 and tokens[k].fold not in PARTICLES
        and (strong or classes[k] != UNKNOWN)
    }  # fmt: skip
    if not learned:
        return
    candidates = [k for k, token in enumerate(tokens) if token.fold in learned]
    done = 0
    for k in candidates:
        token = tokens[k]
        if k < done or used[k] or token.kind != WORD or k in reader.kept:
            continue
        if (
            token.flags & STOP
            or token.flags & COMMON and not _word_name_again(reader, k, lower_note)
            or token.shape == LOWER and len(token.fold) < 3
            and not (lower_note and token.flags & FIRST)  # "mo (year 5)" ... "mo heard"
            or token.shape == LOWER and not token.flags & NAME and not lower_note
            or token.flags & KEEP and not reader.reads_as_person(k)
        ):  # fmt: skip
            continue
        j = k + 1
        while (
            j < len(tokens) and not used[j] and not tokens[j - 1].poss and reader.adjacent(j - 1, j)
            and classes[j] in (DEFINITE, PARTICIPANT)
        ):  # fmt: skip
            j += 1
        take(k, j, None, True)
        done = j
