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
from functools import lru_cache

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
    return _rendered(text)


# Parsing and sanitising a description costs about a millisecond; the same postings are
# read by everyone (the posting page, the Atom feed's fifty entries), so each text is
# rendered once per process. The output depends on nothing but the text.
@lru_cache(maxsize=1024)  # descriptions are capped, so at most some 20 MB
def _rendered(text: str) -> Markup:
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


def without_leading_heading(html: Markup, *headings: str) -> Markup:
    """`html` without its first heading when that repeats the page's own heading (a
    description that starts "## About the role" under the page's "About the role")."""
    match = re.match(r"\s*<h[34]>(.*?)</h[34]>\s*", str(html), re.S)
    if match and match.group(1).strip().casefold() in {h.casefold() for h in headings}:
        return Markup(str(html)[match.end() :])  # noqa: S704 (already sanitised)
    return html
