"""Markdown that companies write (posting descriptions, requirements) rendered safely.

CommonMark, then sanitised with nh3 against a short allow-list, so whatever a company
types (a `<script>`, an `<img onerror=…>`, a `javascript:` link) is dropped, never run.
The stored text stays exactly as typed.

Raw HTML is disabled: the parser recognises it only so the renderer can drop it, rather
than echo it back as visible tags. Headings are moved down to h3/h4 so they sit under the
page's own headings; images are shown as their alt text (postings carry no images).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {"p", "ul", "ol", "li", "strong", "em", "a", "code", "pre", "h3", "h4", "blockquote", "br"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with their content, should any ever reach the sanitiser.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})


def _drop(self, tokens, idx, options, env) -> str:
    return ""


def _heading_level(tag: str) -> str:
    """# and ## become h3; ### and deeper become h4."""
    return "h3" if tag in ("h1", "h2") else "h4"


def _heading_open(self, tokens, idx, options, env) -> str:
    return f"<{_heading_level(tokens[idx].tag)}>"


def _heading_close(self, tokens, idx, options, env) -> str:
    return f"</{_heading_level(tokens[idx].tag)}>\n"


def _image_as_alt_text(self, tokens, idx, options, env) -> str:
    return str(escape(tokens[idx].content))


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    for rule_name in ("html_block", "html_inline"):
        parser.add_render_rule(rule_name, _drop)
    parser.add_render_rule("heading_open", _heading_open)
    parser.add_render_rule("heading_close", _heading_close)
    parser.add_render_rule("image", _image_as_alt_text)
    return parser


_parser = _build_parser()


def render_markdown(text: str | None) -> Markup:
    """`text` as sanitised HTML: a small set of tags, links marked nofollow noopener."""
    if not text:
        return Markup("")
    return _renderings.get(text)


def _render(text: str) -> Markup:
    cleaned = nh3.clean(
        _parser.render(text),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 (sanitised by nh3 just above)


class RenderingCache:
    """Renderings kept by their text, the least recently used dropped first, with at most
    `budget` characters of text and HTML in all.

    Parsing and sanitising a description costs about a millisecond, and the same postings
    are read by everyone (the posting page, the Atom feed's fifty entries), so each is
    rendered once per process. The budget is of characters, not entries: a 20,000-character
    text can render to megabytes (a reference link used thousands of times), and such a
    rendering is made again each time rather than kept."""

    def __init__(self, budget: int, render: Callable[[str], Markup]) -> None:
        self.budget = budget
        self.size = 0
        self._render = render
        self._kept: OrderedDict[str, Markup] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn may run threads (GUNICORN_THREADS)

    def get(self, text: str) -> Markup:
        with self._lock:
            html = self._kept.get(text)
            if html is not None:
                self._kept.move_to_end(text)
                return html
        html = self._render(text)
        cost = len(text) + len(html)
        if cost <= self.budget // 100:  # no one rendering takes more than 1 % of it
            with self._lock:
                if text not in self._kept:
                    self._kept[text] = html
                    self.size += cost
                while self.size > self.budget:
                    old_text, old_html = self._kept.popitem(last=False)
                    self.size -= len(old_text) + len(old_html)
        return html


# Four million characters: at most some 16 MB a worker, even in four-byte characters.
_renderings = RenderingCache(4_000_000, _render)


def without_leading_heading(html: Markup, *headings: str) -> Markup:
    """`html` without its first heading when that repeats the page's own heading (a
    description that starts "## About the role" under the page's "About the role")."""
    match = re.match(r"\s*<h[34]>(.*?)</h[34]>\s*", str(html), re.S)
    if match and match.group(1).strip().casefold() in {h.casefold() for h in headings}:
        return Markup(str(html)[match.end() :])  # noqa: S704 (already sanitised)
    return html
