"""Mutated corpus files through every reader, clean and langid: no crash (see tests/fuzzing.py).

A small fixed budget here; ``bench/fuzz.py`` runs the long campaign. A failure
names the seed and case number: ``fuzzing.fuzz(seeds, cases=i + 1, seed=seed, ...)``
replays it, and the traceback says where it broke.
"""

from conftest import SHARED_DATA
from fuzzing import demo_seeds, fuzz, real_seeds

CASES = 300


def test_mutated_inputs_give_documents_counted_records_or_one_line_errors(tmp_path):
    seeds = demo_seeds() + real_seeds(SHARED_DATA)
    report = fuzz(seeds, cases=CASES, seed=2026, workdir=tmp_path)
    assert report.cases == CASES
    assert not report.crashes, "\n\n".join(f"seed {s}, case {i} ({name}):\n{trace}" for s, i, name, trace in report.crashes)
    # the mutations reach every outcome: files refused, documents read and set aside, kept to the end
    for outcome in ("files refused", "extract documents", "extract set aside", "langid kept"):
        assert report.outcomes[outcome] > 0, report.outcomes
