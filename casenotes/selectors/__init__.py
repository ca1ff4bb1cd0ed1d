"""Reads of case discussion, scoped through casenotes.access. Callers use `selectors.<name>`.

cases: lists, search, a case, approval queue; discussion: comments, votes, the moderation queue.
"""
