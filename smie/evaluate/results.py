"""The paper table: one row per task, one column per model, "score ± sd (minutes)".

The per-seed records form a long table (task, model, seed, dev, test, minutes,
epoch) aggregated with pandas. Scores are test scores x 100 (UPOS accuracy, macro
F1, Sentiment Graph F1), the mean and sample standard deviation over seeds, each
seed's model being its best dev epoch; the minutes are the mean wall-clock minutes
of one adaptation (a BERT's fine-tuning, or a frozen ELMo's embedding of the data
and the training of the model on top). The best mean of a task is set in bold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from smie.documents import InputError
from smie.tables import Table

LONG_COLUMNS = ["task", "metric", "model", "seed", "dev", "test", "minutes", "epoch"]
SUMMARY_COLUMNS = ["task", "metric", "model", "seeds", "test_mean", "test_std", "dev_mean", "dev_std",
                   "minutes_mean", "best_epochs"]


def load_records(paths: Iterable[str | Path]) -> list[dict]:
    """The per-seed records; a file that is not one names itself."""
    records = []
    for path in paths:
        try:
            record = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"{path}: not an evaluation record ({error})") from None
        missing = [k for k in ("task", "model", "seed", "metric", "dev", "test", "minutes", "best_epoch")
                   if not isinstance(record, dict) or k not in record]
        if missing:
            raise InputError(f"{path}: not an evaluation record (no {', '.join(missing)})")
        records.append(record)
    return records


def long_form(records: list[dict]) -> pd.DataFrame:
    """One row per task, model and seed; scores x 100."""
    frame = pd.DataFrame.from_records(records).rename(columns={"best_epoch": "epoch"})
    frame = frame[LONG_COLUMNS].sort_values(["task", "model", "seed"], kind="stable")
    return frame.assign(dev=100 * frame["dev"], test=100 * frame["test"]).reset_index(drop=True)


def summarise(records: list[dict]) -> pd.DataFrame:
    """One row per (task, model): the mean and sample sd of the scores over seeds
    (sd missing for one seed), mean minutes, each seed's best epoch."""
    long = long_form(records)
    grouped = long.groupby(["task", "model"], sort=False)
    summary = grouped.agg(metric=("metric", "first"), seeds=("seed", "size"), test_mean=("test", "mean"),
                          test_std=("test", "std"), dev_mean=("dev", "mean"), dev_std=("dev", "std"),
                          minutes_mean=("minutes", "mean"),
                          best_epochs=("epoch", lambda e: " ".join(map(str, e))))
    return summary.reset_index()[SUMMARY_COLUMNS]


def caption(seeds: int) -> str:
    over = (f"mean ± standard deviation over {seeds} seeds, each seed's model at its best dev epoch" if seeds > 1
            else "one seed, the model at its best dev epoch")
    return (f"Test scores × 100 ({over}), the best of each task in "
            "bold; in parentheses, minutes per adaptation (BERT: fine-tuning; frozen ELMo: embedding the data "
            "and training the tagger or classifier).")


def table(summary: pd.DataFrame, tasks: list[str], models: list[str], provenance: str) -> Table:
    """The wide paper table of ``summary`` (from `summarise`): tasks in ``tasks``
    order, a column per model of ``models``; "-" where a model has no score."""
    by_key = summary.set_index(["task", "model"])
    metric = dict(zip(summary["task"], summary["metric"]))
    seeds = int(summary["seeds"].max())
    cells, after, bold = [], [], []
    for task in tasks:
        scores = {m: by_key.loc[(task, m)] for m in models if (task, m) in by_key.index}
        best = max((r["test_mean"] for r in scores.values()), default=None)
        row, row_after, row_bold = [f"{task} ({metric[task]})" if task in metric else task], [None], [False]
        for m in models:
            r = scores.get(m)
            if r is None:
                row.append(None), row_after.append(None), row_bold.append(False)
                continue
            sd = "" if r["seeds"] == 1 else f" ± {r['test_std']:.1f}"
            row.append(f"{r['test_mean']:.1f}{sd}")
            row_after.append(f" ({r['minutes_mean']:.1f})")
            row_bold.append(len(scores) > 1 and round(r["test_mean"], 1) == round(best, 1))
        cells.append(row), after.append(row_after), bold.append(row_bold)
    columns = ["task"] + models
    return Table(pd.DataFrame(cells, columns=columns), caption(seeds), "tab:results", provenance,
                 bold=pd.DataFrame(bold, columns=columns), after=pd.DataFrame(after, columns=columns),
                 numeric=models, data=summary)
