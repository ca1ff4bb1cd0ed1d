#!/usr/bin/env python3
"""Checker for the second development set annotated test notes (standard library only).

Usage: python3 check.py [files...]   (default: notes_*.txt next to this script)

Fails (exit 1) on: text before the first block, malformed headers, bad or
duplicate ids, empty notes, misplaced/duplicated participants:/terms: lines,
unbalanced or nested marks, marks without KIND:, unknown kinds, empty or
whitespace-padded spans, and obviously invalid values (NHS numbers failing the
modulus-11 check, digit phone numbers outside Ofcom drama ranges, postcodes or
NI numbers of the wrong shape).  Prints per-kind counts, notes and KEEP count.
"""

import glob
import os
import re
import sys
from collections import Counter, OrderedDict

KINDS = [
    "PERSON",
    "DATE",
    "ADDRESS",
    "POSTCODE",
    "PHONE",
    "EMAIL",
    "NHS_NUMBER",
    "NI_NUMBER",
    "SCHOOL",
    "ONLINE_HANDLE",
    "OTHER",
    "KEEP",
]
ID_RE = re.compile(r"^dv2-\d{3,}$")
MARK_KIND_RE = re.compile(r"([A-Z_]+):")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.I)
NI_RE = re.compile(r"^[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]$", re.I)
DRAMA = [("01632960", 3), ("01134960", 3), ("02079460", 3), ("07700900", 3)]


def nhs_ok(digits):
    if len(digits) != 10:
        return False
    s = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    c = 11 - s % 11
    if c == 11:
        c = 0
    return c != 10 and c == int(digits[9])


def phone_ok(text):
    digits = re.sub(r"\D", "", text)
    if len(digits) < 10:  # written (partly) in words, or a fragment: not checked
        return True
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    if len(digits) != 11:
        return False
    return any(digits.startswith(p) for p, _ in DRAMA)


def parse_body(text, where, errors):
    """Return list of (kind, span) and plain text; record errors."""
    marks = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "»":
            errors.append(
                f"{where}: '»' without opening '«' near: {text[max(0, i - 40) : i + 10]!r}"
            )
            i += 1
            continue
        if ch != "«":
            i += 1
            continue
        j = text.find("»", i + 1)
        k = text.find("«", i + 1)
        if j == -1:
            errors.append(f"{where}: unclosed '«' near: {text[i : i + 50]!r}")
            break
        if k != -1 and k < j:
            errors.append(f"{where}: nested or unclosed '«' near: {text[i : i + 50]!r}")
            i = k
            continue
        inner = text[i + 1 : j]
        m = MARK_KIND_RE.match(inner)
        if not m:
            errors.append(f"{where}: mark without KIND: {inner[:50]!r}")
        else:
            kind, span = m.group(1), inner[m.end() :]
            if kind not in KINDS:
                errors.append(f"{where}: unknown kind {kind!r} in {inner[:50]!r}")
            elif not span.strip():
                errors.append(f"{where}: empty span for {kind}")
            elif span != span.strip():
                errors.append(f"{where}: span padded with whitespace: {inner!r}")
            elif "\n" in span:
                errors.append(f"{where}: span crosses a line break: {inner!r}")
            else:
                marks.append((kind, span))
                check_value(kind, span, where, errors)
        i = j + 1
    return marks


def check_value(kind, span, where, errors):
    if kind == "NHS_NUMBER":
        digits = re.sub(r"\D", "", span)
        if digits and not nhs_ok(digits):
            errors.append(f"{where}: NHS number fails modulus-11: {span!r}")
    elif kind == "PHONE":
        if not phone_ok(span):
            errors.append(f"{where}: phone outside Ofcom drama ranges: {span!r}")
    elif kind == "POSTCODE":
        if not POSTCODE_RE.match(span.strip()):
            errors.append(f"{where}: postcode has wrong shape: {span!r}")
    elif kind == "NI_NUMBER":
        if re.search(r"\d", span) and not NI_RE.match(span.strip()):
            errors.append(f"{where}: NI number has wrong shape: {span!r}")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    files = argv[1:] or sorted(
        glob.glob(os.path.join(here, "notes_*.txt")),
        key=lambda p: int(re.sub(r"\D", "", os.path.basename(p)) or 0),
    )
    if not files:
        print("no files found")
        return 1
    errors = []
    counts = Counter()
    per_file = OrderedDict()
    ids = {}
    notes = 0
    with_participants = 0
    with_terms = 0
    word_counts = []
    for path in files:
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
        if "\r" in raw:
            errors.append(f"{name}: contains carriage returns")
        lines = raw.split("\n")
        blocks = []
        cur = None
        for ln, line in enumerate(lines, 1):
            if line.startswith("==="):
                m = re.match(r"^=== (\S+)\s*$", line)
                if not m:
                    errors.append(f"{name}:{ln}: malformed header {line!r}")
                    cur = None
                    continue
                cur = {"id": m.group(1), "line": ln, "lines": []}
                blocks.append(cur)
            elif cur is None:
                if line.strip():
                    errors.append(f"{name}:{ln}: text outside any block")
            else:
                cur["lines"].append((ln, line))
        fcount = Counter()
        for b in blocks:
            nid = b["id"]
            where = f"{name}:{b['line']} [{nid}]"
            if not ID_RE.match(nid):
                errors.append(f"{where}: bad id")
            if nid in ids:
                errors.append(f"{where}: duplicate id (first in {ids[nid]})")
            ids[nid] = name
            notes += 1
            body_lines = list(b["lines"])
            seen_meta = set()
            while body_lines and re.match(r"^(participants|terms):", body_lines[0][1]):
                ln, line = body_lines.pop(0)
                key, val = line.split(":", 1)
                if key in seen_meta:
                    errors.append(f"{where}: duplicate {key}: line")
                seen_meta.add(key)
                if "«" in val or "»" in val:
                    errors.append(f"{where}: marks inside {key}: line")
                items = [x.strip() for x in val.split(";")]
                if not val.strip() or any(not x for x in items):
                    errors.append(f"{where}: empty item in {key}: line")
                if key == "participants":
                    with_participants += 1
                    for x in items:
                        if x and not re.search(r"\(.+\)\s*$", x):
                            errors.append(f"{where}: participant without (role): {x!r}")
                else:
                    with_terms += 1
            for ln, line in body_lines:
                if re.match(r"^(participants|terms):", line):
                    errors.append(
                        f"{name}:{ln} [{nid}]: {line.split(':')[0]}: line not directly after header"
                    )
            body = "\n".join(text for _, text in body_lines).strip()
            if not body:
                errors.append(f"{where}: empty note")
                continue
            marks = parse_body(body, where, errors)
            plain = re.sub(r"«[A-Z_]+:([^«»]*)»", r"\1", body)
            word_counts.append(len(plain.split()))
            for kind, _ in marks:
                counts[kind] += 1
                fcount[kind] += 1
        per_file[name] = (len(blocks), fcount)

    print("files:")
    for name, (nb, fc) in per_file.items():
        personal = sum(v for k, v in fc.items() if k != "KEEP")
        print(f"  {name}: {nb} notes, {personal} personal marks, {fc['KEEP']} KEEP")
    print("per-kind counts:")
    for k in KINDS:
        if k != "KEEP":
            print(f"  {k:14s} {counts[k]}")
    total = sum(v for k, v in counts.items() if k != "KEEP")
    print(f"  {'TOTAL personal':14s} {total}")
    print(f"notes: {notes}  (with participants: {with_participants}, with terms: {with_terms})")
    print(f"KEEP: {counts['KEEP']}")
    if word_counts:
        wc = sorted(word_counts)
        print(f"words per note: min {wc[0]}, median {wc[len(wc) // 2]}, max {wc[-1]}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        print("FAIL")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
