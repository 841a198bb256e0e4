"""The HTML report in a real browser: headless Chromium renders it to a DOM dump and a PNG.

Chromium is Debian's ``chromium`` package; when it is missing and the tests
run as root it is installed here (``apt-get install -y chromium``), otherwise
these tests are skipped with the reason. The screenshot of the bundled
example's report is kept as ``tests/artifacts/report.png``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from _report_fixtures import injected, parse_html, report_results  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-quic", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
]


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _install_chromium() -> str:
    """Install Debian's chromium when running as root; the reason it could not be done otherwise."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "chromium is not installed and the tests do not run as root to install it (apt-get install chromium)"
    if shutil.which("apt-get") is None:
        return "chromium is not installed and there is no apt-get to install it"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        try:
            subprocess.run(step, env=env, capture_output=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"installing chromium failed ({type(err).__name__})"
        if _find_chromium():
            return ""
    return "apt-get could not install chromium (no package source reachable?)"


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _find_chromium()
    if path is None:
        reason = _install_chromium()
        path = _find_chromium()
        if path is None:
            pytest.skip(reason or "chromium could not be installed")
    return path


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    """``browser(html_path, screenshot=None) -> DOM text`` after the page's scripts ran."""
    profile = tmp_path_factory.mktemp("chromium-profile")

    def run(page: Path, *, screenshot: Path | None = None, size: str = "1400,2000") -> str:
        url = page.resolve().as_uri()
        base = [chromium, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000"]
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            if screenshot.exists():
                screenshot.unlink()
            done = subprocess.run([*base, f"--screenshot={screenshot}", f"--window-size={size}", url],
                                  capture_output=True, text=True, timeout=300, check=False)
            assert screenshot.exists(), f"chromium wrote no screenshot: {done.stderr[-2000:]}"
        done = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0 and "<html" in done.stdout, f"chromium failed: {done.stderr[-2000:]}"
        return done.stdout

    return run


@pytest.fixture(scope="module")
def example_dom(report_results, browser, tmp_path_factory):  # noqa: F811
    from mteval.report.html import write_report

    page = write_report(report_results, tmp_path_factory.mktemp("report"))
    dom = browser(page, screenshot=ARTIFACTS / "report.png")
    (ARTIFACTS / "report-dom.html").write_text(dom, encoding="utf-8")
    return parse_html(dom)


def _sentence(root, side: str, index: int):
    found = [n for n in root.find_all("span", data_side=side, data_sentence=str(index))]
    assert found, f"no {side} sentence {index} in the rendered page"
    return found


def _marks(node, kind: str):
    return [n for n in node.iter() if n.tag == "mark" and n.attrs.get("data-kind") == kind]


def test_ganjar_pranowo_is_marked_source_only(example_dom):
    (sentence,) = _sentence(example_dom, "source", 6)
    marks = _marks(sentence, "source_only")
    assert any("Ganjar Pranowo" in mark.text() for mark in marks), [m.text() for m in marks]
    mark = next(m for m in marks if "Ganjar Pranowo" in m.text())
    assert "source" in mark.attrs["title"].lower() and mark.attrs["title"].strip()
    assert "g-src" in mark.attrs["class"].split()


@pytest.mark.parametrize("index", [13, 14, 15])
def test_english_only_background_sentences_are_marked(example_dom, index):
    (sentence,) = _sentence(example_dom, "reference", index)
    marks = _marks(sentence, "reference_only")
    assert marks, f"reference sentence {index} is not marked reference-only"
    assert marks[0].text().strip() == sentence.text().strip()  # the whole sentence
    row = next(a for a in sentence.ancestors() if a.tag == "tr")
    assert "divergent" in row.attrs["class"].split()
    source_cell = next(c for c in row.children if not isinstance(c, str) and "side-source" in c.attrs.get("class", ""))
    assert source_cell.text().strip() == ""  # nothing on the Indonesian side


def test_editor_names_are_marked_as_a_mismatch(example_dom):
    (source,) = _sentence(example_dom, "source", 19)
    (reference,) = _sentence(example_dom, "reference", 19)
    assert [m.text() for m in _marks(source, "entity_mismatch")] == ["Siti Zulaikha"]
    assert [m.text() for m in _marks(reference, "entity_mismatch")] == ["Yuni Arisandy Sinaga"]
    assert "g-name" in _marks(source, "entity_mismatch")[0].attrs["class"].split()


def test_mt_errors_are_marked_in_the_mt_column(example_dom):
    cells = [n for n in example_dom.find_all("td") if n.attrs.get("data-system") == "sloppy"]
    marked = [m.text() for cell in cells for m in _marks(cell, "mt_number_error")]
    assert marked == ["14 February 2024"]
    (source,) = _sentence(example_dom, "source", 6)
    assert [m.text() for m in _marks(source, "mt_entity_error")] == ["Ganjar Pranowo"]


def test_page_script_ran_under_its_content_security_policy(example_dom):
    (table,) = example_dom.find_all("table", id="doc-table")
    assert table.attrs.get("data-ready") == "1"  # the inline script's hash is allowed by the CSP
    plots = [n for n in example_dom.iter() if n.tag == "figure" and n.attrs.get("id", "").startswith("plot-")]
    assert len(plots) == 3 and all(any(c.tag == "svg" for c in p.iter()) for p in plots)


def test_screenshot_is_a_png_artifact(example_dom):
    data = (ARTIFACTS / "report.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_hostile_input_renders_as_text(browser, tmp_path):
    from _report_fixtures import SCRIPT, hostile_results

    from mteval.report.html import write_report
    from mteval.report.views import asset

    results = hostile_results(tmp_path)
    page = write_report(results, tmp_path / "report")
    dom = parse_html(browser(page))
    assert injected(dom, asset("script.js")) == []
    (body,) = dom.find_all("body")
    assert "data-pwned" not in body.attrs
    text = body.text()
    assert SCRIPT in text  # shown as text, in full
    assert "onerror=" in text
    scripts = dom.find_all("script")
    assert len(scripts) == 1


# -- the editors' review loop ------------------------------------------------------------------


def _selector(doc_id: str, divergence_id: str, decision: str | None = None) -> str:
    li = f'section.doc[data-doc-id="{doc_id}"] li.note[data-div-id="{divergence_id}"]'
    return li if decision is None else f'{li} button.rv[data-decision="{decision}"]'


def test_review_loop_click_export_rerun(chromium, report_results, tmp_path):  # noqa: F811
    """An editor marks a false alarm and a confirmation in the page; the exported file changes the next run."""
    from _chromium import Browser
    from _report_fixtures import example_results

    from mteval.pair_audit.review import divergence_id
    from mteval.report.html import write_report

    doc = report_results.documents[0]
    # a major divergence of a bead with both sides and no other major one: a false alarm makes it parallel
    majors = {}
    for d in doc.audit.divergences:
        if d.severity == "major":
            majors.setdefault(d.bead, []).append(d)
    (alarm,) = next(found for bead, found in majors.items()
                    if len(found) == 1 and doc.segments[bead].source_ids and doc.segments[bead].reference_ids)
    confirmed = next(d for d in doc.audit.divergences if d.severity == "major" and d.bead != alarm.bead)
    alarm_id, confirmed_id = divergence_id(doc.doc_id, alarm), divergence_id(doc.doc_id, confirmed)
    assert not doc.segments[alarm.bead].parallel

    page = write_report(report_results, tmp_path / "report")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    ready = "document.body && document.body.getAttribute('data-review-ready') === '1'"
    browser = Browser(chromium, FLAGS, tmp_path / "profile")
    try:
        browser.allow_downloads(downloads)
        browser.open(page, ready=ready)
        browser.click(_selector(doc.doc_id, alarm_id, "false_alarm"))
        browser.click(f'{_selector(doc.doc_id, alarm_id)} input.rv-note')
        browser.type_text("fifth debate = the last one")
        browser.press_tab()  # leaves the field: its change is saved
        browser.click(_selector(doc.doc_id, confirmed_id, "confirmed"))
        pressed = ("document.querySelector({!r}).getAttribute('aria-pressed')")
        assert browser.evaluate(pressed.format(_selector(doc.doc_id, alarm_id, "false_alarm"))) == "true"
        assert browser.evaluate("document.body.getAttribute('data-review-decisions')") == "2"
        # kept in the page's local storage: a reload shows the same decisions
        browser.reload(ready=ready)
        assert browser.evaluate(pressed.format(_selector(doc.doc_id, confirmed_id, "confirmed"))) == "true"
        assert browser.evaluate(pressed.format(_selector(doc.doc_id, confirmed_id, "false_alarm"))) == "false"
        browser.click("#review-export")
        done = browser.wait_event("Browser.downloadProgress", lambda p: p.get("state") in ("completed", "canceled"))
        assert done["state"] == "completed", done
        # the page's only script is its own: the policy still names one hash and nothing else
        policy = browser.evaluate("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
        assert policy.count("sha256-") == 1 and "unsafe-inline'; img-src" in policy and "script-src 'sha256-" in policy
    finally:
        browser.close()

    (exported,) = list(downloads.glob("review-*.json"))
    data = json.loads(exported.read_text(encoding="utf-8"))
    decisions = {d["divergence_id"]: d for d in data["decisions"]}
    assert data["schema"] == "mteval.review" and set(decisions) == {alarm_id, confirmed_id}
    assert decisions[alarm_id]["decision"] == "false_alarm" and decisions[alarm_id]["note"] == "fifth debate = the last one"
    assert decisions[confirmed_id]["decision"] == "confirmed"

    reviewed = example_results(review=exported)
    redoc = reviewed.documents[0]
    assert redoc.segments[alarm.bead].parallel  # the false alarm no longer removes its bead
    assert not redoc.segments[confirmed.bead].parallel
    states = {divergence_id(redoc.doc_id, d): (d.review, d.review_note) for d in redoc.audit.divergences}
    assert states[alarm_id] == ("false_alarm", "fifth debate = the last one")
    assert states[confirmed_id] == ("confirmed", "")
    before = report_results.corpus["careful"].get("chrf", "parallel")
    after = reviewed.corpus["careful"].get("chrf", "parallel")
    assert after.n_segments == before.n_segments + 1 and after.score != before.score
    assert reviewed.corpus["careful"].get("chrf").score == report_results.corpus["careful"].get("chrf").score
    review = reviewed.provenance["review"]
    assert review["sha256"] == hashlib.sha256(exported.read_bytes()).hexdigest()
    assert (review["applied"], review["false_alarms"], review["confirmed"], review["unmatched"]) == (2, 1, 1, [])

    # the report of the reviewed run shows the decisions, without any local storage
    again = write_report(reviewed, tmp_path / "again")
    root = parse_html(again.read_text(encoding="utf-8"))
    (li,) = [n for n in root.iter() if n.tag == "li" and n.attrs.get("data-div-id") == alarm_id]
    assert li.attrs.get("data-review") == "false_alarm" and "rv-false_alarm" in li.attrs["class"].split()


def test_long_tokens_wrap_inside_their_cell(chromium, tmp_path):
    """A 300-character token in one system's output stays in its column; the notes column is wide enough."""
    from _chromium import Browser
    from _report_fixtures import CAREFUL, EXAMPLE

    import mteval
    from mteval.report.html import write_report

    lines = list(CAREFUL)
    lines[1] = "https://example.org/" + "x" * 300 + " is the link the ministry gave."
    results = mteval.evaluate(corpus=EXAMPLE, hypotheses={"long-token-system-name-" * 3: lines, "careful": CAREFUL},
                              n_bootstrap=0)
    page = write_report(results, tmp_path / "report")
    browser = Browser(chromium, FLAGS, tmp_path / "profile")
    try:
        browser.open(page, ready="document.body && document.body.getAttribute('data-review-ready') === '1'")
        overflowing = browser.evaluate(
            "Array.prototype.filter.call(document.querySelectorAll('table.beads td, table.corpus td'),"
            " function (td) { return td.scrollWidth > td.clientWidth + 1; }).length")
        assert overflowing == 0
        widths = browser.evaluate(
            "(function () { var n = document.querySelector('td.bead-notes'); var f = parseFloat("
            "getComputedStyle(n).fontSize); return [n.getBoundingClientRect().width, f]; })()")
        assert widths[0] >= 18 * widths[1]  # about 20em: a label and a system name fit without odd wrapping
    finally:
        browser.close()


def test_documents_sort_by_id_as_text(chromium, report_results, tmp_path):  # noqa: F811
    """Ids that start with a date sort as text: parseFloat read "2024-02-11-…" as 2024, leaving months unordered."""
    import dataclasses

    from _chromium import Browser

    from mteval.report.html import write_report

    (doc,) = report_results.documents
    ids = ["only-byline", "2024-02-11-debat", "2023-12-31-akhir", "berita-ekonomi", "2024-01-05-awal", "17"]
    results = dataclasses.replace(report_results, documents=[dataclasses.replace(doc, doc_id=i) for i in ids])
    page = write_report(results, tmp_path / "report")
    browser = Browser(chromium, FLAGS, tmp_path / "profile")
    column = ("Array.prototype.map.call(document.querySelectorAll('#doc-table tbody tr td:first-child'),"
              " function (td) { return td.getAttribute('data-v'); })")
    try:
        browser.open(page, ready="document.body && document.body.getAttribute('data-review-ready') === '1'")
        browser.evaluate("var s = document.getElementById('doc-sort'); s.value = 'doc:asc';"
                         " s.dispatchEvent(new Event('change'))")
        assert browser.evaluate(column) == sorted(ids)
    finally:
        browser.close()
