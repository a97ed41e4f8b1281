"""The paper table: one row per task, one column per model, "score ± sd (minutes)".

Scores are test scores x 100 (UPOS accuracy, macro F1), the mean and sample
standard deviation over seeds, each seed's model being its best dev epoch; the
minutes are the mean wall-clock minutes of one adaptation (a BERT's fine-tuning,
or a frozen ELMo's embedding of the data and the training of the model on top).
Every table carries a footer with the config's hash and the package versions, so
it can be traced.
"""

from __future__ import annotations

from smie.evaluate.metrics import mean_std
from smie.tables import provenance

LONG_COLUMNS = ["task", "metric", "model", "seeds", "test_mean", "test_std", "dev_mean", "dev_std", "minutes_mean",
                "best_epochs"]


def summarise(records: list[dict]) -> list[dict]:
    """One row per (task, model) from the per-seed records."""
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        groups.setdefault((r["task"], r["model"]), []).append(r)
    rows = []
    for (task, model), rs in groups.items():
        rs.sort(key=lambda r: r["seed"])
        test = mean_std([100 * r["test"] for r in rs])
        dev = mean_std([100 * r["dev"] for r in rs])
        rows.append({"task": task, "metric": rs[0]["metric"], "model": model, "seeds": len(rs),
                     "test_mean": test[0], "test_std": test[1], "dev_mean": dev[0], "dev_std": dev[1],
                     "minutes_mean": sum(r["minutes"] for r in rs) / len(rs),
                     "best_epochs": " ".join(str(r["best_epoch"]) for r in rs)})
    return rows


def cell(row: dict | None) -> str:
    if row is None:
        return "-"
    return f"{row['test_mean']:.1f} ± {row['test_std']:.1f} ({row['minutes_mean']:.1f})"


def grid(rows: list[dict], tasks: list[str], models: list[str]) -> list[list[str]]:
    """Header and rows of the wide table: task (metric), then a cell per model."""
    by_key = {(r["task"], r["model"]): r for r in rows}
    metric = {r["task"]: r["metric"] for r in rows}
    out = [["task"] + models]
    for task in tasks:
        out.append([f"{task} ({metric.get(task, '')})"] + [cell(by_key.get((task, m))) for m in models])
    return out


def footer(config_hash: str, seeds: int) -> str:
    return (f"Test scores x 100, mean ± sd over {seeds} seeds (best dev epoch each); in brackets, minutes per "
            f"adaptation (BERT: fine-tuning; ELMo, frozen: embedding the data and training the tagger or "
            f"classifier). {provenance(config_hash)}")


def markdown(table: list[list[str]], note: str) -> str:
    header, *body = table
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines) + f"\n\n{note}\n"


def latex(table: list[list[str]], note: str) -> str:
    def esc(text: str) -> str:
        for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("_", r"\_"), ("#", r"\#"),
                     ("±", r"$\pm$")):
            text = text.replace(a, b)
        return text

    header, *body = table
    lines = [r"\begin{table}", r"\centering", r"\begin{tabular}{l" + "r" * (len(header) - 1) + "}", r"\hline",
             " & ".join(esc(h) for h in header) + r" \\", r"\hline"]
    lines += [" & ".join(esc(c) for c in r) + r" \\" for r in body]
    lines += [r"\hline", r"\end{tabular}", r"\caption{" + esc(note) + "}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def html(table: list[list[str]], note: str) -> str:
    """A standalone HTML table (the report shows it as it is)."""
    from html import escape

    header, *body = table
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>\n" for r in body)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>"
            "td,th{padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}"
            "table{border-collapse:collapse}tr{border-bottom:1px solid #ddd}</style></head><body>\n"
            "<table>\n<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>\n" + rows
            + f"</table>\n<p>{escape(note)}</p>\n</body></html>\n")
