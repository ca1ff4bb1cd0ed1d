"""Load the annotated case notes under data/ and score the engine on them.

See data/README.md for the format. Recall counts a marked span as found when every letter and
digit of it lies inside findings, one of them of the marked kind. Over-redaction is the share
of words outside marked personal data that fall inside a finding, counted over every such word
and over the KEEP words alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from casenotes.redaction import Finding, redact

DATA = Path(__file__).parent / "data"
MARK_RE = re.compile(r"«([A-Z_]+):([^»]*)»")
WORD_RE = re.compile(r"\w+")


@dataclass
class Note:
    name: str
    text: str
    spans: list[tuple[int, int, str]]  # personal data: start, end, kind
    keep: list[tuple[int, int]]
    participants: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def parse(name: str, marked: str, participants: list[str], terms: list[str]) -> Note:
    text, spans, keep, position = [], [], [], 0
    length = 0
    for match in MARK_RE.finditer(marked):
        plain = marked[position : match.start()]
        text.append(plain)
        length += len(plain)
        kind, value = match.groups()
        if kind == "KEEP":
            keep.append((length, length + len(value)))
        else:
            spans.append((length, length + len(value), kind))
        text.append(value)
        length += len(value)
        position = match.end()
    text.append(marked[position:])
    return Note(name, "".join(text), spans, keep, participants, terms)


def load(pattern: str) -> list[Note]:
    notes = []
    for path in sorted(DATA.glob(pattern)):
        for block in re.split(r"(?m)^=== ", path.read_text(encoding="utf-8"))[1:]:
            header, _, body = block.partition("\n")
            participants, terms = [], []
            lines = body.split("\n")
            while lines and lines[0].startswith(("participants:", "terms:")):
                key, _, value = lines.pop(0).partition(":")
                values = [v.strip() for v in value.split(";") if v.strip()]
                (participants if key == "participants" else terms).extend(values)
            notes.append(parse(header.strip(), "\n".join(lines).strip(), participants, terms))
    return notes


@dataclass
class Scores:
    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    words: int = 0
    words_redacted: int = 0
    keep: int = 0
    keep_redacted: int = 0
    misses: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.total.values()))

    def recall_of(self, kind: str) -> float:
        return self.found[kind] / max(1, self.total[kind])

    @property
    def over_redaction(self) -> float:
        return self.words_redacted / max(1, self.words)

    @property
    def keep_over_redaction(self) -> float:
        return self.keep_redacted / max(1, self.keep)

    def report(self) -> str:
        lines = [
            f"recall {self.recall:.3f} ({sum(self.found.values())}/{sum(self.total.values())})"
        ]
        for kind in sorted(self.total):
            found, total = self.found[kind], self.total[kind]
            lines.append(f"  {kind:<14} {found / total:.3f} ({found}/{total})")
        lines.append(
            f"over-redaction: keep words {self.keep_over_redaction:.3f} "
            f"({self.keep_redacted}/{self.keep}), all other words {self.over_redaction:.4f} "
            f"({self.words_redacted}/{self.words})"
        )
        return "\n".join(lines)


def _covered(findings: list[Finding], text: str) -> list[bool]:
    covered = [False] * len(text)
    for finding in findings:
        for i in range(finding.start, finding.end):
            covered[i] = True
    return covered


def score(notes: list[Note]) -> Scores:
    scores = Scores()
    for note in notes:
        findings = redact(note.text, note.participants, note.terms).findings
        covered = _covered(findings, note.text)
        for start, end, kind in note.spans:
            scores.total[kind] += 1
            whole = all(covered[i] for i in range(start, end) if note.text[i].isalnum())
            same_kind = any(f.start < end and start < f.end and f.kind == kind for f in findings)
            if whole and same_kind:
                scores.found[kind] += 1
            else:
                scores.misses.append(f"{note.name} {kind}: {note.text[start:end]!r}")
        personal = [False] * len(note.text)
        for start, end, _ in note.spans:
            for i in range(start, end):
                personal[i] = True
        keep = [False] * len(note.text)
        for start, end in note.keep:
            for i in range(start, end):
                keep[i] = True
        for word in WORD_RE.finditer(note.text):
            start, end = word.span()
            if any(personal[start:end]):
                continue
            hit = any(covered[start:end])
            scores.words += 1
            scores.words_redacted += hit
            if any(keep[start:end]):
                scores.keep += 1
                scores.keep_redacted += hit
            if hit:
                scores.over.append(f"{note.name}: {word.group()!r}")
    return scores


# The sets and whether their misses may be printed: the independent set's never are, so nobody
# tunes the engine on its notes (data/independent/README.md).
SETS = (
    ("Development set", "devset_*.txt", True),
    ("Old held-out set", "heldout.txt", True),
    ("Second development set", "second/notes_*.txt", True),
    ("Third development set", "third/notes_*.txt", True),
    ("Fourth development set", "fourth/notes_*.txt", True),
    ("Fifth development set", "fifth/notes_*.txt", True),
    ("Independent held-out set", "independent/notes_*.txt", False),
)

if __name__ == "__main__":  # python -m casenotes.tests.devset
    for title, pattern, show_misses in SETS:
        notes = load(pattern)
        scores = score(notes)
        print(f"{title}: {len(notes)} notes")
        print(scores.report())
        if show_misses:
            for line in scores.misses:
                print("  missed", line)
        print()
