"""The udpipe stage against ufal.udpipe's own Pipeline, on a model trained here."""

import gzip

import pytest
from ufal import udpipe

from conftest import REPO, demo_documents
from smie.documents import Document, InputError, open_gzip_writer
from smie.tables import corpus_rows
from smie.udpipe import (Annotator, _read_sentence, annotate_shard, conllx_to_conllu, load_model, read_sentences, read_treebank,
                         train_model)


@pytest.fixture(scope="session")
def model_path(tmp_path_factory):
    """A small Bokmål model from the demo treebank (quality is not the point here)."""
    path = tmp_path_factory.mktemp("udpipe") / "nb.udpipe"
    treebank = read_treebank([REPO / "demo/treebank/nb.conllu"])
    path.write_bytes(train_model(treebank, None, "epochs=2;dimension=16", "models=1;iterations=2", "none"))
    return path


@pytest.fixture(scope="module")
def documents():
    """Real-format Bokmål documents of the demo corpora, several paragraphs each."""
    docs = [d for d in demo_documents() if d.meta.get("lang_hint") in (None, "nb")]
    return [Document(id=d.id, source=d.source, text=d.text, lang="nb") for d in docs[:25]]


def pipeline_sentences(model_path, text):
    """Tokens and lemmas per sentence as ufal.udpipe's Pipeline gives them."""
    model = load_model(model_path)
    conllu = udpipe.Pipeline(model, "tokenize", udpipe.Pipeline.DEFAULT, udpipe.Pipeline.NONE, "conllu").process(text)
    sentences, current = [], []
    for line in conllu.splitlines():
        if not line:
            if current:
                sentences.append(current)
            current = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            current.append((cols[1], cols[2]))
    return sentences


def write_shard(path, docs):
    with open_gzip_writer(path) as f:
        for d in docs:
            f.write(d.to_json() + "\n")


def read_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().split("\n")


def test_tokens_and_lemmas_equal_udpipe_pipeline(model_path, documents):
    annotator = Annotator(model_path)
    for doc in documents:
        ours = [list(zip(s.tokens, s.lemmas)) for s in annotator.sentences(doc.text)]
        # the stage passes a document's paragraphs to UDPipe as paragraphs
        theirs = pipeline_sentences(model_path, "\n\n".join(doc.text.split("\n")))
        assert ours == theirs, doc.id


def annotated(tmp_path, model_path, docs, threads=1, conllu=False):
    shard = tmp_path / "in.jsonl.gz"
    write_shard(shard, docs)
    kinds = ["sentences", "tokens", "lemmas"] + (["conllu"] if conllu else [])
    outputs = {k: tmp_path / f"out-{threads}.{k}.gz" for k in kinds}
    counts = annotate_shard(shard, outputs, {"nb": str(model_path)}, source="demo", threads=threads)
    return counts, outputs


def test_corpora_align_and_keep_the_text(tmp_path, model_path, documents):
    counts, out = annotated(tmp_path, model_path, documents)
    sentences, tokens, lemmas = (read_lines(out[k]) for k in ("sentences", "tokens", "lemmas"))
    assert len(sentences) == len(tokens) == len(lemmas)
    for s, t, l in zip(sentences, tokens, lemmas):
        assert (s == "") == (t == "") == (l == "")  # document breaks at the same lines
        assert len(t.split(" ")) == len(l.split(" "))  # token for token
        assert s.replace(" ", "").startswith(t.replace(" ", "")[:1])
    # a blank line after each document; the sentences of a document give back its text
    blocks = "\n".join(sentences).rstrip("\n").split("\n\n")
    assert len(blocks) == len(documents)
    for block, doc in zip(blocks, documents):
        assert " ".join(block.split("\n")) == " ".join(doc.text.split())
        assert "".join(block.split()) == "".join(doc.text.split())
    n_sentences = sum(1 for s in sentences if s)
    assert counts.to_dict("demo")["languages"]["nb"] == {
        "documents": len(documents), "sentences": n_sentences,
        "tokens": sum(len(t.split(" ")) for t in tokens if t),
        "words": sum(len(d.text.split()) for d in documents),
    }


def test_sentences_keep_udpipe_spacing(tmp_path, model_path):
    doc = Document(id="d1", source="demo", lang="nb",
                   text="Regjeringen  la fram forslaget (NRK), sa Kari.\n«Dette er bra», sa Ola i 2019.")
    _, out = annotated(tmp_path, model_path, [doc])
    lines = [l for l in read_lines(out["sentences"]) if l]
    assert " ".join(lines) == "Regjeringen la fram forslaget (NRK), sa Kari. «Dette er bra», sa Ola i 2019."


def test_processes_give_identical_output(tmp_path, model_path, documents):
    _, one = annotated(tmp_path, model_path, documents, threads=1, conllu=True)
    _, two = annotated(tmp_path, model_path, documents, threads=2, conllu=True)
    for kind in one:
        assert one[kind].read_bytes() == two[kind].read_bytes(), kind


def test_conllu_output_marks_documents(tmp_path, model_path, documents):
    _, out = annotated(tmp_path, model_path, documents[:3], conllu=True)
    text = gzip.open(out["conllu"], "rt", encoding="utf-8").read()
    assert [l for l in text.splitlines() if l.startswith("# newdoc id = ")] == \
        [f"# newdoc id = {d.id}" for d in documents[:3]]
    forms = [l.split("\t")[1] for l in text.splitlines() if l and not l.startswith("#")]
    tokens = " ".join(read_lines(out["tokens"])).split()
    assert forms == tokens


def test_document_without_a_model_is_an_error_naming_file_and_document(tmp_path, model_path):
    doc = Document(id="sv-1", source="demo", lang="sv", text="Det här är en svensk mening.")
    with pytest.raises(InputError, match=r"in\.jsonl\.gz: document sv-1 is in language 'sv'"):
        annotated(tmp_path, model_path, [doc])


def test_not_a_model_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "broken.udpipe"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="broken.udpipe: not a UDPipe model"):
        load_model(bad)


NDT = """1\tHan\than\tpron\tpron\tpers|3|ent|hum|mask|nom\t2\tSUBJ\t_\tname=O
2\tsa\tsi\tverb\tverb\tpret\t0\tFINV\t_\tname=O
3\t:\t$:\tclb\tclb\t<kolon>\t2\tIK\t_\tname=O
4\t«\t$«\tclb\tclb\t<anf>\t5\tIK\t_\tname=O
5\tJa\tja\tinterj\tinterj\t_\t2\tDOBJ\t_\tname=O
6\t»\t$»\tclb\tclb\t<anf>\t5\tIK\t_\tname=O
7\t(\t$(\tclb\tclb\t<parentes-beg>\t8\tIK\t_\tname=O
8\tNTB\tNTB\tsubst\tsubst\tprop\t2\tADV\t_\tname=B-ORG
9\t)\t$)\tclb\tclb\t<parentes-slutt>\t8\tIK\t_\tname=O
10\t.\t$.\tclb\tclb\t<punkt>\t2\tIP\t_\tname=O

1\tJa\tja\tinterj\tinterj\t_\t0\tFRAG\t_\tname=O
"""


def test_conllx_becomes_conllu_with_guessed_spacing():
    conllu = conllx_to_conllu(NDT)
    blocks = conllu.strip().split("\n\n")
    assert blocks[0].splitlines()[0] == "# text = Han sa: «Ja» (NTB)."
    rows = [l.split("\t") for l in blocks[0].splitlines()[1:]]
    assert [r[2] for r in rows] == ["han", "si", ":", "«", "ja", "»", "(", "NTB", ")", "."]
    assert [r[9] for r in rows] == ["_", "SpaceAfter=No", "_", "SpaceAfter=No", "SpaceAfter=No", "_",
                                    "SpaceAfter=No", "SpaceAfter=No", "SpaceAfter=No", "_"]
    assert blocks[1].splitlines()[0] == "# text = Ja"
    assert len(read_sentences(conllu)) == 2


def test_malformed_conllx_line_is_an_error_naming_file_and_line():
    with pytest.raises(InputError, match=r"train\.conll: line 2 has 3 columns"):
        conllx_to_conllu("1\tHan\than\tpron\tpron\t_\t0\tROOT\t_\t_\n2\tsa\tsi\n", origin="train.conll")


def test_corpus_rows_sum_shards_per_source_and_language():
    shard = lambda source, nb, nn: {"source": source, "languages": {
        "nb": {"documents": nb, "sentences": 10 * nb, "tokens": 100 * nb, "words": 90 * nb},
        **({"nn": {"documents": nn, "sentences": 5 * nn, "tokens": 40 * nn, "words": 35 * nn}} if nn else {})}}
    rows = corpus_rows([shard("nak", 2, 1), shard("nak", 3, 0), shard("wiki", 1, 4)])
    assert [(r["source"], r["language"], r["documents"], r["sentences"], r["tokens"]) for r in rows] == [
        ("nak", "nb", 5, 50, 500), ("nak", "nn", 1, 5, 40),
        ("wiki", "nb", 1, 10, 100), ("wiki", "nn", 4, 20, 160),
        ("total", "nb", 6, 60, 600), ("total", "nn", 5, 25, 200),
    ]
    assert rows[1]["tokens_per_sentence"] == 8.0


def test_multiword_tokens_give_words_to_tokens_and_their_form_to_the_text():
    block = "\n".join([
        "# newdoc", "# newpar", "# sent_id = 3", "# text = Han sa-det.",
        "1-2\tHan\t_\t_\t_\t_\t_\t_\t_\t_",
        "1\tHa\tha\tX\t_\t_\t_\t_\t_\t_",
        "2\tn\tn\tX\t_\t_\t_\t_\t_\t_",
        "3\tsa-det\tsi\tVERB\t_\t_\t_\t_\t_\tSpaceAfter=No",
        "3.1\tgjort\tgjøre\tVERB\t_\t_\t_\t_\t_\t_",
        "4\t.\t_\tPUNCT\t_\t_\t_\t_\t_\t_",
    ])
    s = _read_sentence(block, "doc-7")
    assert s.text == "Han sa-det."
    assert s.tokens == ["Ha", "n", "sa-det", "."]
    assert s.lemmas == ["ha", "n", "si", "."]  # no lemma ("_"): the form
    assert s.conllu.splitlines()[:3] == ["# newdoc id = doc-7", "# newpar", "# sent_id = doc-7-3"]


UPOS = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X"}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_demo_treebank_is_its_generator_output_with_ud_tags(lang):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_treebank", REPO / "demo/build_treebank.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    text = (REPO / f"demo/treebank/{lang}.conllu").read_text(encoding="utf-8")
    assert builder.build(lang) == text
    tags = {line.split("\t")[3] for line in text.splitlines() if line and not line.startswith("#")}
    assert tags <= UPOS, tags - UPOS
