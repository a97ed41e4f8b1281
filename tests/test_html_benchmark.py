"""The html reader on real saved pages: the article-extraction benchmark (181 news pages
with gold main text, in the shared data directory), scored with its shingle metric
(bench/article_extraction.py, the same code as bench/html_extraction.py)."""

import sys

import pytest

from conftest import REPO, SHARED_DATA
from smie.documents import Rejected
from smie.extract import READERS

sys.path.insert(0, str(REPO / "bench"))
from article_extraction import TAR, gold_texts, predictions, score  # noqa: E402

BENCHMARK = SHARED_DATA / TAR


@pytest.mark.skipif(not BENCHMARK.is_file(), reason=f"benchmark not found: {BENCHMARK} (set SMIE_SHARED_DATA)")
def test_reader_finds_the_main_text_of_real_pages():
    records = list(READERS["html"](BENCHMARK, "bench"))
    gold = gold_texts(BENCHMARK)
    result = score(gold, predictions(records, "bench"), resamples=100)
    # bench/README.md: F1 0.963 (trafilatura's plain extract 0.960, smie's old heuristics 0.845)
    assert result.f1 >= 0.95, f"F1 {result.f1:.3f} (P {result.precision:.3f}, R {result.recall:.3f})"
    assert not result.zero_overlap, f"pages with no gold text found: {result.zero_overlap}"
    # the tar's one other member is counted, not silently skipped
    assert [(r.id, r.reason) for r in records if isinstance(r, Rejected)] == [("bench/ground-truth.json", "not-html")]
