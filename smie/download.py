"""Fetch one remote file into the workflow's ``resources/``, reliably.

``fetch`` streams into ``DEST.part`` and renames it to DEST only once the bytes are
complete and verified, so an existing DEST is always a whole file. An interrupted
transfer resumes from the ``.part`` (HTTP ``Range``), transient failures are retried
with exponential backoff, and the result is checked against a digest given directly
or looked up in a published sums file (Wikimedia's ``*-md5sums.txt``).

URLs: ``http://``, ``https://``, ``file:///absolute/path`` and ``file:relative/path``;
a relative ``file:`` URL is resolved against the current working directory.
CLI: ``python -m smie.download URL DEST [--md5 H|--sha1 H|--sha256 H] [--checksums-url U]
[--mirror DIR] [--retries N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tqdm import tqdm

from smie.documents import InputError

ALGORITHMS = {"md5": 32, "sha1": 40, "sha256": 64}  # name -> hex digest length
RETRY_STATUSES = {408, 429}  # and every 5xx
MAX_WAIT = 60.0  # seconds; caps the exponential backoff
CHUNK = 1 << 20
USER_AGENT = "smie-download/0.1 (Norwegian corpus workflow)"  # Wikimedia wants a descriptive agent


class DownloadError(InputError):
    """A URL could not be fetched: permanent HTTP error, missing file, retries spent."""


class ChecksumError(InputError):
    """The bytes do not match the published digest, or no digest is published for them."""


class _Transient(Exception):
    """A failure worth retrying; the message is the reason that gets logged."""


_RETRYABLE = (_Transient, urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)


def _log(message: str) -> None:
    print(f"smie.download: {message}", file=sys.stderr, flush=True)


def _local_path(url: str) -> Path | None:
    """The path a ``file:`` URL names, None for http(s); ValueError for anything else."""
    scheme, _, rest = url.partition(":")
    if scheme.lower() in ("http", "https") and rest.startswith("//"):
        return None
    if scheme.lower() == "file":
        if not rest.startswith("//"):
            return Path.cwd() / urllib.parse.unquote(rest)  # an absolute rest stays absolute
        parsed = urllib.parse.urlparse(url)
        if parsed.netloc in ("", "localhost"):
            return Path(urllib.request.url2pathname(parsed.path))
    raise ValueError(f"unsupported URL {url!r}: use http(s)://, file:///abs/path or file:rel/path")


def _open(url: str, offset: int, headers: dict[str, str], timeout: float):
    """Open ``url`` at byte ``offset``: (stream, start, total size or None); start 0 means
    the source cannot continue at ``offset`` and the caller must start over."""
    path = _local_path(url)
    if path is not None:
        try:
            stream = open(path, "rb")
        except OSError as exc:
            raise DownloadError(f"{url}: cannot read {path}: {exc.strerror}") from exc
        size = os.fstat(stream.fileno()).st_size
        start = offset if offset <= size else 0
        stream.seek(start)
        return stream, start, size
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    for name, value in headers.items():
        # Unredirected: a token must not follow a redirect to another host (a CDN).
        request.add_unredirected_header(name, value)
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and offset:  # the .part is longer than the file: start over
            return _open(url, 0, headers, timeout)
        if exc.code >= 500 or exc.code in RETRY_STATUSES:
            raise _Transient(f"HTTP {exc.code} {exc.reason}") from exc
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    length = response.headers.get("Content-Length", "")
    length = int(length) if length.isdigit() else None
    if response.status != 206:  # the server ignored Range: this is the whole file
        return response, 0, length
    if offset and not response.headers.get("Content-Range", "").startswith(f"bytes {offset}-"):
        response.close()  # not the range asked for
        return _open(url, 0, headers, timeout)
    return response, offset, None if length is None else offset + length


def _hasher(algo: str):
    return hashlib.new(algo, usedforsecurity=False)  # integrity, not security: md5 works under FIPS


def _hash_file(path: Path, algo: str):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, lambda: _hasher(algo))


def _transfer(url: str, part: Path, algo: str, headers: dict, timeout: float, progress: bool) -> str:
    """One attempt: extend ``part`` to the whole file; return the file's hex digest."""
    stream, start, total = _open(url, part.stat().st_size if part.exists() else 0, headers, timeout)
    with stream, open(part, "ab" if start else "wb") as out, \
            tqdm(total=total, initial=start, unit="B", unit_scale=True, unit_divisor=1024,
                 desc=part.name.removesuffix(".part"), disable=not progress, file=sys.stderr,
                 leave=False) as bar:
        # The digest covers the whole file, so re-hash what earlier attempts left.
        hasher = _hash_file(part, algo) if start else _hasher(algo)
        position = start
        while chunk := stream.read(CHUNK):
            out.write(chunk)
            hasher.update(chunk)
            bar.update(len(chunk))
            position += len(chunk)
    if total is not None and position < total:
        raise _Transient(f"connection closed after {position} of {total} bytes")
    return hasher.hexdigest()


def _read_small(url: str, headers: dict[str, str], timeout: float) -> str:
    stream, _, _ = _open(url, 0, headers, timeout)
    with stream:  # a short HTTP body raises http.client.IncompleteRead, which is retried
        return stream.read().decode("utf-8", errors="replace")


def _retrying(url: str, retries: int, backoff: float, attempt):
    """Call ``attempt`` until it succeeds, sleeping ``backoff * 2**n`` between tries."""
    for n in range(max(retries, 0) + 1):
        try:
            return attempt()
        except _RETRYABLE as exc:
            reason = str(exc) if isinstance(exc, _Transient) else f"{type(exc).__name__}: {exc}"
            if n >= retries:
                raise DownloadError(f"{url}: giving up after {n + 1} attempts: {reason}") from exc
            wait = min(backoff * 2 ** n, MAX_WAIT)
            _log(f"{url}: {reason}; retry {n + 1}/{retries} in {wait:.2f}s")
            time.sleep(wait)


def _parse_checksum(checksum: dict[str, str]) -> tuple[str, str]:
    (algo, hexdigest), = checksum.items() if len(checksum) == 1 else [("", "")]
    if ALGORITHMS.get(algo) != len(hexdigest) or not re.fullmatch(r"[0-9a-fA-F]+", hexdigest):
        raise ValueError(f"checksum must be one of {{md5|sha1|sha256: hex digest}}, got {checksum!r}")
    return algo, hexdigest.lower()


def _lookup(text: str, sums_url: str, names: list[str]) -> tuple[str, str]:
    """(algorithm, digest) listed for one of ``names`` in a ``<hex>  <filename>`` sums file."""
    for line in text.splitlines():
        fields = line.split(None, 1)
        if len(fields) == 2 and fields[1].strip().removeprefix("*") in names:  # "*": binary mode
            algo = next((a for a, n in ALGORITHMS.items() if n == len(fields[0])), "")
            try:
                return _parse_checksum({algo: fields[0]})
            except ValueError:
                raise ChecksumError(f"{sums_url}: {line.strip()!r} holds no md5/sha1/sha256") from None
    raise ChecksumError(f"{sums_url}: no checksum listed for {' or '.join(names)}")


def fetch(url: str, dest: str | Path, *, checksum: dict[str, str] | None = None,
          checksums_url: str | None = None, mirror: str | Path | None = None,
          retries: int = 5, backoff: float = 1.0, timeout: float = 60.0,
          auth_env: str | None = None, progress: bool = True) -> Path:
    """Download ``url`` to ``dest`` (resumed, retried, verified) and return ``dest``.

    ``checksums_url`` is consulted only without ``checksum``; ``retries`` counts attempts
    after the first. Raises ValueError for a bad URL or checksum argument, DownloadError
    when the file cannot be fetched, ChecksumError when it does not match (a mismatching
    file is never kept).
    """
    _local_path(url)  # reject an unsupported URL before doing anything
    dest = Path(dest)
    url_name = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).name
    names = list(dict.fromkeys([dest.name, url_name]))  # usually the same
    headers = {}
    if auth_env:
        if auth_env not in os.environ:
            raise DownloadError(f"{url}: needs a token, but environment variable {auth_env} is not set")
        if os.environ[auth_env]:  # set but empty: a public file, no token
            headers["Authorization"] = f"Bearer {os.environ[auth_env]}"
    if checksums_url and not checksum:
        same_host = urllib.parse.urlparse(checksums_url).netloc == urllib.parse.urlparse(url).netloc
        text = _retrying(checksums_url, retries, backoff,
                         lambda: _read_small(checksums_url, headers if same_host else {}, timeout))
        algo, expected = _lookup(text, checksums_url, names)
    else:
        algo, expected = _parse_checksum(checksum) if checksum else ("sha256", None)

    if dest.exists():
        actual = _hash_file(dest, algo).hexdigest() if expected else None
        if actual == expected:  # verified, or nothing to verify it against
            return dest
        _log(f"{dest} exists but its {algo} is {actual}, expected {expected}; downloading again")
        dest.unlink()

    copy = next((Path(mirror) / n for n in names if (Path(mirror) / n).is_file()), None) if mirror else None
    if copy is not None:
        _log(f"using mirror copy {copy} instead of {url}")
    source = copy.resolve().as_uri() if copy is not None else url
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    actual = _retrying(source, retries, backoff,
                       lambda: _transfer(source, part, algo, headers, timeout, progress))
    if expected is None:
        _log(f"no checksum given for {url}; saved {dest} unverified (sha256 {actual})")
    elif actual != expected:
        part.unlink(missing_ok=True)
        raise ChecksumError(f"{url}: {dest.name}: {algo} mismatch: expected {expected}, got {actual}")
    os.replace(part, dest)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smie.download",
                                     description="Download one file: resumed, retried, verified.")
    parser.add_argument("url")
    parser.add_argument("dest")
    digest = parser.add_mutually_exclusive_group()
    for algo in ALGORITHMS:
        digest.add_argument(f"--{algo}", metavar="HEX")
    digest.add_argument("--checksums-url", metavar="URL", help="sums file of '<hex>  <filename>' lines")
    parser.add_argument("--mirror", metavar="DIR", help="directory to copy the file from if it is there")
    parser.add_argument("--retries", metavar="N", type=int, default=5)
    args = parser.parse_args(argv)
    checksum = {algo: getattr(args, algo) for algo in ALGORITHMS if getattr(args, algo)} or None
    try:
        print(fetch(args.url, args.dest, checksum=checksum, checksums_url=args.checksums_url,
                    mirror=args.mirror, retries=args.retries))
    except (DownloadError, InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
