"""KeptInProcess: values kept by key, at most a limit, emptied when full."""

from portal.kept import KeptInProcess


def test_it_gives_back_what_it_keeps_and_nothing_else():
    kept = KeptInProcess(limit=3)
    kept.keep({"a": 1, "b": 2})
    assert kept.get("a") == 1 and kept.get("c") is None
    assert kept.found(["a", "c", "b"]) == {"a": 1, "b": 2}
    assert "b" in kept and "c" not in kept


def test_it_starts_again_rather_than_pass_its_limit():
    kept = KeptInProcess(limit=3)
    kept.keep({"a": 1, "b": 2, "c": 3})
    kept.keep({"d": 4})
    assert len(kept) == 1 and kept.found(["a", "d"]) == {"d": 4}
