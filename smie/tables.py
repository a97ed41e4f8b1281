"""Every table of the run, and the one place that renders them.

The corpus tables' rows (the funnel: documents and words per source through every
filtering stage; the language distribution per source; the udpipe corpus per source
and language) are built here; any table, as a pandas DataFrame with its caption,
label and provenance (`Table`), is written by `write` as CSV, Markdown, LaTeX and
HTML."""

from __future__ import annotations

import html
import numbers
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FUNNEL_COLUMNS = ["source", "stage", "documents_in", "documents_kept", "words_in", "words_kept", "dropped"]
LANGUAGE_COLUMNS = ["source", "language", "records", "share", "words"]
LANGUAGE_FORMATS = {"share": ".1%"}
CORPUS_COLUMNS = ["source", "language", "documents", "sentences", "tokens", "tokens_per_sentence"]


def funnel_rows(stats_list: list[dict], stages: list[str]) -> list[dict]:
    """One row per (source, stage), shards summed, in source then stage order."""
    totals: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"docs": Counter(), "words": Counter(), "dropped": Counter()}
    )
    for s in stats_list:
        t = totals[(s["source"], s["stage"])]
        t["docs"].update({"in": s["documents"]["in"], "kept": s["documents"]["kept"]})
        t["words"].update({"in": s["words"]["in"], "kept": s["words"]["kept"]})
        t["dropped"].update(s["documents"]["dropped"])
    rows = []
    for source in sorted({src for src, _ in totals}):
        for stage in stages:
            if (source, stage) not in totals:
                continue
            t = totals[(source, stage)]
            dropped = "; ".join(f"{r} {n}" for r, n in sorted(t["dropped"].items()) if n)
            rows.append({
                "source": source, "stage": stage,
                "documents_in": t["docs"]["in"], "documents_kept": t["docs"]["kept"],
                "words_in": t["words"]["in"], "words_kept": t["words"]["kept"],
                "dropped": dropped,
            })
    return rows


def language_rows(stats_list: list[dict]) -> list[dict]:
    """Per source, every language langid saw (kept or dropped): records, share, words."""
    docs: dict[str, Counter] = defaultdict(Counter)
    words: dict[str, Counter] = defaultdict(Counter)
    for s in stats_list:
        docs[s["source"]].update(s["languages"]["documents"])
        words[s["source"]].update(s["languages"]["words"])
    rows = []
    for source in sorted(docs):
        total = sum(docs[source].values())
        for lang, n in sorted(docs[source].items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append({"source": source, "language": lang, "records": n,
                         "share": round(n / total, 4), "words": words[source][lang]})
    return rows


def corpus_rows(stats_list: list[dict]) -> list[dict]:
    """The udpipe stage's output per source and language, then a total per language:
    documents, sentences and tokens the models train on."""
    merged: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for s in stats_list:
        for lang, counts in s["languages"].items():
            merged[(s["source"], lang)].update(counts)
            merged[("total", lang)].update(counts)
    rows = []
    for (source, lang), c in sorted(merged.items(), key=lambda kv: (kv[0][0] == "total", kv[0])):
        rows.append({"source": source, "language": lang, "documents": c["documents"],
                     "sentences": c["sentences"], "tokens": c["tokens"],
                     "tokens_per_sentence": round(c["tokens"] / max(c["sentences"], 1), 1)})
    return rows


# --- the corpus tables as `Table`s

def funnel_table(stats_list: list[dict], stages: list[str], provenance: str) -> Table:
    return Table(pd.DataFrame(funnel_rows(stats_list, stages), columns=FUNNEL_COLUMNS),
                 "The corpus funnel: documents and words of every source in and kept at every stage, "
                 "and the documents dropped, by reason.", "tab:funnel", provenance)


def language_table(stats_list: list[dict], provenance: str) -> Table:
    return Table(pd.DataFrame(language_rows(stats_list), columns=LANGUAGE_COLUMNS),
                 "Languages per source after language identification: records, share of the source's "
                 "records, and words.", "tab:languages", provenance, formats=LANGUAGE_FORMATS)


def corpus_table(stats_list: list[dict], provenance: str) -> Table:
    return Table(pd.DataFrame(corpus_rows(stats_list), columns=CORPUS_COLUMNS),
                 "The training corpus per source and language after UDPipe: documents, sentences and "
                 "tokens, then the total per language.", "tab:corpus-stats", provenance)


# --- rendering

@dataclass
class Table:
    """A table as it is written. ``frame`` holds the values (numbers stay numbers)
    and is what the CSV holds unless ``data`` is given (the results table's CSV is
    its long form, its display the paper's wide form). ``formats``: a column's float
    format (default ``,.1f``); ``bold``: True where a cell is the best of its row or
    column; ``after``: text that follows a cell without its emphasis (minutes after a
    score); ``numeric``: the right-aligned columns (default: those of numeric dtype)."""

    frame: pd.DataFrame
    caption: str
    label: str
    provenance: str
    formats: dict[str, str] = field(default_factory=dict)
    bold: pd.DataFrame | None = None
    after: pd.DataFrame | None = None
    numeric: list[str] | None = None
    data: pd.DataFrame | None = None

    def right(self) -> list[bool]:
        if self.numeric is not None:
            return [c in self.numeric for c in self.frame.columns]
        return [pd.api.types.is_numeric_dtype(self.frame[c]) and not pd.api.types.is_bool_dtype(self.frame[c])
                for c in self.frame.columns]


def cell_text(value, fmt: str | None = None) -> str:
    """A value as the table shows it: integers with thousands separators, floats by
    ``fmt`` (``,.1f``), a missing or empty value as ``-``."""
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return format(value, fmt or ",.1f")
    return str(value)


LATEX_SPECIAL = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                 "±": r"$\pm$", "×": r"$\times$", **{c: "\\" + c for c in "&%$#_{}"}}
LATEX_PATTERN = re.compile("|".join(map(re.escape, LATEX_SPECIAL)))


def latex_escape(text: str) -> str:
    """In one pass, so that no replacement is escaped again."""
    return LATEX_PATTERN.sub(lambda m: LATEX_SPECIAL[m[0]], text)


def markdown_escape(text: str) -> str:
    return text.replace("|", "\\|")


MARKUP = {  # escape, emphasis
    "md": (markdown_escape, lambda t: f"**{t}**"),
    "tex": (latex_escape, lambda t: rf"\textbf{{{t}}}"),
    "html": (html.escape, lambda t: f"<strong>{t}</strong>"),
}


def display(table: Table, kind: str) -> pd.DataFrame:
    """The table's cells as text in one output's markup: escaped, the best in bold."""
    escape, strong = MARKUP[kind]
    frame = table.frame.reset_index(drop=True)
    out = {}
    for j, column in enumerate(frame.columns):
        cells = []
        for i, value in enumerate(frame[column]):
            text = escape(cell_text(value, table.formats.get(column)))
            if table.bold is not None and bool(table.bold.iat[i, j]):
                text = strong(text)
            if table.after is not None and isinstance(table.after.iat[i, j], str):
                text += escape(table.after.iat[i, j])
            cells.append(text)
        out[escape(str(column))] = cells
    return pd.DataFrame(out)


def pipe_table(frame: pd.DataFrame, right: list[bool] | None = None) -> str:
    """A Markdown pipe table of cells given as text (``right``: the right-aligned columns)."""
    align = None if right is None else ["right" if r else "left" for r in right]
    return frame.to_markdown(index=False, disable_numparse=True, colalign=align)


def markdown(table: Table) -> str:
    """A pipe table, its caption (pandoc's ``Table:``) and the provenance as a footnote."""
    body = pipe_table(display(table, "md"), table.right())
    text = body + "\n\nTable: " + markdown_escape(table.caption)
    if table.provenance:
        text += "[^provenance]\n\n[^provenance]: " + markdown_escape(table.provenance)
    return text + "\n"


def latex(table: Table) -> str:
    """A booktabs table with its caption and label; the provenance as a comment above
    it, for the author to keep or drop."""
    styler = display(table, "tex").style.hide(axis="index")
    body = styler.to_latex(
        column_format="".join("r" if r else "l" for r in table.right()), hrules=True,
        caption=latex_escape(table.caption), label=table.label, position_float="centering",
        environment="table")
    comment = "".join(f"% {line}\n" for line in table.provenance.splitlines()) if table.provenance else ""
    return comment + "% needs \\usepackage{booktabs}\n" + body


HTML_STYLE = [
    {"selector": "", "props": "border-collapse: collapse; font-family: sans-serif; font-size: 0.9em;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; padding: 4px 0 8px; font-weight: bold;"},
    {"selector": "th, td", "props": "padding: 3px 10px; text-align: left;"},
    {"selector": "thead th", "props": "border-top: 2px solid #333; border-bottom: 1px solid #333;"},
    {"selector": "tbody tr:last-child td", "props": "border-bottom: 2px solid #333;"},
]


def html_page(table: Table) -> str:
    """A standalone page (the report shows it in a frame): the table with its caption,
    the provenance below it."""
    frame = display(table, "html")
    styler = frame.style.hide(axis="index").set_caption(html.escape(table.caption))
    styler = styler.set_uuid(re.sub(r"\W", "_", table.label)).set_table_styles(HTML_STYLE)
    right = [c for c, r in zip(frame.columns, table.right()) if r]
    styler = styler.set_properties(subset=right, **{"text-align": "right"})
    styler = styler.set_table_styles({c: [{"selector": "th", "props": "text-align: right;"}] for c in right},
                                     overwrite=False)
    body = styler.to_html(doctype_html=False)
    note = f'<p class="provenance"><small>{html.escape(table.provenance)}</small></p>\n' if table.provenance else ""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(table.caption)}</title>\n</head>\n<body>\n{body}{note}</body>\n</html>\n")


def write(table: Table, csv: str | Path | None = None, md: str | Path | None = None,
          tex: str | Path | None = None, html: str | Path | None = None) -> None:
    """Write the table to each path given."""
    if csv is not None:
        (table.data if table.data is not None else table.frame).to_csv(csv, index=False)
    for path, render in ((md, markdown), (tex, latex), (html, html_page)):
        if path is not None:
            Path(path).write_text(render(table), encoding="utf-8")
