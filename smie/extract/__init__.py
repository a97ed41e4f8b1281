"""Readers of the extract stage: raw corpus files -> Documents (or Rejected records).

Every reader is a generator ``read(path, source, max_bytes=None)`` yielding
:class:`~smie.documents.Document` or :class:`~smie.documents.Rejected` records,
streaming its input; a record over ``max_bytes`` is Rejected ``too-large`` without
being held whole; a file that is unusable as a whole raises
:class:`~smie.documents.InputError`. A reader may take keyword options of its own
(the Wikipedia reader's ``lists``); ``Config.extract`` gives a source the options of
its kind only, as ``reader_options``. A reader of nested archives also yields an
:class:`~smie.documents.InputSummary` after each container (what it gave), which
is accounting, not a record. ``READERS`` maps a source's ``kind`` to its
reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from smie.documents import Document, InputSummary, Rejected
from smie.extract import html, nak, oscar, plaintext, wikipedia

Reader = Callable[..., Iterator[Document | Rejected | InputSummary]]  # (path, source, max bytes, **options of its kind)

READERS: dict[str, Reader] = {
    "wikipedia": wikipedia.read,
    "nak": nak.read,
    "oscar": oscar.read,
    "text": plaintext.read,
    "html": html.read,
}



def read_local_sources(config: dict, base: Path) -> Iterator[Document | Rejected | InputSummary]:
    """Every record of a config's sources whose files are local (``file:`` URLs or
    ``path``), read in place without the workflow: for tests, benchmarks, notebooks.
    Relative URLs and paths are resolved against ``base`` (the workflow: the config file's directory)."""
    for source, spec in config["sources"].items():
        paths = [spec["path"]] if "path" in spec else [f["url"].removeprefix("file:") for f in spec["files"]]
        for path in paths:
            yield from READERS[spec["kind"]](Path(base, path.removeprefix("//")), source)


__all__ = ["READERS", "Reader", "read_local_sources"]
