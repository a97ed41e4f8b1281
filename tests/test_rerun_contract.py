"""The rerun contract: for every leaf key of the config schema, the rules that an edit
of it reruns on a finished demo run — no more, no fewer (README, "Rerun contract").

Each row edits one key of the demo config (where the demo does not use a key, the row
adds it) and names the rules Snakemake must plan. Rows with the same expected plan and
edits that do not overlap are planned together, one dry run per group: Snakemake's
plan for several edits is the union of their plans, so no key of a group reruns more
than the group's rules. That each key reaches its rule's params is checked key by key
on the config layer (``test_every_edit_changes_the_settings_exactly_when_it_reruns_something``); the
cases users meet most (phase steps, model sizes, ELMo epochs, languages, timeouts,
audit) are planned alone.
"""

import copy
import hashlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from conftest import DEMO_CONFIG, REPO, demo_config, job_counts, snakemake, write_config
from smie import config as layer

# The demo's DAG downstream of each stage (what a change there reruns with it).
EVAL = {"evaluate_model", "results_table"}
CARDS = {"bert_card", "elmo_card"}  # a model's card has its scores
BERT = {"pretrain_bert", "bert_loss_plot", "bert_card"} | EVAL
ELMO = {"pretrain_elmo", "elmo_perplexity_plot", "elmo_card"} | EVAL
BERT_DATA = {"bert_data", "bert_data_index"} | BERT
WORDPIECE = {"train_wordpiece", "vocab_table"} | BERT_DATA
ELMO_VOCAB = {"elmo_vocab", "vocab_table"} | ELMO
UDPIPE = {"udpipe_shard", "corpus_statistics", "count_words"} | WORDPIECE | ELMO_VOCAB
DEDUP = {"dedup_find", "dedup_shard", "funnel_table", "corpus_card"} | UDPIPE
SIGNATURES = {"dedup_signatures"} | DEDUP
LANGID = {"langid_shard", "language_table"} | SIGNATURES
TRAIN_DISCRIMINATOR = {"train_discriminator"} | LANGID
# the demo's discriminator also learns from its Wikipedia editions' cleaned text
DISCRIMINATOR_SOURCES = {"wikipedia_nb", "wikipedia_nn"}
CLEAN = {"clean_shard"} | TRAIN_DISCRIMINATOR
NOTHING = set()
DEMO = yaml.safe_load(DEMO_CONFIG.read_text())


def extract(source):
    """A source's extract job, or, for a source of several files, its parts and their merge."""
    parts = {f"extract_{source}_part"} if len(DEMO["sources"][source].get("files", [])) > 1 else set()
    downstream = CLEAN if source in DISCRIMINATOR_SOURCES else CLEAN - {"train_discriminator"}
    return {f"extract_{source}"} | parts | downstream


def download(source):
    return {"download_file"} | extract(source)


UDPIPE_DOWNLOAD = {"download_udpipe_model"} | UDPIPE
TRAIN_UDPIPE = {"train_udpipe"} | UDPIPE
DISCRIMINATOR_DOWNLOAD = {"download_langid_file"} | TRAIN_DISCRIMINATOR
DISC = ("langid", "discriminator")
EVAL_DOWNLOAD = {"download_eval_file"} | EVAL | CARDS
ALL_CARDS = CARDS | {"corpus_card"}


class Ctx:
    """What an edit may need: the finished run, a scratch folder, the demo's files."""

    def __init__(self, run: Path, tmp: Path):
        self.run, self.tmp = run, tmp

    def copy(self, relative: str) -> str:
        """A copy of a demo file (or folder) elsewhere, same name: a new path, the same bytes."""
        src, dst = DEMO_CONFIG.parent / relative, self.tmp / "elsewhere" / relative
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
        return str(dst)

    def digest(self, relative: str, algo: str) -> str:
        return hashlib.new(algo, (DEMO_CONFIG.parent / relative).read_bytes()).hexdigest()

    def nn_model(self) -> str:
        return str(self.run / "results/udpipe/models/demo-nn.udpipe")


NOWIKI_SUMS = "corpora/wikipedia/nowiki-20260101-md5sums.txt"  # any small file stands in for an index


def url(path: str) -> str:
    return Path(path).as_uri()


# key (schema path) -> (where in the demo config, new value or f(ctx), rules planned[, jobs per rule])
# Rows marked alone=True are planned alone.
P1, P2 = ("bert", "models", "tiny", "phases", 0), ("bert", "models", "tiny", "phases", 1)
ELMO_M, TINY = ("elmo", "models", "tokens-tiny"), ("bert", "models", "tiny")
TASK = ("evaluate", "tasks", "pos-nb")
NB_MODEL, NN_MODEL = ("udpipe", "models", "nb"), ("udpipe", "models", "nn")
CONTRACT = {
    # the languages langid keeps (the discriminator measures them apart), and whose
    # boilerplate patterns clean applies (nynorsk's own wording goes)
    "languages": (("languages",), ["nb"], CLEAN, {}, True),
    "download.mirror": (("download", "mirror"), lambda c: str(c.tmp), NOTHING),
    "download.retries": (("download", "retries"), 3, NOTHING),
    "download.timeout": (("download", "timeout"), 30, NOTHING, {}, True),
    "audit": (("audit",), False, NOTHING, {}, True),
    # clean
    "clean.boilerplate_patterns.*": (("clean", "boilerplate_patterns", "nb"), ["^les også"], CLEAN),
    **{f"clean.{k}": (("clean", k), v, CLEAN) for k, v in [
        ("boilerplate_languages", ["nb", "nn", "en", "da"]), ("boilerplate_max_words", 20), ("menu_max_words", 4),
        ("menu_min_run", 4), ("line_min_alpha_ratio", 0.5), ("remove_duplicate_lines", False), ("min_words", 20),
        ("max_words", 50000), ("max_boilerplate_fraction", 0.6), ("min_alpha_ratio", 0.6),
        ("min_mean_word_length", 2.5), ("max_mean_word_length", 13.0)]},
    # langid
    "langid.threshold": (("langid", "threshold"), 0.6, LANGID),
    "langid.level": (("langid", "level"), "paragraph", LANGID),
    # used at level: paragraph only; the demo identifies whole documents
    "langid.min_paragraph_words": (("langid", "min_paragraph_words"), 4, NOTHING),
    "langid.second_opinion": (("langid", "second_opinion"), "lingua", LANGID),
    "langid.confusable": (("langid", "confusable"), ["nb", "nn", "da"], LANGID),
    # the discriminator: what it learns from, how it trains
    **{f"langid.discriminator.train.*[].{k}": (DISC + ("train", lang, 0, k), value, DISCRIMINATOR_DOWNLOAD,
                                               {"download_langid_file": 1}) for k, lang, value in [
        ("url", "da", lambda c: url(c.copy("langid/da.txt"))),
        ("md5", "sv", lambda c: c.digest("langid/sv.txt", "md5")),
        ("sha1", "en", lambda c: c.digest("langid/en.txt", "sha1")),
        ("sha256", "de", lambda c: c.digest("langid/de.txt", "sha256")),
        ("checksums_url", "da", lambda c: url(c.copy("corpora/wikipedia/nnwiki-20260101-md5sums.txt")))]},
    "langid.discriminator.train.*[].format": (DISC + ("train", "de", 0, "format"), "conllu", TRAIN_DISCRIMINATOR),
    # nn learns from another source of known language, nb from another treebank
    "langid.discriminator.train.*[].source": (DISC + ("train", "nn", 1), {"source": "oscar2019_nn"},
                                              TRAIN_DISCRIMINATOR),
    "langid.discriminator.train.*[].treebank": (DISC + ("train", "nb", 0, "treebank"), "demo-nn",
                                                TRAIN_DISCRIMINATOR),
    **{f"langid.discriminator.{k}": (DISC + (k,), v, TRAIN_DISCRIMINATOR) for k, v in [
        ("heldout", 0.2), ("max_per_language", 300), ("balance", False), ("dim", 8), ("minn", 2), ("maxn", 4),
        ("epoch", 10), ("lr", 0.3), ("bucket", 10000), ("seed", 2)]},
    # dedup
    **{f"dedup.{k}": (("dedup", k), v, SIGNATURES) for k, v in [
        ("shingle", 4), ("num_perm", 128), ("threshold", 0.6), ("bands", 32), ("rows", 8), ("seed", 2),
        ("near", False)]},
    "dedup.source_priority": (("dedup", "source_priority"), ["nak", "wikipedia_nb"], DEDUP),
    # udpipe: the demo trains its models; the other kinds of model replace one
    "udpipe.models.*.train": (NN_MODEL + ("train",), "demo-nb", UDPIPE),
    "udpipe.models.*.path": (NN_MODEL, lambda c: {"path": c.nn_model()}, UDPIPE),
    "udpipe.models.*.url": (NN_MODEL, lambda c: {"url": url(c.nn_model())}, UDPIPE_DOWNLOAD),
    "udpipe.models.*.md5": (NB_MODEL, lambda c: {"url": url(c.nn_model()), "md5": "0" * 32}, UDPIPE_DOWNLOAD),
    "udpipe.models.*.sha1": (NN_MODEL, lambda c: {"url": url(c.nn_model()), "sha1": "0" * 40}, UDPIPE_DOWNLOAD),
    "udpipe.models.*.sha256": (NN_MODEL, lambda c: {"url": url(c.nn_model()), "sha256": "0" * 64}, UDPIPE_DOWNLOAD),
    "udpipe.models.*.checksums_url": (NN_MODEL, lambda c: {"url": url(c.nn_model()), "checksums_url":
                                      url(c.nn_model())}, UDPIPE_DOWNLOAD),
    # the demo's treebanks are also the discriminator's Norwegian sentences
    "udpipe.train.*.treebank": (("udpipe", "train", "demo-nn", "treebank"), lambda c: [c.copy("treebank/nn.conllu")],
                                TRAIN_UDPIPE | TRAIN_DISCRIMINATOR, {"train_udpipe": 1}),
    "udpipe.train.*.heldout": (("udpipe", "train", "demo-nn", "heldout"), lambda c: [c.copy("treebank/nb.conllu")],
                               TRAIN_UDPIPE, {"train_udpipe": 1}),
    "udpipe.train.*.format": (("udpipe", "train", "demo-nn", "format"), "conllx", TRAIN_UDPIPE | TRAIN_DISCRIMINATOR,
                              {"train_udpipe": 1}),
    "udpipe.train.*.tokenizer": (("udpipe", "train", "demo-nb", "tokenizer"), "epochs=4", TRAIN_UDPIPE,
                                 {"train_udpipe": 1}),
    "udpipe.train.*.tagger": (("udpipe", "train", "demo-nb", "tagger"), "models=1;iterations=4", TRAIN_UDPIPE,
                              {"train_udpipe": 1}),
    "udpipe.train.*.parser": (("udpipe", "train", "demo-nb", "parser"), "iterations=1", TRAIN_UDPIPE,
                              {"train_udpipe": 1}),
    "udpipe.threads": (("udpipe", "threads"), 2, NOTHING),
    # fewer outputs: the CoNLL-U files stay, the other corpora are the same
    "udpipe.conllu": (("udpipe", "conllu"), False, NOTHING),
    # vocab
    "vocab.heldout": (("vocab", "heldout"), 0.1, WORDPIECE, {"train_wordpiece": 2}),
    "vocab.wordpiece.*.size": (("vocab", "wordpiece", "cased-2k", "size"), 1500, WORDPIECE, {"train_wordpiece": 1}),
    "vocab.wordpiece.*.lowercase": (("vocab", "wordpiece", "cased-2k", "lowercase"), True, WORDPIECE,
                                    {"train_wordpiece": 1}),
    "vocab.wordpiece.*.strip_accents": (("vocab", "wordpiece", "cased-2k", "strip_accents"), True, WORDPIECE,
                                        {"train_wordpiece": 1}),
    "vocab.wordpiece.*.unused": (("vocab", "wordpiece", "cased-2k", "unused"), 20, WORDPIECE, {"train_wordpiece": 1}),
    "vocab.wordpiece.*.alphabet": (("vocab", "wordpiece", "cased-2k", "alphabet"), 200, WORDPIECE,
                                   {"train_wordpiece": 1}),
    "vocab.elmo.*.corpus": (("vocab", "elmo", "tokens-1k", "corpus"), "lemmas", ELMO_VOCAB, {"elmo_vocab": 1}),
    "vocab.elmo.*.size": (("vocab", "elmo", "tokens-1k", "size"), 800, ELMO_VOCAB, {"elmo_vocab": 1}),
    # elmo: both demo models are tiny
    **{f"elmo.sizes.*.{k}": (("elmo", "sizes", "tiny", k), v, ELMO, {"pretrain_elmo": 2}) for k, v in [
        ("char_dim", 4), ("filters", [[1, 16], [2, 16], [3, 32], [4, 64]]), ("n_highway", 2), ("max_chars", 20),
        ("activation", "tanh"), ("cell_dim", 64), ("projection_dim", 16), ("n_layers", 1), ("cell_clip", 2.0),
        ("proj_clip", 2.0)]},
    "elmo.models.*.vocab": (ELMO_M + ("vocab",), "lemmas-1k", ELMO, {"pretrain_elmo": 1}),
    "elmo.models.*.size": (ELMO_M + ("size",), "norelmo", ELMO, {"pretrain_elmo": 1}, True),
    "elmo.models.*.epochs": (ELMO_M + ("epochs",), 3, ELMO, {"pretrain_elmo": 1}, True),
    **{f"elmo.models.*.{k}": (ELMO_M + (k,), v, ELMO, {"pretrain_elmo": 1}) for k, v in [
        ("batch_size", 32), ("max_tokens", 50), ("dropout", 0.2), ("optimizer", "adagrad"), ("lr", 0.02),
        ("warmup", 0.1), ("decay", "linear"), ("weight_decay", 0.01), ("clip_norm", 5.0), ("softmax_cutoffs", [300]),
        ("softmax_factor", 2.0), ("heldout", 0.1), ("heldout_max", 100), ("buffer_batches", 10), ("seed", 7)]},
    **{f"elmo.models.*.{k}": (ELMO_M + (k,), v, NOTHING) for k, v in [
        ("checkpoint_every", 10), ("log_every", 10), ("eval_every", 10), ("tensorboard", False)]},
    **{f"elmo.models.*.resources.{k}": (ELMO_M + ("resources", k), v, NOTHING) for k, v in [
        ("gpu", 1), ("cpus_per_gpu", 2), ("mem_mb", 3000), ("runtime", 60)]},
    # bert: both demo models are tiny
    **{f"bert.sizes.*.{k}": (("bert", "sizes", "tiny", k), v, BERT, {"pretrain_bert": 3}) for k, v in [
        ("hidden", 64), ("layers", 1), ("heads", 4), ("intermediate", 256), ("dropout", 0.2), ("max_positions", 600)]},
    "bert.data.short_seq_prob": (("bert", "data", "short_seq_prob"), 0.2, BERT_DATA, {"pretrain_bert": 3}),
    "bert.data.seed": (("bert", "data", "seed"), 1, BERT_DATA, {"pretrain_bert": 3}),
    "bert.models.*.vocab": (TINY + ("vocab",), "uncased-2k", BERT_DATA, {"pretrain_bert": 2}),
    "bert.models.*.size": (TINY + ("size",), "base", BERT, {"pretrain_bert": 2}, True),
    "bert.models.*.nsp": (TINY + ("nsp",), False, BERT_DATA, {"pretrain_bert": 2}),
    **{f"bert.models.*.{k}": (TINY + (k,), v, BERT, {"pretrain_bert": 2}) for k, v in [
        ("whole_word_masking", True), ("mask_prob", 0.2), ("optimizer", "lamb"), ("weight_decay", 0.1),
        ("clip_norm", 2.0), ("seed", 7), ("compile", True)]},
    **{f"bert.models.*.{k}": (TINY + (k,), v, NOTHING) for k, v in [
        ("checkpoint_every", 5), ("log_every", 10), ("peak_tflops", 100.0), ("tensorboard", False)]},
    **{f"bert.models.*.resources.{k}": (TINY + ("resources", k), v, NOTHING) for k, v in [
        ("gpu", 1), ("cpus_per_gpu", 1), ("mem_mb", 3000), ("runtime", 60)]},
    # phase 1's edit retrains both phases (phase 2 starts from it); phase 2's, phase 2 only
    "bert.models.*.phases[].steps": (P1 + ("steps",), 50, BERT, {"pretrain_bert": 2}, True),
    "bert.models.*.phases[].seq_length": (P2 + ("seq_length",), 256, BERT_DATA, {"pretrain_bert": 1}),
    **{f"bert.models.*.phases[].{k}": (P2 + (k,), v, BERT, {"pretrain_bert": 1}) for k, v in [
        ("batch_size", 16), ("micro_batch", 4), ("lr", 1.0e-4), ("warmup", 0.2), ("decay", "cosine")]},
    # evaluate: 4 tasks x 4 models x 2 seeds, half of the models BERTs, half ELMos
    "evaluate.seeds": (("evaluate", "seeds"), [1, 2, 3], EVAL | CARDS, {"evaluate_model": 16}),
    **{f"evaluate.bert.{k}": (("evaluate", "bert", k), v, EVAL | {"bert_card"}, {"evaluate_model": 16}) for k, v in [
        ("epochs", 5), ("batch_size", 8), ("lr", 1.0e-4), ("warmup", 0.2), ("weight_decay", 0.0), ("max_length", 128)]},
    **{f"evaluate.elmo.{k}": (("evaluate", "elmo", k), v, EVAL | {"elmo_card"}, {"evaluate_model": 16}) for k, v in [
        ("epochs", 5), ("batch_size", 8), ("lr", 1.0e-3), ("warmup", 0.1), ("weight_decay", 0.01), ("hidden", 32),
        ("dropout", 0.3), ("layers", "top")]},
    **{f"evaluate.resources.{k}": (("evaluate", "resources", k), v, NOTHING) for k, v in [
        ("gpu", 1), ("cpus_per_gpu", 2), ("mem_mb", 3000), ("runtime", 60)]},
    "evaluate.tasks.*.kind": (("evaluate", "tasks", "sentiment-3class", "kind"), "fine", EVAL | CARDS,
                              {"evaluate_model": 8}),
    "evaluate.tasks.*.labels": (("evaluate", "tasks", "sentiment-3class", "labels"), ["Positive", "Neutral",
                                "Negative"], EVAL | CARDS, {"evaluate_model": 8}),
    "evaluate.tasks.*.train.url": (TASK + ("train", "url"), lambda c: url(c.copy("eval/pos/nb-train.conllu")),
                                   EVAL_DOWNLOAD, {"evaluate_model": 8}),
    "evaluate.tasks.*.dev.md5": (TASK + ("dev", "md5"), lambda c: c.digest("eval/pos/nb-dev.conllu", "md5"),
                                 EVAL_DOWNLOAD, {"evaluate_model": 8}),
    "evaluate.tasks.*.test.sha1": (TASK + ("test", "sha1"), lambda c: c.digest("eval/pos/nb-test.conllu", "sha1"),
                                   EVAL_DOWNLOAD, {"evaluate_model": 8}),
    **{f"evaluate.tasks.*.{split}.{k}": (("evaluate", "tasks", "fine", split, k), v, EVAL_DOWNLOAD,
                                         {"evaluate_model": 8}) for split, k, v in [
        ("train", "sha256", lambda c: c.digest("eval/fine/train.json", "sha256")),
        ("train", "checksums_url", lambda c: url(c.copy("corpora/wikipedia/nnwiki-20260101-md5sums.txt"))),
        ("dev", "url", lambda c: url(c.copy("eval/fine/dev.json"))),
        ("dev", "sha1", lambda c: c.digest("eval/fine/dev.json", "sha1")),
        ("dev", "sha256", lambda c: c.digest("eval/fine/dev.json", "sha256")),
        ("dev", "checksums_url", lambda c: url(c.copy("corpora/wikipedia/nowiki-20260101-md5sums.txt"))),
        ("test", "url", lambda c: url(c.copy("eval/fine/test.json"))),
        ("test", "md5", lambda c: c.digest("eval/fine/test.json", "md5")),
        ("test", "sha256", lambda c: c.digest("eval/fine/test.json", "sha256")),
        ("test", "checksums_url", lambda c: url(c.copy("corpora/oscar2019/no_dedup.txt.gz"))),
        ("train", "md5", lambda c: c.digest("eval/fine/train.json", "md5")),
        ("train", "sha1", lambda c: c.digest("eval/fine/train.json", "sha1"))]},
    "evaluate.tasks.*.dev.url": (TASK + ("dev", "url"), lambda c: url(c.copy("eval/pos/nb-dev.conllu")),
                                 EVAL_DOWNLOAD, {"evaluate_model": 8}),
    "evaluate.tasks.*.train.md5": (("evaluate", "tasks", "sentiment-binary", "train", "md5"),
                                   lambda c: c.digest("eval/sentiment/binary/train.json", "md5"), EVAL_DOWNLOAD,
                                   {"evaluate_model": 8}),
    # the demo has no baselines: adding one evaluates it alone
    "evaluate.baselines.*.kind": (("evaluate", "baselines"), lambda c: {"other": {
        "kind": "elmo", "path": str(c.run / "results/elmo/lemmas-tiny")}}, EVAL, {"evaluate_model": 8}),
    "evaluate.baselines.*.path": (("evaluate", "baselines"), lambda c: {"other": {
        "kind": "bert", "path": str(c.run / "results/bert/tiny-wwm/phase1")}}, EVAL, {"evaluate_model": 8}),
    # sources
    "sources.*.kind": (("sources", "text", "kind"), "html", extract("text")),
    "sources.*.lang": (("sources", "wikipedia_nn", "lang"), "nb", extract("wikipedia_nn")),
    "sources.*.shards": (("sources", "nak", "shards"), 3, extract("nak")),
    "sources.*.max_document_mb": (("sources", "oscar2019_nb", "max_document_mb"), 8, extract("oscar2019_nb")),
    "sources.*.lists": (("sources", "wikipedia_nb", "lists"), "all", extract("wikipedia_nb")),
    "sources.*.path": (("sources", "html", "path"), lambda c: c.copy("corpora/html"), extract("html")),
    "sources.*.auth_env": (("sources", "text", "auth_env"), "SMIE_NO_TOKEN_NEEDED", NOTHING),
    # what the cards say of a source: the cards alone
    "sources.*.license": (("sources", "text", "license"), "cc-by-4.0", ALL_CARDS),
    "sources.*.dataset": (("sources", "nak", "dataset"), "someone/nak", ALL_CARDS),
    # cards
    **{f"cards.{k}": (("cards", k), v, ALL_CARDS) for k, v in [
        ("license", "cc-by-4.0"), ("intended_use", "Tests."), ("limitations", "Tiny.")]},
    "sources.*.files[].url": (("sources", "text", "files", 0, "url"),
                              lambda c: url(c.copy("corpora/text/user-texts.tar.gz")), download("text"),
                              {"download_file": 1}),
    "sources.*.files[].md5": (("sources", "nak", "files", 0, "md5"),
                              lambda c: c.digest("corpora/nak/norsk_aviskorpus.zip", "md5"), download("nak"),
                              {"download_file": 1}),
    "sources.*.files[].sha1": (("sources", "nak", "files", 1, "sha1"),
                               lambda c: c.digest("corpora/nak/nak_2012.tar", "sha1"), download("nak"),
                               {"download_file": 1}),
    "sources.*.files[].sha256": (("sources", "nak", "files", 0, "sha256"),
                                 lambda c: c.digest("corpora/nak/norsk_aviskorpus.zip", "sha256"), download("nak"),
                                 {"download_file": 1}),
    "sources.*.files[].checksums_url": (("sources", "wikipedia_nn", "files", 0, "checksums_url"),
                                        lambda c: url(c.copy("corpora/wikipedia/nnwiki-20260101-md5sums.txt")),
                                        download("wikipedia_nn"), {"download_file": 1}),
    # an index is read only by a dump split into parts: alone, it changes nothing
    **{f"sources.*.files[].index.{k}": (("sources", "wikipedia_nb", "files", 0, "index"), value, NOTHING)
       for k, value in (("url", lambda c: {"url": url(c.copy(NOWIKI_SUMS))}),
                        ("md5", lambda c: {"url": url(c.copy(NOWIKI_SUMS)), "md5": c.digest(NOWIKI_SUMS, "md5")}),
                        ("sha1", lambda c: {"url": url(c.copy(NOWIKI_SUMS)), "sha1": c.digest(NOWIKI_SUMS, "sha1")}),
                        ("sha256", lambda c: {"url": url(c.copy(NOWIKI_SUMS)),
                                              "sha256": c.digest(NOWIKI_SUMS, "sha256")}),
                        ("checksums_url", lambda c: {"url": url(c.copy(NOWIKI_SUMS)),
                                                     "checksums_url": url(c.copy(NOWIKI_SUMS))}))},
    # two parts: the index is downloaded, two part jobs and their merge replace the one job
    "sources.*.files[].parts": (("sources", "wikipedia_nb", "files", 0),
                                lambda c: {**demo_config()["sources"]["wikipedia_nb"]["files"][0],
                                           "index": {"url": url(c.copy(NOWIKI_SUMS))}, "parts": 2},
                                {"download_file", "extract_wikipedia_nb_part"} | extract("wikipedia_nb"),
                                {"download_file": 1, "extract_wikipedia_nb_part": 2}),
}


def schema_leaves(node=None, prefix="", schema=None):
    """Every leaf key of the config schema, with ``*`` for names and ``[]`` for list items."""
    schema = schema or yaml.safe_load(layer.SCHEMA.read_text())
    node = schema if node is None else node
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    keys = []
    for branch in node.get("oneOf", []):  # e.g. a model downloaded, local or trained
        if "properties" in branch or "$ref" in branch:
            keys += [k for k in schema_leaves(branch, prefix, schema) if k not in keys]
    sub = {**node.get("properties", {})}
    if isinstance(node.get("additionalProperties"), dict):
        sub["*"] = node["additionalProperties"]
    if node.get("type") == "array" and ("properties" in node["items"] or "$ref" in node["items"]):
        return schema_leaves(node["items"], prefix + "[]", schema)
    if not sub:
        return keys or [prefix]
    for name, child in sub.items():
        keys += [k for k in schema_leaves(child, f"{prefix}.{name}" if prefix else name, schema) if k not in keys]
    return keys


def row(key):
    """A row as (where, value, rules, jobs per rule, alone)."""
    where, value, rules, *rest = CONTRACT[key]
    return where, value, rules, rest[0] if rest else {}, len(rest) > 1 and rest[1]


def instance(where):
    """The model, phase, task file, vocabulary or section an edit is in: job counts add
    up across instances."""
    return where[:-1]


def edited(config, edits, ctx):
    config = copy.deepcopy(config)
    for where, value in edits:
        value = value(ctx) if callable(value) else copy.deepcopy(value)
        target = config
        for k in where[:-1]:
            target = target.setdefault(k, {}) if isinstance(target, dict) else target[k]
        target[where[-1]] = value
    return config


def groups():
    """Rows with the same plan and no overlapping edits, planned together."""
    out = []
    for key in CONTRACT:
        where, _, rules, counts, alone = row(key)
        for group in out:
            if (not alone and not group["alone"] and group["rules"] == rules and group["counts"] == counts
                    and not any(w[: len(where)] == where[: len(w)] for w in group["where"])
                    and (not counts or instance(group["where"][0]) == instance(where))):
                group["keys"].append(key)
                group["where"].append(where)
                break
        else:
            out.append({"keys": [key], "where": [where], "rules": rules, "counts": counts, "alone": alone})
    return out


def test_every_schema_key_has_a_row_and_every_row_a_key():
    leaves = schema_leaves()
    assert len(leaves) > 150
    assert sorted(set(leaves) - set(CONTRACT)) == [], "keys without a row in the rerun contract"
    assert sorted(set(CONTRACT) - set(leaves)) == [], "rows for keys the schema does not have"


@pytest.fixture(scope="module")
def plans(demo_run, tmp_path_factory):
    """Every group's edited config, planned by Snakemake on the finished demo run."""
    tmp = tmp_path_factory.mktemp("contract")
    ctx, base = Ctx(demo_run, tmp), demo_config()

    def plan(i, group):
        config = edited(base, [(row(k)[0], row(k)[1]) for k in group["keys"]], ctx)
        path = write_config(config, tmp / f"group{i}.yaml")
        proc = snakemake("-n", "--configfile", str(path), "--directory", str(demo_run))
        out = proc.stdout + proc.stderr
        return group, ({} if "Nothing to be done" in out else job_counts(proc.stdout))

    with ThreadPoolExecutor(2) as pool:  # two dry runs at a time: one per core
        return list(pool.map(lambda args: plan(*args), enumerate(groups())))


def test_each_edit_plans_exactly_the_rules_its_row_names(plans):
    wrong = []
    for group, counts in plans:
        planned = set(counts) - {"all"}
        jobs = {rule: counts.get(rule) for rule in group["counts"]}
        if planned != group["rules"] or jobs != group["counts"]:
            wrong.append(f"{group['keys']}: more {sorted(planned - group['rules'])}, "
                         f"fewer {sorted(group['rules'] - planned)}, jobs {jobs} (want {group['counts']})")
    assert not wrong, "\n".join(wrong)


def test_every_edit_changes_the_settings_exactly_when_it_reruns_something(tmp_path):
    """Key by key, on the config layer: the settings of the run change exactly when the
    contract says something reruns (the runtime keys change no rule's settings)."""
    ctx, base = Ctx(tmp_path / "run", tmp_path), demo_config()
    (tmp_path / "run/results/udpipe/models").mkdir(parents=True)
    (tmp_path / "run/results/udpipe/models/demo-nn.udpipe").write_bytes(b"model")
    before = layer.load(base, [], REPO)
    for key in CONTRACT:
        where, value, rules, _, _ = row(key)
        after = layer.load(edited(base, [(where, value)], ctx), [], REPO)
        changed = before.lineage("cards") != after.lineage("cards")
        assert changed == bool(rules), f"{key}: settings {'changed' if changed else 'unchanged'}, plan {sorted(rules)}"


def test_the_issue_cases_plan_alone():
    alone = [k for k in CONTRACT if row(k)[4]]
    assert {"bert.models.*.phases[].steps", "bert.models.*.size", "elmo.models.*.epochs", "languages",
            "download.timeout", "audit"} <= set(alone)
    assert all(len(g["keys"]) == 1 for g in groups() if g["alone"])
