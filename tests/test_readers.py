"""The readers of the extract stage, on tiny inputs written to tmp_path."""

import bz2
import gzip
import json
import re
import zipfile

import pytest
import zstandard

from conftest import SHARED_DATA
from fixtures_readers import gz, tar_gz, wiki_dump, wiki_page
from smie.documents import Document, InputError, Rejected
from smie.extract import READERS


def run(kind, path, source="src"):
    return list(READERS[kind](path, source))


def docs(records):
    return [r for r in records if isinstance(r, Document)]


def rejected(records):
    return [r for r in records if isinstance(r, Rejected)]


def test_readers_registered():
    assert set(READERS) == {"wikipedia", "nak", "oscar", "text", "html"}


# ------------------------------------------------------------------ wikipedia

OSLO = """{{Infoboks by|navn=Oslo|innbyggere=700 000}}
'''Oslo''' er [[Norge]]s [[hovedstad|hovedstaden]].<ref>{{Kilde www|url=http://x.no|tittel=Kilde}}</ref> Byen ligger ved ''[[Oslofjorden]]''.

{| class="wikitable"
|-
! År !! Folketall
|-
| 2020 || 693 494
|}

== Historie ==
Byen ble grunnlagt rundt år 1000.<ref name="snl">Store norske leksikon</ref>

[[Fil:Oslo rådhus.jpg|miniatyr|Rådhuset i [[Oslo]]]]

== Tom seksjon ==

[[Kategori:Byer i Norge]]
"""


def wiki_fixture(tmp_path, compress=bz2.compress, name="nowiki.xml.bz2", ns_uri=None):
    pages = [
        wiki_page("Oslo", 12, OSLO, rev_id=555),
        wiki_page("Oslo by", 13, "#REDIRECT [[Oslo]]", redirect="Oslo"),
        wiki_page("Kristiania", 14, "#omdirigering [[Oslo]]"),
        wiki_page("Wikipedia:Om", 15, "Om '''oss'''.", ns=4),
        wiki_page("Kategori:Byer", 16, "Byer.", ns=14),
        wiki_page("Tom", 17, "{{Pekerside}}\n[[Kategori:Pekersider]]"),
        wiki_page("Bergen", 18, "Bergen er en by på Vestlandet."),
    ]
    xml = wiki_dump(pages, ns_uri) if ns_uri else wiki_dump(pages)
    path = tmp_path / name
    path.write_bytes(compress(xml.encode("utf-8")))
    return path


def test_wikipedia_article_text_and_meta(tmp_path):
    records = run("wikipedia", wiki_fixture(tmp_path), "wiki")
    oslo = records[0]
    assert isinstance(oslo, Document)
    assert oslo.id == "wiki/12"
    # template, ref, table, file, category and empty section gone; link labels,
    # bold and italic text kept; the heading is a paragraph of its own
    assert oslo.text == (
        "Oslo er Norges hovedstaden. Byen ligger ved Oslofjorden.\n"
        "Historie\n"
        "Byen ble grunnlagt rundt år 1000."
    )
    assert oslo.lang is None
    assert oslo.meta == {
        "title": "Oslo", "page_id": 12, "revision_id": 555,
        "timestamp": "2024-01-02T03:04:05Z",
        "url": "https://no.wikipedia.org/wiki/Oslo", "dbname": "nowiki",
    }
    assert [d.id for d in docs(records)] == ["wiki/12", "wiki/18"]


def test_wikipedia_left_out_pages(tmp_path):
    records = run("wikipedia", wiki_fixture(tmp_path), "wiki")
    got = {r.id: (r.reason, r.raw) for r in rejected(records)}
    assert got == {
        "wiki/13": ("redirect", None),
        "wiki/14": ("redirect", None),  # #OMDIRIGERING in the text, any case
        "wiki/15": ("namespace-4", None),
        "wiki/16": ("namespace-14", None),
        "wiki/17": ("empty", "{{Pekerside}}\n[[Kategori:Pekersider]]"),
    }


def test_wikipedia_leftovers_of_dropped_templates_tidied(tmp_path):
    text = ("Oslo ({{uttale|ˈʊʂlʊ}}) er størst.<ref name=a /> Arealet er <math>x^2</math> km.\n"
            "* listepunkt\n"
            "Se også ({{lang|en|Norway}}, {{lang|se|Norga}}).")
    path = tmp_path / "d.xml"
    path.write_text(wiki_dump([wiki_page("Oslo", 1, text)]), encoding="utf-8")
    (doc,) = run("wikipedia", path)
    assert doc.text == "Oslo er størst. Arealet er km.\nSe også."


@pytest.mark.parametrize("compress,name", [(gzip.compress, "d.xml.gz"), (lambda b: b, "d.xml")])
def test_wikipedia_other_compressions_and_namespace_uri(tmp_path, compress, name):
    path = wiki_fixture(tmp_path, compress, name, ns_uri="http://www.mediawiki.org/xml/export-0.10/")
    assert [d.id for d in docs(run("wikipedia", path, "w"))] == ["w/12", "w/18"]


def test_wikipedia_url_escapes_title(tmp_path):
    path = tmp_path / "d.xml"
    path.write_text(wiki_dump([wiki_page("Øvre Årdal", 3, "Et tettsted.")]), encoding="utf-8")
    (doc,) = run("wikipedia", path)
    assert doc.meta["url"] == "https://no.wikipedia.org/wiki/%C3%98vre_%C3%85rdal"


def test_wikipedia_truncated_bz2_names_file(tmp_path):
    path = wiki_fixture(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    with pytest.raises(InputError) as err:
        run("wikipedia", path)
    assert str(path) in str(err.value) and "bzip2" in str(err.value)


def test_wikipedia_malformed_xml_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.xml"
    xml = wiki_dump([wiki_page("A", 1, "Tekst.")]).replace("</title>", "</tittel>", 1)
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(InputError) as err:
        run("wikipedia", path)
    line = next(i for i, l in enumerate(xml.split("\n"), 1) if "</tittel>" in l)
    assert str(path) in str(err.value)
    assert f"line {line}, column" in str(err.value)



def wiki_text(tmp_path, text, **options):
    """The one record the reader makes of a page with ``text``."""
    path = tmp_path / "d.xml"
    path.write_text(wiki_dump([wiki_page("Side", 1, text)]), encoding="utf-8")
    (record,) = READERS["wikipedia"](path, "w", **options)
    return record


def test_wikipedia_braces_in_a_formula_do_not_swallow_the_rest(tmp_path):
    # wikiextractor strips templates before tags: "{{" in a formula opened a template
    # that never closed, and the rest of the article went with it
    text = ("Før <math>\\alpha={{a} \\over {b}}</math> etter. Vann er <chem>H2O}}{{</chem> og "
            "<ce>{{x</ce> klart, <score>{ c4 }</score> noter.\n\n== Del ==\nSiste avsnitt her.")
    assert wiki_text(tmp_path, text).text == "Før etter. Vann er og klart, noter.\nDel\nSiste avsnitt her."


def test_wikipedia_formula_placeholders_never_glue_to_words(tmp_path):
    # an escaped formula is still one to wikiextractor, which puts formula_1 in its place
    text = ("Verdien a<math>x</math>b, c&lt;math&gt;y&lt;/math&gt;d "
            "og e&lt;code&gt;ls&lt;/code&gt;f.")
    assert wiki_text(tmp_path, text).text == "Verdien a b, c d og e f."


def test_wikipedia_transclusion_and_code_tags(tmp_path):
    text = ("<onlyinclude>Synlig.</onlyinclude> <noinclude>Også synlig.</noinclude>"
            "<includeonly>Bare i maler.</includeonly>\n"
            "<syntaxhighlight lang=python>print({{x)</syntaxhighlight>\n"
            "Kjør <code>ls -l</code> nå.<ref name=a/><ref>Kilde {{</ref>\n"
            "<gallery>\nFil:A.jpg|Bilde\n</gallery>\n<pre>kode {{</pre>\n<timeline>x</timeline>"
            "<graph>{}</graph><mapframe latitude=1 />Kart.\n"
            "En <!-- <math> --> kommentar og <nowiki><math></nowiki> som tekst.\n"
            "Uavsluttet <math>formel.\n\nSlutt.<includeonly>uavsluttet skjuler resten\n\nResten.")
    assert wiki_text(tmp_path, text).text == (
        "Synlig. Også synlig.\nKjør nå.\nKart.\nEn kommentar og <math> som tekst.\nUavsluttet formel.\nSlutt.")


LIST_PAGE = """Innledning.
== Liste ==
* Kort punkt
* Dette punktet er en hel setning med mange ord.
# nummerert
:* Et innrykket punkt med nok ord til å telle.
; Term : forklaring
: Et innrykk, som wikiextractor alltid har beholdt.
== Lenker ==
* [http://x.no Bare en lenke]
"""


@pytest.mark.parametrize("lists,text", [
    ("drop", "Innledning.\nListe\nEt innrykk, som wikiextractor alltid har beholdt."),
    ("prose", "Innledning.\nListe\nDette punktet er en hel setning med mange ord.\n"
              "Et innrykket punkt med nok ord til å telle.\nEt innrykk, som wikiextractor alltid har beholdt."),
    ("all", "Innledning.\nListe\nKort punkt\nDette punktet er en hel setning med mange ord.\nnummerert\n"
            "Et innrykket punkt med nok ord til å telle.\nTerm: forklaring\n"
            "Et innrykk, som wikiextractor alltid har beholdt.\nLenker\nBare en lenke"),
])
def test_wikipedia_list_items_by_the_lists_option(tmp_path, lists, text):
    assert wiki_text(tmp_path, LIST_PAGE, lists=lists).text == text


def test_wikipedia_headings_over_lists_only_are_no_prose(tmp_path):
    year = "{{Årsinfo}}\n== Hendelser ==\n* 1. mai: noe skjedde\n== Fødte ==\n* [[Ola Nordmann]]\n"
    record = wiki_text(tmp_path, year)
    assert isinstance(record, Rejected) and record.reason == "no-prose"
    assert record.detail == "no paragraph of text, only 2 headings and 2 list items" and record.raw == year
    assert wiki_text(tmp_path, year, lists="all").text == "Hendelser\n1. mai: noe skjedde\nFødte\nOla Nordmann"



WIKI_DUMPS = SHARED_DATA / "formats" / "wikipedia"
ENWIKI = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
LEFTOVER_MARKUP = re.compile(r"formula_|codice_|</?(?:onlyinclude|noinclude|includeonly|math|chem|ce|score|ref"
                             r"|gallery|syntaxhighlight|source|code|pre|timeline)\b", re.IGNORECASE)


@pytest.mark.skipif(not (WIKI_DUMPS / ENWIKI).exists(),
                    reason=f"real Wikipedia dumps not found at {WIKI_DUMPS} (set SMIE_SHARED_DATA)")
def test_wikipedia_real_dumps():
    read = {name: run("wikipedia", WIKI_DUMPS / name, "w") for name in
            (ENWIKI, "enwiki-shortened-multistream.xml.bz2", "enwiki-table-markup.xml.bz2",
             "elwiki-20230501-head.xml.bz2", "viwiki-20230501-head.xml.bz2")}
    assert {name: len(docs(records)) for name, records in read.items()} == {
        ENWIKI: 105, "enwiki-shortened-multistream.xml.bz2": 105, "enwiki-table-markup.xml.bz2": 5,
        "elwiki-20230501-head.xml.bz2": 107, "viwiki-20230501-head.xml.bz2": 68}
    assert read[ENWIKI] == read["enwiki-shortened-multistream.xml.bz2"]  # the same pages, rejections too
    for name, records in read.items():
        for doc in docs(records):
            assert not LEFTOVER_MARKUP.search(doc.text), (name, doc.id, LEFTOVER_MARKUP.search(doc.text))
    (acid,) = [d for d in docs(read[ENWIKI]) if d.meta["title"] == "Acid"]
    # a "{{" in a formula once cut it at the "Polyprotic acids" section, 36% of its words
    assert acid.text.endswith("a carbon-carbon double bond separates the carbonyl and hydroxyl groups.")
    assert len(acid.text.split()) > 4000


# ------------------------------------------------------------------ oscar

OSCAR_SAMPLES = SHARED_DATA / "formats" / "oscar"


@pytest.mark.skipif(not OSCAR_SAMPLES.is_dir(),
                    reason=f"real OSCAR samples not found at {OSCAR_SAMPLES} (set SMIE_SHARED_DATA)")
def test_oscar_real_samples():
    # OSCAR 22.01 (oscar-project/oscar-io): 63 documents in six languages, with their metadata
    records = run("oscar", OSCAR_SAMPLES / "oscar-io" / "data.jsonl")
    assert len(docs(records)) == len(records) == 63
    labels = {d.meta["lang_hint"] for d in records}
    assert labels == {"es", "en", "de", "zh", "ru", "fr"}
    assert all(d.meta["url"] == d.meta["warc_headers"]["warc-target-uri"] for d in records)
    assert all("sentence_identifications" in d.meta["metadata"] for d in records)
    # OSCAR 2019 (the datasets library's dummies): two documents each, no final newline
    files = sorted(OSCAR_SAMPLES.glob("hf-datasets-dummy/*/dummy_data/*.txt.gz"))
    assert len(files) == 6
    for path in files:
        records = run("oscar", path)
        assert len(docs(records)) == len(records) == 2, path



def oscar_line(content, label="no", version="23.01", uri="https://e.no/1"):
    metadata = {"identification": {"label": label, "prob": 0.9},
                "harmful_pp": 12.5, "tlsh": "tlsh:T1", "categories": ["news"],
                "sentence_identifications": [{"label": label, "prob": 0.9}]}
    if version == "23.01":
        metadata["quality_warnings"] = ["short_sentences"]
    else:
        metadata["annotation"] = ["short_sentences"]
    record = {"content": content, "warc_headers": {"warc-target-uri": uri, "warc-type": "conversion"},
              "metadata": metadata}
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def test_oscar_2301_jsonl_zst(tmp_path):
    lines = [oscar_line("Første linje.\n\n  Andre   linje."),
             b"\xff\xfe not utf-8 \xe6",
             b'{"content": "unterminated',
             b'{"no_content": 1}',
             oscar_line("Siste dokument.", label="nn", uri="https://e.no/5")]
    path = tmp_path / "no_meta_part_1.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(b"\n".join(lines) + b"\n"))
    records = run("oscar", path, "oscar")
    first, last = docs(records)
    assert first.id == "oscar/no_meta_part_1.jsonl.zst/0"
    assert first.text == "Første linje.\nAndre linje."
    assert first.meta["metadata"]["quality_warnings"] == ["short_sentences"]
    assert "annotation" not in first.meta["metadata"]
    assert first.meta["warc_headers"]["warc-target-uri"] == "https://e.no/1"
    assert first.meta["lang_hint"] == "no" and first.meta["url"] == "https://e.no/1"
    assert (last.id, last.meta["lang_hint"]) == ("oscar/no_meta_part_1.jsonl.zst/4", "nn")
    bad = {r.id: r for r in rejected(records)}
    assert [(i, r.reason) for i, r in bad.items()] == [
        ("oscar/no_meta_part_1.jsonl.zst/1", "invalid-utf8"),
        ("oscar/no_meta_part_1.jsonl.zst/2", "malformed-json"),
        ("oscar/no_meta_part_1.jsonl.zst/3", "malformed-json"),
    ]
    assert "not utf-8" in bad["oscar/no_meta_part_1.jsonl.zst/1"].raw
    assert bad["oscar/no_meta_part_1.jsonl.zst/2"].raw == '{"content": "unterminated'


def test_oscar_2201_annotation_normalised(tmp_path):
    path = gz(tmp_path / "nn_meta.jsonl.gz", oscar_line("Eit dokument.", "nn", "22.01") + b"\n")
    (doc,) = run("oscar", path)
    assert doc.text == "Eit dokument."
    assert doc.meta["metadata"]["quality_warnings"] == ["short_sentences"]
    assert doc.meta["metadata"]["annotation"] == ["short_sentences"]
    assert doc.meta["metadata"]["identification"] == {"label": "nn", "prob": 0.9}


def test_oscar_2019_txt_gz(tmp_path):
    text = "Første dokument.\nAndre linje.\n\nAndre dokument.\n\n\n\nTredje.\n"
    path = gz(tmp_path / "nn_dedup.txt.gz", text.encode("utf-8"))
    records = run("oscar", path, "o")
    assert [(d.id, d.text) for d in records] == [
        ("o/nn_dedup.txt.gz/0", "Første dokument.\nAndre linje."),
        ("o/nn_dedup.txt.gz/1", "Andre dokument."),
        ("o/nn_dedup.txt.gz/2", "Tredje."),
    ]
    assert records[0].meta == {}


def test_oscar_2019_invalid_utf8_document_set_aside(tmp_path):
    data = "Først.\n\n".encode() + b"D\xe5rlig koding.\n\n" + "Sist.\n".encode()
    records = run("oscar", gz(tmp_path / "no_dedup.txt.gz", data), "o")
    assert [(r.id, r.text if isinstance(r, Document) else r.reason) for r in records] == [
        ("o/no_dedup.txt.gz/0", "Først."),
        ("o/no_dedup.txt.gz/1", "invalid-utf8"),
        ("o/no_dedup.txt.gz/2", "Sist."),
    ]
    assert records[1].raw.encode("utf-8", "surrogateescape").startswith("Dårlig koding.".encode("latin-1"))  # its bytes kept


def test_oscar_truncated_zstd(tmp_path):
    data = zstandard.ZstdCompressor().compress(b"\n".join(oscar_line(f"Dok {i}.") for i in range(3000)))
    path = tmp_path / "cut.jsonl.zst"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cut\.jsonl\.zst: truncated or corrupt zstd"):
        run("oscar", path)


# ------------------------------------------------------------------ text


def test_text_folder(tmp_path):
    root = tmp_path / "tekster"
    (root / "b").mkdir(parents=True)
    (root / "b" / "2.txt").write_bytes("Blåbær og\nfårikål.\n\n\nNytt   avsnitt.".encode("iso-8859-1"))
    (root / "1.txt").write_text("\ufeffEn linje.\r\n\r\nTo linjer\r\nher.", encoding="utf-8")
    (root / "tom.txt").write_text("  \n\n \n")
    (root / "ikke.md").write_text("ignored")
    records = run("text", root, "t")
    assert [(r.id, r.text if isinstance(r, Document) else r.reason) for r in records] == [
        ("t/1.txt", "En linje.\nTo linjer her."),
        ("t/b/2.txt", "Blåbær og fårikål.\nNytt avsnitt."),
        ("t/tom.txt", "empty"),
    ]
    assert records[0].meta["encoding"] == "utf-8"
    assert records[1].meta["encoding"] == "iso-8859-1"


def test_text_archives(tmp_path):
    tar = tar_gz(tmp_path / "t.tar.gz", [("a/x.txt", b"Hei."), ("a/y.bin", b"\x00")])
    assert [(d.id, d.text) for d in run("text", tar, "t")] == [("t/a/x.txt", "Hei.")]
    zpath = tmp_path / "t.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("z.txt", "Hallo.")
    assert [(d.id, d.text) for d in run("text", zpath, "t")] == [("t/z.txt", "Hallo.")]


# ------------------------------------------------------------------ html
# trafilatura judges a page by its text: pages shorter than a real article (under ~250
# characters) go to its whole-page fallback, so these pages carry a story of real length.

STORY = [
    "Det blir sol i hele Sør-Norge i morgen, og temperaturen kan nå over tjue grader flere steder på Østlandet.",
    "Meteorologen sier at det fine været varer minst til søndag, men at det kan komme regn på Vestlandet.",
    "Bøndene er glade for varmen etter en kald og våt vår som har forsinket både såing og slått i hele landet.",
]
STORY_HTML = "".join(f"<p>{s}</p>" for s in STORY)

PAGE = f"""<!DOCTYPE html>
<html lang="nb-NO"><head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Nyhet om været</title>
<link rel="canonical" href="https://avis.no/nyhet/1">
<script>var tracking = "SCRIPTTEKST";</script>
<style>.x {{ color: red }}</style>
</head><body>
<header><a href="/">AVISLOGO</a></header>
<nav><ul><li>MENYPUNKT</li><li>MENYPUNKT TO</li></ul></nav>
<div class="cookie-banner">Vi bruker COOKIES. <button>OK</button></div>
<div id="main-menu">MENYLENKE</div>
<article>
  <header><h1>Været   blir fint</h1><p class="byline">Av REPORTER</p></header>
  <p>{STORY[0]}</p>
  <div class="share-buttons">DEL PÅ FACEBOOK</div>
  <h2>Varer til helgen</h2>
  <p>{STORY[1]}<br>{STORY[2]}</p>
  <ul><li>Mandag: sol</li><li>Tirsdag: sky</li></ul>
  <aside class="les-ogsa"><a href="/x">LES OGSÅ DETTE</a></aside>
  <section class="related-articles"><p><a href="/y">RELATERT SAK</a></p></section>
</article>
<footer>KONTAKT OSS</footer>
<noscript>NOSCRIPTTEKST</noscript>
</body></html>
"""


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def read_page(tmp_path, html: str | bytes, name: str = "side.html"):
    path = tmp_path / name
    path.write_bytes(html.encode("utf-8") if isinstance(html, str) else html)
    (record,) = run("html", path, "web")
    return record


def test_html_boilerplate_removed(tmp_path):
    root = tmp_path / "sider"
    root.mkdir()
    (root / "side.html").write_bytes(PAGE.encode("iso-8859-1"))
    (doc,) = run("html", root, "web")
    assert doc.id == "web/side.html"
    # headings, lines and list items are paragraphs of their own
    assert doc.text == "\n".join(["Været blir fint", STORY[0], "Varer til helgen", *STORY[1:],
                                  "Mandag: sol", "Tirsdag: sky"])
    for junk in ("SCRIPTTEKST", "AVISLOGO", "REPORTER", "MENY", "COOKIES", "FACEBOOK", "LES OGSÅ",
                 "RELATERT", "KONTAKT", "NOSCRIPT", "color"):
        assert junk not in doc.text
    assert doc.meta == {"path": "side.html", "encoding": "windows-1252", "title": "Nyhet om været",
                        "url": "https://avis.no/nyhet/1", "lang_hint": "nb"}


def test_html_main_text_and_charset_fallback(tmp_path):
    root = tmp_path / "sider"
    root.mkdir()
    (root / "a.htm").write_bytes(page(f"<main><h2>Overskrift</h2>{STORY_HTML}</main>",
                                      '<meta property="og:url" content="https://x.no/a">')
                                 .encode("iso-8859-1"))  # no charset declared, not UTF-8
    (root / "b.html").write_text(page(f"<p>Bare <i>body</i>.</p><table><tr><td>celle</td></tr></table>{STORY_HTML}"),
                                 encoding="utf-8")
    (root / "c.html").write_text(page("<script>document.write('bare skript')</script>"))
    (root / "d.html").write_text("<!-- nothing but a comment -->")
    a, b, c, d = run("html", root, "web")
    assert (a.id, a.text, a.meta["url"], a.meta["encoding"]) == (
        "web/a.htm", "\n".join(["Overskrift", *STORY]), "https://x.no/a", "windows-1252")
    assert (b.id, b.text, b.meta["encoding"]) == ("web/b.html", "\n".join(["Bare body.", "celle", *STORY]), "utf-8")
    assert (c.id, c.reason) == ("web/c.html", "empty")
    assert (d.id, d.reason) == ("web/d.html", "empty")


def test_html_archive_utf8_meta_charset_and_other_files_counted(tmp_path):
    html = page(STORY_HTML.replace("Sør", "Æ ø å Sør"), '<meta charset="utf-8"><title>T</title>').encode("utf-8")
    path = tar_gz(tmp_path / "sider.tar.gz", [("x/side.html", html), ("x/bilde.png", b"\x89PNG\r\n\x1a\n"),
                                               ("x/notater.txt", "Bare tekst, ingen HTML.".encode())])
    doc, png, txt = run("html", path, "web")
    assert (doc.id, doc.meta["encoding"]) == ("web/x/side.html", "utf-8")
    assert doc.text.startswith("Det blir sol i hele Æ ø å Sør-Norge")
    assert [(r.id, r.reason) for r in (png, txt)] == [("web/x/bilde.png", "not-html"), ("web/x/notater.txt", "not-html")]


def test_html_utf8_page_with_a_stray_byte_stays_utf8(tmp_path):
    # One byte of Latin-1 pasted into a UTF-8 page: the page is still UTF-8, not Latin-1 mojibake.
    for head in ('<meta charset="utf-8">', ""):
        body = page(STORY_HTML, head).encode("utf-8").replace("hele".encode(), b"h\xe9le")
        doc = read_page(tmp_path, body)
        assert doc.meta["encoding"] == "utf-8"
        assert doc.text.split("\n")[0] == STORY[0].replace("hele", "h\ufffdle")
        assert "Sør-Norge" in doc.text and "Ã" not in doc.text


def test_html_page_lying_about_utf8_is_read_as_windows_1252(tmp_path):
    doc = read_page(tmp_path, page(STORY_HTML, '<meta charset="utf-8">').encode("windows-1252"))
    assert (doc.text, doc.meta["encoding"]) == ("\n".join(STORY), "windows-1252")


def test_html_content_inside_a_form_is_kept(tmp_path):
    # ASP.NET WebForms pages wrap the whole body in one <form>.
    doc = read_page(tmp_path, page('<form method="post" action="./Default.aspx" id="form1">'
                                   '<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4">'
                                   f'<div class="content"><h1>Tittel</h1>{STORY_HTML}</div></form>'))
    assert doc.text == "\n".join(["Tittel", *STORY])


def test_html_empty_first_main_or_article_is_not_chosen(tmp_path):
    doc = read_page(tmp_path, page(f"<main></main><div><article></article><article>{STORY_HTML}</article></div>"))
    assert doc.text == "\n".join(STORY)


@pytest.mark.parametrize("wrapper", ['<div class="paywall">{}</div>', '<div class="box article">{}</div>',
                                     '<article class="paywall">{}</article>'])
def test_html_story_body_named_paywall_or_box_article_is_kept(tmp_path, wrapper):
    doc = read_page(tmp_path, page('<nav><a href="/">Hjem</a></nav><div class="intro"><p>Ingress om været.</p></div>'
                                   + wrapper.format(STORY_HTML) + "<footer>KONTAKT</footer>"))
    assert doc.text.endswith("\n".join(STORY)) and "KONTAKT" not in doc.text


def test_html_class_names_never_take_the_article_with_them(tmp_path):
    body = "".join(f"<p>Avsnitt {i} med nok tekst til å telle som innhold på siden.</p>" for i in range(30))
    doc = read_page(tmp_path, page(f'<div class="page has-sidebar"><div class="content">{body}</div>'
                                   '<div class="sidebar">SIDEBAR</div></div>'))
    assert doc.text.startswith("Avsnitt 0 med nok tekst") and len(doc.text.split("\n")) == 30
    assert "SIDEBAR" not in doc.text


def test_html_related_teasers_dropped_even_as_articles(tmp_path):
    doc = read_page(tmp_path, page(f'<article>{STORY_HTML}<div class="related"><article><p>'
                                   '<a href="/t">TEASER</a></p></article></div></article>'))
    assert doc.text == "\n".join(STORY)


def test_html_pages_by_content_compressed_or_without_suffix(tmp_path):
    root = tmp_path / "sider"
    root.mkdir()
    html = page(f"<nav>Meny</nav><article><h1>Tittel</h1>{STORY_HTML}</article>").encode("utf-8")
    gz(root / "a.html.gz", html)
    (root / "b.php").write_bytes(b"\n\n<!DOCTYPE html>\n" + html)  # a PHP page, blank lines before the doctype
    (root / "c.aspx").write_bytes(html)
    (root / "d").write_bytes(b"<!-- saved by a crawler -->\n" + html)
    (root / "e.gz").write_bytes(gzip.compress(b"col1,col2\n1,2\n"))
    records = run("html", root, "web")
    assert [(r.id, r.text) for r in docs(records)] == [
        (f"web/{name}", "\n".join(["Tittel", *STORY])) for name in ("a.html.gz", "b.php", "c.aspx", "d")]
    assert [(r.id, r.reason) for r in rejected(records)] == [("web/e.gz", "not-html")]


def test_html_page_saved_under_a_name_without_suffix_is_read(tmp_path):
    # A page downloaded from https://example.no/nyheter/artikkel-1.2345
    doc = read_page(tmp_path, page(f"<nav>Meny</nav><article><h1>Tittel</h1>{STORY_HTML}</article>"),
                    name="artikkel-1.2345")
    assert (doc.id, doc.text) == ("web/artikkel-1.2345", "\n".join(["Tittel", *STORY]))


def test_html_a_corrupt_compressed_page_names_the_file(tmp_path):
    path = tmp_path / "side.html.gz"
    path.write_bytes(gzip.compress(page(STORY_HTML).encode())[:-30])
    with pytest.raises(InputError, match=r"side\.html\.gz: truncated or corrupt gzip"):
        run("html", path, "web")


def test_html_text_nested_past_the_parsers_depth_limit_is_kept(tmp_path):
    # libxml2 stops at 256 nested elements and would lose the story after them.
    doc = read_page(tmp_path, page("<div>x " * 300 + "</div>" * 300 + f"<article>{STORY_HTML}</article>"))
    assert doc.text.endswith("\n".join(STORY))


# ------------------------------------------------------------------ streaming and odd inputs


def test_wikipedia_streams_pages_before_a_late_error(tmp_path):
    xml = wiki_dump([wiki_page("A", 1, "Første side."), wiki_page("B", 2, "Andre side.")])
    path = tmp_path / "late.xml"
    path.write_text(xml.replace("</mediawiki>", "<page><title>C</title></mediawiki>"), encoding="utf-8")
    reader = READERS["wikipedia"](path, "w")
    assert next(reader).text == "Første side."
    assert next(reader).text == "Andre side."
    with pytest.raises(InputError, match=r"late\.xml: malformed XML at line \d+, column \d+"):
        next(reader)


def test_unknown_or_missing_inputs(tmp_path):
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match=r"data\.csv: unknown OSCAR format"):
        run("oscar", odd)
    with pytest.raises(InputError, match=r"nowhere: no such file or folder"):
        run("text", tmp_path / "nowhere")
