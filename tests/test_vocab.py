"""Vocabularies: WordPiece through transformers' AutoTokenizer, the held-out split,
the report's figures, ELMo word lists and their token counts."""

import gzip
import json
import re
from collections import Counter

import pytest
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate
from transformers import AutoTokenizer

from conftest import REPO
from smie import tables, vocab
from smie.vocab import WordPieceSettings

# Bokmål and Nynorsk sentences, one per line, a blank line between documents.
CORPUS = """\
Det var en gang en gutt som bodde på en gård i Nordland.
Om sommeren gikk han til fjells med sauene.

Oslo er hovedstaden i Norge, og Bergen er den nest største byen.
Været i Bergen er ofte vått, men byen er vakker.
Trondheim ligg ved Nidelva, og Nidarosdomen er ei stor kyrkje.

Eg gjekk til butikken og kjøpte mjølk, brød og ost.
Ho sa at ho skulle koma att i morgon.
Vi reiste med båt fra Tromsø til Hammerfest i fjor høst.
Æ, ø og å er de tre siste bokstavene i det norske alfabetet.
"""
# Not in the corpus; its words are, or are spelled from its subwords.
SENTENCE = "Om morgenen gikk gutten til butikken i Bergen og kjøpte brødet, osten og mjølka."


def write_gz(path, text):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return path


def train(tmp_path, heldout=0.0, **settings):
    tmp_path.mkdir(parents=True, exist_ok=True)
    corpus = write_gz(tmp_path / "sentences.txt.gz", CORPUS * 5)
    out = tmp_path / "wp"
    report = vocab.build_wordpiece([corpus], out, WordPieceSettings(**{"size": 400, "unused": 3, **settings}),
                                   heldout=heldout)
    return out, report


@pytest.fixture(scope="module")
def cased(tmp_path_factory):
    return train(tmp_path_factory.mktemp("cased"))


def test_autotokenizer_loads_with_the_ids_of_vocab_txt(cased):
    out, report = cased
    tok = AutoTokenizer.from_pretrained(out)
    lines = (out / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert tok.get_vocab() == {t: i for i, t in enumerate(lines)}
    assert len(tok) == len(lines) == report["vocab_size"] <= 400
    assert lines[:8] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused0]", "[unused1]", "[unused2]"]
    assert [tok.pad_token_id, tok.unk_token_id, tok.cls_token_id, tok.sep_token_id, tok.mask_token_id] == [0, 1, 2, 3, 4]
    assert tok.model_max_length == 512
    # the unused slots are plain vocabulary entries, never added tokens
    assert set(tok.get_added_vocab()) == set(vocab.SPECIAL_TOKENS)
    config = json.loads((out / "tokenizer_config.json").read_text())
    assert config["tokenizer_class"] == "BertTokenizerFast" and config["do_lower_case"] is False
    assert json.loads((out / "special_tokens_map.json").read_text())["mask_token"] == "[MASK]"


def test_norwegian_sentence_without_unk_and_same_ids_as_tokenizers(cased):
    from tokenizers import Tokenizer

    out, _ = cased
    tok = AutoTokenizer.from_pretrained(out)
    ids = tok(SENTENCE, add_special_tokens=False)["input_ids"]
    assert tok.unk_token_id not in ids
    assert ids == Tokenizer.from_file(str(out / "tokenizer.json")).encode(SENTENCE, add_special_tokens=False).ids
    assert tok.decode(ids) == SENTENCE
    assert "Bergen" in tok.tokenize(SENTENCE)  # cased: capitals kept


def test_cls_sep_template_for_one_and_two_segments(cased):
    tok = AutoTokenizer.from_pretrained(cased[0])
    a, b = "Oslo er stor.", "Eg gjekk."
    na, nb = len(tok.tokenize(a)), len(tok.tokenize(b))
    single = tok(a)["input_ids"]
    assert single[0] == 2 and single[-1] == 3 and len(single) == na + 2
    pair = tok(a, b)
    assert tok.convert_ids_to_tokens(pair["input_ids"])[na + 1] == "[SEP]"
    assert pair["input_ids"][-1] == 3 and len(pair["input_ids"]) == na + nb + 3
    assert pair["token_type_ids"] == [0] * (na + 2) + [1] * (nb + 1)


def test_lowercase_setting_reaches_the_loaded_tokenizer(tmp_path):
    # transformers 5 rebuilds the normaliser from tokenizer_config.json: lowercase
    # and accent stripping must survive the round trip.
    keep = AutoTokenizer.from_pretrained(train(tmp_path / "keep", lowercase=True, strip_accents=False)[0])
    assert keep.tokenize("BERGEN PÅ") == keep.tokenize("bergen på") == ["bergen", "på"]
    strip = AutoTokenizer.from_pretrained(train(tmp_path / "strip", lowercase=True)[0])
    assert strip.tokenize("Bergen på") == ["bergen", "pa"]  # BERT's uncased default: å -> a


def test_training_is_deterministic():
    # tokenizers alone numbers ## characters in hash order and breaks merge ties by
    # those ids: without the alphabet as leading tokens, 10 runs here gave 10 vocabularies
    lines = CORPUS.split("\n") * 3
    runs = {tuple(vocab.vocab_lines(vocab.train_wordpiece(lambda: iter(lines), WordPieceSettings(size=300, unused=3))))
            for _ in range(4)}
    assert len(runs) == 1
    entries = runs.pop()
    chars = vocab.alphabet(lines, WordPieceSettings())
    assert entries[8:8 + 2 * len(chars)] == tuple(chars + ["##" + c for c in chars])
    assert chars == sorted(set(CORPUS) - set(" \n"))


def test_alphabet_limit_and_normalisation():
    lines = ["Åsa åt ÅÅÅ", "x\u0007y"]  # a control character is removed by the normaliser
    assert vocab.alphabet(lines, WordPieceSettings(alphabet=3)) == ["a", "s", "Å"]  # Å 4 times; ties by code point
    assert vocab.alphabet(lines, WordPieceSettings(lowercase=True)) == ["a", "s", "t", "x", "y"]
    assert vocab.alphabet(lines, WordPieceSettings(lowercase=True, strip_accents=False))[:3] == ["a", "s", "t"]
    assert "å" in vocab.alphabet(lines, WordPieceSettings(lowercase=True, strip_accents=False))


def test_too_small_a_size_is_refused():
    with pytest.raises(ValueError, match="leaves no room"):
        vocab.train_wordpiece(lambda: iter(["noko"]), WordPieceSettings(size=14, unused=3))  # 8 + 2 x 3 letters


def test_heldout_split_is_deterministic_disjoint_and_by_text():
    lines = [f"Setning nummer {i}." for i in range(2000)] + ["Same setning."] * 3
    held: list[str] = []
    training = list(vocab.split_heldout(lines, 0.3, held.append))
    assert sorted(training + held) == sorted(lines)
    assert not set(training) & set(held)
    again: list[str] = []
    assert list(vocab.split_heldout(lines, 0.3, again.append)) == training and again == held
    assert 0.25 < len(held) / len(lines) < 0.35
    assert list(vocab.split_heldout(lines, 0.0, held.append)) == lines


def test_heldout_lines_stay_out_of_training(tmp_path):
    def line(word, held):
        return next(x for i in range(100) if vocab.is_heldout(x := f"Linje {i} om {word}", 0.5) == held)

    # each line repeated often enough that training on it would make its word an entry
    corpus = write_gz(tmp_path / "s.txt.gz", (line("skogsmus", True) + "\n" + line("fjellrev", False) + "\n\n") * 20)
    report = vocab.build_wordpiece([corpus], tmp_path / "wp", WordPieceSettings(size=200, unused=0), heldout=0.5)
    entries = set((tmp_path / "wp" / "vocab.txt").read_text().split())
    assert "fjellrev" in entries and "skogsmus" not in entries
    assert report["training_lines"] == report["heldout_lines"] == 20
    assert report["words"] == 20 * 4  # Linje, the number, om, skogsmus in every held-out copy


def test_fertility_and_unk_rate_by_hand():
    pieces = ["hus", "##et", "og", "båt", "##en", "."]
    tok = vocab.build_tokenizer({t: i for i, t in enumerate(vocab.SPECIAL_TOKENS + pieces)}, WordPieceSettings())
    # huset -> hus ##et, og, båten -> båt ##en, . ; og, xyz -> [UNK]
    report = vocab.heldout_report(tok, ["huset og båten.", "og xyz"])
    assert report == {"words": 6, "subwords": 8, "fertility": 1.3333, "words_split": 0.3333,
                      "unk": 1, "unk_rate": 0.166667, "vocab_size": 11}
    assert vocab.heldout_report(tok, [])["fertility"] is None


# --- ELMo ---------------------------------------------------------------------

def count_shards(tmp_path, texts):
    counts, stats = [], []
    for i, text in enumerate(texts):
        c, s = vocab.count_words(write_gz(tmp_path / f"{i}.tokens.txt.gz", text))
        vocab.write_counts(c, tmp_path / f"{i}.tsv.gz")
        counts.append(tmp_path / f"{i}.tsv.gz")
        stats.append(s)
    return counts, stats


def test_elmo_vocab_layout_ties_and_token_count(tmp_path):
    counts, stats = count_shards(tmp_path, ["b a a\nc\n\nd d a\n", "b b\n<S> c\n"])
    assert stats[0] == {"documents": 2, "sentences": 3, "tokens": 7, "types": 4}
    lines, s = vocab.elmo_vocab(counts, stats, size=3)
    # a and b (3 each) tie, then c and d (2 each): ties by the word; the text's
    # literal <S> is counted but not listed twice
    assert lines == ["<S>", "</S>", "<UNK>", "a", "b", "c"]
    assert s == {"size": 3, "words": 3, "lines": 6, "documents": 3, "sentences": 5, "tokens": 11,
                 "n_train_tokens": 11, "types": 5, "coverage": round(8 / 11, 6)}
    assert vocab.elmo_vocab(counts, stats, size=2)[0][3:] == ["a", "b"]
    assert vocab.elmo_vocab(counts, stats, size=100)[0][3:] == ["a", "b", "c", "d"]


def test_shard_counts_merge_to_the_counts_of_the_whole(tmp_path):
    words = "Å være eller ikkje vere , det er spørsmålet . Øst og vest , ærlig talt : Zebra zebra ø å æ".split()
    shards = ["\n".join(" ".join(words[(i * k) % len(words):][:7]) for i in range(30)) + "\n" for k in (1, 3, 5)]
    counts, stats = count_shards(tmp_path, shards)
    merged = dict(vocab.merge_counts(counts))
    assert merged == Counter(" ".join(shards).split())
    assert list(merged) == sorted(merged)


def test_vocab_table_rows(tmp_path):
    wp = {"name": "cased", "settings": {"lowercase": False}, "vocab_size": 400, "words": 1000,
          "fertility": 1.25, "words_split": 0.2, "unk_rate": 0.0004}
    elmo = {"name": "tokens-3", "corpus": "tokens", "words": 3, "tokens": 11, "coverage": 0.75}
    rows = vocab.vocab_rows([wp], [elmo])
    assert [(r["vocab"], r["size"], r["words"], r["unk_rate"]) for r in rows] == [
        ("cased", 400, 1000, 0.0004), ("tokens-3", 3, 11, 0.25)]
    md = re.sub(r" +", " ", tables.markdown(vocab.vocab_table([wp], [elmo], "")))
    assert "| cased | wordpiece | sentences | 400 | no | held-out | 1,000 | 1.250 | 20.0% | 0.040% |" in md
    assert "| tokens-3 | elmo | tokens | 3 | no | training | 11 | - | - | 25.000% |" in md


def test_schema_defaults_and_errors_of_the_vocab_section():
    schema = str(REPO / "schemas" / "config.schema.yaml")
    config = {"sources": {"x": {"kind": "text", "path": "p"}}}
    validate(config, schema)
    assert config["vocab"]["heldout"] == 0.01
    assert config["vocab"]["wordpiece"] == {
        "cased-30k": {"size": 30000, "lowercase": False, "strip_accents": None, "unused": 100, "alphabet": 1000}}
    assert config["vocab"]["elmo"]["tokens-100k"] == {"corpus": "tokens", "size": 100000}
    for bad in ({"elmo": {"x": {"size": 10}}}, {"elmo": {"x": {"corpus": "forms"}}},
                {"wordpiece": {"a/b": {}}}, {"wordpiece": {"a": {"casing": True}}}, {"heldout": 1}):
        with pytest.raises(WorkflowError):
            validate({"sources": {"x": {"kind": "text", "path": "p"}}, "vocab": bad}, schema)
