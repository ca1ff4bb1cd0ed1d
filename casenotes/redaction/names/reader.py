"""Reading a text for names: each word's class, runs of name-like words, and whether a run
is accepted as a name (steps 1 to 3 of the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from casenotes.redaction.context import (
    AGE_AFTER_RE,
    CALLED,
    CAPITAL_ONLY_TITLES,
    CHILD_NOUNS,
    DETERMINERS,
    MODIFIERS,
    MONTHS,
    ORG_NOUNS,
    OTHER_VERBS,
    PLACE_PREPOSITIONS,
    PRONOUNS,
    RATING_WORDS,
    ROLE_NOUNS,
    SAY_VERBS,
    SENTENCE_PUNCT,
    SIBLINGS,
    WHO_AFTER_RE,
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
from casenotes.redaction.tokens import (
    CAP,
    DEFINITE,
    LOWER,
    NONE,
    OPAQUE,
    PARTICIPANT,
    PUNCT,
    UNKNOWN,
    UPPER,
    WEAK,
    WORD,
    Token,
)

# What a person does, not a thing: after an unknown word opening a sentence ("Kaelan went").
PERSON_VERBS = frozenset(
    "went ran came walked arrived attended disclosed punched kicked cried smiled laughed joined "
    "lives lived moved visited phoned rang emailed messaged texted shouted swore refused "
    "admitted".split()
)
NAMEISH = frozenset((PARTICIPANT, DEFINITE, WEAK, UNKNOWN))
# A form's field naming a person, from the start of its line to the name.
FIELD_RE = re.compile(
    r"[ \t]*(?:[-•*>]|\d{1,2}[.)])?[ \t]*(?:(?:full\s+|child['’]?s\s+|young\s+person['’]?s\s+)?"
    r"name(?:\s+of\s+(?:child|young\s+person|yp|parent|carer|referrer|mother|father|sibling))?|"
    r"child|young\s+person|yp|mother|father|mum|dad|parent(?:/carer)?s?|carers?|referrer|"
    r"referred\s+by|(?:social|key|allocated|lead)\s+worker|worker|completed\s+by|signed|"
    r"author|from|to|cc|sibling|siblings|contact|attendees|present)[ \t]*:[ \t]*",
    re.I,
)
# The field's own words say whose name follows: "Name of child:", "Mother:", "Referrer:".
FIELD_ROLE_RE = re.compile(
    r"(?P<child>child|young\s+person|yp|sibling)|(?P<adult>mother|father|mum|dad|parent|carer|"
    r"referrer|referred|worker|completed|signed|author)",
    re.I,
)
# "- Jordan: said he was worried", "Tendai – shared the school's view": a list item or a line
# of minutes that opens with a name and a colon or dash.
BULLET_START_RE = re.compile(r"[ \t]*(?:[-•*–>]|\d{1,2}[.)])?[ \t]*")
BULLET_END_RE = re.compile(r"[ \t]*(?::|[-–—][ \t])")
# "Patience (mum) attended", "Mother (Halima) declined": a role in brackets by the name.
ROLE_IN_BRACKETS_RE = re.compile(
    r"[ \t]*\((?:(?:the|his|her|their|child['’]?s|yp['’]?s)[ \t]+)?(?P<role>[A-Za-z-]+)[ \t]*[),]"
)
FAMILY_NOUNS = (
    CHILD_NOUNS
    | SIBLINGS
    | frozenset(
        "mum mam dad mother father stepmum stepdad stepmother stepfather carer gran nan grandad "
        "grandmother grandfather uncle aunt auntie cousin".split()
    )
)
ROLE_THEN_BRACKET_RE = re.compile(r"(?P<role>[A-Za-z-]+)[ \t]*\([ \t]*$")
ENDINGS = ("ing", "ed", "ly", "tion", "ment", "ness", "ss")
PLURAL_ENDINGS = (*ENDINGS, "s")
MEETING_PREPOSITIONS = frozenset("with by to".split())
MEETING_VERBS = frozenset(
    "met meet meeting spoke speak speaking talked talk seen saw visited discussed contacted "
    "called phoned emailed messaged texted collected accompanied supported".split()
)
APPOSITION_WORDS = frozenset("a an the his her their my our".split()) | MODIFIERS

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


class Reader:
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
        firsts = phrases.keys() & {token.fold for token in tokens}
        if not firsts:
            return kept
        for i, token in enumerate(tokens):
            if token.fold not in firsts or token.kind != WORD:
                continue
            for phrase in phrases[token.fold]:
                end = i + len(phrase)
                if (
                    end <= len(tokens)
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
        return classes

    # --- helpers --------------------------------------------------------------------------

    def newline_before(self, i: int) -> bool:
        return i > 0 and "\n" in self.text[self.tokens[i - 1].end : self.tokens[i].start]

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i < j are neighbours on one line with only spaces between them."""
        return not self.text[self.tokens[i].end : self.tokens[j].start].strip(" \t")

    def word_before(self, i: int, skip_commas: bool = False) -> int | None:
        j = i - 1
        if skip_commas and j >= 0 and self.tokens[j].text == "," and self.tokens[j].kind == PUNCT:
            j -= 1
        if j >= 0 and self.tokens[j].kind == WORD and not self.newline_before(j + 1):
            return j
        return None

    def sentence_start(self, i: int) -> bool:
        if i == 0 or self.newline_before(i):
            return True
        before = self.tokens[i - 1]
        if before.kind == OPAQUE:
            return True
        return before.kind == PUNCT and before.text in SENTENCE_PUNCT

    def title_before(self, i: int) -> int | None:
        j = i - 1
        if j >= 0 and self.tokens[j].text == "." and self.tokens[j].kind == PUNCT:
            j -= 1
        if j < 0 or self.tokens[j].kind != WORD or self.newline_before(i):
            return None
        token = self.tokens[j]
        if token.fold in TITLES and (token.shape != LOWER or token.fold not in CAPITAL_ONLY_TITLES):
            return j
        return None

    def role_before(self, i: int) -> tuple[bool, str | None]:
        """(context says a person is named here, the role noun if one): "her mum, Sadia",
        "a boy called Tayo", "known as Mo"."""
        j = self.word_before(i, skip_commas=True)
        if j is None:
            return False, None
        word = self.tokens[j].fold
        if word in ROLE_NOUNS:
            return True, word
        if word in CALLED:
            for k in range(j - 1, max(-1, j - 5), -1):
                if self.tokens[k].kind != WORD:
                    break
                if self.tokens[k].fold in ROLE_NOUNS:
                    return True, self.tokens[k].fold
                if self.tokens[k].fold in PRONOUNS:
                    return True, None
            return False, None
        if word == "as" and j >= 1 and self.tokens[j - 1].fold == "known":
            around = {t.fold for t in self.tokens[max(0, j - 4) : j - 1]}
            return not (around & ORG_NOUNS), None
        if word == "by" and j >= 1 and self.tokens[j - 1].fold == "goes":
            return True, None
        return False, None

    def next_word(self, end: int) -> Token | None:
        if end < len(self.tokens) and self.tokens[end].kind == WORD and self.adjacent(end - 1, end):
            return self.tokens[end]
        return None

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
            if i < j and any(classes[k] in NAMEISH for k in range(i, j)):
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
            # "Xander Quillon attended": unlisted words that read like names, before a verb
            # of a person
            if (
                len(kinds) <= 3
                and all(classes[k] == UNKNOWN and self._unlisted_name(k) for k in range(i, j))
                and self._person_verb_after(j)
            ):
                return i, j, None, True
            return None
        token = tokens[i] if classes[i] in NAMEISH else tokens[j - 1]
        k = i if classes[i] in NAMEISH else j - 1
        if classes[k] == UNKNOWN:
            if not self.sentence_start(i) and self._verb_after(j, say_only=True):
                return i, j, None, False
            if self._unlisted_name(k) and self._person_verb_after(j):
                return i, j, None, True  # learned: "Tobiah was upset ... Tobiah said"
            if self._unlisted_name(k, plural=True) and (self._met_with(i) or self._role_apposed(j)):
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

    def _unlisted_name(self, k: int, plural: bool = False) -> bool:
        """ "Kaelan said ...": an unknown word opening a sentence before a verb of saying is a
        name when it reads like one: no -ing, -ed or -ly, nor a plural unless the context is a
        person's (`plural`: "met with Dragos")."""
        word = self.tokens[k]
        endings = ENDINGS if plural else PLURAL_ENDINGS
        return (
            word.shape == CAP
            and len(word.fold) >= 3
            and not word.poss
            and (not word.fold.endswith(endings))
        )

    def _field_before(self, i: int) -> bool:
        """ "Name of child: Keziah Ofori-Atta", "Referrer: ...": a form's field for a person."""
        if i == 0 or self.tokens[i - 1].text != ":":
            return False
        start = self.tokens[i].start
        line = self.text.rfind("\n", 0, start) + 1
        return start - line < 40 and bool(FIELD_RE.fullmatch(self.text, line, start))

    def field_role(self, i: int) -> str | None:
        """ "child" or "adult" when a form's field before word i says whose name it is."""
        if not self._field_before(i):
            return None
        start = self.tokens[i].start
        line = self.text.rfind("\n", 0, start) + 1
        role = FIELD_ROLE_RE.search(self.text, line, start)
        return role.lastgroup if role else None

    def _bullet_label(self, i: int, j: int) -> bool:
        """ "- Jordan: said he was worried": a known name (even a word or a place) alone at the
        head of a list item or a line of minutes, before a colon or a dash."""
        tokens = self.tokens
        if j - i > 3 or tokens[j - 1].poss or not BULLET_END_RE.match(self.text, tokens[j - 1].end):
            return False
        start = tokens[i].start
        line = self.text.rfind("\n", 0, start) + 1
        if not BULLET_START_RE.fullmatch(self.text, line, start):
            return False
        words = tokens[i:j]
        return all(
            t.kind == WORD and t.shape != LOWER and not t.flags & STOP for t in words
        ) and any(t.flags & NAME or self.classes[k] == PARTICIPANT for k, t in enumerate(words, i))

    def _role_bracketed(self, i: int, j: int) -> bool:
        """ "Patience (mum)", "Mother (Halima)": a name, or an unknown word that reads like
        one, with a role noun in brackets after it or before it."""
        tokens, text = self.tokens, self.text
        start, end = tokens[i].start, tokens[j - 1].end
        if "(" not in text[end : end + 3] and not text.endswith("(", max(0, start - 2), start):
            return False
        if j - i > 3 or any(
            t.kind != WORD or t.shape == LOWER or t.flags & STOP for t in tokens[i:j]
        ):
            return False
        known = any(t.flags & NAME for t in tokens[i:j])
        if not known and not all(self._unlisted_name(k) for k in range(i, j)):
            return False
        roles = ROLE_NOUNS if known else FAMILY_NOUNS  # an unknown word needs a family role
        after = ROLE_IN_BRACKETS_RE.match(self.text, tokens[j - 1].end)
        if after and after.group("role").lower() in roles:
            return True
        if not text.endswith("(", max(0, start - 2), start):
            return False
        before = ROLE_THEN_BRACKET_RE.search(self.text, max(0, start - 24), start)
        closed = self.text.startswith(")", tokens[j - 1].end)
        return closed and bool(before) and before.group("role").lower() in roles

    def _met_with(self, i: int) -> bool:
        """ "met with Dragos", "seen by Ilinca", "spoke to Bogdan": a meeting verb then a person."""
        before = self.word_before(i)
        if before is None or self.tokens[before].fold not in MEETING_PREPOSITIONS:
            return False
        verb = self.word_before(before)
        return verb is not None and self.tokens[verb].fold in MEETING_VERBS

    def _role_apposed(self, j: int) -> bool:
        """ "Skip, an older lad, ...": a role noun set after the name between commas."""
        tokens = self.tokens
        if j >= len(tokens) or tokens[j].text != "," or tokens[j - 1].poss:
            return False
        for token in tokens[j + 1 : j + 5]:
            if token.kind != WORD:
                return False
            if token.fold in ROLE_NOUNS:
                return True
            if token.fold not in APPOSITION_WORDS:
                return False
        return False

    def _person_verb_after(self, j: int) -> bool:
        after = self.next_word(j)
        return after is not None and (after.fold in SAY_VERBS or after.fold in PERSON_VERBS)

    def _verb_after(self, j: int, say_only: bool) -> bool:
        if self.tokens[j - 1].poss:
            return False
        after = self.next_word(j)
        if after is None:
            return False
        return after.fold in SAY_VERBS or (not say_only and after.fold in OTHER_VERBS)

    def age_after(self, j: int) -> int | None:
        if self.tokens[j - 1].poss:
            return None
        match = AGE_AFTER_RE.match(self.text, self.tokens[j - 1].end)
        if match is None:
            return None
        if match.group("y"):
            return 12  # any school year is a child
        return int(next(g for g in match.group("a1", "a2", "a3", "a4") if g))

    def _who_after(self, j: int, comma: bool) -> bool:
        """ "Hope, who is 15": a person. An unknown word needs the comma ("Sections whose")."""
        if self.tokens[j - 1].poss:
            return False
        match = WHO_AFTER_RE.match(self.text, self.tokens[j - 1].end)
        return bool(match) and (not comma or "," in match.group())
