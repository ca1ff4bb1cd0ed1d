"""Views of case discussion: cases (posting, reading, sharing) and discussion (peers)."""
