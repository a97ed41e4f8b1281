"""The one table renderer (smie.tables.write): CSV, Markdown, LaTeX and HTML from a
DataFrame, the paper table aggregated with pandas, the corpus plots and the report's
front page text."""

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from smie import plots, provenance, tables
from smie.documents import InputError
from smie.evaluate import results
from smie.report import language_names


def record(task, model, seed, dev, test, epoch, minutes, metric="UPOS accuracy"):
    return {"task": task, "model": model, "seed": seed, "metric": metric, "dev": dev, "test": test,
            "best_epoch": epoch, "minutes": minutes}


RECORDS = [record("pos", "a", 1, 0.90, 0.80, 2, 1.0), record("pos", "a", 2, 0.92, 0.84, 3, 3.0),
           record("pos", "b", 1, 0.50, 0.70, 1, 0.5), record("pos", "b", 2, 0.52, 0.72, 4, 0.7),
           record("sent", "b", 1, 0.6, 0.61, 1, 0.2, "macro F1"), record("sent", "b", 2, 0.6, 0.63, 1, 0.4, "macro F1")]


class Cells(HTMLParser):
    """The text of every caption, th and td of an HTML page, and the bold cells."""

    def __init__(self, page):
        super().__init__()
        self.cells, self.captions, self.bold, self._into, self._strong = [], [], [], None, False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th", "caption"):
            self._into = (tag, [])
        self._strong |= tag == "strong"

    def handle_endtag(self, tag):
        if tag == "strong":
            self._strong = False
        elif self._into and tag == self._into[0]:
            text = "".join(self._into[1])
            (self.captions if tag == "caption" else self.cells).append(text)
            self._into = None

    def handle_data(self, data):
        if self._into:
            self._into[1].append(data)
            if self._strong:
                self.bold.append(data)


def test_results_are_aggregated_in_long_form():
    long = results.long_form(RECORDS)
    assert list(long.columns) == ["task", "metric", "model", "seed", "dev", "test", "minutes", "epoch"]
    assert len(long) == 6 and long["test"].iloc[0] == pytest.approx(80.0)
    summary = results.summarise(RECORDS).set_index(["task", "model"])
    a = summary.loc[("pos", "a")]
    assert a["test_mean"] == pytest.approx(82.0) and a["test_std"] == pytest.approx(2 ** 0.5 * 2)
    assert a["dev_mean"] == pytest.approx(91.0) and a["minutes_mean"] == 2.0
    assert a["best_epochs"] == "2 3" and a["seeds"] == 2


def test_the_paper_table_bolds_the_best_of_each_task_and_keeps_minutes_apart(tmp_path):
    table = results.table(results.summarise(RECORDS), ["pos", "sent"], ["a", "b", "c"], "Config abc123; x 1.")
    tables.write(table, csv=tmp_path / "r.csv", md=tmp_path / "r.md", tex=tmp_path / "r.tex",
                 html=tmp_path / "r.html")
    md = re.sub(r" +", " ", (tmp_path / "r.md").read_text())
    assert "| pos (UPOS accuracy) | **82.0 ± 2.8** (2.0) | 71.0 ± 1.4 (0.6) | - |" in md
    # one model scored on a task: nothing to be best against
    assert "| sent (macro F1) | - | 62.0 ± 1.4 (0.3) | - |" in md
    assert md.rstrip().endswith("[^provenance]: Config abc123; x 1.")
    tex = (tmp_path / "r.tex").read_text()
    assert r"pos (UPOS accuracy) & \textbf{82.0 $\pm$ 2.8} (2.0) & 71.0 $\pm$ 1.4 (0.6) & - \\" in tex
    for line in (r"\toprule", r"\midrule", r"\bottomrule", r"\label{tab:results}", r"\begin{tabular}{lrrr}"):
        assert line in tex.splitlines(), line
    assert r"\hline" not in tex
    caption = re.search(r"\\caption\{(.*)\}", tex)[1]
    assert "2 seeds" in caption and "abc123" not in caption and "(2.0)" not in caption
    assert tex.startswith("% Config abc123; x 1.\n")
    page = Cells((tmp_path / "r.html").read_text())
    assert page.captions == [table.caption] and page.bold == ["82.0 ± 2.8"]
    assert page.cells[:4] == ["task", "a", "b", "c"] and "82.0 ± 2.8 (2.0)" in page.cells
    csv = pd.read_csv(tmp_path / "r.csv")
    assert list(csv.columns) == results.SUMMARY_COLUMNS and len(csv) == 3


def test_one_seed_prints_no_plus_minus():
    one = [r for r in RECORDS if r["seed"] == 1]
    table = results.table(results.summarise(one), ["pos"], ["a", "b"], "")
    md, tex = tables.markdown(table), tables.latex(table)
    assert "±" not in md and r"\pm" not in tex and "seeds" not in table.caption
    assert "**80.0** (1.0)" in md and "70.0 (0.5)" in md
    assert "[^provenance]" not in md


def test_a_record_that_is_not_one_names_its_file(tmp_path):
    bad = tmp_path / "seed1.json"
    bad.write_text('{"task": "pos"}')
    with pytest.raises(InputError, match=re.escape(str(bad)) + r".*no model"):
        results.load_records([str(bad)])
    bad.write_text("{")
    with pytest.raises(InputError, match=re.escape(str(bad))):
        results.load_records([str(bad)])


def test_latex_escapes_every_special_character_once():
    assert tables.latex_escape(r"50% of $5 {a_b} ~x^2 #1 & c\d ±") == (
        r"50\% of \$5 \{a\_b\} \textasciitilde{}x\textasciicircum{}2 \#1 \& c\textbackslash{}d $\pm$")


def test_every_output_of_a_corpus_table(tmp_path):
    frame = pd.DataFrame({"source": ["wiki_{nb}", "a|b"], "records": [12345, 7], "share": [0.98765, None],
                          "note": ["", "x ~ y"]})
    table = tables.Table(frame, "Caption with $ and 5%.", "tab:t", "Config 0123456789ab; smie 0.1.0.",
                         formats={"share": ".1%"})
    tables.write(table, csv=tmp_path / "t.csv", md=tmp_path / "t.md", tex=tmp_path / "t.tex",
                 html=tmp_path / "t.html")
    assert pd.read_csv(tmp_path / "t.csv", keep_default_na=False)["records"].tolist() == [12345, 7]
    md = (tmp_path / "t.md").read_text()
    assert re.search(r"\| wiki_\{nb\} +\| +12,345 \| +98\.8% \| +- +\|", md)
    assert r"a\|b" in md and "|:-" in md and "-:|" in md  # text left, numbers right
    assert "Table: Caption with $ and 5%.[^provenance]" in md
    tex = (tmp_path / "t.tex").read_text()
    assert r"wiki\_\{nb\} & 12,345 & 98.8\% & - \\" in tex and r"x \textasciitilde{} y" in tex
    assert r"\caption{Caption with \$ and 5\%.}" in tex and r"\begin{tabular}{lrrl}" in tex
    page = Cells((tmp_path / "t.html").read_text())
    assert page.captions == ["Caption with $ and 5%."]
    assert page.cells == ["source", "records", "share", "note", "wiki_{nb}", "12,345", "98.8%", "-",
                          "a|b", "7", "-", "x ~ y"]
    assert "Config 0123456789ab" in (tmp_path / "t.html").read_text()


def test_the_funnel_and_language_plots_are_drawn(tmp_path):
    stats = [{"source": s, "stage": st, "documents": {"in": 10, "kept": k, "dropped": {"short": 10 - k}},
              "words": {"in": 100, "kept": 10 * k}} for s in ("nak", "wiki") for st, k in (("clean", 8), ("dedup", 6))]
    funnel = pd.DataFrame(tables.funnel_rows(stats, ["clean", "dedup"]), columns=tables.FUNNEL_COLUMNS)
    plots.funnel(funnel, tmp_path / "funnel.png", ["clean", "dedup"])
    langs = [{"source": "nak", "languages": {"documents": {"nb": 8, "da": 2}, "words": {"nb": 80, "da": 20}}},
             {"source": "wiki", "languages": {"documents": {"nn": 5, "sv": 1, "en": 1, "de": 1}, "words": {}}}]
    language = pd.DataFrame(tables.language_rows(langs), columns=tables.LANGUAGE_COLUMNS)
    plots.languages(language, tmp_path / "languages.png", top=3)
    import matplotlib.image

    for name in ("funnel", "languages"):
        image = matplotlib.image.imread(tmp_path / f"{name}.png")
        assert image.shape[0] > 200 and image.shape[1] > 400
        assert (image[..., :3].std(axis=(0, 1)) > 0.05).all(), name  # colour was drawn, not a blank canvas


def test_the_front_page_names_the_configured_languages():
    assert language_names(["nb", "nn"]) == "Norwegian Bokmål (nb) and Norwegian Nynorsk (nn)"
    assert language_names(["da"]) == "Danish (da)"
    assert language_names(["sv", "qq", "fi"]) == "Swedish (sv), qq and Finnish (fi)"


def test_provenance_names_the_commit_only_in_a_checkout(tmp_path):
    from conftest import REPO

    note = provenance.provenance("0123456789ab", provenance.git_commit(REPO))
    assert re.match(r"Config 0123456789ab; smie \S+, snakemake 9\.\S+, pandas 3\.", note)
    if (REPO / ".git").exists():
        assert re.search(r"; commit [0-9a-f]{40}( \+ local changes)?\.$", note)
    assert provenance.git_commit(tmp_path) is None
    assert "commit" not in provenance.provenance("x")
