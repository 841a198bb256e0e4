"""Results of the bundled example for the report tests, from precomputed system outputs.

Two hand-written systems stand in for MT output (one line per source
sentence, links/bylines included as the loaders expect): ``careful`` is a
fair translation, ``sloppy`` drops a name, changes a date and shortens
sentences, so the report has MT errors to show. No model is loaded, so the
fixtures cost only the alignment audit.
"""
from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "antara-kominfo-2024"

CAREFUL = [
    "Jakarta (ANTARA) - The Ministry of Communication and Informatics (Kemenkominfo) is coordinating social media "
    "platforms to further strengthen their services as the 2024 General Election draws nearer.",
    "This is done so that the digital space stays conducive and safe from cyberattacks ahead of the democratic "
    "festival.",
    "\"So we coordinate, we ask them to strengthen their systems.",
    "Because the ones responsible for protecting the security of the data and services owned by the platforms are the "
    "platforms themselves,\" said the Director General of Public Information and Communication (IKP) of the Ministry "
    "of Communication and Informatics, Usman Kansong, when contacted by ANTARA on Wednesday.",
    "Read also: Perludem: Social media platforms are responsible for tackling election disinformation",
    "He gave as an example one of the roles of the Ministry of Communication and Informatics in keeping social media "
    "services conducive during the 2024 Election, such as coordinating when the name of one of the vice presidential "
    "candidates could not be searched on the social media platform X.",
    "The vice presidential candidate in question is Mahfud MD, the running mate of presidential candidate number 2 "
    "Ganjar Pranowo.",
    "The ministry immediately followed up on the report and asked how the situation could be restored.",
    "Usman said that X followed it up immediately and the keyword has now been restored and can be accessed by the "
    "platform's users.",
    "Read also: Democratic maturity is reflected in the digital space of the 2024 Election",
    "\"So what the Ministry of Communication and Informatics does is of course ask the social media (platforms) to "
    "anticipate these things.",
    "Because the ones who can anticipate the related problems are the platforms,\" Usman said.",
    "A similar step will also be taken for the fifth debate of the presidential candidates, which is planned for "
    "Sunday, February 4, 2024.",
    "Social media platforms are asked to keep the digital space accessible to the wider public and freely usable to "
    "express opinions.",
    "\"The fifth debate is the same as the previous debates.",
    "There should be no problems, like the previous debates.",
    "The treatment of the contestants by the platforms, and the platforms as a means to convey aspirations and "
    "comments, remains open,\" Usman concluded.",
    "Read also: Government committed to protecting individual rights in the digital space for democracy",
    "Reporter: Livia Kristianti",
    "Editor: Siti Zulaikha",
    "Copyright © ANTARA 2024",
]

SLOPPY = list(CAREFUL)
SLOPPY[3] = ("Because those responsible for data security are the platforms,\" said the director general Usman "
             "Kansong on Wednesday.")
SLOPPY[6] = "The candidate meant is Mahfud MD, partner of presidential candidate number 2."
SLOPPY[12] = "The same will be done for the next debate, which is planned for Sunday, 14 February 2024."
SLOPPY[13] = "Platforms are asked to keep the space open."


def example_results(**extra):
    """Evaluate the bundled example with the two precomputed systems."""
    import mteval

    return mteval.evaluate(
        corpus=EXAMPLE, hypotheses={"sloppy": list(SLOPPY), "careful": list(CAREFUL)}, n_bootstrap=200, **extra
    )


@pytest.fixture(scope="session")
def report_results(tmp_path_factory):
    """Results of the bundled example (cached as JSON under the session's base temp dir)."""
    from mteval.results.records import Results

    path = tmp_path_factory.getbasetemp() / "report-results" / "example.json"
    if path.exists():
        return Results.from_json(path)
    results = example_results()
    results.to_json(path)
    return results


# -- hostile input --------------------------------------------------------------------------

PWN = "document.body.setAttribute('data-pwned','1')"
SCRIPT = f"<script>{PWN}</script>"
IMG = f"\"><img src=x onerror=\"{PWN}\">"
HOSTILE_SOURCE = (
    f"Menteri Budi Santoso {SCRIPT} mengatakan 5 orang hadir di Jakarta pada Senin.\n\n"
    f"Rapat {IMG} berlangsung selama 3 jam di gedung DPR.\n\n"
    "Baca juga: <iframe src=x></iframe> berita lain"
)
HOSTILE_REFERENCE = (
    f"Minister Agus Salim {SCRIPT} said 7 people attended in Jakarta on Monday.\n\n"
    f"The meeting <b onmouseover=\"{PWN}\">lasted</b> 3 hours at the DPR building.\n\n"
    f"An extra sentence <svg onload=\"{PWN}\"></svg> about Bandung."
)


def hostile_results(directory: Path):
    """Results whose document id, file name, system name and texts all carry HTML/JS payloads."""
    import json

    import mteval

    path = directory / f"x{IMG.replace('/', '')}.jsonl"
    record = {"id": SCRIPT + IMG, "source": HOSTILE_SOURCE, "reference": HOSTILE_REFERENCE}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    corpus = mteval.load_corpus(path)
    n = len(corpus.documents[0].source_sentences())
    lines = [f"Minister Budi {SCRIPT} said 5 {IMG} people attended on 9 June."] * n
    return mteval.evaluate(corpus=corpus, hypotheses={SCRIPT + IMG: lines}, n_bootstrap=50)


# -- a small DOM of serialised HTML (stdlib only) --------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        out = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(node.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(node)
        return out

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def parse_html(html: str) -> Node:
    from html.parser import HTMLParser

    root = Node("#document", {}, None)

    class Builder(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.current = root

        def handle_starttag(self, tag, attrs):
            node = Node(tag, {k: (v or "") for k, v in attrs}, self.current)
            self.current.children.append(node)
            if tag not in VOID:
                self.current = node

        def handle_startendtag(self, tag, attrs):
            self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.current))

        def handle_endtag(self, tag):
            node = self.current
            while node is not root and node.tag != tag:
                node = node.parent
            if node is not root:
                self.current = node.parent

        def handle_data(self, data):
            self.current.children.append(data)

    builder = Builder()
    builder.feed(html)
    builder.close()
    return root


def injected(root: Node, our_script: str) -> list[str]:
    """Elements or attributes in the DOM that can only have come from the payloads."""
    problems = []
    for node in root.iter():
        if node.tag == "script" and node.text().strip() != our_script.strip():
            problems.append(f"script element: {node.text()[:80]!r}")
        if node.tag in ("img", "iframe", "object", "embed", "b") or (node.tag == "svg" and "onload" in node.attrs):
            problems.append(f"<{node.tag}> element from the input")
        for name in node.attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name} on <{node.tag}>")
        if "data-pwned" in node.attrs:
            problems.append("a payload ran")
    return problems
