"""Markdown for authored text, always through the nh3 sanitiser: authors are trusted, not safe."""

from functools import lru_cache

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# Step bodies and comments are read far more often than written, and the same text always
# renders the same: a case page with a hundred comments re-rendered them all on every view.
RENDERED_TEXTS_KEPT = 4096


@lru_cache(maxsize=RENDERED_TEXTS_KEPT)
def render(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener")
