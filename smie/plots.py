"""Figures of the report: what a reader would rather look at than read."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def loss_curves(logs: dict[str, list[dict]], path: str | Path, key: str = "mlm_loss",
                label: str = "MLM loss (training)") -> None:
    """One line per model: ``key`` against optimizer steps counted over all phases,
    with a dotted line where a later phase starts. Records without ``key`` (an
    ELMo log interleaves training and held-out lines) are skipped."""
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    for name, records in logs.items():
        records = [r for r in records if r.get(key) is not None]
        offset, last_step, phase = 0, 0, records[0].get("phase", 1) if records else 1
        xs, ys = [], []
        for r in records:
            if r.get("phase", 1) != phase:  # a new phase counts its steps from 0
                offset += last_step
                phase = r["phase"]
                ax.axvline(offset, color="grey", linestyle=":", linewidth=0.8)
            last_step = r["step"]
            xs.append(offset + r["step"])
            ys.append(r[key])
        ax.plot(xs, ys, label=name)
    ax.set_xlabel("optimizer step")
    ax.set_ylabel(label)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def funnel(frame, path: str | Path, stages: list[str]) -> None:
    """The corpus funnel (`smie.tables.funnel_rows` as a DataFrame): documents and
    words kept per source after every stage, a group of bars per source."""
    import numpy as np

    sources = list(dict.fromkeys(frame["source"]))
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.5 * len(sources) + 2.5), dpi=120, sharey=True,
                             layout="constrained")
    y = np.arange(len(sources))
    height = 0.8 / len(stages)
    for ax, column, label in zip(axes, ("documents_kept", "words_kept"), ("documents kept", "words kept")):
        for k, stage in enumerate(stages):
            kept = frame[frame["stage"] == stage].set_index("source")[column].reindex(sources).fillna(0)
            ax.barh(y + (k - (len(stages) - 1) / 2) * height, kept, height, label=stage)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(y, sources)
    axes[0].invert_yaxis()  # first source on top, as in the table
    # above the bars, which a legend inside either panel would hide
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center", ncols=len(stages),
               title="kept after")
    fig.savefig(path)
    plt.close(fig)


def languages(frame, path: str | Path, top: int = 6) -> None:
    """The language distribution (`smie.tables.language_rows` as a DataFrame): each
    source's records as one bar split by language, the ``top`` languages overall by
    records, the rest as "other"."""
    totals = frame.groupby("language")["records"].sum().sort_values(ascending=False, kind="stable")
    shown = list(totals.index[:top])
    share = frame.assign(language=frame["language"].where(frame["language"].isin(shown), "other"))
    share = share.pivot_table(index="source", columns="language", values="share", aggfunc="sum", sort=False)
    share = share.reindex(columns=[c for c in shown + ["other"] if c in share.columns]).fillna(0)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(share) + 2), dpi=120)
    left = [0.0] * len(share)
    for language in share.columns:
        ax.barh(share.index, share[language], left=left, label=language)
        left = [a + b for a, b in zip(left, share[language])]
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the source's records")
    ax.invert_yaxis()
    ax.legend(title="language", bbox_to_anchor=(1.01, 1), loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
