"""How fast the case-note redaction engine runs, in KB of text per second (goal: 500 KB/s).

Run from the project root:  .venv/bin/python bench/redaction.py [--runs N] [--copies N]

The text is the synthetic case notes of casenotes/tests/data (development and held-out sets,
markup removed). Each run redacts every note one by one, as the service does when a case is
saved, `--copies` times over; a second measure redacts all the notes joined as one long
document. It prints the median and best throughput of `--runs` runs, by the clock and by the
process's CPU time (steadier on a machine shared with other work). Pure Python: no database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_KB_PER_SECOND = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copies", type=int, default=10, help="passes over the notes per run")
    args = parser.parse_args()

    from casenotes.redaction import redact
    from casenotes.tests.devset import load

    notes = load("devset_*.txt") + load("heldout.txt")
    texts = [(note.text, note.participants, note.terms) for note in notes]
    size_kb = sum(len(text.encode()) for text, _, _ in texts) / 1024
    print(f"{len(notes)} notes, {size_kb:.1f} KB; {args.copies} passes per run, {args.runs} runs")

    redact(texts[0][0])  # warm up: word lists loaded

    def each_note() -> None:
        for _ in range(args.copies):
            for text, participants, terms in texts:
                redact(text, participants=participants, extra_terms=terms)

    document = "\n\n".join(text for text, _, _ in texts * args.copies)

    def one_document() -> None:
        redact(document)

    for label, work, kb in (
        ("note by note", each_note, size_kb * args.copies),
        ("one document", one_document, len(document.encode()) / 1024),
    ):
        rates, cpu_rates = [], []
        for _ in range(args.runs):
            start, cpu_start = time.perf_counter(), time.process_time()
            work()
            rates.append(kb / (time.perf_counter() - start))
            cpu_rates.append(kb / (time.process_time() - cpu_start))
        median, cpu_median = statistics.median(rates), statistics.median(cpu_rates)
        verdict = "meets" if cpu_median >= GOAL_KB_PER_SECOND else "MISSES"
        print(
            f"{label:>13}: median {median:,.0f} KB/s, best {max(rates):,.0f} KB/s; "
            f"CPU time: median {cpu_median:,.0f} KB/s, best {max(cpu_rates):,.0f} KB/s "
            f"({verdict} the {GOAL_KB_PER_SECOND} KB/s goal)"
        )


if __name__ == "__main__":
    main()
