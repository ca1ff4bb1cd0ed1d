"""The clues around a word that tell a name from other words: the word before and after,
a title or a role before it, a form's field or a list item's head, a role in brackets, a
meeting verb, an age or "who" after it. Read by names.reader.Reader, which holds the text."""

from __future__ import annotations

import re

from casenotes.redaction.context import (
    AGE_AFTER_RE,
    CALLED,
    CAPITAL_ONLY_TITLES,
    CHILD_NOUNS,
    MODIFIERS,
    ORG_NOUNS,
    OTHER_VERBS,
    PRONOUNS,
    ROLE_NOUNS,
    SAY_VERBS,
    SENTENCE_PUNCT,
    SIBLINGS,
    WHO_AFTER_RE,
)
from casenotes.redaction.lexicon import (
    NAME,
    STOP,
    TITLES,
)
from casenotes.redaction.tokens import (
    CAP,
    LOWER,
    OPAQUE,
    PARTICIPANT,
    PUNCT,
    WORD,
    Token,
)

# What a person does, not a thing: after an unknown word opening a sentence ("Kaelan went").
PERSON_VERBS = frozenset(
    "went ran came walked arrived attended disclosed punched kicked cried smiled laughed joined "
    "lives lived moved visited phoned rang emailed messaged texted shouted swore refused "
    "admitted".split()
)
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
# Verbs whose object is the person met: "saw mo", "went to see bill", "rang janine"
MEETING_OBJECT_VERBS = frozenset(
    "saw see visited rang phoned texted messaged met told asked".split()
)
MEETING_VERBS = frozenset(
    "met meet meeting spoke speak speaking talked talk seen saw visited discussed contacted "
    "called phoned emailed messaged texted collected accompanied supported".split()
)
APPOSITION_WORDS = frozenset("a an the his her their my our".split()) | MODIFIERS


class Clues:
    """Looking around word i of `tokens`; Reader provides the text, its tokens and classes."""

    text: str
    tokens: list[Token]
    classes: list[int]

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
            # "dad's beard", "mum's phone": what a person has, not who they are
            return (False, None) if self.tokens[j].poss else (True, word)
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

    def unlisted_name(self, k: int, plural: bool = False) -> bool:
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
        if not known and not all(self.unlisted_name(k) for k in range(i, j)):
            return False
        # an unknown word needs a family role; two read as a full name ("PA (Tasha Mbeki)")
        roles = ROLE_NOUNS if known or j - i == 2 else FAMILY_NOUNS
        after = ROLE_IN_BRACKETS_RE.match(self.text, tokens[j - 1].end)
        if after and after.group("role").lower() in roles:
            return True
        if not text.endswith("(", max(0, start - 2), start):
            return False
        before = ROLE_THEN_BRACKET_RE.search(self.text, max(0, start - 24), start)
        closed = self.text.startswith(")", tokens[j - 1].end)
        return closed and bool(before) and before.group("role").lower() in roles

    def met(self, i: int) -> bool:
        """ "saw mo", "went to see bill", "rang janine", or a meeting verb and preposition."""
        before = self.word_before(i)
        if before is not None and self.tokens[before].fold in MEETING_OBJECT_VERBS:
            return True
        return self._met_with(i)

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
