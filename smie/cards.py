"""Model and dataset cards: README.md files the Hugging Face Hub reads, YAML metadata
(the Hub's model-card keys: language, license, library_name, pipeline_tag, tags,
datasets) over a Markdown body, written from plain data about a run.

The rule scripts gather the facts (training.jsonl, the corpus's stats files, the
evaluation records, the settings from the config layer) with the project's readers;
this module sums them up as the tables do and renders. A card is complete when its
directory is uploaded as it is (``huggingface-cli upload <repo> <directory>``). Cards hold
no wall-clock figure, so the same run gives the same bytes (training.jsonl has the times).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from smie.evaluate.results import summarise
from smie.report import language_names
from smie.tables import funnel_rows, pipe_table

# The filtering stages, as the corpus funnel follows them.
STAGES = ["extract", "clean", "langid", "dedup"]


# ------------------------------------------------------------------ facts from the run


def licence(cards: dict) -> str:
    """The Hub licence of what the cards describe: the config's, else the sources' one
    licence, ``unknown`` when none is known, ``other`` when they differ."""
    if cards.get("license"):
        return cards["license"]
    given = {s["license"] for s in cards["sources"].values()}
    if given == {None}:
        return "unknown"
    return given.pop() if len(given) == 1 else "other"


def datasets(cards: dict) -> list[str]:
    return sorted({s["dataset"] for s in cards["sources"].values() if s.get("dataset")})


def corpus_counts(stats_list: list[dict]) -> dict[str, dict]:
    """Per source and stage, documents and words in and kept, the corpus funnel's sums
    of the stages' stats (`smie.stats.load`): {source: {stage: {"documents": [in, kept],
    "words": [in, kept]}}}."""
    out: dict[str, dict] = {}
    for r in funnel_rows(stats_list, STAGES):
        out.setdefault(r["source"], {})[r["stage"]] = {"documents": [r["documents_in"], r["documents_kept"]],
                                                        "words": [r["words_in"], r["words_kept"]]}
    return out


def training_phases(records: list[dict]) -> list[dict]:
    """The last training line of every phase of a training log (held-out lines apart)."""
    last: dict[int, dict] = {}
    for r in records:
        if "loss" in r:
            last[r.get("phase", 1)] = r
    return [last[p] for p in sorted(last)]


def scores(records: list[dict]) -> list[dict]:
    """Evaluation records of one model: per task, the test and dev scores' mean and
    standard deviation over the seeds (sd 0 for one seed), as the results table sums
    them up (`smie.evaluate.results.summarise`), on the scale of the records (0..1)."""
    if not records:
        return []
    summary = summarise(records).sort_values("task", kind="stable")
    return [{"task": r.task, "metric": r.metric, "seeds": int(r.seeds), "test": r.test_mean / 100,
             "test_sd": 0.0 if r.seeds == 1 else r.test_std / 100, "dev": r.dev_mean / 100}
            for r in summary.itertuples()]


def parameter_count(weights: str | Path) -> int:
    """Parameters in a safetensors file, from its header alone."""
    from safetensors import safe_open

    with safe_open(str(weights), framework="numpy") as f:
        total = 0
        for key in f.keys():
            n = 1
            for dim in f.get_slice(key).get_shape():
                n *= dim
            total += n
    return total


# ------------------------------------------------------------------ rendering


def render(meta: dict, body: str) -> str:
    """YAML front matter (keys in the given order, empty ones left out) and the body."""
    meta = {k: v for k, v in meta.items() if v not in (None, [], "")}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{body.strip()}\n"


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table of a card, through the project's one table renderer."""
    return pipe_table(pd.DataFrame([[str(c) for c in row] for row in rows], columns=header))


def data_section(cards: dict, counts: dict[str, dict], more: str = " (the corpus card, results/dedup/README.md, "
                 "follows every stage)") -> str:
    """The training data: every source, its licence, and what the corpus kept of it."""
    rows, docs, words = [], 0, 0
    for source, spec in sorted(cards["sources"].items()):
        stages = counts.get(source, {})
        kept = stages.get("dedup", {"documents": [0, 0], "words": [0, 0]})
        extracted = stages.get("extract", kept)
        docs, words = docs + kept["documents"][1], words + kept["words"][1]
        rows.append([source, spec["kind"], spec["license"] or "not given", spec.get("dataset") or "",
                     f"{extracted['documents'][1]:,}", f"{kept['documents'][1]:,}", f"{kept['words'][1]:,}"])
    rows.append(["**all**", "", "", "", "", f"**{docs:,}**", f"**{words:,}**"])
    return (
        f"Documents extracted from each source, and documents and words left after cleaning, "
        f"language identification ({', '.join(cards['languages'])}) and deduplication across sources"
        f"{more}:\n\n"
        + table(["source", "kind", "licence", "Hub dataset", "extracted", "documents", "words"], rows))


def licence_section(cards: dict) -> str:
    given = licence(cards)
    how = ("set in the config" if cards.get("license") else
           "every source's" if given not in ("other", "unknown") else
           "the sources' licences differ or are not all given")
    listed = ", ".join(f"{s}: {spec['license'] or 'not given'}" for s, spec in sorted(cards["sources"].items()))
    return (f"`{given}` ({how}). The sources: {listed}. A model trained on text under a non-commercial "
            f"licence may carry that restriction; check each source's terms before use.")


def evaluation_section(results: list[dict], note: str) -> str:
    if not results:
        return note
    rows = [[r["task"], r["metric"], f"{r['test']:.3f} ± {r['test_sd']:.3f}", f"{r['dev']:.3f}", r["seeds"]]
            for r in results]
    return ("Test scores, mean ± standard deviation over the seeds, each seed's model taken at its best "
            "dev epoch:\n\n" + table(["task", "metric", "test", "dev", "seeds"], rows))


def bert_card(facts: dict) -> str:
    """A BERT export's README.md. ``facts``: the config layer's ``bert_card`` settings
    (``settings``), ``config`` (config.json), ``vocab_size``, ``parameters``, ``log``
    (training.jsonl records), ``counts`` (:func:`corpus_counts`), ``scores``."""
    s, cards = facts["settings"], facts["settings"]["cards"]
    phases, model = s["phases"], s["model"]
    first = phases[0]["settings"]
    cfg, vocab = facts["config"], s["vocab"]
    cased = "uncased" if vocab["lowercase"] else "cased"
    objective = (f"masked language modelling ({first['mask_prob']:.0%} of the tokens, 80% [MASK], 10% random, "
                 f"10% kept{', whole words masked together' if first['whole_word_masking'] else ''})"
                 + (" and next-sentence prediction" if first["nsp"] else ", without next-sentence prediction"))
    done = training_phases(facts["log"])
    rows = []
    for spec, last in zip(phases, done + [None] * (len(phases) - len(done))):
        p = spec["phase_settings"]
        rows.append([spec["phase"], p["seq_length"], f"{last['step']:,}" if last else "-", p["batch_size"],
                     f"{p['lr']:g}", f"{last['loss']:.4f}" if last else "-", f"{last['mlm_loss']:.4f}" if last else "-"])
    number = phases[-1]["phase"]
    where = ("" if s["final"] else
             f" This is phase {number}, an intermediate export: the model is its last phase's directory.")
    meta = {"language": cards["languages"], "license": licence(cards), "library_name": "transformers",
            "pipeline_tag": "fill-mask", "tags": ["bert", "smie"], "datasets": datasets(cards)}
    body = f"""
# {model}

A BERT (Devlin et al., 2019) pretrained from scratch on {language_names(cards['languages'])} text by smie:
{cfg['num_hidden_layers']} layers, hidden size {cfg['hidden_size']}, {cfg['num_attention_heads']} attention heads,
{facts['parameters']:,} parameters with the pretraining heads, a {cased} WordPiece vocabulary of
{facts['vocab_size']:,} pieces.{where}

## Usage

```python
from transformers import pipeline

fill = pipeline("fill-mask", model="path/to/this/directory")  # or its Hub id
fill("Oslo er [MASK] i Norge.")
```

`AutoModelForMaskedLM` and `AutoModel` load it too (`AutoModel` leaves out the pretraining heads).

## Training

- Objective: {objective}.
- Vocabulary `{s['phases'][0]['settings']['vocab']}`: WordPiece, {vocab['size']:,} pieces asked for
  ({facts['vocab_size']:,} in the model), {cased}{', accents stripped' if vocab.get('strip_accents') else ''}.
- Optimizer: {first['optimizer']} (weight decay {first['weight_decay']:g}, gradients clipped at
  {first['clip_norm']:g}), each phase with its own warmup and decay; seed {first['seed']}.
- Every phase starts from the previous phase's weights with a fresh optimizer. The loss is the
  mean over the last logged steps of each phase; training.jsonl has the whole curve (with the
  training time) and `runs/` the same numbers for TensorBoard (`tensorboard --logdir runs`).

{table(['phase', 'sequence length', 'steps', 'batch size', 'peak lr', 'loss', 'MLM loss'], rows)}

## Training data

{data_section(cards, facts['counts'])}

## Evaluation

{evaluation_section(facts['scores'], _no_scores(s['final']))}

## Intended use

{cards['intended_use'].strip()}

## Limitations

It has seen sequences of at most {max(p['phase_settings']['seq_length'] for p in phases)} tokens and the
{language_names(cards['languages'])} of the sources above. {cards['limitations'].strip()}

## Licence

{licence_section(cards)}
"""
    return render(meta, body)


def elmo_card(facts: dict) -> str:
    """An ELMo export's README.md. ``facts``: the config layer's ``elmo_card`` settings
    (``settings``), ``options`` (options.json), ``vocab_size``, ``log``, ``counts``, ``scores``."""
    s, cards = facts["settings"], facts["settings"]["cards"]
    model, opts = s["model"], facts["options"]
    settings, vocab = s["settings"]["settings"], s["vocab"]
    lstm, cnn = opts["lstm"], opts["char_cnn"]
    training = [r for r in facts["log"] if "loss" in r]
    heldout = [r for r in facts["log"] if r.get("heldout_ppl") is not None]
    last = training[-1] if training else None
    what = "lemmas" if vocab["corpus"] == "lemmas" else "word forms"
    rows = [["steps", f"{last['step']:,}" if last else "-"], ["epochs", f"{settings['epochs']:g}"],
            ["training tokens", f"{opts.get('n_train_tokens', 0):,}"], ["batch size (sentences)", settings["batch_size"]],
            ["optimizer", f"{settings['optimizer']}, lr {settings['lr']:g}"],
            ["final training perplexity", f"{last['ppl']:.2f}" if last else "-"],
            ["held-out perplexity", f"{heldout[-1]['heldout_ppl']:.2f}" if heldout else "not measured"]]
    meta = {"language": cards["languages"], "license": licence(cards),
            # no Hub library loads a bilm-tf export; feature extraction is what it is for
            "pipeline_tag": "feature-extraction", "tags": ["elmo", "smie"], "datasets": datasets(cards)}
    body = f"""
# {model}

An ELMo (Peters et al., 2018) trained from scratch on {language_names(cards['languages'])} {what} by smie:
a character CNN ({len(cnn['filters'])} filter widths, {cnn['n_highway']} highway layer{'' if cnn['n_highway'] == 1 else 's'}), a {lstm['n_layers']}-layer
biLSTM with {lstm['dim']} cells projected to {lstm['projection_dim']} (vectors of {2 * lstm['projection_dim']}),
and a vocabulary of {facts['vocab_size']:,} {what} for the softmax. Files in bilm-tf's layout: `options.json`,
`model.hdf5`, `vocab.txt`.

## Usage

With [simple_elmo](https://pypi.org/project/simple-elmo/) (TensorFlow):

```python
from simple_elmo import ElmoModel

model = ElmoModel()
model.load("path/to/this/directory", max_batch_size=64)
vectors = model.get_elmo_vectors(sentences, warmup=False, layers="average")  # at most 64 sentences a call
```

**Pass `warmup=False`.** This model was trained, and smie computes its vectors, with every
sentence starting from a zero LSTM state. simple_elmo's default warm-up first runs the text
through the model and carries the LSTM state on from batch to batch: measured on a smie model,
its default vectors had a cosine of 0.66 to smie's, while `warmup=False` in one batch gave
smie's vectors to 1e-6. Within one call the state also carries from one batch to the next, so
give each call at most `max_batch_size` sentences.

With smie itself (PyTorch, from a checkout of smie):

```python
from smie.elmo.embedder import Embedder

vectors = Embedder("path/to/this/directory")([["Det", "regner", "."]], layers="average")  # or "top", "all"
```

## Training

{table(['', ''], rows)}

Every sentence of the udpipe stage's `{vocab['corpus']}` corpus is one example from a zero LSTM state.
training.jsonl has the curves (with the training time) and `runs/` the same numbers for TensorBoard
(`tensorboard --logdir runs`).

## Training data

{data_section(cards, facts['counts'])}

## Evaluation

{evaluation_section(facts['scores'], 'Not evaluated: the config has no evaluation tasks.')}

## Intended use

{cards['intended_use'].strip()}

## Limitations

Words are read as characters (at most {cnn['max_characters_per_token']} bytes each), so any word gets a
vector; the model knows the {language_names(cards['languages'])} {what} of the sources above.
{cards['limitations'].strip()}

## Licence

{licence_section(cards)}
"""
    return render(meta, body)


def corpus_card(facts: dict) -> str:
    """The deduplicated corpus's README.md (a Hub dataset card). ``facts``: ``cards``
    (the config layer's :meth:`cards`) and ``counts`` (:func:`corpus_counts` of every
    stage's stats)."""
    cards, counts = facts["cards"], facts["counts"]
    rows = []
    for source in sorted(cards["sources"]):
        got = counts.get(source, {})
        rows.append([source] + [f"{got[st]['documents'][1]:,} / {got[st]['words'][1]:,}" if st in got else "-"
                                for st in STAGES])
    total = sum(c.get("dedup", {"words": [0, 0]})["words"][1] for c in counts.values())
    meta = {"language": cards["languages"], "license": licence(cards), "task_categories": ["fill-mask"],
            "tags": ["smie"], "size_categories": [_size_category(sum(c.get("dedup", {"documents": [0, 0]})
                                                                    ["documents"][1] for c in counts.values()))]}
    body = f"""
# The deduplicated corpus

{language_names(cards['languages'])} text from {len(cards['sources'])} sources, {total:,} words after
cleaning, language identification and deduplication, as gzip JSON Lines: `<source>/NNNN.jsonl.gz`, one
document per line, `{{"id", "source", "lang", "text", "meta"}}`, paragraphs of `text` separated by newlines.
The models were trained on this text, split into sentences and tokenized by UDPipe.

## Sources

{data_section(cards, counts, more="")}

## What each stage kept

Documents / words kept after each stage (every stage's stats.json also counts what it dropped, by reason):

{table(['source'] + STAGES, rows)}

## Licence

{licence_section(cards)}
"""
    return render(meta, body)


def _size_category(n: int) -> str:
    """The Hub's size_categories bucket of ``n`` records."""
    for limit, name in [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"),
                        (1_000_000_000, "100M<n<1B")]:
        if n < limit:
            return name
    return "1B<n<10B"


def _no_scores(final: bool) -> str:
    if not final:
        return "Only the last phase is evaluated; see its card."
    return "Not evaluated: the config has no evaluation tasks."
