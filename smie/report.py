"""Language names as a reader sees them, on the report's front page and in the cards.
The front page (report/workflow.rst) sees only the workflow's config: the Snakefile
adds its text there under ``_report``."""

from __future__ import annotations


def language_names(codes: list[str]) -> str:
    """"Norwegian Bokmål (nb) and Norwegian Nynorsk (nn)": English names from the
    CLDR data (Babel); a code CLDR does not know is given as it is."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale("en").languages
    except UnknownLocaleError:  # pragma: no cover - Babel always ships English
        names = {}
    named = [f"{names[c]} ({c})" if c in names else c for c in codes]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def front_page(languages: list[str]) -> dict:
    return {"languages": language_names(languages)}
