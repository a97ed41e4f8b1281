"""No step's time grows faster than linearly in one paragraph's length.

Each adversarial paragraph (the shapes that made regular expressions backtrack:
runs without spaces, unclosed comments and scripts, a line of "=", elements nested
thousands deep, ...) is fed at 100 kB and at 1 MB (a web page at 30 and 300 kB); ten
times the input must cost about ten times the time, not a hundred (quadratic) or a
thousand (cubic). A ratio, not an absolute time: the
machine's speed cancels out.
"""

import time

import pytest

from smie import boilerplate, langid
from smie.clean import Settings, clean_document
from smie.documents import Document
from smie.extract import html, wikitext
from smie.extract.plaintext import blank_line_paragraphs

SHAPES = {
    "no spaces": "a",
    "dots": "a.",
    "at signs": "x@",
    "urls": "http://",
    "www": "www.",
    "unclosed comments": "<!--",
    "unclosed scripts": "<script>",
    "open tags": "<a ",
    "nested articles": "<article>x ",
    "nested sidebars": '<div class="sidebar">x ',
    "wiki links": "[[",
    "templates": "{{",
    "unclosed formulas": "<math>{{",
    "formula tags without >": "<math ",
    "stray closing tags": "</ref>x",
    "list items": "* a.\n",
    "entities": "&#",
    "quotes": "'''",
    "mojibake": "Ã©",
    "controls": "a\x01",
    "spaces before brackets": "(" + " " * 50,
    "menu separators": "| a ",
    "newlines": "\n",
}
# Shapes only a web page has, for the HTML reader (trafilatura walks links, line breaks,
# tables and lists with rules of their own; nesting past 256 levels is re-parsed capped).
PAGE_SHAPES = {
    "links": '<a href="/x">lenke</a> ',
    "line breaks": "tekst<br>",
    "table rows": "<tr><td>a</td><td>b</td></tr>",
    "nested lists": "<ul><li>x ",
    "nested tables": "<table><tr><td>x ",
}
EQUALS_LINE = "equals line"  # "=" * n + "x": a heading that never closes
# Shapes that reach the boilerplate patterns (only paragraphs of at most 30 words are
# searched): a paragraph that begins like boilerplate, then a run the pattern's
# repetition could backtrack over, for the clean step.
BOILERPLATE_SHAPES = {
    "byline of digits": ("published ", "1."),
    "byline of date words": ("publiceret fredag 1. ", "marts1"),
    "byline of times": ("veröffentlicht am ", "1 um 10:15"),
    "read also": ("læs også: ", "a"),
    "photo credit": ("foto: ", "a"),
    "login prompt": ("log ind ", "a"),
    "share": ("auf ", "a-"),
    "menu of one line": ("| ", "a|"),
}


def paragraph(shape: str, size: int) -> str:
    if shape == EQUALS_LINE:
        return "=" * (size - 1) + "x"
    prefix, unit = BOILERPLATE_SHAPES.get(shape) or ("", SHAPES.get(shape) or PAGE_SHAPES[shape])
    return prefix + unit * ((size - len(prefix)) // len(unit))


# Every built-in language's boilerplate patterns, not only the default ones.
EVERY_LANGUAGE = Settings(boilerplate_patterns=tuple(boilerplate.patterns(boilerplate.BUILT_IN)))


def clean(text):
    clean_document(Document("d", "s", text, None, {}), EVERY_LANGUAGE)


def langid_paragraphs(text):
    langid.make_step(langid.Settings(level="paragraph"))(Document("d", "s", text, None, {}))


STEPS = {
    "clean": clean,
    "langid": langid_paragraphs,
    "wikitext": wikitext.clean_wikitext,
    "plain text": blank_line_paragraphs,
}
HTML_SHAPES = ("unclosed comments", "unclosed scripts", "open tags", "nested articles", "nested sidebars",
               "entities", "no spaces", *PAGE_SHAPES)


def seconds(step, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        step(text)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(step, shape, size=1_000_000):
    small = seconds(step, paragraph(shape, size // 10))
    large = seconds(step, paragraph(shape, size))
    # linear: ~10 (less where fixed costs weigh); quadratic: ~100
    assert large / max(small, 1e-4) < 30, f"{shape!r}: {size // 10:,} B in {small:.4f} s, {size:,} B in {large:.4f} s"


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("shape", [*SHAPES, EQUALS_LINE])
def test_time_is_linear_in_a_paragraph(step, shape):
    assert_linear(STEPS[step], shape)


@pytest.mark.parametrize("shape", BOILERPLATE_SHAPES)
def test_boilerplate_patterns_take_linear_time(shape):
    assert_linear(clean, shape)


@pytest.mark.parametrize("shape", HTML_SHAPES)
def test_html_time_is_linear_in_a_page(shape):
    assert_linear(html.extract, shape, size=300_000)  # parsing a page costs more than a paragraph
