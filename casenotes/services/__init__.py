"""Every write of case discussion. Callers use `services.<name>` from here.

cases: posting (redaction first), sharing approval, outcome, retention; discussion: comments,
votes, flags, moderation.
"""
