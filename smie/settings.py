"""Stage settings from a config block."""

from __future__ import annotations

from dataclasses import fields
from typing import Mapping, TypeVar

T = TypeVar("T")


def from_config(cls: type[T], block: Mapping | None, stage: str) -> T:
    """A settings dataclass from a config block: missing keys take their defaults,
    unknown keys are an error naming the stage and the keys it knows."""
    d = dict(block or {})
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(d) - known)
    if unknown:
        raise ValueError(f"unknown {stage} settings: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return cls(**d)
