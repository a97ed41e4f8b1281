"""filter_shard: kept, dropped and trimmed documents all add up."""

from smie.documents import Document, ShardedWriter, read_jsonl
from smie.shard_filter import filter_shard
from smie.stats import check_balance, load


def test_kept_dropped_and_trimmed_documents_balance(tmp_path):
    docs = [
        Document("s/1", "s", "Dette er en helt vanlig tekst om været i Bergen."),
        Document("s/2", "s", "Kort."),
        Document("s/3", "s", "Godta informasjonskapsler\nHer er en lengre tekst om fjellturer i Jotunheimen."),
    ]
    with ShardedWriter([tmp_path / "in.jsonl.gz"]) as w:
        for d in docs:
            w.write(d)

    def step(doc):
        if len(doc.text.split()) < 3:
            return "too-short"
        lines = doc.text.split("\n")
        kept = [l for l in lines if "informasjonskapsler" not in l]
        if len(kept) < len(lines):
            removed = sum(len(l.split()) for l in lines if l not in kept)
            doc.text = "\n".join(kept)
            return doc, {"boilerplate-lines": removed}
        return doc

    stats = filter_shard(tmp_path / "in.jsonl.gz", tmp_path / "out.jsonl.gz", tmp_path / "stats.json",
                         tmp_path / "dropped.jsonl.gz", stage="clean", source="s", step=step)
    saved = load(tmp_path / "stats.json")
    check_balance(saved)
    assert saved["documents"] == {"in": 3, "kept": 2, "dropped": {"boilerplate-lines": 0, "too-short": 1}}
    assert saved["words"]["dropped"] == {"boilerplate-lines": 2, "too-short": 1}
    assert saved["words"]["in"] == sum(len(d.text.split()) for d in docs)
    assert [d["id"] for d in read_jsonl(tmp_path / "out.jsonl.gz")] == ["s/1", "s/3"]
    (dropped,) = read_jsonl(tmp_path / "dropped.jsonl.gz")
    assert dropped["id"] == "s/2" and dropped["meta"]["dropped_by"] == "clean:too-short"
    assert stats.docs["kept"] == 2
