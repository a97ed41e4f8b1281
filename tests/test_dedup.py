"""dedup: exact and near duplicates across sources, found from signatures alone."""

import json
import random
from pathlib import Path

import numpy as np
import pytest
import yaml

from smie import dedup
from smie.clean import make_step
from smie.documents import Document, ShardedWriter, read_jsonl
from conftest import demo_documents
from smie.shard_filter import filter_shard
from smie.stats import check_balance, load

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo"

# Texts written for these tests.
BERGEN = [
    "Bergen er kjent for mye nedbør gjennom hele året.",
    "I fjor regnet det i over to hundre dager på rad ifølge meteorologene.",
    "Byfjellene rundt sentrum gir likevel flotte turmuligheter for både unge og gamle.",
    "Fløibanen frakter hvert år mer enn en million passasjerer opp til utsiktspunktet.",
    "Mange turister besøker Bryggen, som står på UNESCOs verdensarvliste.",
    "Fisketorget har vært en viktig møteplass i byen siden middelalderen.",
    "Om sommeren arrangeres det konserter i parken ved Lille Lungegårdsvann.",
]
BERGEN_OTHER = [
    "Bergen har et fuktig kystklima med milde vintre.",
    "Nedbørsmengden i byen er blant de høyeste i Europa.",
    "Turister fra hele verden kommer for å se Bryggen og fjellene.",
    "Fløyen og Ulriken er de mest besøkte toppene rundt byen.",
    "Mange bergensere går med paraply selv når sola skinner.",
    "Byen har også et rikt kulturliv med festivaler gjennom året.",
    "Fisketorget selger sjømat til både lokale og tilreisende.",
]
REPLACEMENT = "Regnet kommer ofte fra vest, der fuktig luft fra havet presses opp over fjellene."


def _write(path: Path, docs) -> Path:
    with ShardedWriter([path]) as w:
        for d in docs:
            w.write(d)
    return path


def _run(tmp: Path, docs, settings=dedup.Settings(), priority=(), shards=2, name="run"):
    """All phases but the last over ``docs``; the drop list as {id: record}."""
    out = tmp / name
    paths = [out / f"{i:04d}.jsonl.gz" for i in range(shards)]
    with ShardedWriter(paths) as w:
        for d in docs:
            w.write(d)
    sigs = []
    for p in paths:
        sig = p.with_suffix("").with_suffix(".npz")
        dedup.compute_signatures(p, sig, settings)
        sigs.append(sig)
    drop = out / "drop.jsonl.gz"
    dedup.find_duplicates(sigs, drop, settings, list(priority))
    return {r["id"]: r for r in read_jsonl(drop)}, paths, sigs, drop


# --- signatures ---------------------------------------------------------------


def test_normalise_folds_case_width_punctuation_and_spacing():
    assert dedup.normalise("  Hei,   PÅ\tdeg!!\n«Ｆｕｌｌ» snake_case—ﬁn ") == "hei på deg full snake case fin"
    assert dedup.normalise("...!!") == ""


def _reference_shingle_hashes(text: str, n: int) -> set[int]:
    """The shingle hash of the module, one shingle at a time in plain Python."""
    mask = (1 << 64) - 1

    def mix(x):
        x ^= x >> 30
        x = (x * 0xBF58476D1CE4E5B9) & mask
        x ^= x >> 27
        x = (x * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    words = text.split(" ")
    grams = [" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]
    out = set()
    for g in grams:
        data = g.encode("utf-8")
        h = 0
        for byte in data:
            h = (h * 0x9E3779B97F4A7C15 + byte + 1) & mask
        h ^= (len(data) * 0xD6E8FEB86659FD93) & mask
        out.add(mix(h) >> 32)
    return out


@pytest.mark.parametrize("n", [1, 3, 5])
def test_vectorised_hashes_and_signature_match_a_plain_reference(n):
    settings = dedup.Settings(shingle=n, num_perm=16)
    hasher = dedup.MinHasher(settings)
    text = dedup.normalise(" ".join(BERGEN[:3]) + " æøå")
    expected = _reference_shingle_hashes(text, n)
    assert set(hasher.shingle_hashes(text).tolist()) == expected
    a, b = hasher.a.tolist(), hasher.b.tolist()
    mask = (1 << 64) - 1
    sig = [min(((a[k] * x + b[k]) & mask) >> 32 for x in expected) for k in range(16)]
    assert hasher.signature(text).tolist() == sig
    # a text shorter than a shingle is one shingle
    assert len(dedup.MinHasher(dedup.Settings(shingle=3)).shingle_hashes("to ord")) == 1


def test_estimated_similarity_follows_jaccard():
    settings = dedup.Settings(shingle=1, num_perm=256)
    hasher = dedup.MinHasher(settings)
    words = [f"ord{i}" for i in range(300)]
    a, b = " ".join(words[:200]), " ".join(words[100:])  # Jaccard 100 / 300
    est = np.mean(hasher.signature(a) == hasher.signature(b))
    assert abs(est - 1 / 3) < 4 * np.sqrt((1 / 3) * (2 / 3) / 256)


def test_signature_files_are_compact_and_reproducible(tmp_path):
    docs = [Document(f"s/{i}", "s", " ".join(BERGEN[i:])) for i in range(5)] + [Document("s/empty", "s", "--")]
    shard = _write(tmp_path / "in.jsonl.gz", docs)
    s = dedup.Settings()
    assert dedup.compute_signatures(shard, tmp_path / "a.npz", s) == 6
    dedup.compute_signatures(shard, tmp_path / "b.npz", s)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    with np.load(tmp_path / "a.npz") as z:
        assert z["ids"].tolist() == [d.id for d in docs]
        assert z["exact"].dtype == np.uint64 and z["exact"].shape == (6,)
        assert z["minhash"].dtype == np.uint32 and z["minhash"].shape == (6, s.num_perm)
        assert z["words"].tolist() == [len(dedup.normalise(d.text).split()) for d in docs]
        assert len(set(z["exact"].tolist())) == 6


# --- settings -----------------------------------------------------------------


def test_settings_from_dict_and_banding():
    s = dedup.Settings.from_dict({"shingle": 2, "threshold": 0.6})
    assert (s.shingle, s.num_perm, s.threshold) == (2, 256, 0.6)
    assert dedup.Settings.from_dict(None) == dedup.Settings()
    assert dedup.Settings.from_dict({"seed": 2}) == dedup.Settings(seed=2)
    with pytest.raises(ValueError, match="unknown"):
        dedup.Settings.from_dict({"shingles": 3})
    with pytest.raises(ValueError, match="exceeds"):
        dedup.Settings(num_perm=64, bands=20, rows=4)
    with pytest.raises(ValueError, match="both"):
        dedup.Settings(bands=20)
    assert dedup.Settings().banding() == (64, 4)
    assert dedup.Settings(bands=32, rows=8).banding() == (32, 8)
    for threshold in (0.3, 0.5, 0.7, 0.9):
        bands, rows = dedup.choose_bands(threshold, 128)
        assert bands * rows <= 128
        assert 1 - (1 - threshold**rows) ** bands >= 0.98
        more = 128 // (rows + 1)
        assert 1 - (1 - threshold ** (rows + 1)) ** more < 0.98


def test_signatures_of_other_settings_are_refused(tmp_path):
    shard = _write(tmp_path / "in.jsonl.gz", [Document("s/1", "s", BERGEN[0])])
    dedup.compute_signatures(shard, tmp_path / "sig.npz", dedup.Settings(shingle=2))
    with pytest.raises(ValueError, match="shingle"):
        dedup.find_duplicates([tmp_path / "sig.npz"], tmp_path / "drop.jsonl.gz", dedup.Settings(shingle=3))


def test_signature_files_of_the_other_mode_are_refused_naming_the_file(tmp_path):
    shard = _write(tmp_path / "in.jsonl.gz", [Document("s/1", "s", BERGEN[0])])
    exact_only, both = dedup.Settings(near=False), dedup.Settings()
    dedup.compute_signatures(shard, tmp_path / "exact.npz", exact_only)
    dedup.compute_signatures(shard, tmp_path / "both.npz", both)
    with np.load(tmp_path / "exact.npz") as z:
        assert z["minhash"].shape == (1, 0)
    for settings, other in ((both, "exact.npz"), (exact_only, "both.npz")):
        with pytest.raises(ValueError, match=rf"{other}: .*near={not settings.near}.*near={settings.near}"):
            dedup.find_duplicates([tmp_path / "exact.npz", tmp_path / "both.npz"],
                                  tmp_path / "drop.jsonl.gz", settings)
    # a file of an older format is refused as such
    with np.load(tmp_path / "both.npz") as z:
        arrays = dict(z)
    arrays["params"] = np.array([1, 3, 256, 1], dtype=np.int64)
    np.savez(tmp_path / "old.npz", **arrays)
    with pytest.raises(ValueError, match="old.npz: signature format 1"):
        dedup.find_duplicates([tmp_path / "old.npz"], tmp_path / "drop.jsonl.gz", both)
    with pytest.raises(ValueError, match="near"):
        dedup.Settings.from_dict({"near": "false"})


# --- finding duplicates -------------------------------------------------------


def test_exact_duplicates_keep_by_source_priority_then_id(tmp_path):
    text = "\n".join(BERGEN)
    variants = {
        "web/9": text.upper(),
        "web/2": text.replace(".", " !").replace(" ", "   "),
        "avis/5": text.replace("\n", " ") + " ...",
        "wiki/1": "«" + text.replace(",", ";") + "»",
    }
    docs = [Document(i, i.split("/")[0], t) for i, t in variants.items()]
    docs.append(Document("web/other", "web", "\n".join(BERGEN_OTHER)))

    cases = [
        ((), "avis/5"),  # no priority: sources by name, then id
        (("web",), "web/2"),  # a listed source first, then the smallest id
        (("wiki", "web"), "wiki/1"),
        (("nowhere", "avis"), "avis/5"),
    ]
    for n, (priority, kept) in enumerate(cases):
        drops, *_ = _run(tmp_path, docs, priority=priority, name=f"p{n}")
        assert sorted(drops) == sorted(set(variants) - {kept}), priority
        for r in drops.values():
            assert r == {"id": r["id"], "reason": "exact-duplicate", "kept": kept,
                         "similarity": 1.0, "cluster_size": 4}


def test_near_duplicate_found_and_same_topic_texts_not(tmp_path):
    changed = list(BERGEN[:6])
    changed[3] = REPLACEMENT
    docs = [
        Document("a/orig", "a", "\n".join(BERGEN[:6])),
        Document("b/copy", "b", " ".join(changed)),
        Document("c/other", "c", "\n".join(BERGEN_OTHER)),
        # shares two of six sentences with the original: a different text
        Document("d/mix", "d", "\n".join(BERGEN[:2] + BERGEN_OTHER[:4])),
    ]
    drops, *_ = _run(tmp_path, docs, priority=["b", "a"])
    assert list(drops) == ["a/orig"]
    r = drops["a/orig"]
    assert r["reason"] == "near-duplicate" and r["kept"] == "b/copy" and r["cluster_size"] == 2
    assert 0.5 <= r["similarity"] < 1.0


def test_exact_only_finds_the_exact_duplicates_and_no_near_ones(tmp_path):
    changed = list(BERGEN[:6])
    changed[3] = REPLACEMENT
    docs = [
        Document("a/1", "a", "\n".join(BERGEN[:6])),
        Document("a/2", "a", " ".join(BERGEN[:6]).upper()),  # exact
        Document("b/near", "b", " ".join(changed)),  # near
        Document("c/other", "c", "\n".join(BERGEN_OTHER)),
    ]
    both, *_ = _run(tmp_path, docs, name="both")
    assert {i: r["reason"] for i, r in both.items()} == {"a/2": "exact-duplicate", "b/near": "near-duplicate"}
    drops, paths, sigs, _ = _run(tmp_path, docs, settings=dedup.Settings(near=False), name="exact")
    assert drops == {"a/2": {"id": "a/2", "reason": "exact-duplicate", "kept": "a/1",
                             "similarity": 1.0, "cluster_size": 2}}
    for sig in sigs:
        with np.load(sig) as z:
            assert z["minhash"].shape == (len(z["ids"]), 0)


def test_texts_without_words_are_never_duplicates(tmp_path):
    docs = [Document("s/1", "s", "!!! ..."), Document("s/2", "s", "— —"), Document("s/3", "s", "")]
    drops, *_ = _run(tmp_path, docs)
    assert drops == {}


def test_no_documents_and_repeated_ids(tmp_path):
    empty = _write(tmp_path / "empty.jsonl.gz", [])
    dedup.compute_signatures(empty, tmp_path / "empty.npz", dedup.Settings())
    counts = dedup.find_duplicates([tmp_path / "empty.npz"], tmp_path / "drop.jsonl.gz", dedup.Settings())
    assert counts["documents"] == 0 and list(read_jsonl(tmp_path / "drop.jsonl.gz")) == []
    one = _write(tmp_path / "one.jsonl.gz", [Document("s/1", "s", BERGEN[0])])
    dedup.compute_signatures(one, tmp_path / "one.npz", dedup.Settings())
    with pytest.raises(ValueError, match="s/1"):
        dedup.find_duplicates([tmp_path / "one.npz"] * 2, tmp_path / "drop.jsonl.gz", dedup.Settings())


def test_filter_step_drops_listed_and_marks_kept(tmp_path):
    docs = [Document("s/1", "s", "\n".join(BERGEN)), Document("s/2", "s", "\n".join(BERGEN).lower()),
            Document("s/3", "s", "\n".join(BERGEN_OTHER))]
    drops, paths, _, drop = _run(tmp_path, docs, shards=1)
    step = dedup.make_filter_step(drop)
    assert step(docs[1]) == "exact-duplicate"
    kept = step(Document("s/1", "s", "x"))
    assert kept.meta["dedup"] == {"cluster_size": 2}
    other = step(docs[2])
    assert other is docs[2] and "dedup" not in other.meta


# --- the demo corpora ---------------------------------------------------------


def cleaned(docs: list[Document]) -> list[Document]:
    """The documents the clean stage keeps, as it leaves them: dedup's input in the workflow."""
    step = make_step({})
    results = (step(d) for d in docs)
    return [r[0] if isinstance(r, tuple) else r for r in results if not isinstance(r, str)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    cfg, docs = yaml.safe_load((DEMO / "config.yaml").read_text()), cleaned(demo_documents())
    tmp = tmp_path_factory.mktemp("demo")
    drops, paths, sigs, drop = _run(tmp, docs, shards=4)
    return cfg, docs, drops, paths, sigs, drop


def test_demo_planted_duplicates_found_and_nothing_else(demo, tmp_path):
    cfg, docs, drops, paths, sigs, drop = demo
    planted = json.loads((DEMO / "corpora" / "planted.json").read_text())
    ids = {d.id for d in docs}
    assert 250 <= len(docs) < sum(c["documents"] for c in planted["counts"].values())
    expected = set()
    for reason, key in (("exact-duplicate", "exact_duplicates"), ("near-duplicate", "near_duplicates")):
        for pair in planted[key]:
            assert set(pair) <= ids, pair
            dropped = [i for i in pair if i in drops]
            assert len(dropped) == 1, (key, pair, dropped)
            (gone,) = dropped
            (twin,) = set(pair) - {gone}
            assert drops[gone]["kept"] == twin and drops[gone]["reason"] == reason, drops[gone]
            expected.add(gone)
    assert set(drops) == expected  # nothing else is dropped as a duplicate
    assert all(r["similarity"] >= 0.5 for r in drops.values())

    # the third phase, through filter_shard, balances and removes exactly those
    step = dedup.make_filter_step(drop)
    kept_ids = []
    for i, p in enumerate(paths):
        filter_shard(p, tmp_path / f"{i}.jsonl.gz", tmp_path / f"{i}.json", tmp_path / f"{i}.dropped.jsonl.gz",
                     stage="dedup", source="all", step=step)
        check_balance(load(tmp_path / f"{i}.json"))
        kept_ids += [d["id"] for d in read_jsonl(tmp_path / f"{i}.jsonl.gz")]
    assert sorted(kept_ids) == sorted(ids - expected)


def test_demo_exact_only_finds_the_planted_exact_duplicates(demo, tmp_path):
    cfg, docs, drops, *_ = demo
    exact_only, *_ = _run(tmp_path, docs, settings=dedup.Settings(near=False), shards=4)
    assert exact_only == {i: r for i, r in drops.items() if r["reason"] == "exact-duplicate"}
    assert any(r["reason"] == "near-duplicate" for r in drops.values())


def test_demo_kept_twin_follows_source_priority(demo, tmp_path):
    cfg, docs, drops, paths, sigs, drop = demo
    priority = ["oscar2301_nb", "oscar2019_nb", "oscar2019_nn", "html"]
    dedup.find_duplicates(sigs, tmp_path / "drop.jsonl.gz", dedup.Settings(), priority)
    again = {r["id"]: r for r in read_jsonl(tmp_path / "drop.jsonl.gz")}
    assert len(again) == len(drops)
    source = {d.id: d.source for d in docs}
    rank = {s: i for i, s in enumerate(priority)}
    rank.update({s: len(priority) + i for i, s in enumerate(sorted(set(source.values()) - set(priority)))})
    for r in again.values():
        assert (rank[source[r["kept"]]], r["kept"]) < (rank[source[r["id"]]], r["id"]), r
    assert {source[r["kept"]] for r in again.values()} & {"oscar2301_nb"}


def test_drop_list_independent_of_shard_order_and_count(demo, tmp_path):
    cfg, docs, drops, paths, sigs, drop = demo
    dedup.find_duplicates(list(reversed(sigs)), tmp_path / "rev.jsonl.gz", dedup.Settings())
    assert (tmp_path / "rev.jsonl.gz").read_bytes() == drop.read_bytes()
    shuffled = list(docs)
    random.Random(7).shuffle(shuffled)
    _, _, _, other = _run(tmp_path, shuffled, shards=3)
    assert other.read_bytes() == drop.read_bytes()
