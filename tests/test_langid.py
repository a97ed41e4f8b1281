"""Language identification (smie.langid): polyglot's labels, keep rule, paragraph
level, the lingua second opinion, the demo's planted foreign documents, and accuracy on
real UD sentences. The discriminator's part: tests/test_discriminator.py."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from smie.documents import Document, word_count
from conftest import REPO, SHARED_DATA, demo_documents
from smie.langid import Settings, identify, language_table, make_step


NB = ("Kommunestyret vedtok i går å bygge en ny barneskole i sentrum, og arbeidet "
      "skal etter planen være ferdig om to år.")
NN = ("Kommunestyret vedtok i går å byggje ein ny barneskule i sentrum, og arbeidet "
      "skal etter planen vere ferdig om to år.")
DA = ("Kommunalbestyrelsen besluttede i går at bygge en ny folkeskole i centrum, og "
      "arbejdet forventes at være færdigt om to år.")
SV = ("Kommunfullmäktige beslutade i går att bygga en ny grundskola i centrum, och "
      "arbetet beräknas vara klart om två år.")
EN = ("The town council decided yesterday to build a new primary school in the centre, "
      "and the work is expected to be finished in two years.")


def doc(text: str, id: str = "t/1") -> Document:
    return Document(id=id, source="t", text=text)


@pytest.mark.parametrize(
    "text, label, reason",
    [(NB, "nb", None), (NN, "nn", None), (DA, "da", "lang-da"), (SV, "sv", "lang-sv"), (EN, "en", "lang-en")],
)
def test_labels_and_reasons(text, label, reason):
    got, confidence = identify(text)
    assert got == label
    assert 0.5 < confidence <= 1.0
    d = doc(text)
    result = make_step()(d)
    assert d.lang == label
    assert d.meta["langid"]["label"] == label
    assert d.meta["langid"]["backend"] == "polyglot"
    assert d.meta["langid"]["confidence"] == pytest.approx(confidence, abs=1e-4)
    if reason is None:
        assert result is d
    else:
        assert result == reason


def test_unknown_and_low_confidence():
    step = make_step()
    assert step(doc("12345 67 -- 89")) == "lang-unknown"
    assert identify("") == ("unknown", 0.0)
    # a kept language below the threshold is dropped as low-confidence
    strict = make_step(Settings(threshold=1.0))
    assert strict(doc(NB)) == "low-confidence"
    # keep is a setting: Danish kept, Bokmål now dropped
    da_only = make_step(Settings(keep=["da"]))
    assert isinstance(da_only(doc(DA)), Document)
    assert da_only(doc(NB)) == "lang-nb"


@pytest.mark.parametrize(
    "noise", ["\x00", "\x07\x1b", "\ud800", "\udfff\ud83d", "\u200b\ufeff", "\ue000", "\x85\x9f",
              "\ufdd0", "\uffff", "\U0010ffff", "\U0001fffe"]
)
def test_control_characters_lone_surrogates_and_noncharacters(noise):
    """Each raises inside CLD2 (polyglot passes the error on); the text is still identified."""
    text = NB.replace(" i sentrum", f" i{noise} sentrum") + noise
    assert identify(text)[0] == "nb"
    d = doc(text)
    assert make_step()(d) is d
    d.to_json()  # the document still serialises


def test_paragraph_level_trims_english_paragraph():
    text = "\n".join([NB, EN, "Les mer.", NB.replace("i går", "mandag")])
    d = doc(text)
    result = make_step(Settings(level="paragraph"))(d)
    assert isinstance(result, tuple)
    kept, trimmed = result
    assert trimmed == {"other-language-lines": word_count(EN)}
    assert kept.text == "\n".join([NB, "Les mer.", NB.replace("i går", "mandag")])  # short one follows
    assert kept.lang == "nb"
    assert kept.meta["langid"]["paragraphs"] == {"total": 4, "trimmed": 1}


def test_paragraph_level_majority_of_words_and_whole_drop():
    # mostly English, one Norwegian paragraph: the document is English and dropped whole
    d = doc("\n".join([EN, EN.replace("yesterday", "on Monday"), NB]))
    assert make_step(Settings(level="paragraph"))(d) == "lang-en"
    assert d.text.count("\n") == 2  # a dropped document is audited unchanged
    # Nynorsk majority
    d = doc("\n".join([NN, NN.replace("i går", "måndag"), NB]))
    assert make_step(Settings(level="paragraph"))(d) is d
    assert d.lang == "nn"
    # plurality by label, not by kept/other: nb 21 + nn 21 words lose to en 24 words
    assert word_count(NB) == word_count(NN) < word_count(EN)
    assert make_step(Settings(level="paragraph"))(doc("\n".join([NB, EN, NN]))) == "lang-en"
    # only short paragraphs: the document is judged as a whole
    d = doc("Hei og hopp.\nVi ses i morgen.\nHa det bra.")
    make_step(Settings(level="paragraph"))(d)
    assert d.meta["langid"]["paragraphs"] == {"total": 3, "trimmed": 0}
    assert d.lang == identify(d.text)[0]


def test_paragraph_level_balance_with_shard_filter(tmp_path):
    from smie.documents import open_gzip_writer
    from smie.shard_filter import filter_shard
    from smie.stats import check_balance

    docs = [doc("\n".join([NB, EN, NB.replace("i går", "mandag")]), "t/1"), doc(DA, "t/2"), doc(NN, "t/3")]
    inp = tmp_path / "in.jsonl.gz"
    with open_gzip_writer(inp) as f:
        for d in docs:
            f.write(d.to_json() + "\n")
    step = make_step(Settings(level="paragraph"))
    stats = filter_shard(inp, tmp_path / "out.jsonl.gz", tmp_path / "stats.json", tmp_path / "dropped.jsonl.gz",
                         stage="langid", source="t", step=step).to_dict()
    check_balance(stats)
    assert stats["documents"]["dropped"] == {"lang-da": 1, "other-language-lines": 0}
    assert stats["words"]["dropped"] == {"lang-da": word_count(DA), "other-language-lines": word_count(EN)}
    assert step.counts == Counter({"nb": 1, "da": 1, "nn": 1})


def test_settings_from_dict():
    assert Settings.from_dict(None) == Settings()
    s = Settings.from_dict({"keep": ["nb"], "threshold": 0.8, "level": "paragraph", "second_opinion": "lingua"})
    assert s.keep == ("nb",) and s.threshold == 0.8 and s.level == "paragraph" and s.second_opinion == "lingua"
    chosen = Settings.from_dict({"second_opinion": "discriminator", "confusable": ["nb", "nn"]})
    assert chosen.confusable == ("nb", "nn")
    for bad in ({"level": "line"}, {"second_opinion": "polyglot"}, {"threshold": 2}, {"keeep": ["nb"]}):
        with pytest.raises(ValueError):
            Settings.from_dict(bad)


def test_language_table():
    rows = language_table({"nb": 6, "nn": 3, "da": 1, "sv": 0})
    assert rows == [
        {"language": "nb", "records": 6, "share": 0.6},
        {"language": "nn", "records": 3, "share": 0.3},
        {"language": "da", "records": 1, "share": 0.1},
    ]
    records = [Document("a", "s", "x", lang="nn"), {"lang": None, "meta": {"langid": {"label": "en"}}},
               {"lang": "nn", "meta": {}}]
    assert language_table(records) == [
        {"language": "nn", "records": 2, "share": pytest.approx(2 / 3)},
        {"language": "en", "records": 1, "share": pytest.approx(1 / 3)},
    ]
    assert language_table({}) == []


def test_second_opinion_lingua():
    pytest.importorskip("lingua", reason="lingua-language-detector is not installed")
    step = make_step(Settings(second_opinion="lingua"))
    for text, detected in ((NB, "nb"), (NN, "nn"), (DA, "da"), (SV, "sv")):
        d = doc(text)
        step(d)
        meta = d.meta["langid"]
        assert meta["backend"] == "polyglot+lingua"
        assert meta["detector_label"] == detected
        # polyglot was sure: lingua chooses among the confusable languages, and is taken
        assert d.lang == meta["label"] == meta["second_opinion"]["label"] in Settings().confusable
        assert meta["confidence"] == meta["second_opinion"]["confidence"]
    d = doc(EN)  # polyglot reliably says en: lingua is not asked
    assert step(d) == "lang-en"
    assert d.meta["langid"]["second_opinion"] is None


# --- the demo corpora's planted documents -------------------------------------------


# Norwegian demo documents polyglot does not keep, measured: none. A document listed
# here would be reported, not failed; the list must stay short.
KNOWN_NORWEGIAN_MISSES: set[str] = set()


def test_demo_planted_foreign_dropped_norwegian_kept():
    planted = json.loads((REPO / "demo/corpora/planted.json").read_text())
    expected = {i: f"lang-{code}" for kind, code in (("danish", "da"), ("swedish", "sv"), ("english", "en"))
                for i in planted[kind]}
    step = make_step()
    outcome = {}
    for d in demo_documents():
        result = step(d)
        outcome[d.id] = result if isinstance(result, str) else "kept"
    assert set(expected) <= set(outcome), "planted documents not found by the readers"
    wrong = {i: outcome[i] for i in expected if outcome[i] != expected[i]}
    assert not wrong, f"planted foreign documents not dropped as expected: {wrong}"
    # too-short documents are the clean stage's to remove; langid may call them anything
    too_short = set(planted["too_short"])
    norwegian = [i for i in outcome if i not in expected and i not in too_short]
    assert len(norwegian) > 100
    misses = {i: outcome[i] for i in norwegian if outcome[i] != "kept"}
    assert set(misses) <= KNOWN_NORWEGIAN_MISSES, f"Norwegian demo documents dropped: {misses}"


# --- real sentences (shared data) ----------------------------------------------------

UD_BOKMAAL = SHARED_DATA / "UD_Norwegian-Bokmaal" / "no_bokmaal-ud-dev.conllu"
UD_NYNORSK = SHARED_DATA / "UD_Norwegian-Nynorsk"

# Measured with bench/langid_accuracy.py (bench/README.md): polyglot labels 83.2% of the
# Bokmål dev sentences nb and 88.3% of the Nynorsk dev+test sentences nn.
MEASURED = {"nb": 0.832, "nn": 0.883}
MARGIN = 0.01


def ud_sentences(path: Path) -> list[str]:
    prefix = "# text = "
    return [line[len(prefix):].rstrip("\n") for line in path.open(encoding="utf-8") if line.startswith(prefix)]


@pytest.mark.skipif(not UD_BOKMAAL.is_file() or not UD_NYNORSK.is_dir(),
                    reason=f"shared data directory with UD Norwegian not found at {SHARED_DATA} (set SMIE_SHARED_DATA)")
def test_ud_sentence_accuracy():
    sets = {"nb": ud_sentences(UD_BOKMAAL),
            "nn": [s for p in sorted(UD_NYNORSK.glob("*.conllu")) for s in ud_sentences(p)]}
    assert len(sets["nb"]) > 2000 and len(sets["nn"]) > 3000
    for gold, sentences in sets.items():
        accuracy = sum(identify(s)[0] == gold for s in sentences) / len(sentences)
        assert accuracy >= MEASURED[gold] - MARGIN, f"{gold}: {accuracy:.3f} < {MEASURED[gold]} - {MARGIN}"
