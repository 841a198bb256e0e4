"""Redraw the README's pictures in headless Chromium, 1400 px wide.

    python docs/make_screenshots.py

- ``docs/report.png``: the side-by-side view of the bundled example in the
  report, after an editor marked one divergence a false alarm (with a note)
  and confirmed another, by clicking the page's buttons, and ticked "only
  beads with divergences";
- ``docs/report-scores.png``: the top of the page (guide and score tables);
- ``docs/notebook.png``: what ``mteval.explore(results)`` and ``.show()`` put
  into a notebook's output area, rendered as Jupyter receives it (their HTML
  in a page of its own; Jupyter's surrounding chrome is not drawn).

The two systems are the hand-written outputs of the report tests.
"""
from __future__ import annotations

import base64
import shutil
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO / "tests"))

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars"]


def _shot(browser, path: Path, selector: str, *, height: int | None = None) -> None:
    box = browser.evaluate(
        f"(function () {{ var r = document.querySelector('{selector}').getBoundingClientRect();"
        " return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height}; })()")
    clip = {"x": max(0, box["x"] - 8), "y": max(0, box["y"] - 8), "width": min(1400, box["w"] + 16),
            "height": height or box["h"] + 16, "scale": 1}
    data = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(data["data"]))
    print(f"wrote {path} ({int(clip['width'])}x{int(clip['height'])})")


def main() -> None:
    from _chromium import Browser
    from _report_fixtures import example_results

    from mteval.pair_audit.review import divergence_id
    from mteval.report.html import write_report
    from mteval.report.jupyter import explore

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed")
    results = example_results()
    doc = results.documents[0]
    number = next(d for d in doc.audit.divergences if d.kind == "number_mismatch")
    dropped = next(d for d in doc.audit.divergences if d.kind == "source_only" and d.severity == "major")
    work = Path(tempfile.mkdtemp(prefix="mteval-shots-"))
    page = write_report(results, work / "report")
    ready = "document.body && document.body.getAttribute('data-review-ready') === '1'"

    browser = Browser(chromium, FLAGS, work / "profile", size="1400,1200")
    try:
        browser.open(page, ready=ready)
        _shot(browser, DOCS / "report-scores.png", "header", height=1350)
        section = f'section.doc[data-doc-id="{doc.doc_id}"]'
        for divergence, decision in ((number, "false_alarm"), (dropped, "confirmed")):
            li = f'{section} li.note[data-div-id="{divergence_id(doc.doc_id, divergence)}"]'
            browser.click(f'{li} button.rv[data-decision="{decision}"]')
            if decision == "false_alarm":
                browser.click(f"{li} input.rv-note")
                browser.type_text("fifth debate = the last one")
                browser.press_tab()
        browser.click(f"{section} input.f-div")  # only the beads with divergences: both decisions in view
        browser.evaluate("window.scrollTo(0, 0)")
        _shot(browser, DOCS / "report.png", section, height=1700)
    finally:
        browser.close()

    view = explore(results)
    notebook = work / "notebook.html"
    notebook.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0;font-family:sans-serif}"
        ".cell{display:flex;gap:.6em;padding:.6em 1em}.prompt{color:#303f9f;font-family:monospace;min-width:5em}"
        ".out{flex:1;min-width:0}.in{background:#f7f7f7;border:1px solid #e0e0e0;padding:.4em;font-family:monospace}"
        "</style></head><body>"
        "<div class='cell'><div class='prompt'>In [12]:</div><div class='out in'>view = mteval.explore(both)<br>view"
        "</div></div><div class='cell'><div class='prompt'>Out[12]:</div><div class='out' id='summary'>"
        + view._repr_html_() +
        "</div></div><div class='cell'><div class='prompt'>In [13]:</div><div class='out in'>"
        "view.show(\"antara-kominfo-2024\")</div></div><div class='cell'><div class='prompt'>Out[13]:</div>"
        "<div class='out' id='show'>" + view.show()._repr_html_() + "</div></div></body></html>",
        encoding="utf-8")
    browser = Browser(chromium, FLAGS, work / "profile-notebook", size="1400,1200")
    try:
        browser.open(notebook, ready="document.readyState === 'complete'")
        _shot(browser, DOCS / "notebook.png", "body", height=1500)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
