"""Corpus tables: the funnel (documents and words per source through every
filtering stage) and the language distribution per source."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

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


def write_csv(rows: list[dict], path: str | Path, columns: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def markdown(rows: list[dict], columns: list[str], formats: dict[str, str] | None = None,
             note: str | None = None) -> str:
    """A Markdown table; ``formats`` gives a column's float format (default ``,.1f``),
    e.g. ``.1%`` for a share. An empty or None cell reads ``-``. A ``note`` (the
    provenance line) follows the table after a blank line."""
    formats = formats or {}

    def cell(column, v):
        if isinstance(v, float):
            return format(v, formats.get(column, ",.1f"))
        return f"{v:,}" if isinstance(v, int) else (str(v) if v not in (None, "") else "-")

    numeric = {c for c in columns if any(isinstance(r[c], (int, float)) for r in rows)}
    lines = ["| " + " | ".join(columns) + " |",
             "|" + "|".join("---:" if c in numeric else "---" for c in columns) + "|"]
    lines += ["| " + " | ".join(cell(c, r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n" + (f"\n{note}\n" if note else "")


PACKAGES = ["smie", "snakemake", "pycld2", "ufal.udpipe", "tokenizers", "transformers", "torch"]


def provenance(config_hash: str) -> str:
    """What makes a table traceable: the hash of the config it came from and the
    versions of the packages that did the work."""
    from importlib import metadata

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "?"

    return f"Config {config_hash}; " + ", ".join(f"{p} {version(p)}" for p in PACKAGES) + "."
