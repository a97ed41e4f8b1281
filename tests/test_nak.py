"""The Norsk Aviskorpus reader on its three published layouts and the archives around them.

The inputs are written here in the layouts the public evidence shows (docs/DESIGN.md,
"Norsk Aviskorpus"); the text is invented, since no NAK text may be shipped.
"""

import gzip
import io
import tarfile
import zipfile

import pytest

from fixtures_readers import nak_section1, nak_section2, nak_section3, tar_gz
from smie.documents import Document, InputError, InputSummary, Rejected
from smie.extract.nak import detokenize, read
from smie.extract.run import extract


def records(path, max_bytes=None):
    return list(read(path, "nak", max_bytes))


def docs(rs):
    return [r for r in rs if isinstance(r, Document)]


def rejected(rs):
    return [(r.id, r.reason) for r in rs if isinstance(r, Rejected)]


def inputs(path, tmp_path):
    """``inputs`` of the stats extract() writes for the file: its own counts and its containers'."""
    out = tmp_path / "extracted"
    out.mkdir()
    stats = extract([path], kind="nak", source="nak", lang_hint=None, shard_paths=[out / "0000.jsonl.gz"],
                    stats_path=out / "stats.json", rejected_path=out / "rejected.jsonl.gz")
    return {name: (c["documents"], c["records"]) for name, c in stats.extra["inputs"].items()}


def summaries(rs):
    return [(s.path, s.documents, s.records) for s in rs if isinstance(s, InputSummary)]


def tar_bytes(members, compress=True):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if compress else "w") as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


SECTION1 = nak_section1([
    ("http://odin.example.no/prm/981013.html", "OD", "98", "10", "13",
     "Pressemelding nr . 12/98 : Fylket får « nye » veier , sa han .".split()),
    ("http://www.avis.example.no/art?id=9", "AA", "01", "", "07", "Ap : Nei .".split()),
    ("http://www.avis.example.no/art?id=10", "AA", "03", "02", "01", "Første avsnitt . | Andre avsnitt .".split()),
])


def test_detokenize_norwegian_punctuation():
    tokens = ("Han sa : « Vi kommer , f.eks. i morgen ( kanskje ) » . "
              'Det koster 3,5 millioner ! Hun kalte det " tull " .').split()
    assert detokenize(tokens) == (
        "Han sa: «Vi kommer, f.eks. i morgen (kanskje)». "
        'Det koster 3,5 millioner! Hun kalte det "tull".'
    )


def test_detokenize_hyphens_slashes_and_ranges():
    tokens = ("Nye gang - og sykkelveier og / eller barne - , ungdoms - og voksenlag "
              "i 1998 - 2001 - en suksess .").split()
    assert detokenize(tokens) == (
        "Nye gang- og sykkelveier og/eller barne-, ungdoms- og voksenlag i 1998-2001 - en suksess.")


def test_section1_articles_are_cut_at_their_url_headers(tmp_path):
    path = tmp_path / "19981013-20010307.gz"
    path.write_bytes(gzip.compress(SECTION1.encode("iso-8859-1")))
    rs = records(path)
    a, b, c = docs(rs)
    assert [d.id for d in (a, b, c)] == [f"nak/19981013-20010307.gz/{n}" for n in (1, 2, 3)]
    assert a.text == "Pressemelding nr. 12/98: Fylket får «nye» veier, sa han."
    assert a.meta == {"url": "http://odin.example.no/prm/981013.html", "newspaper": "OD", "date": "1998-10-13",
                      "archive": "19981013-20010307.gz", "nak_section": 1, "encoding": "iso-8859-1"}
    assert (b.text, b.meta["date"], b.meta["newspaper"]) == ("Ap: Nei.", "2001", "AA")  # <M > is empty
    assert c.text == "Første avsnitt.\nAndre avsnitt."  # a lone | ends a paragraph
    assert summaries(rs) == [] and rejected(rs) == []


def test_section1_article_over_the_limit_is_set_aside_and_the_next_is_read(tmp_path):
    big = nak_section1([("http://x.no/1", "VG", "99", "01", "02", ["ord"] * 5000)])
    path = tmp_path / "1.gz"
    path.write_bytes(gzip.compress((big + SECTION1).encode("utf-8")))
    rs = records(path, max_bytes=4096)
    assert rejected(rs) == [("nak/1.gz/1", "too-large")]
    assert [d.id for d in docs(rs)] == ["nak/1.gz/2", "nak/1.gz/3", "nak/1.gz/4"]
    assert rs[0].raw.startswith("<U #http://x.no/1>")


def test_text_before_the_first_header_is_set_aside(tmp_path):
    stray = "løse\nord\n"
    path = tmp_path / "1.gz"
    path.write_bytes(gzip.compress((stray + SECTION1).encode("utf-8")))
    rs = records(path)
    assert rejected(rs) == [("nak/1.gz/line-1", "outside-article")]
    assert rs[0].raw == stray + "\n"  # nothing lost (SECTION1 starts with a blank line)
    assert len(docs(rs)) == 3


SECTION2 = nak_section2([
    ("http://www.avis.example.no/kultur/article1.ece", "AA", "08", "01", "22", [
        "Publisert 22.01.2008 - 08:30 |  Endret: 22.01.2008 - 09:01  ¶",
        "Bandet:  NYE SANGER  ¶",
        "Blass pop fra et band som lover mye . ¶",
    ]),
    ("http://www.avis.example.no/nyheter/article2.ece", "AA", "08", "01", "21", [
        "Publisert 21.01.2008 - 18:45 |  Endret: 21.01.2008 - 21:11  ¶",
        "Stort utslipp i fjorden:  ¶",
        "Svært skuffet statsråd¶",
    ]),
])


def test_section2_member_holds_several_articles(tmp_path):
    path = tmp_path / "aa.tar.gz"
    path.write_bytes(tar_bytes([("aa/20080122.txt", SECTION2.encode("iso-8859-1"))]))
    rs = records(path)
    first, second = docs(rs)
    assert (first.id, second.id) == ("nak/aa.tar.gz/aa/20080122.txt/1", "nak/aa.tar.gz/aa/20080122.txt/2")
    assert first.text.split("\n") == ["Publisert 22.01.2008 - 08:30", "Endret: 22.01.2008 - 09:01",
                                      "Bandet: NYE SANGER", "Blass pop fra et band som lover mye ."]
    assert second.text.endswith("Stort utslipp i fjorden:\nSvært skuffet statsråd")
    assert first.meta == {"url": "http://www.avis.example.no/kultur/article1.ece", "newspaper": "AA",
                          "date": "2008-01-22", "archive": "aa.tar.gz/aa/20080122.txt", "nak_section": 2,
                          "encoding": "iso-8859-1"}
    assert not any("##" in d.text for d in docs(rs))
    assert summaries(rs) == []  # the file itself is counted by extract()
    assert inputs(path, tmp_path) == {"aa.tar.gz": (2, 2)}


HEADER = {"file": "KK/nob/2011/09/01/20110901-1.xml",
          "url": "http://www.avis.example.no/artikler/1/article/item/null 690 4 20 4234",
          "source": "KK", "date": "2011-09-01", "author": "Kari Nordmann", "gender": "F",
          "class1": "", "class2": "", "language": "nob"}
DIVS = [("title", "Velgerne avgjør"), ("ingress", "Byen vurderer å selge kinoen."),
        ("author", "Av Kari Nordmann"), ("date", "Torsdag 1. september, 2011"),
        ("caption", '<p><div style="x"><object id="a"><param name="m" value="y" /><embed src="z" /></object></div></p>'
                    "BILDE: kinoen")]


def test_section3_header_title_and_ingress(tmp_path):
    path = tmp_path / "kk.tar.gz"
    path.write_bytes(tar_bytes([
        ("KK/nob/2011/09/01/20110901-1.xml",
         nak_section3(HEADER, DIVS, ["Også  festivalen i fare.", "Savner <b>politikerne</b>."]).encode("iso-8859-1")),
    ]))
    (doc,) = docs(records(path))
    assert doc.id == "nak/kk.tar.gz/KK/nob/2011/09/01/20110901-1.xml"
    assert doc.text == "Velgerne avgjør\nByen vurderer å selge kinoen.\nOgså festivalen i fare.\nSavner politikerne."
    assert doc.meta == {"url": "http://www.avis.example.no/artikler/1/article/item/null", "newspaper": "KK",
                        "date": "2011-09-01", "author": "Kari Nordmann", "gender": "F",
                        "file": "KK/nob/2011/09/01/20110901-1.xml", "title": "Velgerne avgjør", "lang_hint": "nb",
                        "archive": "kk.tar.gz", "nak_section": 3, "encoding": "iso-8859-1"}


def test_section3_quirks(tmp_path):
    nno = {**HEADER, "language": "nno", "date": "2009-01-03 03:45"}
    members = [
        # a text div of empty paragraphs: title and ingress are the article
        ("a.xml", nak_section3(nno, DIVS[:2], ["", ""]).encode("iso-8859-1")),
        # no text div at all
        ("b.xml", nak_section3(HEADER, DIVS, None).encode("iso-8859-1")),
        # declared ISO-8859-1, written in UTF-8
        ("c.xml", nak_section3(HEADER, [], ["Blåbær på Ørland."]).encode("utf-8")),
        # declared twice (what lxml refuses in a decoded text), in UTF-8
        ("e.xml", ('<?xml version="1.0" encoding="UTF-8"?>' + nak_section3(HEADER, [], ["Én to."])).encode("utf-8")),
        # not XML: an unclosed <p>, a bare &
        ("d.xml", nak_section3(HEADER, [], ["Først", "Så"]).replace("</p>", "").replace("Så", "Så & så")
         .encode("iso-8859-1")),
    ]
    path = tmp_path / "x.tar.gz"
    path.write_bytes(tar_bytes(members))
    rs = records(path)
    a, c, e, d = docs(rs)
    assert a.text == "Velgerne avgjør\nByen vurderer å selge kinoen."
    assert (a.meta["lang_hint"], a.meta["date"]) == ("nn", "2009-01-03 03:45")
    assert rejected(rs) == [("nak/x.tar.gz/b.xml", "no-text-div")]
    assert (c.text, c.meta["encoding"]) == ("Blåbær på Ørland.", "utf-8")
    assert "Først" in d.text and "så" in d.text
    assert (e.text, e.meta["encoding"]) == ("Én to.", "utf-8")


def test_yearly_tar_holds_nested_archives_and_every_container_is_summarised(tmp_path):
    article = nak_section3(HEADER, DIVS[:1], ["Tekst."]).encode("iso-8859-1")
    path = tmp_path / "nak_2012.tar"
    path.write_bytes(tar_bytes([
        ("2012/kk_nob.tar.gz", tar_bytes([("KK/nob/2012/01/01/20120101-1.xml", article)])),
        ("2012/tom.tar.gz", tar_bytes([("README", b"nothing here\n")])),
    ], compress=False))
    rs = records(path)
    assert [d.id for d in docs(rs)] == ["nak/nak_2012.tar/2012/kk_nob.tar.gz/KK/nob/2012/01/01/20120101-1.xml"]
    assert rejected(rs) == [("nak/nak_2012.tar/2012/tom.tar.gz/README", "unknown-layout")]
    assert summaries(rs) == [("nak_2012.tar/2012/kk_nob.tar.gz", 1, 1), ("nak_2012.tar/2012/tom.tar.gz", 0, 1)]
    assert inputs(path, tmp_path) == {"nak_2012.tar": (1, 2), "nak_2012.tar/2012/kk_nob.tar.gz": (1, 1),
                                      "nak_2012.tar/2012/tom.tar.gz": (0, 1)}


def test_zip_of_the_three_sections(tmp_path):
    path = tmp_path / "norsk_aviskorpus.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("1/", b"")
        zf.writestr("1/19981013-20010307.gz", gzip.compress(SECTION1.encode("iso-8859-1")))
        zf.writestr("2/aa.tar.gz", tar_bytes([("aa/1.txt", SECTION2.encode("iso-8859-1"))]))
        zf.writestr("3/kk.tar.gz", tar_bytes([("KK/nno/1.xml", nak_section3({}, [], ["Hei frå tre."]).encode())]))
        zf.writestr("1/tokens-without-headers.gz", gzip.compress("Ord\nfor\nord\n".encode()))
        zf.writestr("LESMEG.pdf", b"%PDF-1.4 not an archive")
    rs = records(path)
    assert len(docs(rs)) == 6
    assert docs(rs)[-1].meta["lang_hint"] == "nn"  # from the path: no language attribute
    assert rejected(rs) == [("nak/norsk_aviskorpus.zip/1/tokens-without-headers.gz", "unknown-layout"),
                            ("nak/norsk_aviskorpus.zip/LESMEG.pdf", "unknown-layout")]
    assert inputs(path, tmp_path)["norsk_aviskorpus.zip"] == (6, 8)


def test_a_member_misread_shows_as_a_container_without_documents(tmp_path):
    # headers whose text went missing (say, a layout that puts it elsewhere)
    headers_only = nak_section2([("http://x.no/1", "AA", "08", "01", "22", []),
                                 ("http://x.no/2", "AA", "08", "01", "23", [])])
    path = tmp_path / "x.tar"
    path.write_bytes(tar_bytes([("1.txt", headers_only.encode())], compress=False))
    rs = records(path)
    assert rejected(rs) == [("nak/x.tar/1.txt/1", "empty"), ("nak/x.tar/1.txt/2", "empty")]
    assert summaries(rs) == [("x.tar/1.txt", 0, 2)]
    assert inputs(path, tmp_path) == {"x.tar": (0, 2), "x.tar/1.txt": (0, 2)}


def test_unknown_top_level_file_and_damage_name_the_file(tmp_path):
    path = tmp_path / "what.dat"
    path.write_text("nothing I know")
    with pytest.raises(InputError, match=r"what\.dat: unknown format"):
        records(path)
    data = gzip.compress(nak_section1([(f"http://x.no/{i}", "VG", "99", "1", "1", ["ord"] * 200)
                                       for i in range(50)]).encode())
    cut = tmp_path / "cut.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cut\.gz: truncated or corrupt gzip"):
        records(cut)
    evil = tar_gz(tmp_path / "evil.tar.gz", [("../../etc/cron.d/x.txt", b"boom")])
    with pytest.raises(InputError, match=r"evil\.tar\.gz.*\.\./\.\./etc/cron\.d/x\.txt"):
        records(evil)
