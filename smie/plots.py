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
