#!/usr/bin/env python3
"""Check the fifth development set's mark-up with the independent set's checker: the same
annotation guide, so the same rules, for ids `dv5-…` (standard library only).

Usage: python3 check.py [files...]   (default: notes_*.txt next to this script)
"""

import importlib.util
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("checker", HERE.parent / "independent" / "check.py")
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)
checker.ID_RE = re.compile(r"^dv5-\d{3,}$")

if __name__ == "__main__":
    files = sys.argv[1:] or sorted(
        str(path) for path in HERE.glob("notes_*.txt")
    )  # notes_1 … notes_6: one digit, so text order is number order
    sys.exit(checker.main([sys.argv[0], *files]))
