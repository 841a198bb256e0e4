"""The HTML report, its views and plots, the Markdown summary, the Jupyter hooks and `mteval report`.

Browser checks (the rendered DOM, the screenshot) are in test_browser.py.
"""
from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
import subprocess
import sys

import pytest

from _report_fixtures import (  # noqa: F401
    CAREFUL, EXAMPLE, SCRIPT, hostile_results, injected, parse_html, report_results,
)
from conftest import REPO


@pytest.fixture(scope="module")
def page(report_results):  # noqa: F811
    from mteval.report.html import render_html

    return render_html(report_results)


@pytest.fixture(scope="module")
def dom(page):
    return parse_html(page)


@pytest.fixture(scope="module")
def results_file(report_results, tmp_path_factory):  # noqa: F811
    path = tmp_path_factory.mktemp("results") / "results.json"
    report_results.to_json(path)
    return path


# -- highlighting ----------------------------------------------------------------------------


def _strip(markup) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", str(markup)))


def test_highlight_escapes_every_piece_and_keeps_the_text():
    from mteval.report.views import Mark, highlight

    text = 'Menteri <b>Budi</b> & "Ani" bertemu 5 kali.'
    marks = [Mark(8, 19, "source_only", "minor", 'a "title" <with> markup', 0),
             Mark(37, 38, "number_mismatch", "major", "numbers", 1)]
    out = str(highlight(text, marks))
    assert "<b>" not in out and "&lt;b&gt;Budi&lt;/b&gt;" in out
    assert '&#34;title&#34; &lt;with&gt; markup' in out  # attribute value escaped
    assert _strip(out) == text
    assert out.count("<mark ") == 2 and out.count("</mark>") == 2


def test_highlight_nests_overlapping_and_contained_spans():
    from mteval.report.views import Mark, highlight

    text = "abcdefghij"
    marks = [Mark(0, 6, "source_only", "minor", "outer", 0), Mark(2, 4, "mt_entity_error", "major", "inner", 1),
             Mark(5, 9, "number_mismatch", "major", "crossing", 2), Mark(-3, 99, "x", "info", "clipped", 3)]
    out = str(highlight(text, marks))
    assert _strip(out) == text
    tree = parse_html(f"<div>{out}</div>")
    depth_ok = all(out.count(tag) == out.count(tag.replace("<", "</")) for tag in ("<mark",))
    assert depth_ok
    inner = [n for n in tree.iter() if n.attrs.get("data-kind") == "mt_entity_error"]
    assert [n.text() for n in inner] == ["cd"]
    assert {a.attrs.get("data-kind") for a in inner[0].ancestors()} >= {"source_only", "x"}
    crossing = [n.text() for n in tree.iter() if n.attrs.get("data-kind") == "number_mismatch"]
    assert "".join(crossing) == "fghi" and len(crossing) == 2  # cut where "outer" ends


def test_highlight_ignores_empty_and_reversed_spans():
    from mteval.report.views import Mark, highlight

    out = str(highlight("<x>", [Mark(2, 2, "k", "minor", "t", 0), Mark(3, 1, "k", "minor", "t", 1)]))
    assert out == "&lt;x&gt;"


# -- the page --------------------------------------------------------------------------------


def test_page_is_self_contained(page, dom):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(http" not in page
    (meta,) = [n for n in dom.find_all("meta") if n.attrs.get("http-equiv") == "Content-Security-Policy"]
    policy = meta.attrs["content"]
    assert "default-src 'none'" in policy
    (script,) = dom.find_all("script")
    digest = base64.b64encode(hashlib.sha256(script.text().encode("utf-8")).digest()).decode("ascii")
    assert f"'sha256-{digest}'" in policy
    assert len([n for n in dom.iter() if n.tag == "svg"]) == 3


def test_corpus_table_has_every_system_metric_part_and_interval(report_results, dom):  # noqa: F811
    (table,) = dom.find_all("table", **{"class": "corpus"})
    rows = [n for n in table.iter() if n.tag == "tr" and "data-system" in n.attrs]
    seen = {(r.attrs["data-system"], r.attrs["data-metric"]) for r in rows}
    assert seen == {(s, m) for s in report_results.systems for m in ("bleu", "chrf", "chrf++", "ter", "mt_errors")}
    chrf = next(r for r in rows if r.attrs["data-system"] == "careful" and r.attrs["data-metric"] == "chrf")
    whole = report_results.corpus["careful"].get("chrf", "whole")
    parallel = report_results.corpus["careful"].get("chrf", "parallel")
    text = " ".join(chrf.text().split())
    assert f"{whole.score:.1f} [{whole.ci_low:.1f}, {whole.ci_high:.1f}]" in text
    assert f"{parallel.score:.1f} [{parallel.ci_low:.1f}, {parallel.ci_high:.1f}]" in text
    assert f"{parallel.score - whole.score:+.1f}" in text
    assert dom.find_all("table", **{"class": "significance"})


def test_document_list_sorts_by_divergences_and_offers_score_orders(report_results, dom):  # noqa: F811
    (select,) = dom.find_all("select", id="doc-sort")
    values = [n.attrs["value"] for n in select.iter() if n.tag == "option"]
    assert values[0] == "divergences:desc"
    assert "score-0:asc" in values and "score-1:desc" in values
    (table,) = dom.find_all("table", id="doc-table")
    cells = [n for n in table.iter() if n.tag == "td" and n.attrs.get("data-key") == "divergences"]
    assert [c.attrs["data-v"] for c in cells] == [str(len(report_results.documents[0].audit.divergences))]


def test_beads_show_source_mt_reference_and_segment_scores(report_results, dom):  # noqa: F811
    doc = report_results.documents[0]
    rows = [n for n in dom.iter() if n.tag == "tr" and "bead" in n.attrs.get("class", "").split()]
    assert len(rows) == len(doc.audit.beads)
    first = rows[0]
    cells = [c for c in first.children if not isinstance(c, str)]
    assert [c.attrs["class"].split()[0] for c in cells] == [
        "bead-id", "side-source", "side-mt", "side-mt", "side-reference", "bead-notes"]
    assert doc.source_sentences[0].text in cells[1].text()
    assert CAREFUL[0] in cells[3].text()
    chrf = doc.segments[0].scores["careful"]["chrf"]
    assert f"chrF {chrf:.1f}" in cells[3].text()
    # a byline is not translated, and says so
    byline = next(r for r in rows if "role-byline" in r.attrs["class"].split())
    assert "not translated" in byline.text()


def test_filters_for_divergent_beads_and_mt_errors(report_results, page, dom):  # noqa: F811
    for name in ("f-div", "f-mt"):
        assert [n for n in dom.find_all("input") if name in n.attrs.get("class", "").split()]
    assert ".doc:has(input.f-div:checked) tr.bead:not(.divergent)" in page
    assert ".doc:has(input.f-mt:checked) tr.bead:not(.mterror)" in page
    rows = [n for n in dom.iter() if n.tag == "tr" and "bead" in n.attrs.get("class", "").split()]
    mt_rows = [r for r in rows if "mterror" in r.attrs["class"].split()]
    doc = report_results.documents[0]
    assert not [d for d in doc.audit.divergences if d.kind.startswith("mt_")]  # MT errors belong to the systems
    expected = {str(e.bead) for work in doc.systems.values() for e in work.mt_errors}
    assert len(expected) >= 2 and {r.attrs["data-bead"] for r in mt_rows} == expected
    # the MT cell of the system that made the error is marked, the other system's is not
    sloppy = {str(e.bead) for e in doc.systems["sloppy"].mt_errors}
    for row in mt_rows:
        cells = {c.attrs.get("data-system"): c for c in row.children if not isinstance(c, str) and c.tag == "td"}
        assert ("mterror" in cells["sloppy"].attrs["class"].split()) == (row.attrs["data-bead"] in sloppy)
    # "divergent" is the pair's: a bead whose only notes are MT errors is not kept by the divergence filter
    pair_beads = {str(d.bead) for d in doc.audit.divergences}
    assert {r.attrs["data-bead"] for r in rows if "divergent" in r.attrs["class"].split()} == pair_beads
    assert expected - pair_beads, "the example has no bead with MT errors only"


def test_every_mark_is_explained_on_hover(dom):
    marks = [n for n in dom.iter() if n.tag == "mark"]
    assert len(marks) >= 19
    kinds = {m.attrs["data-kind"] for m in marks}
    assert kinds >= {"source_only", "reference_only", "entity_mismatch", "number_mismatch", "mt_number_error"}
    assert all(len(m.attrs.get("title", "")) > 10 for m in marks)
    groups = {m.attrs["data-kind"]: next(c for c in m.attrs["class"].split() if c.startswith("g-")) for m in marks}
    assert len({groups[k] for k in ("source_only", "reference_only", "entity_mismatch", "number_mismatch",
                                    "mt_number_error")}) == 5  # five distinct colours


def test_hostile_text_is_escaped_everywhere(tmp_path):
    from mteval.report.html import render_html
    from mteval.report.markdown import results_markdown
    from mteval.report.views import asset

    results = hostile_results(tmp_path)
    page = render_html(results)
    root = parse_html(page)
    assert injected(root, asset("script.js")) == []
    assert SCRIPT in root.text()  # visible as text (document id, system name, texts)
    markdown = results_markdown(results)
    assert "<script" not in markdown and "<img" not in markdown and "&lt;script&gt;" in markdown


def test_audit_only_results_render(tmp_path):
    from mteval import audit
    from mteval.report.html import render_html, write_report

    results = audit(corpus=EXAMPLE)
    page = render_html(results)
    assert "No system was scored" in page
    assert page.count("<svg") == 1  # divergences only
    path = write_report(results, tmp_path / "out")
    assert path == tmp_path / "out" / "index.html" and path.read_text(encoding="utf-8") == page


def test_language_warning_is_shown_on_the_document(tmp_path):
    from mteval import audit
    from mteval.report.html import render_html

    source = EXAMPLE / "antara-kominfo-2024.id.txt"
    results = audit(source=source, reference=source)
    (warning,) = results.documents[0].warnings
    root = parse_html(render_html(results))
    shown = [p.text() for p in root.find_all("p", **{"class": "warn"})]
    assert warning in shown and "looks like Indonesian, not English" in warning


# -- plots -------------------------------------------------------------------------------------


def test_plots_are_svg_with_escaped_text(report_results):  # noqa: F811
    from mteval.report import plots

    for svg in (plots.score_distributions_svg(report_results), plots.divergence_counts_svg(report_results),
                plots.score_vs_length_svg(report_results, metric="bleu")):
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert ">careful</text>" in plots.score_distributions_svg(report_results)
    counts = plots.divergence_counts_by_kind(report_results)
    references = [d for d in report_results.documents[0].audit.divergences if d.kind == "reference_only"]
    assert sum(counts["reference_only"].values()) == len(references) >= 3
    assert counts["reference_only"]["major"] == sum(d.severity == "major" for d in references)
    errors = [e for work in report_results.documents[0].systems.values() for e in work.mt_errors]
    mt_kinds = ("mt_omission", "mt_number_error", "mt_entity_error")
    assert sum(sum(counts.get(k, {}).values()) for k in mt_kinds) == len(errors) >= 2


def test_many_systems_get_distinct_colours():
    from mteval.report.plots import _colours

    for n in (3, 12, 25):
        assert len(set(_colours(n))) == n


def test_plots_of_names_matplotlib_cannot_draw_warn_nothing(report_results):  # noqa: F811
    """CJK system names are SVG text the browser draws: matplotlib's missing glyphs are not the user's business."""
    import warnings

    from mteval.report import plots
    from mteval.results.records import Results

    data = report_results.to_dict()
    data["corpus"] = {f"系统-{name}": scores for name, scores in data["corpus"].items()}
    for doc in data["documents"]:
        for segment in doc["segments"]:
            segment["scores"] = {f"系统-{name}": scores for name, scores in segment["scores"].items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = plots.score_distributions_svg(Results.from_dict(data))
    assert "系统-careful" in svg


def test_plot_labels_with_dollars_and_markup(report_results):  # noqa: F811
    from mteval.report import plots
    from mteval.results.records import Results

    data = report_results.to_dict()
    data["corpus"] = {"$x^2$ <b>": data["corpus"]["careful"]}
    for doc in data["documents"]:
        for segment in doc["segments"]:
            segment["scores"] = {"$x^2$ <b>": segment["scores"].get("careful", {})}
    svg = plots.score_distributions_svg(Results.from_dict(data))
    assert "$x^2$ &lt;b&gt;" in svg and "<b>" not in svg


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_summary(report_results):  # noqa: F811
    from mteval.report.markdown import md_escape, results_markdown

    text = results_markdown(report_results)
    whole = report_results.corpus["sloppy"].get("chrf", "whole")
    assert f"| sloppy | chrF | {whole.score:.1f} [{whole.ci_low:.1f}, {whole.ci_high:.1f}] |" in text
    assert "**Significance** (whole text, against sloppy)" in text
    assert "p (paired bootstrap)" in text and "p (approximate randomization)" in text
    counts = {s: 0 for s in ("major", "minor", "info")}
    for d in report_results.documents[0].audit.divergences:
        if d.kind == "reference_only":
            counts[d.severity] += 1
    assert f"| Reference only | {counts['major']} | {counts['minor']} | {counts['info']} |" in text
    assert "antara\\-kominfo\\-2024" in text
    assert md_escape("a|b [x](http://y) <i>") == "a\\|b \\[x\\]\\(http://y\\) &lt;i&gt;"
    # every table row has the header's number of cells
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            counts = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
            assert len(counts) == 1, block
    assert "Brackets: 95% bootstrap confidence intervals." in text


def test_markdown_claims_no_intervals_a_run_did_not_compute():
    import mteval
    from mteval.report.markdown import results_markdown

    from _report_fixtures import CAREFUL, EXAMPLE, SLOPPY

    text = results_markdown(mteval.evaluate(corpus=EXAMPLE, hypotheses={"sloppy": SLOPPY, "careful": CAREFUL},
                                            n_bootstrap=0))
    assert "| sloppy | chrF |" in text and "Brackets" not in text


# -- Jupyter ------------------------------------------------------------------------------------


def test_show_renders_one_document_inline(report_results, capsys):  # noqa: F811
    from mteval.report.jupyter import show

    view = show(report_results, "antara-kominfo-2024")
    html = view._repr_html_()
    assert html.startswith('<div class="mteval-report"><style>')
    root = parse_html(html)
    assert [m.text() for m in root.iter() if m.tag == "mark" and m.attrs.get("data-kind") == "entity_mismatch"] == [
        "Siti Zulaikha", "Yuni Arisandy Sinaga"]
    assert show(report_results).doc_id == "antara-kominfo-2024"
    with pytest.raises(KeyError, match="No document 'nope'"):
        show(report_results, "nope")
    assert capsys.readouterr().out == ""


def test_results_summary_and_plots_for_jupyter(report_results, capsys):  # noqa: F811
    import matplotlib
    from matplotlib.figure import Figure

    from mteval.report.jupyter import ResultsPlots, SVGPlot, results_html

    backend = matplotlib.get_backend()
    html = results_html(report_results)
    assert ".show(doc_id)" in html and "careful" in html
    plot = ResultsPlots(report_results)
    for figure in (plot.scores(), plot.scores("bleu", part="parallel"), plot.divergences(), plot.score_vs_length()):
        assert isinstance(figure, SVGPlot) and figure._repr_svg_().startswith("<svg")
    ax = Figure().add_subplot()
    assert plot.divergences(ax=ax) is ax and ax.get_title() == "Divergences by kind"
    assert matplotlib.get_backend() == backend  # the global backend is left alone
    assert capsys.readouterr().out == ""


def test_explore_wraps_results_and_the_data_type_knows_no_report(report_results, results_file):  # noqa: F811
    import mteval
    from mteval.results.records import Results

    view = mteval.explore(report_results)
    assert view.results is report_results
    assert "mteval results" in view._repr_html_()
    assert view.show().doc_id == "antara-kominfo-2024"
    assert view.plot.divergences()._repr_svg_().startswith("<svg")
    assert mteval.explore(results_file).results.systems == report_results.systems  # a results.json path
    with pytest.raises(TypeError, match="explore"):
        mteval.explore({"not": "results"})
    with pytest.raises(ValueError, match="Unknown part 'bogus'"):  # not drawn as the parallel part
        view.plot.scores(part="bogus")
    # the data type has no presentation: no show/plot/_repr_html_, a short repr
    assert not any(hasattr(Results, name) for name in ("show", "plot", "_repr_html_"))
    assert repr(report_results) == "<mteval Results: 1 document(s), systems 'sloppy', 'careful'>"
    source = (REPO / "mteval" / "results" / "records.py").read_text(encoding="utf-8")
    assert "mteval.report" not in source


def test_importing_the_report_package_is_light():
    code = ("import sys, mteval.report.html, mteval.report.views, mteval.report.plots, mteval.report.markdown, "
            "mteval.report.jupyter, mteval.cli.report_cmd; "
            "print(sorted(m for m in ('jinja2', 'matplotlib', 'pandas', 'torch', 'markupsafe') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- the command ---------------------------------------------------------------------------------


def test_report_command_writes_html_and_markdown(results_file, tmp_path, capsys):
    from mteval.cli.command import main

    assert main(["report", str(results_file), "-o", str(tmp_path / "html")]) == 0
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "antara-kominfo-2024" in page and "report written to" in capsys.readouterr().err
    assert main(["report", str(results_file)]) == 0  # default: beside the results
    assert (results_file.parent / "report" / "index.html").exists()
    capsys.readouterr()
    assert main(["report", str(results_file), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("### mteval: 1 document, 2 systems")
    assert main(["report", str(results_file), "--format", "md", "-o", str(tmp_path / "md")]) == 0
    assert (tmp_path / "md" / "summary.md").read_text(encoding="utf-8").startswith("### mteval")
    capsys.readouterr()
    assert main(["report", str(results_file.parent), "--format", "md"]) == 0  # the run's --out directory will do
    assert capsys.readouterr().out.startswith("### mteval: 1 document, 2 systems")


def test_report_command_errors_in_one_sentence(tmp_path, capsys):
    from mteval.cli.command import main

    assert main(["report", str(tmp_path / "missing.json")]) == 2
    assert "no such results file" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": "other"}), encoding="utf-8")
    assert main(["report", str(bad)]) == 2
    assert "not an mteval results file" in capsys.readouterr().err


def test_run_writes_the_report(tmp_path, capsys):
    from mteval.cli.command import main

    hyp = tmp_path / "careful.txt"
    hyp.write_text("\n".join(CAREFUL) + "\n", encoding="utf-8")
    code = main(["run", str(EXAMPLE), "--hyp", f"careful={hyp}", "--no-comet", "--bootstrap", "50",
                 "--out", str(tmp_path / "out"), "--report", str(tmp_path / "report")])
    assert code == 0
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert 'data-system="careful"' in page and "Siti Zulaikha</mark>" in page
