"""Real Norwegian text from the shared data directory, for the benchmarks.

The directory is ``$SMIE_SHARED_DATA`` (default ``../shared/data`` beside the
repository); see its README for the files. Nothing read here is committed.

- ``read_conllu``: sentences of a CoNLL-U file (UD dev/test splits).
- ``ndt_documents``: the NDT files (CoNLL-X, one file per document part, no
  spacing information) as documents of detokenised sentences.
- ``norwegian_sentences``: every distinct real sentence available, with its
  language: NDT train (nb, nn), UD dev (nb, nn), NoReC_fine train (reviews, labelled
  nb: nearly all Bokmål, a few Nynorsk).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_NO_SPACE_BEFORE = re.compile(r" ([,.:;!?%)\]»])")
_NO_SPACE_AFTER = re.compile(r"([(\[«]) ")


def shared_data() -> Path:
    return Path(os.environ.get("SMIE_SHARED_DATA", REPO.parent / "shared" / "data"))


def require_shared_data() -> Path:
    data = shared_data()
    if not (data / "norne").is_dir():
        raise SystemExit(f"shared data directory not found: {data} (set SMIE_SHARED_DATA)")
    return data


def detokenize(forms) -> str:
    """Tokens joined with plain-text spacing (NDT keeps no SpaceAfter)."""
    text = " ".join(forms)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def read_conllu(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(sent_id, text, token forms)`` of every sentence of a CoNLL-U file."""
    out, sent_id, text, forms = [], "", "", []
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# sent_id = "):
            sent_id = line[len("# sent_id = "):]
        elif line.startswith("# text = "):
            text = line[len("# text = "):]
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                forms.append(cols[1])
        elif not line and text:
            out.append((sent_id, text, tuple(forms)))
            sent_id, text, forms = "", "", []
    if text:
        out.append((sent_id, text, tuple(forms)))
    return out


def ndt_sentences(path: Path) -> list[tuple[str, ...]]:
    """Token forms of each sentence of one NDT file (blank-line separated)."""
    out, forms = [], []
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if line:
            forms.append(line.split("\t")[1])
        elif forms:
            out.append(tuple(forms))
            forms = []
    if forms:
        out.append(tuple(forms))
    return out


def ndt_documents(folder: Path) -> dict[str, list[tuple[str, ...]]]:
    """NDT document id (``ap012`` from ``ap012_0003.conll``) -> its sentences' forms, in order."""
    docs: dict[str, list[tuple[str, ...]]] = {}
    for path in sorted(folder.glob("*.conll")):
        docs.setdefault(path.stem.split("_")[0], []).extend(ndt_sentences(path))
    return docs


def norwegian_sentences(data: Path | None = None) -> list[tuple[str, str]]:
    """Every distinct real sentence here as ``(text, lang)``, lang ``nb`` or ``nn``."""
    data = data or require_shared_data()
    seen, out = set(), []

    def add(text: str, lang: str) -> None:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            out.append((text, lang))

    for lang, code in (("nb", "nob"), ("nn", "nno")):
        for sentences in ndt_documents(data / f"norne/ndt/{code}/train").values():
            for forms in sentences:
                add(detokenize(forms), lang)
    for lang, path in (("nb", "UD_Norwegian-Bokmaal/no_bokmaal-ud-dev.conllu"),
                       ("nn", "UD_Norwegian-Nynorsk/no_nynorsk-ud-dev.conllu")):
        for _, text, _ in read_conllu(data / path):
            add(text, lang)
    for item in json.loads((data / "norec_fine/train.json").read_text(encoding="utf-8")):
        add(detokenize(item["text"].split(" ")), "nb")
    return out
