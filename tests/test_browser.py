"""The HTML report in a real browser: headless Chromium renders it to a DOM dump and a PNG.

Chromium is Debian's ``chromium`` package; when it is missing and the tests
run as root it is installed here (``apt-get install -y chromium``), otherwise
these tests are skipped with the reason. The screenshot of the bundled
example's report is kept as ``tests/artifacts/report.png``.
"""
from __future__ import annotations

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
