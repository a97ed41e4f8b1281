"""The embedded demo corpora: reproducible, in their real formats, and as the manifest says."""

import bz2
import gzip
import hashlib
import importlib.util
import io
import itertools
import json
import re
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import zstandard

from smie.documents import Document
from smie.extract import nak

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO / "demo" / "corpora"
PLANTED = json.loads((CORPORA / "planted.json").read_text(encoding="utf-8"))
MW = "{http://www.mediawiki.org/xml/export-0.11/}"
WIKI = {"wikipedia_nb": "wikipedia/nowiki-20260101-pages-articles.xml.bz2",
        "wikipedia_nn": "wikipedia/nnwiki-20260101-pages-articles.xml.bz2"}
OSCAR_FILES = {"oscar2019_nb": "oscar2019/no_dedup.txt.gz", "oscar2019_nn": "oscar2019/nn_dedup.txt.gz",
               "oscar2301_nb": "oscar2301/no_meta_part_1.jsonl.zst", "oscar2201_nn": "oscar2201/nn_meta_part_1.jsonl.zst"}
NAK_FILES = ("nak/norsk_aviskorpus.zip", "nak/nak_2012.tar")


def load_generator():
    spec = importlib.util.spec_from_file_location("build_corpora", REPO / "demo" / "build_corpora.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpora")
    build = load_generator().write(out)
    return out, build


def relative_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def tar_members(rel: str) -> dict[str, bytes]:
    with tarfile.open(CORPORA / rel) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def wiki_pages(rel: str) -> list[dict]:
    pages = []
    with bz2.open(CORPORA / rel) as f:
        for _, elem in ET.iterparse(f):
            if elem.tag == MW + "page":
                rev = elem.find(MW + "revision")
                text = rev.find(MW + "text")
                pages.append({"id": int(elem.findtext(MW + "id")), "ns": int(elem.findtext(MW + "ns")),
                              "title": elem.findtext(MW + "title"), "redirect": elem.find(MW + "redirect") is not None,
                              "text": text.text or "", "bytes": int(text.get("bytes")),
                              "sha1": rev.findtext(MW + "sha1")})
                elem.clear()
    return pages


def oscar_documents(rel: str) -> list[str]:
    data = CORPORA / rel
    if rel.endswith(".zst"):
        lines = zstandard.ZstdDecompressor().stream_reader(data.open("rb")).read().decode("utf-8").splitlines()
        return [json.loads(line)["content"] for line in lines]
    return gzip.decompress(data.read_bytes()).decode("utf-8").rstrip("\n").split("\n\n")


# ------------------------------------------------------------------ reproducible


def test_regenerating_gives_byte_identical_files(regenerated):
    out, _ = regenerated
    assert relative_files(out) == relative_files(CORPORA)
    for rel in relative_files(CORPORA):
        assert (out / rel).read_bytes() == (CORPORA / rel).read_bytes(), rel


def test_the_corpora_stay_small():
    assert sum((CORPORA / rel).stat().st_size for rel in relative_files(CORPORA)) < 1_000_000


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize("source", sorted(WIKI))
def test_wikipedia_dumps_parse_and_match_their_counts_and_checksums(source):
    rel = WIKI[source]
    root = next(ET.iterparse(bz2.open(CORPORA / rel), events=("start",)))[1]
    assert root.tag == MW + "mediawiki" and root.get("version") == "0.11"
    pages = wiki_pages(rel)
    counts = PLANTED["counts"][rel]
    articles = [p for p in pages if p["ns"] == 0 and not p["redirect"]]
    assert len(articles) == counts["articles"] == counts["documents"]
    assert sum(p["redirect"] for p in pages) == counts["redirects"] > 0
    assert sum(p["ns"] != 0 for p in pages) == counts["non_article_pages"] > 0
    assert {p["ns"] for p in pages} >= {0, 1, 10, 14}
    assert all(re.match(r"\s*#(OMDIRIGERING|REDIRECT) \[\[", p["text"]) for p in pages if p["redirect"])
    ids = [p["id"] for p in pages]
    assert ids == sorted(set(ids))
    for p in pages:
        assert p["bytes"] == len(p["text"].encode("utf-8"))
        assert len(p["sha1"]) == 31
    sums = (CORPORA / rel.replace("pages-articles.xml.bz2", "md5sums.txt")).read_text()
    md5 = hashlib.md5((CORPORA / rel).read_bytes()).hexdigest()
    assert f"{md5}  {Path(rel).name}" in sums.splitlines()


def test_wikitext_looks_like_wikipedia():
    text = "\n".join(p["text"] for p in wiki_pages(WIKI["wikipedia_nb"]))
    for marker in ("{{Infoboks kommune", "<ref name=", "<ref>", '{| class="wikitable"', "[[Kategori:",
                   "{{Referanser}}", "[[Fil:", "== ", "'''", "<!--", "|miniatyr|"):
        assert marker in text, marker


def nak_members() -> dict[str, bytes]:
    """Every file inside the demo's NAK zip and yearly tar, by its path down the chain."""
    out = {}
    with zipfile.ZipFile(CORPORA / NAK_FILES[0]) as zf:
        outer = {f"{NAK_FILES[0]}/{n}": zf.read(n) for n in zf.namelist()}
    with tarfile.open(CORPORA / NAK_FILES[1]) as tar:
        outer |= {f"{NAK_FILES[1]}/{m.name}": tar.extractfile(m).read() for m in tar.getmembers()}
    for path, data in outer.items():
        if path.endswith(".tar.gz"):
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                out |= {f"{path}/{m.name}": tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
        else:
            out[path] = gzip.decompress(data)
    return out


def test_nak_follows_the_published_layouts():
    members = nak_members()
    sections = {1: [], 2: [], 3: []}
    for path, data in members.items():
        text = data.decode("iso-8859-1")
        if re.search("[æøåÆØÅ]", text):
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        if re.search(r"/(3|2012)/[a-z]{2}\.tar\.gz/[A-Z]{2}/(nob|nno)/\d{4}/\d\d/\d\d/\d{8}-\d+\.xml$", path):
            sections[3].append(text)
            assert text.startswith('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE document SYSTEM')
            assert path.endswith(re.search(r'<attribute name="file" value="([^"]+)"/>', text).group(1))
        elif re.search(r"/2/[a-z]{2}\.tar\.gz/[a-z]{2}/\d{8}\.txt$", path):
            sections[2].append(text)
            assert re.match(r"##U #http://\S+>\n##B [A-Z]{2}>\n##A \d\d>\n##M \d\d>\n##D \d\d>\n", text)
        else:
            assert path.endswith("/1/19981013-20010307.gz")
            sections[1].append(text)
            assert re.match(r"\n<U #http://\S+>\n\|\n<B [A-Z]{2}>\n<A \d\d>\n<M \d*>\n<D \d\d>\n", text)
            tokens = [t for t in text.splitlines() if t and not t.startswith(("<", "|"))]
            assert {"kl.", ",", ".", "«", "»"} <= set(tokens) and all(" " not in t for t in tokens)
    assert [len(v) > 0 for v in sections.values()] == [True, True, True]
    assert max(t.count("##U ") for t in sections[2]) >= 2  # several articles per member
    assert sum('<div type="text">' not in t for t in sections[3]) == 1  # the one without text
    assert sum('value="nno"' in t for t in sections[3]) >= 5
    not_xml = 0
    for text in sections[3]:
        try:
            ET.fromstring(text.encode("iso-8859-1"))
        except ET.ParseError:
            not_xml += 1
    assert not_xml == 1  # the malformed one


def test_gzip_files_carry_no_time_and_no_name():
    for rel in ("oscar2019/no_dedup.txt.gz", "oscar2019/nn_dedup.txt.gz", "text/user-texts.tar.gz"):
        raw = (CORPORA / rel).read_bytes()
        assert raw[:3] == b"\x1f\x8b\x08" and raw[3] == 0 and raw[4:8] == b"\0\0\0\0", rel


def test_oscar2019_documents_are_blank_line_separated_blocks():
    for source in ("oscar2019_nb", "oscar2019_nn"):
        rel = OSCAR_FILES[source]
        docs = oscar_documents(rel)
        assert len(docs) == PLANTED["counts"][rel]["documents"]
        assert all(doc and all(line.strip() for line in doc.split("\n")) for doc in docs)


@pytest.mark.parametrize("source,version", [("oscar2301_nb", "23.01"), ("oscar2201_nn", "22.01")])
def test_oscar_jsonl_records_have_the_documented_keys(source, version):
    rel = OSCAR_FILES[source]
    raw = zstandard.ZstdDecompressor().stream_reader((CORPORA / rel).open("rb")).read().decode("utf-8")
    records = [json.loads(line) for line in raw.splitlines()]
    assert len(records) == PLANTED["counts"][rel]["documents"]
    warc_keys = {"warc-record-id", "warc-date", "warc-target-uri", "warc-identified-content-language",
                 "content-length", "warc-block-digest", "warc-refers-to", "warc-type", "content-type"}
    meta_keys = ({"identification", "harmful_pp", "tlsh", "quality_warnings", "categories", "sentence_identifications"}
                 if version == "23.01" else {"identification", "annotation", "sentence_identifications"})
    for rec in records:
        assert set(rec) == {"content", "warc_headers", "metadata"}
        assert set(rec["warc_headers"]) == warc_keys
        assert set(rec["metadata"]) == meta_keys
        assert int(rec["warc_headers"]["content-length"]) == len(rec["content"].encode("utf-8"))
        assert len(rec["metadata"]["sentence_identifications"]) == len(rec["content"].split("\n"))
        assert rec["metadata"]["identification"]["label"] in {"no", "nn", "da", "sv", "en"}


def test_user_texts_and_html_pages():
    with tarfile.open(CORPORA / "text/user-texts.tar.gz") as tar:
        names = tar.getnames()
        assert names == sorted(names) and names[0] == "user-texts"
        for m in tar.getmembers():
            assert (m.mtime, m.uid, m.gid, m.uname, m.gname) == (1767225600, 1000, 1000, "demo", "demo")
    texts = tar_members("text/user-texts.tar.gz")
    assert len(texts) == PLANTED["counts"]["text/user-texts.tar.gz"]["documents"]
    assert all(n.startswith("user-texts/") and n.endswith(".txt") and d.decode("utf-8") for n, d in texts.items())
    pages = sorted((CORPORA / "html").glob("*.html"))
    assert len(pages) == PLANTED["counts"]["html"]["documents"]
    latin1 = [p for p in pages if b"charset=iso-8859-1" in p.read_bytes()[:1024]]
    assert len(latin1) == 1
    with pytest.raises(UnicodeDecodeError):
        latin1[0].read_bytes().decode("utf-8")
    for p in pages:
        if p not in latin1:
            page = p.read_bytes().decode("utf-8")
            assert '<meta charset="utf-8">' in page and "<h1>" in page


# ------------------------------------------------------------------ manifest


def existing_ids() -> set[str]:
    ids = set()
    for source, rel in WIKI.items():
        ids |= {f"{source}/{p['id']}" for p in wiki_pages(rel) if p["ns"] == 0 and not p["redirect"]}
    for rel in NAK_FILES:  # the demo's NAK is in layouts tests/test_nak.py reads
        ids |= {r.id for r in nak.read(CORPORA / rel, "nak") if isinstance(r, Document)}
    for source, rel in OSCAR_FILES.items():
        ids |= {f"{source}/{Path(rel).name}/{i}" for i in range(len(oscar_documents(rel)))}
    ids |= {f"text/{m}" for m in tar_members("text/user-texts.tar.gz")}
    ids |= {f"html/{p.name}" for p in (CORPORA / "html").glob("*.html")}
    return ids


def test_manifest_ids_name_existing_documents():
    ids = existing_ids()
    total = sum(c["documents"] for c in PLANTED["counts"].values())
    assert len(ids) == total and 250 <= total <= 350
    for kind, minimum in (("danish", 6), ("swedish", 6), ("english", 6), ("boilerplate", 5), ("too_short", 5),
                          ("mojibake", 3)):
        assert len(PLANTED[kind]) >= minimum, kind
        assert set(PLANTED[kind]) <= ids, kind
    for kind in ("exact_duplicates", "near_duplicates"):
        assert len(PLANTED[kind]) >= 8
        for a, b in PLANTED[kind]:
            assert a in ids and b in ids and a != b
    pairs = PLANTED["exact_duplicates"] + PLANTED["near_duplicates"]
    assert sum(a.split("/")[0] != b.split("/")[0] for a, b in pairs) >= 12  # mostly across sources


def test_oscar_and_wiki_manifest_entries_point_at_the_right_text():
    docs = {source: oscar_documents(rel) for source, rel in OSCAR_FILES.items()}
    for doc_id in PLANTED["mojibake"]:
        if doc_id.startswith("oscar"):
            source, _, index = doc_id.split("/")
            assert re.search("Ã[¥¦¸]", docs[source][int(index)])
    for kind, words in (("danish", r"\b(og|af|til|ikke|efter|hvis|jeg)\b"), ("swedish", r"\b(och|är|inte|att|med|på|till|efter|för)\b"),
                        ("english", r"\b(the|and|is|of)\b")):
        for doc_id in PLANTED[kind]:
            if doc_id.startswith("oscar"):
                source, _, index = doc_id.split("/")
                assert len(re.findall(words, docs[source][int(index)])) >= 3, (kind, doc_id)
    wiki = {f"wikipedia_nb/{p['id']}": p for p in wiki_pages(WIKI["wikipedia_nb"])}
    shorts = [wiki[i] for i in PLANTED["too_short"] if i in wiki]
    assert shorts and all(len(p["text"]) < 200 for p in shorts)


# ------------------------------------------------------------------ duplicates


def shingles(text: str, k: int = 5) -> set:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def test_only_the_planted_documents_are_near_duplicates(regenerated):
    _, build = regenerated
    texts = dict(build.texts)
    exact = {frozenset(p) for p in PLANTED["exact_duplicates"]}
    near = {frozenset(p) for p in PLANTED["near_duplicates"]}
    for a, b in PLANTED["exact_duplicates"]:
        assert texts[a] == texts[b]
    sets = [(doc_id, shingles(text)) for doc_id, text in build.texts]
    for (a, sa), (b, sb) in itertools.combinations(sets, 2):
        jaccard = len(sa & sb) / len(sa | sb)
        pair = frozenset((a, b))
        if pair in near:
            assert jaccard >= 0.8, (a, b, jaccard)
            assert texts[a] != texts[b]
        elif pair not in exact:
            assert jaccard < 0.5, (a, b, jaccard)


def test_near_duplicates_differ_in_exactly_one_sentence(regenerated):
    _, build = regenerated
    texts = dict(build.texts)
    assert len(build.N) == len(PLANTED["near_duplicates"])
    for key, doc in build.N.items():
        copy = build.Ncopy[key]
        a, b = doc.sentences(), copy.sentences()
        assert 5 <= len(a) <= 30 and len(a) == len(b)
        assert sum(x != y for x, y in zip(a, b)) == 1, key
        assert [doc.paragraphs[0][0] in texts[i] for i in build.near_ids[key]] == [True, True]
