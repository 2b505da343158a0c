"""Markdown written by organizers, turned into HTML that is safe to show anywhere.

Rendering (markdown-it-py, raw HTML off) comes first, sanitizing (nh3 with an explicit allow-list)
after it, so nothing the renderer produces can smuggle a script, an event handler, a javascript:
URL or an image that calls home. Images are not allowed at all: covers are uploaded separately.
"""
from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # "commonmark" with tables and strikethrough; html=False turns raw HTML into text.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = _renderer().render(text)
    # Headings start at h2: the page title is the only h1.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return Markup(clean)  # nosec B704 # sanitized by nh3 with an allow-list above
