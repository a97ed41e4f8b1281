"""Small inputs for tests/test_readers.py, written into a test's tmp_path."""

from __future__ import annotations

import bz2
import gzip
import io
import re
import tarfile
from pathlib import Path
from xml.sax.saxutils import escape

EXPORT_NS = "http://www.mediawiki.org/xml/export-0.11/"


def wiki_page(title: str, page_id: int, text: str, ns: int = 0, redirect: str | None = None,
              rev_id: int = 1000, timestamp: str = "2024-01-02T03:04:05Z") -> str:
    red = f'    <redirect title="{escape(redirect)}" />\n' if redirect else ""
    return (
        "  <page>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <ns>{ns}</ns>\n"
        f"    <id>{page_id}</id>\n"
        f"{red}"
        "    <revision>\n"
        f"      <id>{rev_id}</id>\n"
        f"      <timestamp>{timestamp}</timestamp>\n"
        "      <contributor><username>Bruker</username><id>77</id></contributor>\n"
        '      <model>wikitext</model><format>text/x-wiki</format>\n'
        f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
        "    </revision>\n"
        "  </page>\n"
    )


def wiki_dump(pages: list[str], ns_uri: str = EXPORT_NS) -> str:
    return (
        f'<mediawiki xmlns="{ns_uri}" version="0.11" xml:lang="nb">\n'
        "  <siteinfo>\n"
        "    <sitename>Wikipedia</sitename>\n"
        "    <dbname>nowiki</dbname>\n"
        "    <base>https://no.wikipedia.org/wiki/Forside</base>\n"
        "    <namespaces>\n"
        '      <namespace key="0" case="first-letter" />\n'
        '      <namespace key="4" case="first-letter">Wikipedia</namespace>\n'
        '      <namespace key="14" case="first-letter">Kategori</namespace>\n'
        "    </namespaces>\n"
        "  </siteinfo>\n"
        + "".join(pages)
        + "</mediawiki>\n"
    )


def multistream(pages: list[str], per_stream: int) -> tuple[bytes, bytes]:
    """A multistream dump of ``pages`` (wiki_page strings) and its bz2 index, as
    Wikimedia makes them: the siteinfo, then ``per_stream`` pages, in bz2 streams of
    their own, then the closing tag; an index line per page, ``offset:id:title``."""
    head, tail = wiki_dump([]).split("</mediawiki>")
    streams, index = [bz2.compress(head.encode())], []
    offset = len(streams[0])
    for i in range(0, len(pages), per_stream):
        group = pages[i:i + per_stream]
        for page in group:
            page_id = re.search(r"<id>(\d+)</id>", page).group(1)
            title = re.search(r"<title>(.*?)</title>", page).group(1)
            index.append(f"{offset}:{page_id}:{title}\n")
        streams.append(bz2.compress("".join(group).encode()))
        offset += len(streams[-1])
    streams.append(bz2.compress(("</mediawiki>" + tail).encode()))
    return b"".join(streams), bz2.compress("".join(index).encode())


def tar_gz(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def gz(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path


def nak_section1(articles: list[tuple[str, str, str, str, str, list[str]]]) -> str:
    """Section 1: (url, newspaper, yy, mm, dd, tokens) -> the header block and one token per line."""
    lines = [""]
    for url, paper, yy, mm, dd, tokens in articles:
        lines += [f"<U #{url}>", "|", f"<B {paper}>", f"<A {yy}>", f"<M {mm}>", f"<D {dd}>", *tokens]
    return "\n".join(lines) + "\n"


def nak_section2(articles: list[tuple[str, str, str, str, str, list[str]]]) -> str:
    """Section 2: (url, newspaper, yy, mm, dd, text lines) -> ``##`` headers, then the lines."""
    lines = []
    for url, paper, yy, mm, dd, text in articles:
        lines += [f"##U #{url}>", f"##B {paper}>", f"##A {yy}>", f"##M {mm}>", f"##D {dd}>", *text]
    return "\n".join(lines) + "\n"


def nak_section3(header: dict[str, str], divs: list[tuple[str, str]], paragraphs: list[str] | None,
                 declaration: str = "ISO-8859-1") -> str:
    """Section 3: one XML article; ``divs`` are (type, content) before the text div, which
    holds ``paragraphs`` as <p> (no text div when None)."""
    attributes = "".join(f'<attribute name="{k}" value="{escape(v, {chr(34): "&quot;"})}"/>\n'
                         for k, v in header.items())
    level = {"title": ' level="1"'}
    body = "".join(f'<div type="{t}"{level.get(t, "")}>{c}</div>\n' for t, c in divs)
    if paragraphs is not None:
        body += '<div type="text">\n' + "".join(f"<p>{p}</p>\n" for p in paragraphs) + "</div>"
    return (f'<?xml version="1.0" encoding="{declaration}"?>\n'
            '<!DOCTYPE document SYSTEM "http://gandalf.aksis.uib.no/aviskorpus/avis2.dtd">\n'
            f"<document>\n<header>\n{attributes}</header>\n<body>\n{body}</body></document>\n")
