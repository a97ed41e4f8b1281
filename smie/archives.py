"""Streaming access to compressed files and to the members of tar and zip archives.

Nothing here extracts anything to disk. Compressed streams (gzip, bzip2, xz, zstd)
are decompressed as they are read; tar archives are read in stream mode, one member
at a time; zip members are opened one at a time. Every error of a damaged file
(truncated stream, corrupt data, bad archive header) surfaces as
:class:`~smie.documents.InputError` naming the file, also when it happens in the
middle of reading, inside a reader's loop.

Archives are distrusted: members with absolute paths, ``..`` components, symbolic
or hard links and device files make the whole archive refused.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import IO, Iterator

import zstandard

from smie.documents import InputError

__all__ = [
    "iter_members",
    "open_decompressed",
    "decompress_stream",
    "sniff_compression",
    "is_tar_header",
    "is_zip_header",
    "peek",
    "iter_files",
]

_CHUNK = 1 << 16

# Errors a damaged stream raises while being read, by whichever library reads it.
_STREAM_ERRORS = (
    EOFError,
    OSError,
    zlib.error,
    lzma.LZMAError,
    zstandard.ZstdError,
    tarfile.TarError,
    zipfile.BadZipFile,
)

_MAGIC = [
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
]


def sniff_compression(head: bytes) -> str | None:
    """``gzip``, ``bzip2``, ``xz`` or ``zstd`` from a stream's first bytes, else None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def is_zip_header(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def is_tar_header(head: bytes) -> bool:
    """Whether ``head`` (a stream's first 512 bytes or more) is a tar header block."""
    if len(head) < 512:
        return False
    block = head[:512]
    if block[257:262] == b"ustar":
        return True
    # Old (v7) tar: no magic, but the header checksum must add up.
    field = block[148:156].split(b"\x00", 1)[0].strip()
    if not field or not re.fullmatch(rb"[0-7]+", field):
        return False
    total = sum(block[:148]) + 8 * 0x20 + sum(block[156:])
    return total == int(field, 8) and block[0] != 0


class _Wrapped(io.RawIOBase):
    """A raw stream over another binary stream, which it closes with itself."""

    def __init__(self, inner: IO[bytes]):
        self._inner = inner

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class _Guarded(_Wrapped):
    """Turns read errors of the inner stream into InputError."""

    def __init__(self, inner: IO[bytes], name: str, what: str):
        super().__init__(inner)
        self._name = name
        self._what = what

    def readinto(self, buffer) -> int:
        try:
            data = self._inner.read(len(buffer))
        except InputError:
            raise
        except _STREAM_ERRORS as exc:
            raise InputError(f"{self._name}: {self._what}: {exc}") from exc
        n = len(data)
        buffer[:n] = data
        return n


class _Replay(_Wrapped):
    """Gives ``head`` first, then the rest of the inner stream."""

    def __init__(self, head: bytes, inner: IO[bytes]):
        super().__init__(inner)
        self._head = head

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


class _Range(_Wrapped):
    """Bytes ``start`` to ``end`` of a seekable file."""

    def __init__(self, inner: IO[bytes], start: int, end: int):
        super().__init__(inner)
        inner.seek(start)
        self._left = end - start

    def readinto(self, buffer) -> int:
        data = self._inner.read(min(len(buffer), self._left))
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)


class _Chained(io.RawIOBase):
    """Streams read one after another, each closed when done."""

    def __init__(self, streams: list[IO[bytes]]):
        self._streams = streams

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._streams:
            n = self._streams[0].readinto(buffer)
            if n:
                return n
            self._streams.pop(0).close()
        return 0

    def close(self) -> None:
        for stream in self._streams:
            stream.close()
        super().close()


def open_range(path: str | Path, start: int, end: int) -> IO[bytes]:
    """Bytes ``start`` to ``end`` of a file, as a stream."""
    return io.BufferedReader(_Range(open(path, "rb"), start, end), _CHUNK)


def chained(*streams: IO[bytes]) -> IO[bytes]:
    """One stream of several, read one after another."""
    return io.BufferedReader(_Chained(list(streams)), _CHUNK)


def read_capped(stream: IO[bytes], max_bytes: int | None) -> tuple[bytes, bool]:
    """All of ``stream`` and True; or, past ``max_bytes`` (None: no limit), its first
    bytes and False, the rest read through without being held."""
    if max_bytes is None:
        return stream.read(), True
    data = stream.read(max_bytes + 1)
    if len(data) <= max_bytes:
        return data, True
    while stream.read(_CHUNK):
        pass
    return data, False


def readline_capped(stream: IO[bytes], max_bytes: int | None) -> tuple[bytes, bool]:
    """The next line (b"" at the end) and True; or, for a line longer than ``max_bytes``,
    its first bytes and False, the rest of the line read through without being held."""
    if max_bytes is None:
        return stream.readline(), True
    line = stream.readline(max_bytes + 1)
    if len(line) <= max_bytes or line.endswith(b"\n"):
        return line, True
    while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
        pass
    return line, False


def peek(stream: IO[bytes], n: int) -> tuple[bytes, IO[bytes]]:
    """Read up to ``n`` bytes and return them with a stream that still yields them."""
    parts = []
    got = 0
    while got < n:
        data = stream.read(n - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    head = b"".join(parts)
    return head, io.BufferedReader(_Replay(head, stream), _CHUNK)


class _ZstdRaw(_Wrapped):
    """Streaming zstd decompression that notices a truncated last frame.

    (zstandard's ``stream_reader`` silently ends at a cut-off frame.) Input is fed
    in small pieces so that one call's output stays small even for highly
    repetitive data; output is handed out by offset, never re-sliced.
    """

    _FEED = 1 << 13

    def __init__(self, inner: IO[bytes]):
        super().__init__(inner)
        self._dctx = zstandard.ZstdDecompressor(max_window_size=2**31)
        self._dobj = None
        self._pending = b""
        self._out = b""
        self._pos = 0
        self._eof = False

    def _fill(self) -> None:
        while self._pos == len(self._out) and not self._eof:
            if not self._pending:
                self._pending = self._inner.read(self._FEED)
                if not self._pending:
                    self._eof = True
                    if self._dobj is not None and not self._dobj.eof:
                        raise EOFError("zstd stream ended in the middle of a frame")
                    return
            if self._dobj is None:
                self._dobj = self._dctx.decompressobj()
            data, self._pending = self._pending, b""
            self._out, self._pos = self._dobj.decompress(data), 0
            if self._dobj.eof:
                self._pending = self._dobj.unused_data
                self._dobj = None

    def readinto(self, buffer) -> int:
        self._fill()
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = memoryview(self._out)[self._pos : self._pos + n]
        self._pos += n
        return n


def decompress_stream(stream: IO[bytes], kind: str | None, name: str) -> IO[bytes]:
    """A buffered binary stream of ``stream`` decompressed as ``kind`` (None: as is).

    Read errors (truncated or corrupt data) raise InputError naming ``name``.
    """
    if kind == "gzip":
        inner: IO[bytes] = gzip.GzipFile(fileobj=stream, mode="rb")
    elif kind == "bzip2":
        inner = bz2.BZ2File(stream, mode="rb")
    elif kind == "xz":
        inner = lzma.LZMAFile(stream, mode="rb")
    elif kind == "zstd":
        inner = _ZstdRaw(stream)
    elif kind is None:
        inner = stream
    else:
        raise ValueError(f"unknown compression {kind!r}")
    what = f"truncated or corrupt {kind} stream" if kind else "read error"
    return io.BufferedReader(_Guarded(inner, name, what), _CHUNK)


def open_decompressed(path: str | Path, name: str | None = None) -> IO[bytes]:
    """Open a file, decompressing it by its magic bytes (not its name).

    The returned stream raises InputError naming the file when the compressed
    data turn out truncated or corrupt.
    """
    name = name or str(path)
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot open: {exc}") from exc
    head, stream = peek(raw, 8)
    return decompress_stream(stream, sniff_compression(head), name)


def _check_member_path(archive: str, member: str) -> None:
    if member.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", member):
        raise InputError(f"{archive}: member {member!r} has an absolute path; refusing the archive")
    if ".." in re.split(r"[/\\]", member):
        raise InputError(f"{archive}: member {member!r} has a '..' path component; refusing the archive")


def _clean_name(member: str) -> str:
    while member.startswith("./"):
        member = member[2:]
    return member


def iter_members(
    path_or_fileobj: str | Path | IO[bytes], name_for_errors: str | None = None
) -> Iterator[tuple[str, IO[bytes]]]:
    """Regular-file members of a tar (any compression) or zip archive, in archive order.

    Yields ``(member path, binary stream)``. Streams are only valid until the next
    member is requested (tar archives are read in stream mode). Directories are
    skipped; absolute paths, ``..`` components, links and device files raise
    InputError naming the archive and the member, as does any damage to the
    archive.
    """
    own = isinstance(path_or_fileobj, (str, os.PathLike))
    if own:
        name = name_for_errors or str(path_or_fileobj)
        try:
            raw: IO[bytes] = open(path_or_fileobj, "rb")
        except OSError as exc:
            raise InputError(f"{name}: cannot open: {exc}") from exc
    else:
        name = name_for_errors or str(getattr(path_or_fileobj, "name", "") or "<stream>")
        raw = path_or_fileobj
    try:
        if raw.seekable():
            start = raw.tell()
            head = raw.read(8)
            raw.seek(start)
            stream = raw
        else:
            head, stream = peek(raw, 8)
        if is_zip_header(head):
            yield from _iter_zip(stream, name)
            return
        kind = sniff_compression(head)
        data = decompress_stream(stream, kind, name)
        tar_head, data = peek(data, 512)
        if not is_tar_header(tar_head):
            if not tar_head.strip(b"\x00"):
                return  # an empty tar (only end-of-archive blocks) or an empty file
            raise InputError(f"{name}: not a tar or zip archive")
        yield from _iter_tar(data, name)
    finally:
        if own:
            raw.close()


def _iter_tar(stream: IO[bytes], name: str) -> Iterator[tuple[str, IO[bytes]]]:
    try:
        tf = tarfile.open(fileobj=stream, mode="r|")
    except tarfile.TarError as exc:
        raise InputError(f"{name}: not a readable tar archive: {exc}") from exc
    with tf:
        while True:
            try:
                member = tf.next()
            except tarfile.TarError as exc:
                raise InputError(f"{name}: damaged tar archive: {exc}") from exc
            if member is None:
                return
            mname = _clean_name(member.name)
            _check_member_path(name, member.name)
            if member.issym():
                raise InputError(f"{name}: member {member.name!r} is a symbolic link; refusing the archive")
            if member.islnk():
                raise InputError(f"{name}: member {member.name!r} is a hard link; refusing the archive")
            if member.ischr() or member.isblk() or member.isfifo():
                raise InputError(f"{name}: member {member.name!r} is a device or fifo; refusing the archive")
            if member.isdir():
                continue
            if not member.isreg():
                raise InputError(f"{name}: member {member.name!r} has an unsupported type; refusing the archive")
            try:
                inner = tf.extractfile(member)
            except tarfile.TarError as exc:
                raise InputError(f"{name}: member {member.name!r} cannot be read: {exc}") from exc
            yield mname, _member_stream(inner, name, mname)


def _member_stream(inner: IO[bytes], archive: str, member: str) -> IO[bytes]:
    return io.BufferedReader(_Guarded(inner, f"{archive}: member {member}", "truncated or corrupt data"), _CHUNK)


def _iter_zip(stream: IO[bytes], name: str) -> Iterator[tuple[str, IO[bytes]]]:
    if not stream.seekable():
        raise InputError(f"{name}: a zip archive needs a seekable file; cannot read it from a stream")
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"{name}: corrupt zip archive: {exc}") from exc
    with zf:
        for info in zf.infolist():
            _check_member_path(name, info.filename)
            mode = info.external_attr >> 16
            if info.create_system == 3 and mode:
                if stat.S_ISLNK(mode):
                    raise InputError(f"{name}: member {info.filename!r} is a symbolic link; refusing the archive")
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                    raise InputError(f"{name}: member {info.filename!r} is a device or fifo; refusing the archive")
            if info.is_dir():
                continue
            try:
                inner = zf.open(info)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                raise InputError(f"{name}: member {info.filename!r} cannot be read: {exc}") from exc
            mname = _clean_name(info.filename)
            f = _member_stream(inner, name, mname)
            try:
                yield mname, f
            finally:
                f.close()


def _is_junk(member: str) -> bool:
    """macOS resource forks and similar that archivers add next to real files."""
    parts = member.split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._")


def _is_archive(path: Path, name: str) -> bool:
    with open_decompressed(path, name) as stream:
        head = stream.read(512)
    return is_zip_header(head) or is_tar_header(head)


def iter_files(
    path: str | Path, suffixes: tuple[str, ...] | None, name_for_errors: str | None = None
) -> Iterator[tuple[str, IO[bytes]]]:
    """Files whose names end in one of ``suffixes`` (lower-case; None: every file), with
    binary streams.

    ``path`` is a folder (files below it, sorted by relative path), a tar/zip
    archive (members in archive order) or a single matching file. Yields
    ``(relative path, stream)``; a stream is valid until the next file is requested.
    """
    path = Path(path)
    name = name_for_errors or str(path)

    def wanted(file_name: str) -> bool:
        return suffixes is None or file_name.lower().endswith(suffixes)

    if path.is_dir():
        found, root = [], path.resolve()
        for p in path.rglob("*"):
            rel = p.relative_to(path).as_posix()
            if not p.resolve().is_relative_to(root):  # a link out of the folder: not this source's to read
                raise InputError(f"{name}: {rel} is a link to {p.resolve()}, outside the folder")
            if p.is_file() and wanted(p.name) and not _is_junk(rel):
                found.append((rel, p))
        for rel, p in sorted(found):
            with open(p, "rb") as f:
                yield rel, f
    elif path.is_file():
        # A single page downloaded from a URL often has no .html in its name:
        # anything that is not an archive is taken as one file.
        if (suffixes is not None and wanted(path.name)) or not _is_archive(path, name):
            with open(path, "rb") as f:
                yield path.name, f
            return
        for member, f in iter_members(path, name):
            if wanted(member) and not _is_junk(member):
                yield member, f
    else:
        raise InputError(f"{name}: no such file or folder")
