"""Reading a text for names: each word's class, runs of name-like words, and whether a run
is accepted as a name (steps 1 to 3 of the package docstring). The clues around a word that
these steps read are in clues.py."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from casenotes.redaction.context import (
    DETERMINERS,
    MONTHS,
    PLACE_PREPOSITIONS,
    RATING_WORDS,
)
from casenotes.redaction.lexicon import (
    FIRST,
    KEEP,
    NAME,
    PARTICLES,
    STOP,
    SURNAME,
    TITLES,
    lexicon,
)
from casenotes.redaction.names.clues import Clues
from casenotes.redaction.tokens import (
    DEFINITE,
    LOWER,
    NONE,
    OPAQUE,
    PARTICIPANT,
    UNKNOWN,
    UPPER,
    WEAK,
    WORD,
    Token,
)

# A digit, then two lower-case letters that are no ordinal or time ("12th", "10am"; postcodes'
# "1JL" are capitals): most notes hold none.
DIGIT_LETTER_RE = re.compile(r"\d(?!(?:st|nd|rd|th|am|pm)\b)[a-z]{2}")
NAMEISH = frozenset((PARTICIPANT, DEFINITE, WEAK, UNKNOWN))

# A run accepted as a name: its words [i, j), its title's index, and whether it is sure
# enough to learn its words from for the rest of the text.
Accepted = tuple[int, int, int | None, bool]


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    parts: list[str]  # folded name words in reading order, no titles or particles
    titled: bool = False
    child: int = 0  # weight of clues that the person is a child
    adult: int = 0
    alias_of: int | None = None  # index of the mention this one is a nickname of


class Reader(Clues):
    def __init__(self, text: str, tokens: list[Token], participant_words: dict[str, bool]):
        self.text = text
        self.tokens = tokens
        self.participant_words = participant_words  # folded word -> is also an ordinary word
        self.kept = self._kept_phrases()
        self.classes = self._classes()

    def _kept_phrases(self) -> set[int]:
        """Indexes of words inside a phrase to keep (Milton Keynes, Andrew Tate)."""
        phrases = lexicon().phrases
        tokens, kept = self.tokens, set()
        for i, token in enumerate(tokens):
            starting = phrases.get(token.fold)  # one look-up a token, no set of them first
            if starting is None or token.kind != WORD:
                continue
            for phrase in starting:
                end = i + len(phrase)
                if (
                    end <= len(tokens)
                    # the last word first: most phrases fail there, before the slower all()
                    and tokens[end - 1].fold == phrase[-1]
                    and all(
                        tokens[k].kind == WORD
                        and tokens[k].fold == word
                        and (k == i or self.adjacent(k - 1, k))
                        for k, word in zip(range(i, end), phrase, strict=True)
                    )
                    and not any(tokens[k].fold in self.participant_words for k in range(i, end))
                ):
                    if not (
                        self._name_follows(end)
                        or self.role_before(i)[1] is not None
                        or self.age_after(end) is not None
                    ):
                        kept.update(range(i, end))
                    break
        return kept

    def reads_as_person(self, k: int) -> bool:
        """A place that is also a name, not after "in", "to", "from" nor before "Council"."""
        before = self.word_before(k)
        if before is not None and self.tokens[before].fold in PLACE_PREPOSITIONS:
            return False
        after = self.next_word(k + 1)
        return after is None or after.shape == LOWER or self.classes[k + 1] != NONE

    def _name_follows(self, k: int) -> bool:
        """ "Abu Hamza al-Britani" is not the Abu Hamza of the keep list."""
        if k >= len(self.tokens) or not self.adjacent(k - 1, k):
            return False
        token = self.tokens[k]
        return (
            token.kind == WORD
            and token.shape != LOWER
            and (
                token.fold in PARTICLES
                or bool(token.flags & NAME)
                or not token.flags & (STOP | KEEP)
            )
        )

    # --- Step 1 ---------------------------------------------------------------------------

    def _classes(self) -> list[int]:
        classes = [token.role for token in self.tokens]
        words = self.participant_words
        if words:
            for k, token in enumerate(self.tokens):
                weak = words.get(token.fold) if token.kind == WORD else None
                if weak is not None and len(token.fold) >= 2 and token.fold not in TITLES:
                    if token.shape != LOWER or not weak:
                        classes[k] = PARTICIPANT
        for k in self.kept:
            classes[k] = NONE
        self._glued_to_digits(classes)
        return classes

    def token_at(self, start: int) -> int | None:
        """The index of the token that begins at offset `start`, if one does."""
        k = bisect_left(self.tokens, start, key=lambda token: token.start)
        return k if k < len(self.tokens) and self.tokens[k].start == start else None

    def token_ending_at(self, end: int) -> int | None:
        """The index of the token that ends at offset `end`, if one does."""
        k = bisect_left(self.tokens, end, key=lambda token: token.end)
        return k if k < len(self.tokens) and self.tokens[k].end == end else None

    def _glued_to_digits(self, classes: list[int]) -> None:
        """A word written right after a digit is a brand or a code, never a name: "4chan",
        "8kun", "9gag", "2Pac". (A name a label touches reads after "]", not a digit.)"""
        tokens = self.tokens
        for match in DIGIT_LETTER_RE.finditer(self.text):
            k = self.token_at(match.start() + 1)
            if k is not None and tokens[k].kind == WORD:
                classes[k] = NONE

    # --- Step 2 ---------------------------------------------------------------------------

    def runs(self) -> Iterable[tuple[int, int]]:
        """Maximal runs [i, j) of name-like words (and particles or initials inside them)."""
        tokens, classes = self.tokens, self.classes
        n = len(tokens)
        starts = [
            k for k, token in enumerate(tokens)
            if classes[k] in NAMEISH
            or token.kind == WORD and (len(token.text) == 1 or token.fold in PARTICLES)
        ]  # fmt: skip
        done = 0
        for i in starts:
            if (
                i < done
                or classes[i] not in NAMEISH
                and not (self._initial(i) or self._particle_start(i))
            ):
                continue
            j = i + 1
            while not tokens[j - 1].poss and j < n:
                if classes[j] in NAMEISH and self.adjacent(j - 1, j):
                    j += 1
                elif tokens[j].fold in PARTICLES and j + 1 < n and classes[j + 1] in NAMEISH:
                    if self.adjacent(j - 1, j) and self.adjacent(j, j + 1):
                        j += 1
                    else:
                        break
                elif tokens[j].text == "." and self._initial(j - 1) and j + 1 < n:
                    j += 1  # "J. Smith"
                    if not (classes[j] in NAMEISH and self.adjacent(j - 1, j)):
                        break
                else:
                    break
            # trailing particles and initials are not names
            while j > i and (
                self._particle(j - 1) or tokens[j - 1].text == "." or self._initial(j - 1)
            ):
                j -= 1
            while i < j and (self._particle(i) and classes[i] not in NAMEISH):
                i += 1
            if i < j and not NAMEISH.isdisjoint(classes[i:j]):
                yield i, j
            done = max(j, i + 1)

    def _initial(self, i: int) -> bool:
        token = self.tokens[i]
        return (
            token.kind == WORD and len(token.text) == 1 and token.text.isupper()
            and i + 2 < len(self.tokens) and self.tokens[i + 1].text == "."
            and self.classes[i + 2] in NAMEISH and token.end == self.tokens[i + 1].start
        )  # fmt: skip

    def _particle(self, i: int) -> bool:
        return self.tokens[i].kind == WORD and self.tokens[i].fold in PARTICLES

    def _particle_start(self, i: int) -> bool:
        return (
            self._particle(i) and i + 1 < len(self.tokens) and self.classes[i + 1] in NAMEISH
            and self.tokens[i].shape != LOWER and self.adjacent(i, i + 1)
        )  # fmt: skip

    # --- Step 3 ---------------------------------------------------------------------------

    def accept(self, i: int, j: int) -> Accepted | None:
        """The accepted part [i, j) of a run, its title token and whether the evidence is
        strong enough to learn its words from; or None."""
        accepted = self._accept(i, j)
        if accepted is None and (self._bullet_label(i, j) or self._role_bracketed(i, j)):
            return i, j, None, True
        return accepted

    def _accept(self, i: int, j: int) -> Accepted | None:
        tokens, classes = self.tokens, self.classes
        title = self.title_before(i)
        if title is not None:
            return i, j, title, True
        if self._field_before(i):
            return i, j, None, True
        named, _ = self.role_before(i)
        kinds = [classes[k] for k in range(i, j) if classes[k] in NAMEISH]
        if PARTICIPANT in kinds or DEFINITE in kinds:
            return self._trim(i, j)
        if named or self.age_after(j) is not None:
            # "He is aged 14": a word that is mostly a pronoun or a verb needs a role noun
            if not named and all(tokens[k].flags & STOP for k in range(i, j)):
                return None
            return i, j, None, True
        if self._who_after(j, comma=WEAK not in kinds):
            return i, j, None, False
        weak = kinds.count(WEAK)
        if weak >= 2 or (
            weak and len(kinds) >= 2 and (self._verb_after(j, say_only=False) or tokens[j - 1].poss)
        ):
            return (i, j, None, False) if not self.sentence_start(i) or weak >= 2 else None
        if len(kinds) != 1:
            if self._first_then_surname(i, j):
                return i, j, None, tokens[i].flags & FIRST and classes[i] == DEFINITE
            # "Xander Quillon attended": unlisted words that read like names, before a verb
            # of a person
            if (
                len(kinds) <= 3
                and all(classes[k] == UNKNOWN and self.unlisted_name(k) for k in range(i, j))
                and self._person_verb_after(j)
            ):
                return i, j, None, True
            return None
        token = tokens[i] if classes[i] in NAMEISH else tokens[j - 1]
        k = i if classes[i] in NAMEISH else j - 1
        if classes[k] == UNKNOWN:
            if not self.sentence_start(i) and self._verb_after(j, say_only=True):
                return i, j, None, False
            if self.unlisted_name(k) and self._person_verb_after(j):
                return i, j, None, True  # learned: "Tobiah was upset ... Tobiah said"
            if self.unlisted_name(k, plural=True) and (self._met_with(i) or self._role_apposed(j)):
                return i, j, None, True  # "met with Dragos", "Skip, an older lad,"
            return None
        # a single weak word: Hope, Will, White, Jordan, May
        if token.flags & STOP:  # He, Do, Young, Lane: only with a title or a role noun
            return None
        month = token.fold in MONTHS
        place = bool(token.flags & KEEP)
        if token.poss and not month:
            return i, j, None, False
        if self._verb_after(j, say_only=month or place):
            return i, j, None, False
        if month or place or self.sentence_start(i) or token.shape == UPPER:
            return None
        before = self.word_before(i)
        if before is not None:
            previous = tokens[before]
            if previous.fold in DETERMINERS:
                return None
            # "Team Hope", "Saving Grace" (but not "Does Mo ever...")
            opener = self.sentence_start(before) and previous.flags & STOP
            if previous.shape != LOWER and classes[before] in (NONE, UNKNOWN) and not opener:
                return None
            window = {t.fold for t in tokens[max(0, i - 3) : i] if t.kind == WORD}
            if window & RATING_WORDS:
                return None
        after = self.next_word(j)
        if after is not None and after.shape != LOWER and self.classes[j] == NONE:
            return None
        if j < len(tokens) and tokens[j].kind == OPAQUE and self.adjacent(j - 1, j):
            return None
        return i, j, None, False

    def _first_then_surname(self, i: int, j: int) -> bool:
        """ "Reply from Mark Aldous (manager)": mid-sentence or alone on its line, a first name
        (even one that is a word) then an unlisted capitalised word that reads like a surname
        is a full name."""
        tokens, classes = self.tokens, self.classes
        return (
            j - i == 2
            and classes[i] in (DEFINITE, WEAK)
            and bool(tokens[i].flags & FIRST)
            and not tokens[i].flags & (STOP | KEEP)
            and tokens[i].shape != UPPER
            and not tokens[i].poss
            and classes[i + 1] == UNKNOWN
            and self.unlisted_name(i + 1, plural=True)  # surnames may end in s: Aldous
            and (not self.sentence_start(i) or self._alone_on_line(i, j))
            and not self._after_determiner(i)  # "the Mark Scheme"
            and self.adjacent(i, i + 1)
        )

    def _after_determiner(self, i: int) -> bool:
        before = self.word_before(i)
        return before is not None and self.tokens[before].fold in DETERMINERS

    def _alone_on_line(self, i: int, j: int) -> bool:
        """ "Jo Halliday" on a line of its own, as under an email's "Thanks"."""
        start = self.tokens[i].start
        end = self.tokens[j - 1].end
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        rest = self.text[end:] if line_end < 0 else self.text[end:line_end]
        return not self.text[line_start:start].strip() and not rest.strip(" \t,")

    def _trim(self, i: int, j: int) -> Accepted | None:
        classes, tokens = self.classes, self.tokens
        # "Concerning Amira": an unknown word opening a sentence before a first name is no name.
        while (
            j - i >= 2 and classes[i] == UNKNOWN and self.sentence_start(i)
            and not tokens[i + 1].flags & SURNAME and classes[i + 1] != UNKNOWN
        ):  # fmt: skip
            i += 1
        # "Amira Safety Plan": an unknown word after a name needs a first name before it.
        while (
            j - i >= 2
            and classes[j - 1] == UNKNOWN
            and not (
                tokens[j - 2].flags & FIRST
                or classes[j - 2] == PARTICIPANT
                or tokens[j - 2].fold in PARTICLES  # Siobhán Ní Bhriain, Ahmed al-Masri
            )
        ):
            j -= 1
        if not any(classes[k] in (PARTICIPANT, DEFINITE, WEAK) for k in range(i, j)):
            return None
        return i, j, None, True
