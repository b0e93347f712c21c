"""Markdown that companies write is shown formatted, and never runs anything."""

from __future__ import annotations

import pytest
from flask import render_template_string
from markupsafe import Markup

from foundry.postings.markdown import RenderingCache, render_markdown


def test_markdown_is_rendered_as_html():
    html = render_markdown("## Duties\n\n**Build** robots, *test* them.\n\n- one\n- two\n\n`code`")
    assert "<h3>Duties</h3>" in html
    assert "<strong>Build</strong>" in html and "<em>test</em>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<code>code</code>" in html
    assert isinstance(html, Markup)


def test_headings_sit_below_the_page_headings():
    html = render_markdown("# Big\n\n### Small\n\n###### Tiny")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h4>Small</h4>" in html and "<h4>Tiny</h4>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "Hello <script>alert('x')</script> world",
        "<script src=https://evil.example/x.js></script>",
        "<img src=x onerror=alert(1)>",
        "Text <img src=x onerror=alert(1)> inline",
        '<a href="#" onclick="alert(1)">click</a>',
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(1)>",
        "<SCRIPT>alert(1)</SCRIPT>",
    ],
)
def test_markdown_with_scripts_renders_without_any_script(text):
    html = str(render_markdown(text)).lower()
    assert "<script" not in html
    assert "onerror=" not in html and "onclick=" not in html and "onload=" not in html
    assert "<iframe" not in html and "<img" not in html and "<svg" not in html


def test_javascript_links_are_not_links():
    html = render_markdown("[win a prize](javascript:alert(1)) and [data](data:text/html,x)")
    assert "href" not in html
    assert "javascript:" not in html.split(">")[0]


def test_links_are_kept_and_marked_nofollow_noopener():
    html = render_markdown("Read [our blog](https://example.com/blog) or <https://example.org>.")
    assert '<a href="https://example.com/blog" rel="nofollow noopener">our blog</a>' in html
    assert '<a href="https://example.org" rel="nofollow noopener">' in html


def test_images_show_their_alt_text_only():
    html = render_markdown("![Our lab](https://example.com/lab.png)")
    assert "<img" not in html and "Our lab" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")


def test_markdown_filter_is_available_in_templates(app):
    with app.test_request_context():
        html = render_template_string("{{ text | markdown }}", text="**hi** <script>x</script>")
    assert "<strong>hi</strong>" in html and "<script" not in html


def test_renderings_are_kept_within_their_budget_and_a_huge_one_is_not_kept():
    """A 19,519-character text (inside the form's limit) renders to some 16 MB; kept for
    every edit, such texts filled workers' memory. The cache keeps what fits its budget."""
    calls = []

    def counting_render(text: str) -> Markup:
        calls.append(text)
        return render_markdown(text)

    cache = RenderingCache(budget=100_000, render=counting_render)
    assert cache.get("**one**") == cache.get("**one**") == Markup("<p><strong>one</strong></p>\n")
    assert calls == ["**one**"]  # rendered once, then read from the cache

    huge = "[a]: http://x.hk/" + "a" * 9000 + "\n\n" + "[a]" * 3500
    first = cache.get(huge)
    assert len(first) > 1_000_000 and cache.get(huge) == first
    assert calls.count(huge) == 2  # rendered each time: too big to keep
    assert cache.size <= cache.budget

    for n in range(400):  # more than the budget holds: the oldest go first
        cache.get(f"item {n} " + "x" * 200)
    assert cache.size <= cache.budget
    cache.get("item 399 " + "x" * 200)
    assert calls.count("item 399 " + "x" * 200) == 1
    cache.get("**one**")
    assert calls.count("**one**") == 2  # dropped long ago, rendered again
