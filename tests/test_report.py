"""The Snakemake report of the demo run, opened in a real headless Chromium: every
table shown as an HTML table with its caption, the corpus funnel and language plots
and the pretraining curves as images, and a front page naming the run's languages."""

import csv
import struct

import pytest

from browser import Browser, chromium
from conftest import DEMO_CONFIG, demo_config, snakemake

# category, the report's label of the entry, the file it shows
TABLES = [("Corpus", "corpus funnel (table)", "funnel"), ("Corpus", "languages (table)", "languages"),
          ("Corpus", "corpus statistics (table)", "corpus_stats"), ("Vocabulary", "vocabularies (table)", "vocab"),
          ("Results", "paper table (table)", "results")]
PLOTS = [("Corpus", "corpus funnel (plot)", "funnel"), ("Corpus", "languages (plot)", "languages"),
         ("Pretraining", "results/plots/bert_loss.png", "bert_loss"),
         ("Pretraining", "results/plots/elmo_perplexity.png", "elmo_perplexity")]


@pytest.fixture(scope="module")
def report(demo_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(demo_run), "--report", str(path))
    return path


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium to open the report in (.ci/install-chromium.sh installs Debian's, as root)")
    with Browser(executable) as b:
        yield b


def open_entry(browser, report, category, label):
    """Open the report, choose the category in its menu and press the entry's view button."""
    browser.open(report.as_uri())
    # the menu lists the categories; a report of one category lists it as "Results"
    browser.wait_for(f"""(() => {{
        const name = Object.keys(categories).length === 1 ? "Results" : {category!r};
        const item = [...document.querySelectorAll("a")].find(a => a.textContent.trim() === name);
        if (item) item.click();
        return !!item; }})()""")
    browser.wait_for(f"""(() => {{
        const row = [...document.querySelectorAll("tr")].find(r => r.cells.length > 1
            && r.cells[0].textContent.trim() === {label!r});
        if (row) row.cells[row.cells.length - 1].querySelector("a").click();
        return !!row; }})()""")


def table_in_frame(browser):
    """Caption, header and body cells of the table in the report's content frame."""
    script = """(() => { const t = document.querySelector("table");
        return t && t.rows.length ? {caption: t.caption ? t.caption.textContent : null,
            rows: [...t.rows].map(r => [...r.cells].map(c => c.textContent.trim())),
            bold: [...t.querySelectorAll("td strong")].map(s => s.textContent)} : null; })()"""

    def found():
        for context in browser.frame_contexts():
            try:
                value = browser.evaluate(script, context)
            except RuntimeError:  # the frame navigated away from about:blank meanwhile
                continue
            if value:
                return value
        return None

    import time

    deadline = time.monotonic() + browser.timeout
    while (value := found()) is None:
        assert time.monotonic() < deadline, "no table in the report's frame"
        time.sleep(0.2)
    return value


def test_the_front_page_names_the_configured_languages(browser, report):
    browser.open(report.as_uri())
    text = browser.wait_for("""(() => { const t = document.body.innerText;
        return t.includes("smie:") ? t : null; })()""")
    assert "Norwegian Bokmål (nb) and Norwegian Nynorsk (nn)" in text
    assert "raw Norwegian" not in text


@pytest.mark.parametrize("category,label,name", TABLES, ids=[t[2] for t in TABLES])
def test_every_table_is_shown_as_a_table_with_its_caption(browser, report, demo_run, category, label, name):
    open_entry(browser, report, category, label)
    shown = table_in_frame(browser)
    rows = list(csv.reader(open(demo_run / f"results/tables/{name}.csv", encoding="utf-8")))
    assert shown["caption"] and len(shown["caption"]) > 40
    if name == "results":  # the paper's wide form: tasks by models, the CSV is one row per task and model
        config = demo_config()
        models = list(config["bert"]["models"]) + list(config["elmo"]["models"])
        assert shown["rows"][0] == ["task"] + models
        assert [r[0].split(" (")[0] for r in shown["rows"][1:]] == list(config["evaluate"]["tasks"])
        header = rows[0]
        for row in rows[1:]:
            r = dict(zip(header, row))
            cell = shown["rows"][1 + list(config["evaluate"]["tasks"]).index(r["task"])][1 + models.index(r["model"])]
            assert cell.startswith(f"{float(r['test_mean']):.1f}"), (r, cell)
        assert len(shown["bold"]) >= len(config["evaluate"]["tasks"])
        assert "seeds" in shown["caption"]
    else:
        assert shown["rows"][0] == rows[0]  # the CSV's columns
        assert len(shown["rows"]) == len(rows)
        assert [r[0] for r in shown["rows"][1:]] == [r[0] for r in rows[1:]]
        # a count the table shows with its thousands separator
        integers = [i for i, v in enumerate(rows[1]) if v.isdigit()]
        assert integers and all(shown["rows"][k][i].replace(",", "") == rows[k][i]
                                for k in range(1, len(rows)) for i in integers)


@pytest.mark.parametrize("category,label,name", PLOTS, ids=[p[2] for p in PLOTS])
def test_every_plot_is_shown_as_an_image(browser, report, demo_run, category, label, name):
    open_entry(browser, report, category, label)
    width = browser.wait_for("""(() => { const img = document.querySelector("img[src^='data:image/png']");
        return img && img.complete ? img.naturalWidth : 0; })()""")
    png = (demo_run / f"results/plots/{name}.png").read_bytes()
    assert width == struct.unpack(">I", png[16:20])[0]  # the IHDR width: this very PNG, decoded


def test_the_report_file_holds_every_table_and_plot(report):
    html = report.read_text(encoding="utf-8")
    for _, label, name in TABLES:
        assert f"{name}.html" in html and label in html, name
    for _, _, name in PLOTS:
        assert f"{name}.png" in html, name
    for caption in ("The paper table", "The corpus funnel", "Language distribution per source",
                    "The training corpus after UDPipe", "Every vocabulary of the run",
                    "BERT pretraining: training MLM loss", "ELMo pretraining: perplexity"):
        assert caption in html, caption
