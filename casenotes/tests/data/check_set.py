#!/usr/bin/env python3
"""Check a development set's mark-up with the independent set's checker: the same annotation
guide, so the same rules, for the set's own ids (standard library only).

Usage: python3 check_set.py SET [files...]   (SET: second, third, fourth or fifth; default
files: SET/notes_*.txt)
"""

import importlib.util
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ID_PREFIXES = {"second": "dv2", "third": "dv3", "fourth": "dv4", "fifth": "dv5"}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ID_PREFIXES:
        sys.exit(f"usage: python3 check_set.py {{{','.join(ID_PREFIXES)}}} [files...]")
    name = sys.argv[1]
    spec = importlib.util.spec_from_file_location("checker", HERE / "independent" / "check.py")
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    checker.ID_RE = re.compile(rf"^{ID_PREFIXES[name]}-\d{{3,}}$")
    # notes_1 … notes_6: one digit, so text order is number order
    files = sys.argv[2:] or sorted(str(path) for path in (HERE / name).glob("notes_*.txt"))
    sys.exit(checker.main([sys.argv[0], *files]))
