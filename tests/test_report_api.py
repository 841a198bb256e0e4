"""Issue 13 outside the browser: the review file, complete tables, one number format, an API that refuses, feedback.

The browser half (clicking, exporting, re-running) is in test_browser.py.
"""
from __future__ import annotations

import json
import re

import pytest

from _report_fixtures import CAREFUL, EXAMPLE, SLOPPY, example_results, parse_html, report_results  # noqa: F401
from _tiny_comet import tiny_comet  # noqa: F401
from _tiny_marian import tiny_marian  # noqa: F401

DOC = "antara-kominfo-2024"


def _review(*decisions):
    return {"schema": "mteval.review", "schema_version": 1,
            "decisions": [{"doc_id": DOC, "divergence_id": i, "decision": d, "note": n} for i, d, n in decisions]}


def _major_alarm(doc):
    """A major divergence alone in a bead with both sides (a false alarm makes that bead parallel)."""
    majors = {}
    for d in doc.audit.divergences:
        if d.severity == "major":
            majors.setdefault(d.bead, []).append(d)
    return next(found[0] for bead, found in majors.items()
                if len(found) == 1 and doc.segments[bead].source_ids and doc.segments[bead].reference_ids)


@pytest.fixture(scope="module")
def comet_results(tiny_comet):  # noqa: F811
    return example_results(comet_model=str(tiny_comet.da))


# -- the review file -----------------------------------------------------------------------------


def test_divergence_ids_are_stable_and_independent_of_position(report_results):  # noqa: F811
    from mteval.pair_audit.review import divergence_id

    doc = report_results.documents[0]
    ids = [divergence_id(doc.doc_id, d) for d in doc.divergences()]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)
    again = example_results().documents[0]  # a second run of the same documents
    assert [divergence_id(again.doc_id, d) for d in again.divergences()] == ids
    assert [divergence_id(doc.doc_id, d) for d in reversed(doc.divergences())] == ids[::-1]
    assert divergence_id("other-doc", doc.audit.divergences[0]) != ids[0]


def test_two_flags_on_one_span_have_their_own_ids():
    """Two names missing from one sentence are two flags on the same span: each needs its own decision."""
    from mteval.pair_audit.records import Divergence, Span
    from mteval.pair_audit.review import divergence_id

    span = [Span("source", 3, 0, 40, "Senior Bank Indonesia Miranda S Goeltom")]
    first, second = (Divergence("source_only", "body", "minor", 2, span, {"name": name},
                                f"name '{name}' appears on the source side only")
                     for name in ("Senior Bank Indonesia", "Miranda S"))
    assert divergence_id(DOC, first) != divergence_id(DOC, second)


def test_review_file_is_validated_in_one_sentence(tmp_path):
    from mteval.errors import InputError
    from mteval.pair_audit.review import load_review

    cases = [
        ({"schema": "other"}, "not an mteval review file"),
        ("hello", "not an mteval review file (a JSON str"),
        ({"schema": "mteval.review", "schema_version": 9, "decisions": []}, "schema version 9"),
        (_review(("a", "maybe", "")), "decision 'maybe' is not one of confirmed, false_alarm"),
        ({"schema": "mteval.review", "schema_version": 1, "decisions": [{"doc_id": DOC}]}, "'divergence_id' is missing"),
        (_review(("a", "confirmed", ""), ("a", "false_alarm", "")), "decided twice, differently"),
        ({"schema": "mteval.review", "schema_version": "1", "decisions": []}, 'schema version "1" is not supported'),
        ({"schema": "mteval.review", "schema_version": True, "decisions": []}, "schema version true is not supported"),
        (_review(("a", "false_alarm", "bad \ud800 note")), "holds a lone surrogate escape"),
    ]
    for data, message in cases:
        path = tmp_path / "review.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError, match=re.escape(message)):
            load_review(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_review(path)
    with pytest.raises(InputError, match="decisions\\[0\\]: 'note' holds a lone surrogate"):  # given in memory
        load_review(_review(("a", "false_alarm", "bad \ud800 note")))
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        load_review(path)


def test_apply_review_leaves_the_given_audit_alone(report_results):  # noqa: F811
    from mteval.pair_audit.review import apply_review, divergence_id, load_review

    doc = report_results.documents[0]
    alarm = _major_alarm(doc)
    review = load_review(_review((divergence_id(DOC, alarm), "false_alarm", "")))
    before = doc.audit.to_dict()
    reviewed = apply_review(DOC, doc.audit, review)
    assert doc.audit.to_dict() == before and alarm.review is None
    assert alarm.bead not in doc.audit.parallel_beads() and alarm.bead in reviewed.parallel_beads()
    assert apply_review("another-document", doc.audit, review) is doc.audit


def test_review_changes_only_what_it_should_and_is_recorded(report_results):  # noqa: F811
    from mteval.pair_audit.review import divergence_id

    doc = report_results.documents[0]
    minor = next(d for d in doc.audit.divergences if d.severity == "minor" and doc.segments[d.bead].parallel)
    error = doc.systems["sloppy"].mt_errors[0]
    note = next(d for d in doc.audit.divergences if d.severity == "info")
    review = _review((divergence_id(DOC, minor), "false_alarm", ""), (divergence_id(DOC, error), "false_alarm", ""),
                     (divergence_id(DOC, note), "false_alarm", ""), ("0123456789abcdef", "confirmed", ""))
    results = example_results(review=review)
    # a minor divergence never removed its bead; MT errors are a system's annotations and info notes flag
    # nothing: neither is reviewed
    assert [s.parallel for s in results.documents[0].segments] == [s.parallel for s in doc.segments]
    assert len(results.documents[0].systems["sloppy"].mt_errors) == len(doc.systems["sloppy"].mt_errors)
    assert all(d.review is None for d in results.documents[0].audit.divergences if d.severity == "info")
    record = results.provenance["review"]
    assert (record["applied"], record["false_alarms"], record["confirmed"]) == (1, 1, 0)
    assert record["unmatched"] == sorted([f"{DOC}/{divergence_id(DOC, error)}", f"{DOC}/{divergence_id(DOC, note)}",
                                          f"{DOC}/0123456789abcdef"])
    assert record["decisions_digest"] and record["file"] == "in memory"


def test_review_ids_from_the_file_reach_the_terminal_escaped():
    """An id in a review file is input like any other: escape sequences and bidi overrides are printed escaped."""
    import io

    from mteval.cli.summary import print_review

    results = example_results(review=_review(("\x1b[31mRED\u202e", "confirmed", "")))
    stream = io.StringIO()
    print_review(results, stream=stream)
    text = stream.getvalue()
    assert "1 review decision(s) match no divergence" in text
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b[31mRED\\u202e" in text


def test_gate_refuses_runs_reviewed_differently(report_results):  # noqa: F811
    from mteval.errors import IncomparableResultsError
    from mteval.gate import check_comparable, check_regression
    from mteval.pair_audit.review import divergence_id

    alarm = _major_alarm(report_results.documents[0])
    reviewed = example_results(review=_review((divergence_id(DOC, alarm), "false_alarm", "")))
    with pytest.raises(IncomparableResultsError, match="review.decisions_digest"):
        check_comparable(report_results, reviewed, ["chrf"])
    same = example_results(review=_review((divergence_id(DOC, alarm), "false_alarm", "a different note")))
    check_comparable(reviewed, same, ["chrf"])  # notes do not change scores
    assert check_regression(reviewed, same, baseline_system="careful", candidate_system="careful").passed


# -- complete, consistent tables ----------------------------------------------------------------


def test_comet_per_document_everywhere(comet_results):
    import numpy as np

    from mteval.report.html import render_html
    from mteval.report.markdown import results_markdown

    doc = comet_results.documents[0]
    for system in comet_results.systems:
        for part in ("whole", "parallel"):
            values = [s.scores[system]["comet"] for s in doc.segments
                      if s.in_part(part) and "comet" in s.scores.get(system, {})]
            entry = doc.systems[system].scores[part]["comet"]
            assert entry.score == pytest.approx(float(np.mean(values))) and entry.n_segments == len(values)
    table = comet_results.to_pandas("document").set_index("system")
    assert {"comet_whole", "comet_parallel"} <= set(table.columns)
    assert table.loc["careful", "comet_whole"] == pytest.approx(doc.systems["careful"].scores["whole"]["comet"].score)
    page = parse_html(render_html(comet_results))
    (doc_table,) = page.find_all("table", id="doc-table")
    cells = [n.text() for n in doc_table.iter() if n.tag == "td" and n.attrs.get("data-key", "").startswith("score-")]
    assert len(cells) == 2 and all(re.fullmatch(r"-?\d+\.\d{4}", c) for c in cells), cells
    markdown = results_markdown(comet_results)
    row = next(line for line in markdown.splitlines() if line.startswith("| antara"))
    assert re.search(r"\| -?\d+\.\d{4} \| -?\d+\.\d{4} \|$", row), row


def test_one_number_format_per_metric(comet_results):
    from mteval.report.html import render_html
    from mteval.report.markdown import results_markdown

    markdown = results_markdown(comet_results)
    comet = comet_results.corpus["careful"]
    gap = comet.get("comet", "parallel").score - comet.get("comet").score
    assert f"| careful | COMET | {comet.get('comet').score:.4f} [" in markdown
    assert f"| {gap:+.4f} |" in markdown  # a small COMET gap is not shown as +0.00
    bleu = comet.get("bleu")
    assert f"| careful | BLEU | {bleu.score:.1f} [{bleu.ci_low:.1f}, {bleu.ci_high:.1f}] |" in markdown
    page = parse_html(render_html(comet_results))
    row = next(n for n in page.iter() if n.tag == "tr" and n.attrs.get("data-system") == "careful"
               and n.attrs.get("data-metric") == "comet")
    numbers = re.findall(r"[-+]?\d+\.\d+", row.text())
    assert numbers and all(len(n.split(".")[1]) == 4 for n in numbers), numbers


def test_significance_and_divergence_tables(comet_results):
    table = comet_results.to_pandas("significance")
    assert {"system", "baseline", "metric", "part", "test", "delta", "p_value"} <= set(table.columns)
    assert set(table.system) == {"careful"} and set(table.baseline) == {"sloppy"}
    # COMET is tested too, on the beads the reference-based model scored (its own segment count)
    assert set(table.metric) == {"bleu", "chrf", "chrf++", "ter", "comet"}
    assert set(table.test) == {"paired_bootstrap", "approximate_randomization"}
    assert len(table) == 5 * 2 * 2
    whole = comet_results.significance["whole"]["paired_bootstrap"]["results"]["careful"]["chrf"]
    row = table[(table.part == "whole") & (table.metric == "chrf") & (table.test == "paired_bootstrap")].iloc[0]
    assert (row.delta, row.p_value) == (whole["difference"], whole["p_value"])

    divergences = comet_results.to_pandas("divergence")
    errors = divergences[divergences.kind.str.startswith("mt_")]
    expected = {name: len(work.mt_errors) for name, work in comet_results.documents[0].systems.items()}
    assert errors.system.value_counts().to_dict() == {k: v for k, v in expected.items() if v}
    assert divergences[~divergences.kind.str.startswith("mt_")].system.isna().all()
    assert divergences.divergence_id.is_unique


# -- readable for editors ------------------------------------------------------------------------


def test_the_page_explains_itself(report_results):  # noqa: F811
    from mteval import explore as mteval_explore
    from mteval.report.html import render_html
    from mteval.report.views import asset

    page = parse_html(render_html(report_results))
    (guide,) = page.find_all("section", id="guide")
    terms = [n.text() for n in guide.iter() if n.tag == "dt"]
    assert terms[:3] == ["Bead", "Divergence", "Whole text and parallel part"] and "Colours" in terms
    text = " ".join(guide.text().split())
    items = {n.text().split(":")[0]: n.text() for n in guide.iter() if n.tag == "li" and ":" in n.text()}
    assert "edits needed per reference word" in items["TER"] and items["TER"].count("lower is better") == 1
    assert items["BLEU"].endswith("(higher is better)") and items["chrF"].endswith("(higher is better)")
    assert '"src 3, 4 · ref 2" means source sentences 3 and 4' in text
    headings = [n.text() for n in page.iter() if n.tag == "h2"]
    assert "Scores for the whole corpus" in headings and "Your review" in headings
    # review buttons on the pair's major and minor divergences, none on info notes or MT errors
    doc = report_results.documents[0]
    buttons = {n.attrs["data-div-id"] for n in page.iter() if n.tag == "li" and "reviewable" in n.attrs.get("class", "")}
    from mteval.pair_audit.review import divergence_id

    assert buttons == {divergence_id(DOC, d) for d in doc.audit.divergences if d.severity != "info"}
    view = parse_html(mteval_explore(report_results).show()._repr_html_())
    assert not [n for n in view.iter() if n.tag == "button"]  # the notebook runs no script of the page
    css = asset("style.css")
    assert "table.beads td { font-size: .93em; overflow-wrap: anywhere; }" in css


# -- an API that refuses instead of guessing ----------------------------------------------------------


def test_unknown_system_or_metric_raises_naming_the_valid_ones(report_results):  # noqa: F811
    with pytest.raises(ValueError, match=r"Unknown metric 'BLEU'; known metrics: bleu, chrf"):
        report_results.score("careful", "BLEU")
    with pytest.raises(KeyError, match=r"No system 'nope' in these results; they hold 'sloppy', 'careful'"):
        report_results.score("nope", "bleu")
    with pytest.raises(ValueError, match="Unknown part"):
        report_results.score("careful", "bleu", part="middle")
    assert report_results.score("careful", "comet") is None  # known, not computed: see results.skipped


def test_comet_without_a_model_is_an_error():
    from mteval import evaluate
    from mteval.errors import InputError

    with pytest.raises(InputError, match="metrics= asks for comet but no comet_model= was given"):
        evaluate(corpus=EXAMPLE, hypotheses={"careful": list(CAREFUL)}, metrics=["bleu", "comet"])
    with pytest.raises(ValueError, match="Unknown metric 'blue'"):
        evaluate(corpus=EXAMPLE, hypotheses={"careful": list(CAREFUL)}, metrics=["blue"])


def test_source_and_reference_as_lists_of_lines(report_results):  # noqa: F811
    from mteval import evaluate
    from mteval.errors import InputError

    source_file, reference_file = EXAMPLE / f"{DOC}.id.txt", EXAMPLE / f"{DOC}.en.txt"
    source = source_file.read_text(encoding="utf-8").splitlines()
    reference = reference_file.read_text(encoding="utf-8").splitlines()
    in_memory = evaluate(source=source, reference=reference, hypotheses={"careful": list(CAREFUL)}, n_bootstrap=0)
    mixed = evaluate(source=source, reference=reference_file, hypotheses={"careful": list(CAREFUL)}, n_bootstrap=0)
    for results in (in_memory, mixed):
        assert results.score("careful", "chrf") == pytest.approx(report_results.score("careful", "chrf"))
        assert results.score("careful", "chrf", "parallel") == pytest.approx(
            report_results.score("careful", "chrf", "parallel"))
    assert in_memory.provenance["inputs"][0]["path"] == "<source lines in memory>"
    with pytest.raises(InputError, match="must hold strings"):
        evaluate(source=[1, 2], reference=reference)
    with pytest.raises(TypeError, match="needs reference="):
        evaluate(source=source)
    with pytest.raises(TypeError, match="file path or a list of lines, not int"):
        evaluate(source=3, reference=reference)


# -- feedback on long work ------------------------------------------------------------------------


def test_bars_count_their_own_units(capsys):
    from mteval.cli.output import StageProgress

    progress = StageProgress(enabled=True)
    for stage in ("translate opus", "audit", "embed"):
        progress(stage, 1, 2)
        progress(stage, 2, 2)
    err = capsys.readouterr().err
    assert "sentences/s" in err and "documents/s" in err and "sent/s" not in err


def test_translation_bar_leaves_out_what_needs_no_model(tiny_marian, tmp_path):  # noqa: F811
    from mteval import evaluate

    def run():
        events = []
        results = evaluate(corpus=EXAMPLE, models={"tiny": str(tiny_marian)}, engine="transformers", beam_size=1,
                           max_length=32, n_bootstrap=0, translation_cache=tmp_path / "translations.sqlite",
                           progress=lambda stage, done, total: events.append((stage, done, total)))
        return results, events

    first, events = run()
    translated = [(done, total) for stage, done, total in events if stage == "translate tiny"]
    assert translated and translated[-1][0] == translated[-1][1] == first.provenance["systems"]["tiny"]["sentences_translated"]
    assert [done for stage, done, _ in events if stage == "audit"] == [1]
    warm, events = run()  # every sentence is cached: no bar at all, so no rate of millions per second
    assert warm.provenance["systems"]["tiny"]["sentences_translated"] == 0
    assert not [e for e in events if e[0].startswith("translate")]
    assert set(first.provenance["timing"]) >= {"translation", "pair audit", "scoring", "total"}


def test_embedding_bar(tmp_path, monkeypatch):
    from mteval.caches.embeddings import CachingEmbedder
    from mteval.pair_audit.embedders import make_embedder

    calls = []
    embedder = CachingEmbedder(make_embedder(None), store_path=tmp_path / "embeddings.sqlite", commit_every=4)
    embedder.progress = lambda done, total: calls.append((done, total))
    embedder.encode(["satu", "dua", "tiga", "empat", "lima", "satu"])
    assert calls == [(4, 5), (5, 5)]  # distinct texts only, in batches
    embedder.encode(["satu", "enam"])
    assert calls[-1] == (6, 6)


def _run(args, capsys):
    from mteval.cli.command import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_prints_scores_first_and_a_capped_list(tmp_path, capsys):
    from mteval.cli.summary import DIVERGENCE_LINES

    files = []
    for name, lines in (("careful", CAREFUL), ("sloppy", SLOPPY)):
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files += ["--hyp", f"{name}={path}"]
    base = ["run", str(EXAMPLE), *files, "--no-comet", "--bootstrap", "50"]
    code, out, err = _run(base, capsys)
    assert code == 0 and out.startswith("Scores (whole text vs parallel part")
    listed = [line for line in out.splitlines() if re.match(r"  (major|minor|info) ", line)]
    total = int(re.search(r"… and (\d+) more", out).group(1)) + len(listed)
    assert len(listed) == DIVERGENCE_LINES < total
    results = example_results()
    majors = sum(d.severity == "major" for doc in results.documents for d in doc.divergences())
    assert sum(line.startswith("  major") for line in listed) == min(majors, DIVERGENCE_LINES)  # major ones first
    severities = [line.split()[0] for line in listed]
    assert severities == sorted(severities, key=["major", "minor", "info"].index)  # and printed first
    assert re.search(r"time per stage: translation [\d.]+ s, pair audit [\d.]+ s, scoring", err)

    code, out, err = _run([*base, "--verbose"], capsys)
    everything = [line.split()[0] for line in out.splitlines() if re.match(r"  (major|minor|info) ", line)]
    assert len(everything) == total and "minor" in everything
    assert everything == sorted(everything, key=["major", "minor", "info"].index)  # major ones first here too
    assert "more divergences" not in out

    # with --out the documents are streamed to results.jsonl and read back for the summary: the same list
    code, streamed, err = _run([*base, "--out", str(tmp_path / "streamed")], capsys)
    assert code == 0 and (tmp_path / "streamed" / "results.jsonl").exists()
    assert [line for line in streamed.splitlines() if re.match(r"  (major|minor|info) ", line)] == listed
    assert f"… and {total - len(listed)} more" in streamed

    code, out, err = _run([*base, "--quiet"], capsys)
    assert code == 0 and out.startswith("Scores") and not re.search(r"^  (major|minor|info) ", out, re.M)
    assert "time per stage" not in err and len(out.splitlines()) == 2 + 2 * 5


def test_run_applies_a_review_file(tmp_path, capsys, report_results):  # noqa: F811
    from mteval.pair_audit.review import divergence_id

    alarm = _major_alarm(report_results.documents[0])
    review = tmp_path / "review.json"
    review.write_text(json.dumps(_review((divergence_id(DOC, alarm), "false_alarm", ""), ("ffff", "confirmed", ""))),
                      encoding="utf-8")
    hyp = tmp_path / "careful.txt"
    hyp.write_text("\n".join(CAREFUL) + "\n", encoding="utf-8")
    code, out, err = _run(["run", str(EXAMPLE), "--hyp", f"careful={hyp}", "--no-comet", "--bootstrap", "0",
                           "--review", str(review), "--out", str(tmp_path / "out"), "--quiet"], capsys)
    assert code == 0
    assert "1 false alarm(s) and 0 confirmed divergence(s) applied" in err
    assert "1 review decision(s) match no divergence" in err
    from mteval.results.records import Results

    results = Results.from_json(tmp_path / "out" / "results.json")
    assert results.documents[0].segments[alarm.bead].parallel
    assert next(d for d in results.documents[0].audit.divergences if d.bead == alarm.bead
                and d.severity == "major").review == "false_alarm"  # kept through the JSON boundary
    # the terminal list marks the dismissed divergence, and the count says how many majors the review dismissed
    code, out, err = _run(["run", str(EXAMPLE), "--hyp", f"careful={hyp}", "--no-comet", "--bootstrap", "0",
                           "--review", str(review), "--verbose"], capsys)
    assert code == 0 and "1 of them dismissed by the review as false alarms)" in out
    marked = [line for line in out.splitlines() if "[false alarm]" in line]
    assert len(marked) == 1 and marked[0].startswith(f"  major {alarm.kind}")
    with pytest.raises(SystemExit):
        _run(["run", str(EXAMPLE), "--hyp", f"careful={hyp}", "--quiet", "--verbose"], capsys)


def test_comet_bar_counts_segments(tiny_comet, capsys):  # noqa: F811
    from mteval.metrics.comet.scorer import CometScorer

    CometScorer(str(tiny_comet.da), cache=False, progress=True).score(
        sources=["Satu dua.", "Tiga empat."], hypotheses=["One two.", "Three four."], references=["One two.", "Three."])
    err = capsys.readouterr().err
    assert "segments" in err and "batch" not in err


def test_json_boundary_of_a_reviewed_divergence():
    from mteval.pair_audit.records import Divergence, Span

    divergence = Divergence("source_only", "body", "major", 3, [Span("source", 3, 0, 4, "kata")],
                            review="false_alarm", review_note="bukan")
    data = divergence.to_dict()
    assert data["review"] == {"decision": "false_alarm", "note": "bukan"}
    back = Divergence.from_dict(json.loads(json.dumps(data)))
    assert (back.review, back.review_note, back.excludes_bead) == ("false_alarm", "bukan", False)
    plain = Divergence("source_only", "body", "major", 3, [])
    assert "review" not in plain.to_dict() and plain.excludes_bead
