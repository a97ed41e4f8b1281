"""Exact and near-duplicate removal across all sources, in three phases.

1. :func:`compute_signatures` (one job per shard) reads the documents of a shard
   one at a time and writes a compact ``.npz`` of signatures: for every document
   an exact key (a 64-bit hash of its normalised text), a MinHash signature of its
   word-shingle set (none with ``near=False``), and its number of normalised words.
   No text is kept.
2. :func:`find_duplicates` (one global job) loads only the signatures of all
   shards, finds exact duplicates (equal keys) and near duplicates (LSH banding of
   the MinHash signatures, candidate pairs verified by estimated Jaccard
   similarity; skipped with ``near=False``), clusters them, keeps one document per
   cluster and writes the list of documents to drop.
3. :func:`make_filter_step` turns that list into a step for
   :func:`smie.shard_filter.filter_shard`, which drops them shard by shard, with
   the usual accounting.

Normalisation (both keys): NFKC, lowercase, every run of non-alphanumeric
characters (punctuation, whitespace, symbols, underscores) becomes one space. So
copies that differ only in case, punctuation, spacing or line breaks (a page read
from HTML and from a tokenised newspaper archive) are exact duplicates.

Hashing. A shingle is ``n`` consecutive normalised words; its hash is a
polynomial hash (mod 2**64) of its UTF-8 bytes, computed for all shingles of a
document at once from prefix sums, passed through the SplitMix64 finaliser and
cut to 32 bits. Permutation ``k`` maps a shingle hash ``x`` to
``(a_k * x + b_k) mod 2**64 >> 32`` with random 64-bit ``a_k`` (odd) and ``b_k``
(multiply-add-shift, a strongly universal family for 32-bit keys that needs no
division); the signature holds the minimum of every permutation over the
document's shingles (``uint32``). Everything is seeded by ``Settings.seed``, so
signatures are identical across runs and machines.

Which copy is kept: in every cluster, the document whose source comes first in
``source_priority`` (sources not listed come after the listed ones, in name
order), then the smallest id. Documents with no word left after normalisation
have nothing to compare and are never dropped here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Sequence

import numpy as np

from smie.documents import Document, open_gzip_writer, read_documents
from smie.settings import from_config

# 2: ``params`` gained ``near`` (exact-only signature files hold an [N, 0] minhash).
SIGNATURE_FORMAT = 2
_PARAM_NAMES = ("format", "near", "shingle", "num_perm", "seed")

_NON_ALNUM = re.compile(r"[\W_]+")
_MASK64 = (1 << 64) - 1
# Multiplier of the polynomial shingle hash: any odd 64-bit number works (odd, so
# it has an inverse mod 2**64, which the prefix-sum trick needs).
_POLY_BASE = 0x9E3779B97F4A7C15
_POLY_BASE_INV = pow(_POLY_BASE, -1, 1 << 64)
# A run of documents sharing an LSH bucket is compared pairwise within this
# distance (in id order) and each member with the run's first one; larger runs
# (huge clusters of near-identical pages) so stay linear.
_BUCKET_WINDOW = 8


@dataclass(frozen=True)
class Settings:
    """Parameters of deduplication (the ``dedup`` block of the config).

    shingle: words per shingle, default 3. One changed sentence changes every
        shingle that overlaps it, ``sentence length + shingle - 1`` of them, so
        shorter shingles lose fewer; single words (or 2-grams) would, however,
        make unrelated texts on the same topic look alike (in the demo corpora,
        whose texts are built from shared sentence templates, two distinct texts
        reach 0.44 with 2-word shingles and 0.34 with 3). 3 keeps a one-sentence
        edit of a five-sentence text near Jaccard 0.6.
    num_perm: MinHash permutations, default 256. The standard error of the
        estimated Jaccard similarity is sqrt(J(1-J)/num_perm): 0.031 at J = 0.5,
        small enough to verify candidates close to the threshold. Costs 1 KiB per
        document in the global step.
    threshold: estimated Jaccard similarity at or above which two documents are
        near duplicates, default 0.5: the similarity of two texts of equal-length
        sentences that share ``k`` of ``k + 1`` sentences is about ``k / (k + 2)``,
        0.67 for five sentences, so 0.5 leaves room for unequal sentence lengths
        and estimation error, while two texts sharing only half their sentences
        (about 0.33) stay apart.
    bands, rows: LSH banding, ``bands * rows <= num_perm``. Left at 0 they are
        chosen by :func:`choose_bands`, which makes a pair at the threshold a
        candidate with probability >= 0.98 with as few false candidates as
        possible. For the defaults: 64 bands of 4 rows (a pair at similarity 0.5
        is a candidate with probability 0.984, at 0.6 with 0.99998, at 0.2 with
        0.1, at 0.05 with 0.0004).
    seed: seeds the permutations; signatures of different seeds do not mix.
    near: find near duplicates too, default True. False finds exact duplicates
        only: no MinHash is computed (the signature files hold none) and
        ``threshold``, ``bands`` and ``rows`` are unused; the files still record
        ``shingle``, ``num_perm`` and ``seed`` and must match them.
    """

    shingle: int = 3
    num_perm: int = 256
    threshold: float = 0.5
    bands: int = 0
    rows: int = 0
    seed: int = 1
    near: bool = True

    def __post_init__(self):
        if not isinstance(self.near, bool):
            raise ValueError(f"dedup: near must be true or false, got {self.near!r}")
        if self.shingle < 1:
            raise ValueError(f"dedup: shingle must be >= 1, got {self.shingle}")
        if self.num_perm < 1:
            raise ValueError(f"dedup: num_perm must be >= 1, got {self.num_perm}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"dedup: threshold must be in (0, 1], got {self.threshold}")
        if (self.bands == 0) != (self.rows == 0):
            raise ValueError("dedup: give both bands and rows, or neither")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"dedup: bands * rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}"
            )

    @classmethod
    def from_dict(cls, d: dict | None) -> "Settings":
        """Settings from the config's ``dedup`` block without ``source_priority``
        (a :func:`find_duplicates` argument); unknown keys are an error."""
        return from_config(cls, d, "dedup")

    def banding(self) -> tuple[int, int]:
        """(bands, rows) of the LSH; (0, 0) without near-duplicate search."""
        if not self.near:
            return 0, 0
        if self.bands:
            return self.bands, self.rows
        return choose_bands(self.threshold, self.num_perm)


def choose_bands(threshold: float, num_perm: int, at_threshold: float = 0.98) -> tuple[int, int]:
    """(bands, rows) for LSH: the most rows per band that still catch pairs at the threshold.

    With ``bands`` bands of ``rows`` rows, a pair of similarity ``s`` shares at
    least one bucket with probability ``1 - (1 - s**rows)**bands``. A pair the
    bands miss is lost for good, while a false candidate only costs one
    comparison of signatures, so the rule is: among ``rows = 1, 2, ...`` with
    ``bands = num_perm // rows``, take the largest ``rows`` (fewest false
    candidates) for which a pair exactly at the threshold is a candidate with
    probability ``>= at_threshold``; pairs above it are caught more often still.
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= at_threshold:
            best = (bands, rows)
    return best


# --- phase 1: signatures ------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC, lowercase, non-alphanumeric runs to single spaces, stripped."""
    return _NON_ALNUM.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def exact_key(normalised: str) -> int:
    """64-bit hash of a normalised text."""
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: every input bit affects every output bit (uint64, in place)."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


class MinHasher:
    """Signatures of documents under one :class:`Settings` (permutations drawn once)."""

    # Shingles permuted per block: memory num_perm * _BLOCK * 8 bytes (8 MiB by default).
    _BLOCK = 4096

    def __init__(self, settings: Settings):
        self.settings = settings
        rng = np.random.Generator(np.random.PCG64(settings.seed))
        self.a = (rng.integers(0, 1 << 63, size=settings.num_perm, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
        self.b = rng.integers(0, 1 << 63, size=settings.num_perm, dtype=np.uint64) << np.uint64(1)
        self.b |= rng.integers(0, 2, size=settings.num_perm, dtype=np.uint64)
        self._pow = np.ones(1, dtype=np.uint64)  # _POLY_BASE ** k
        self._inv = np.ones(1, dtype=np.uint64)  # _POLY_BASE_INV ** k
        self._buf = np.empty((self._BLOCK, settings.num_perm), dtype=np.uint64)

    def _powers(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """base**k and base**-k (mod 2**64) for k < n, grown on demand."""
        if len(self._pow) < n:
            size = max(n, 2 * len(self._pow))

            def powers(base: int) -> np.ndarray:
                out = np.full(size, base, dtype=np.uint64)
                out[0] = 1
                with np.errstate(over="ignore"):
                    return np.cumprod(out, dtype=np.uint64)

            self._pow, self._inv = powers(_POLY_BASE), powers(_POLY_BASE_INV)
        return self._pow, self._inv

    def _hashes(self, normalised: str) -> np.ndarray:
        """32-bit hashes (as uint64) of every word shingle of a normalised text, repeats included."""
        data = np.frombuffer(normalised.encode("utf-8"), dtype=np.uint8)
        if len(data) == 0:
            return np.empty(0, dtype=np.uint64)
        spaces = np.flatnonzero(data == 32)
        n = self.settings.shingle
        if len(spaces) >= n - 1:
            # shingle k runs from the start of word k to the end of word k + n - 1
            starts = np.concatenate(([0], spaces[: len(spaces) - n + 1] + 1))
            ends = np.concatenate((spaces[n - 1 :], [len(data)]))
        else:  # fewer words than a shingle: the whole text is one
            starts, ends = np.zeros(1, dtype=np.intp), np.full(1, len(data), dtype=np.intp)
        pw, inv = self._powers(len(data) + 1)
        with np.errstate(over="ignore"):
            # prefix[i] = sum_{k < i} (byte_k + 1) * base**-k, so that
            # (prefix[e] - prefix[s]) * base**(e-1) = sum_{s <= k < e} (byte_k + 1) * base**(e-1-k),
            # the polynomial hash of bytes s..e-1.
            prefix = np.zeros(len(data) + 1, dtype=np.uint64)
            np.cumsum((data + np.uint64(1)) * inv[: len(data)], dtype=np.uint64, out=prefix[1:])
            h = (prefix[ends] - prefix[starts]) * pw[ends - 1]
            h ^= (ends - starts).astype(np.uint64) * np.uint64(0xD6E8FEB86659FD93)
            h = _mix64(h)
        h >>= np.uint64(32)
        return h

    def shingle_hashes(self, normalised: str) -> np.ndarray:
        """Distinct 32-bit hashes (as uint64, sorted) of the word shingles of a normalised text."""
        return np.unique(self._hashes(normalised))

    def signature(self, normalised: str) -> np.ndarray:
        """MinHash signature (uint32 [num_perm]); all 0xFFFFFFFF for an empty text."""
        h = self._hashes(normalised)
        sig = np.full(self.settings.num_perm, 0xFFFFFFFF, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(0, len(h), self._BLOCK):
                block = h[i : i + self._BLOCK, None]
                x = self._buf[: len(block)]
                np.multiply(block, self.a, out=x)
                np.add(x, self.b, out=x)
                # x >> 32 is monotone, so the minimum can be shifted afterwards.
                np.minimum(sig, x.min(axis=0) >> np.uint64(32), out=sig)
        return sig.astype(np.uint32)


def _width(settings: Settings) -> int:
    """MinHash values per document in the signature files."""
    return settings.num_perm if settings.near else 0


def _params(settings: Settings) -> np.ndarray:
    """What a signature file depends on, named by ``_PARAM_NAMES``."""
    return np.array([SIGNATURE_FORMAT, settings.near, settings.shingle, settings.num_perm, settings.seed],
                    dtype=np.int64)


def _zip_member(zf: zipfile.ZipFile, name: str, nbytes: int, stored: bool = False):
    """A writable member with a fixed timestamp (byte-reproducible archives)."""
    info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return zf.open(info, "w", force_zip64=nbytes > 2**31 - 2**20)


def _save_npz(path: str | Path, arrays: dict[str, np.ndarray], minhash: BinaryIO, shape: tuple[int, int]) -> None:
    """Like numpy.savez, but byte-reproducible, and the ``minhash`` matrix streamed
    from the raw little-endian uint32 rows in ``minhash`` (never in memory).
    Members are deflated, but for ``minhash``: random numbers do not compress."""
    with zipfile.ZipFile(path, "w", compresslevel=6) as zf:
        for name, array in arrays.items():
            with _zip_member(zf, name, array.nbytes) as f:
                np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)
        with _zip_member(zf, "minhash", shape[0] * shape[1] * 4, stored=True) as f:
            np.lib.format.write_array_header_1_0(f, {"descr": "<u4", "fortran_order": False, "shape": shape})
            shutil.copyfileobj(minhash, f, 1 << 20)


def compute_signatures(shard_path: str | Path, out_path: str | Path, settings: Settings) -> int:
    """Write the signatures of every document of a shard to ``out_path`` (.npz).

    Arrays: ``ids`` and ``sources`` (unicode), ``exact`` uint64 [N], ``minhash``
    uint32 [N, num_perm] ([N, 0] with ``near=False``), ``words`` int32 [N]
    (normalised words), ``params`` (format, near, shingle, num_perm, seed). Reads
    one document at a time; the MinHash rows go to a temporary file as they are
    made, so memory holds only the small per-document arrays (about 100 bytes a
    document), not the 1 KB signatures.
    Returns N.
    """
    hasher = MinHasher(settings) if settings.near else None
    ids: list[str] = []
    sources: list[str] = []
    exact: list[int] = []
    words: list[int] = []
    with tempfile.TemporaryFile(dir=Path(out_path).parent) as rows:
        for doc in read_documents(shard_path):
            text = normalise(doc.text)
            ids.append(doc.id)
            sources.append(doc.source)
            exact.append(exact_key(text))
            words.append(text.count(" ") + 1 if text else 0)
            if hasher is not None:
                rows.write(hasher.signature(text).astype("<u4").tobytes())
        rows.seek(0)
        _save_npz(
            out_path,
            {
                "ids": np.array(ids, dtype=str) if ids else np.empty(0, dtype="<U1"),
                "sources": np.array(sources, dtype=str) if sources else np.empty(0, dtype="<U1"),
                "exact": np.array(exact, dtype=np.uint64),
                "words": np.array(words, dtype=np.int32),
                "params": _params(settings),
            },
            rows,
            (len(ids), _width(settings)),
        )
    return len(ids)


# --- phase 2: the global step -------------------------------------------------


def _load_signatures(paths: Iterable[str | Path], settings: Settings):
    """All signatures, sorted by document id (so the result ignores file order).

    Two passes, so the big ``minhash`` matrix exists once: the small arrays first,
    then every file's signatures straight into their sorted rows.
    """
    paths = list(paths)
    want = _params(settings)
    width = _width(settings)
    ids, sources, exact, words, sizes = [], [], [], [], []
    for path in paths:
        with np.load(path, allow_pickle=False) as z:
            _check_params(path, z["params"], want)
            ids.append(z["ids"])
            sources.append(z["sources"])
            exact.append(z["exact"])
            words.append(z["words"])
            sizes.append(len(z["ids"]))
    if not paths:
        return (np.empty(0, dtype="<U1"),) * 2 + (
            np.empty(0, dtype=np.uint64),
            np.empty((0, width), dtype=np.uint32),
            np.empty(0, dtype=np.int32),
        )
    ids = np.concatenate(ids)
    order = np.argsort(ids, kind="stable")
    row = np.empty(len(order), dtype=np.int64)
    row[order] = np.arange(len(order))  # sorted position of every loaded document
    minhash = np.empty((len(order), width), dtype=np.uint32)
    offset = 0
    for path, size in zip(paths, sizes):
        if width:
            with np.load(path, allow_pickle=False) as z:
                minhash[row[offset : offset + size]] = z["minhash"]
        offset += size
    return (
        ids[order],
        np.concatenate(sources)[order],
        np.concatenate(exact)[order],
        minhash,
        np.concatenate(words)[order],
    )


def _check_params(path, got: np.ndarray, want: np.ndarray) -> None:
    """Refuse a signature file made under other settings (or another format), naming it."""
    if np.array_equal(got, want):
        return
    if len(got) != len(want) or got[0] != want[0]:
        raise ValueError(f"{path}: signature format {int(got[0])}, this version reads format "
                         f"{SIGNATURE_FORMAT}: compute the signatures again")

    def show(params):
        return ", ".join(f"{k}={bool(v) if k == 'near' else int(v)}" for k, v in zip(_PARAM_NAMES, params))

    raise ValueError(f"{path}: signatures were computed with {show(got)}, but the settings say {show(want)}")


def _components(n: int, u: np.ndarray, v: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
    """Connected components: every node labelled with the smallest node of its component.

    ``labels`` (already such a labelling) is refined by the edges ``u``-``v``.
    Label propagation with pointer jumping, all in numpy.
    """
    labels = np.arange(n, dtype=np.int64) if labels is None else labels.copy()
    while len(u):
        lu, lv = labels[u], labels[v]
        differ = lu != lv
        if not differ.any():
            break
        lu, lv = lu[differ], lv[differ]
        u, v = u[differ], v[differ]
        low = np.minimum(lu, lv)
        # Hook the larger of the two labels (a root) onto the smaller one.
        np.minimum.at(labels, np.maximum(lu, lv), low)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
    return labels


def _estimated_similarity(minhash: np.ndarray, i: np.ndarray, j: np.ndarray, chunk: int = 65536) -> np.ndarray:
    out = np.empty(len(i), dtype=np.float64)
    for s in range(0, len(i), chunk):
        out[s : s + chunk] = (minhash[i[s : s + chunk]] == minhash[j[s : s + chunk]]).mean(axis=1)
    return out


def _band_keys(block: np.ndarray, seed: int) -> np.ndarray:
    """A 64-bit key per row of a [N, rows] uint32 block (equal rows, equal keys)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    mult = rng.integers(0, 1 << 63, size=block.shape[1], dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    key = np.zeros(len(block), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in range(block.shape[1]):
            key = _mix64(key ^ (block[:, c].astype(np.uint64) * mult[c]))
    return key


def _preference(ids: np.ndarray, sources: np.ndarray, source_priority: Sequence[str]) -> np.ndarray:
    """Rank of every document in keeping order (0 = kept first)."""
    rank = {s: i for i, s in enumerate(source_priority)}
    unlisted = sorted(set(np.unique(sources).tolist()) - set(rank))
    rank.update({s: len(source_priority) + i for i, s in enumerate(unlisted)})
    names, inverse = np.unique(sources, return_inverse=True)
    source_rank = np.array([rank[s] for s in names.tolist()], dtype=np.int64)[inverse]
    order = np.lexsort((np.arange(len(ids)), source_rank))  # ids are already sorted
    pref = np.empty(len(ids), dtype=np.int64)
    pref[order] = np.arange(len(ids))
    return pref


def find_duplicates(
    signature_paths: Iterable[str | Path],
    out_path: str | Path,
    settings: Settings,
    source_priority: Sequence[str] = (),
) -> dict[str, int]:
    """Find exact and (unless ``settings.near`` is False) near duplicates over all
    signature files; write the drop list.

    ``out_path`` (gzip JSON Lines, sorted by id) holds one record per document to
    drop: ``{"id", "reason": "exact-duplicate" | "near-duplicate", "kept",
    "similarity", "cluster_size"}``; ``kept`` is the document kept of its
    cluster, ``similarity`` the estimated Jaccard similarity to it (1.0 for exact
    duplicates). Returns counts: documents, exact-duplicate, near-duplicate,
    clusters.

    Exact duplicates share their normalised-text hash; one of each group enters
    the near-duplicate search. There each of ``bands`` bands of ``rows``
    signature values puts documents into buckets; documents sharing a bucket are
    candidates, kept as an edge if their estimated Jaccard similarity reaches the
    threshold, and the connected components of these edges are the clusters. A
    chain of near duplicates can so join two documents less alike than the
    threshold; their record's ``similarity`` (to the kept document) shows it.
    Memory: the signatures (``num_perm * 4`` bytes a document, none without
    ``near``) plus small per-document arrays. The result does not depend on the
    order of ``signature_paths``.
    """
    ids, sources, exact, minhash, words = _load_signatures(signature_paths, settings)
    n = len(ids)
    if n > 1 and (ids[1:] == ids[:-1]).any():
        dup = str(ids[1:][ids[1:] == ids[:-1]][0])
        raise ValueError(f"dedup: document id {dup!r} occurs more than once in the signatures")
    pref = _preference(ids, sources, source_priority)
    valid = words > 0

    # Exact duplicates: every valid document joined to the first (by id) of its key.
    cand = np.flatnonzero(valid)
    by_key = cand[np.lexsort((cand, exact[cand]))]
    same = exact[by_key[1:]] == exact[by_key[:-1]]
    run_start = np.concatenate(([True], ~same))
    first = by_key[np.maximum.accumulate(np.where(run_start, np.arange(len(by_key)), 0))] if len(by_key) else by_key
    labels = _components(n, first, by_key)
    reps = by_key[run_start] if len(by_key) else by_key  # one per exact group, smallest index

    # Near duplicates: LSH banding over the representatives.
    bands, rows = settings.banding()
    for band in range(bands):
        block = minhash[reps, band * rows : (band + 1) * rows]
        keys = _band_keys(block, settings.seed * 1_000_003 + band)
        srt = np.lexsort((reps, keys))
        members, keys = reps[srt], keys[srt]
        if len(members) < 2:
            continue
        same = keys[1:] == keys[:-1]
        if not same.any():
            continue
        start_of = np.maximum.accumulate(np.where(np.concatenate(([True], ~same)), np.arange(len(keys)), 0))
        pairs_u, pairs_v = [], []
        # The run's first member with every other one.
        in_run = start_of != np.arange(len(keys))
        pairs_u.append(members[start_of[in_run]])
        pairs_v.append(members[in_run])
        # Neighbours within the window.
        for d in range(1, _BUCKET_WINDOW + 1):
            if d >= len(keys):
                break
            ok = start_of[d:] == start_of[:-d]
            if not ok.any():
                break
            pairs_u.append(members[:-d][ok])
            pairs_v.append(members[d:][ok])
        u, v = np.concatenate(pairs_u), np.concatenate(pairs_v)
        new = labels[u] != labels[v]
        u, v = u[new], v[new]
        if not len(u):
            continue
        codes = np.unique(np.minimum(u, v) * n + np.maximum(u, v))
        u, v = codes // n, codes % n
        sim = _estimated_similarity(minhash, u, v)
        hit = sim >= settings.threshold
        labels = _components(n, u[hit], v[hit], labels)

    # Keep the preferred document of every cluster.
    srt = np.lexsort((pref, labels))
    lab = labels[srt]
    head = np.concatenate(([True], lab[1:] != lab[:-1])) if n else np.empty(0, dtype=bool)
    kept_of = np.empty(n, dtype=np.int64)
    kept_of[srt] = srt[np.maximum.accumulate(np.where(head, np.arange(n), 0))] if n else srt
    size_of_label = np.bincount(labels, minlength=n)
    drop = np.flatnonzero(kept_of != np.arange(n))
    kept = kept_of[drop]
    is_exact = exact[drop] == exact[kept]
    sim = np.ones(len(drop))
    sim[~is_exact] = _estimated_similarity(minhash, drop[~is_exact], kept[~is_exact])

    counts = {"documents": int(n), "exact-duplicate": 0, "near-duplicate": 0,
              "clusters": int(np.count_nonzero(size_of_label > 1))}
    with open_gzip_writer(out_path) as f:
        for d, k, ex, s in zip(drop.tolist(), kept.tolist(), is_exact.tolist(), sim.tolist()):
            reason = "exact-duplicate" if ex else "near-duplicate"
            counts[reason] += 1
            record = {"id": str(ids[d]), "reason": reason, "kept": str(ids[k]),
                      "similarity": round(s, 4), "cluster_size": int(size_of_label[labels[d]])}
            f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return counts


# --- phase 3: dropping --------------------------------------------------------


def read_drop_list(path: str | Path) -> Iterable[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def make_filter_step(drop_list_path: str | Path) -> Callable[[Document], "Document | str"]:
    """A :mod:`smie.shard_filter` step: the drop reason for listed ids, else the document.

    A kept document that had duplicates gets ``meta["dedup"] = {"cluster_size": n}``.
    """
    reasons: dict[str, str] = {}
    cluster_size: dict[str, int] = {}
    for record in read_drop_list(drop_list_path):
        reasons[record["id"]] = record["reason"]
        cluster_size[record["kept"]] = record.get("cluster_size", 0)

    def step(doc: Document) -> Document | str:
        reason = reasons.get(doc.id)
        if reason is not None:
            return reason
        size = cluster_size.get(doc.id)
        if size:
            doc.meta["dedup"] = {"cluster_size": size}
        return doc

    return step
