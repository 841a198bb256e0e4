"""The side-by-side view of one document: aligned beads, highlighted divergences, segment scores.

Used by the HTML report (one view per document) and by Jupyter
(``results.show(doc_id)``). Every piece of text is escaped: a highlighted
sentence is built by cutting the text at its spans' offsets and escaping
each piece separately, and the templates autoescape everything else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# kind -> (label, colour group, explanation shown on hover)
KINDS: dict[str, tuple[str, str, str]] = {
    "source_only": ("Source only", "src", "content of the Indonesian source that the English reference leaves out"),
    "reference_only": ("Reference only", "ref", "content of the English reference that is not in the source"),
    "entity_mismatch": ("Name mismatch", "name", "names differ between source and reference"),
    "number_mismatch": ("Number mismatch", "num", "numbers, dates or ordinals differ between source and reference"),
    "mt_omission": ("MT omission", "mt", "a name or number of the source is missing from the MT output"),
    "mt_number_error": ("MT number error", "mt", "the MT output has a different number or date than the source"),
    "mt_entity_error": ("MT name error", "mt", "a name of the source is missing or changed in the MT output"),
}
GROUPS: dict[str, str] = {
    "src": "source only",
    "ref": "reference only",
    "name": "name mismatch",
    "num": "number mismatch",
    "mt": "MT error",
}
METRIC_LABELS = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER", "comet": "COMET"}


def kind_label(kind: str) -> str:
    return KINDS.get(kind, (kind.replace("_", " "), "", ""))[0]


def kind_group(kind: str) -> str:
    return KINDS.get(kind, ("", "other", ""))[1] or "other"


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def format_score(value: Any, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric == "comet" or abs(float(value)) < 2:
        return f"{float(value):.3f}"
    return f"{float(value):.1f}"


@dataclass
class Mark:
    """One highlighted span of one sentence."""

    start: int
    end: int
    kind: str
    severity: str
    title: str
    index: int  # the divergence's index in the document


def highlight(text: str, marks: list[Mark]):
    """``text`` as HTML with ``<mark>`` elements around the spans, every piece escaped.

    Spans may nest or overlap; an overlapping span is cut where the one it
    crosses ends, so the marks always nest properly.
    """
    from markupsafe import Markup, escape

    spans = []
    for mark in marks:
        start, end = max(0, min(mark.start, len(text))), max(0, min(mark.end, len(text)))
        if end > start:
            spans.append((start, end, mark))
    return Markup(_nest(text, 0, len(text), spans, escape, Markup))


def _nest(text: str, low: int, high: int, spans: list, escape, markup) -> str:
    out: list[str] = []
    position = low
    spans = sorted(spans, key=lambda s: (s[0], -s[1], s[2].index))
    while spans:
        start, end, mark = spans.pop(0)
        start = max(start, position)
        if start >= end:
            continue
        out.append(escape(text[position:start]))
        inner, rest = [], []
        for other in spans:
            if other[0] < end:
                inner.append((other[0], min(other[1], end), other[2]))
                if other[1] > end:
                    rest.append((end, other[1], other[2]))
            else:
                rest.append(other)
        out.append(_open(mark, escape))
        out.append(_nest(text, start, end, inner, escape, markup))
        out.append(markup("</mark>"))
        position = end
        spans = sorted(rest, key=lambda s: (s[0], -s[1], s[2].index))
    out.append(escape(text[position:high]))
    return "".join(str(piece) for piece in out)


def _open(mark: Mark, escape) -> str:
    group = kind_group(mark.kind)
    return (
        f'<mark class="dv g-{escape(group)} sev-{escape(mark.severity)}" data-kind="{escape(mark.kind)}" '
        f'data-div="{int(mark.index)}" title="{escape(mark.title)}" tabindex="0">'
    )


@dataclass
class SentenceView:
    side: str
    index: int
    html: Any  # Markup
    kinds: list[str] = field(default_factory=list)


@dataclass
class SystemCell:
    system: str
    sentences: list[SentenceView]
    scores: list[tuple[str, str]]  # (metric label, formatted score)
    translated: bool
    mt_error: bool


@dataclass
class BeadView:
    index: int
    role: str
    parallel: bool
    source: list[SentenceView]
    reference: list[SentenceView]
    systems: list[SystemCell]
    kinds: list[str]
    groups: list[str]
    notes: list[tuple[str, str, str, str]]  # (group, label, severity, note)
    mt_error: bool
    main_score: float | None = None

    @property
    def divergent(self) -> bool:
        return bool(self.kinds)

    @property
    def label(self) -> str:
        def ids(values: list[SentenceView]) -> str:
            return ",".join(str(s.index) for s in values) or "–"

        return f"{ids(self.source)} : {ids(self.reference)}"


@dataclass(repr=False)
class DocumentView:
    doc_id: str
    anchor: str
    beads: list[BeadView]
    systems: list[str]
    mt_system: str | None
    counts: dict[str, int]
    n_divergences: int
    n_major: int
    related: bool
    scores: dict[str, dict[str, str]]  # system -> metric label -> "whole / parallel"
    unplaced: list[tuple[str, str, str]]  # divergences outside any bead: (label, severity, note)
    warnings: list[str] = field(default_factory=list)  # input warnings (a side in another language)

    def __repr__(self) -> str:
        return (f"<DocumentView {self.doc_id!r}: {len(self.beads)} beads, {self.n_divergences} divergences "
                f"({self.n_major} major), systems {self.systems}>")

    def to_html(self, *, standalone: bool = True) -> str:
        return render_document(self, standalone=standalone)

    def _repr_html_(self) -> str:
        return self.to_html(standalone=True)


def _mt_system(results, divergence: dict[str, Any]) -> str | None:
    system = divergence.get("system")
    if system:
        return system
    return ((results.provenance or {}).get("audit") or {}).get("mt_signal_from")


def document_view(results, doc: dict[str, Any] | str, *, anchor: str = "doc-0", main_metric: str | None = None) -> DocumentView:
    """The view of one document of ``results`` (a document record or its id)."""
    if isinstance(doc, str):
        doc = results.document(doc)
    systems = list(doc.get("systems", {}) or {})
    audit = doc.get("audit") or {}
    divergences = audit.get("divergences", [])
    source = doc.get("source_sentences", [])
    reference = doc.get("reference_sentences", [])
    mt_system = ((results.provenance or {}).get("audit") or {}).get("mt_signal_from")

    marks: dict[tuple[str, str | None, int], list[Mark]] = {}
    by_bead: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    unplaced = []
    counts: dict[str, int] = {}
    for index, divergence in enumerate(divergences):
        kind = divergence.get("kind", "")
        counts[kind] = counts.get(kind, 0) + 1
        severity = divergence.get("severity", "minor")
        is_mt = kind.startswith("mt_")
        system = _mt_system(results, divergence) if is_mt else None
        label = kind_label(kind) + (f" ({system})" if system else "")
        note = divergence.get("note") or KINDS.get(kind, ("", "", ""))[2]
        title = f"{label}, {severity}: {note}"
        for span in divergence.get("spans", []):
            side = span.get("side")
            key = (side, system if side == "mt" else None, int(span.get("sentence", -1)))
            marks.setdefault(key, []).append(
                Mark(int(span.get("start", 0)), int(span.get("end", 0)), kind, severity, title, index)
            )
        if divergence.get("bead") is None:
            unplaced.append((label, severity, note))
        else:
            by_bead.setdefault(int(divergence["bead"]), []).append((index, divergence))

    def sentence(side: str, i: int, text: str, system: str | None = None) -> SentenceView:
        own = marks.get((side, system, i), [])
        return SentenceView(side, i, highlight(text, own), sorted({m.kind for m in own}))

    segments = {s.get("bead"): s for s in doc.get("segments", [])}
    beads = []
    for k, bead in enumerate(audit.get("beads", [])):
        segment = segments.get(k, {})
        bead_divs = by_bead.get(k, [])
        kinds = sorted({d.get("kind", "") for _, d in bead_divs})
        mt_error = any(kind.startswith("mt_") for kind in kinds)
        cells = []
        for system in systems:
            translations = doc["systems"][system].get("translations") or []
            translated = system in segment.get("hypotheses", {})
            sentences = []
            if translated:
                for i in bead["source"]:
                    text = translations[i] if i < len(translations) and translations[i] is not None else ""
                    sentences.append(sentence("mt", i, text, system))
            scores = [
                (metric_label(metric), format_score(value, metric))
                for metric, value in (segment.get("scores", {}).get(system) or {}).items()
            ]
            cells.append(
                SystemCell(system, sentences, scores, translated, mt_error and system == mt_system)
            )
        main = None
        if systems and main_metric:
            main = (segment.get("scores", {}).get(systems[0]) or {}).get(main_metric)
        notes = []
        for _, divergence in bead_divs:
            kind = divergence.get("kind", "")
            system = _mt_system(results, divergence) if kind.startswith("mt_") else None
            notes.append(
                (
                    kind_group(kind),
                    kind_label(kind) + (f" ({system})" if system else ""),
                    divergence.get("severity", "minor"),
                    divergence.get("note") or KINDS.get(kind, ("", "", ""))[2],
                )
            )
        beads.append(
            BeadView(
                index=k,
                role=segment.get("role") or _bead_role(bead, source, reference),
                parallel=bool(segment.get("parallel")),
                source=[sentence("source", i, source[i]["text"]) for i in bead["source"]],
                reference=[sentence("reference", j, reference[j]["text"]) for j in bead["reference"]],
                systems=cells,
                kinds=kinds,
                groups=sorted({kind_group(kind) for kind in kinds}),
                notes=notes,
                mt_error=mt_error,
                main_score=main,
            )
        )
    doc_scores: dict[str, dict[str, str]] = {}
    for system in systems:
        parts = doc["systems"][system].get("scores", {})
        whole, parallel = parts.get("whole", {}), parts.get("parallel", {})
        doc_scores[system] = {
            metric_label(metric): f"{format_score(entry.get('score'), metric)} / "
            f"{format_score((parallel.get(metric) or {}).get('score'), metric)}"
            for metric, entry in whole.items()
        }
    return DocumentView(
        doc_id=str(doc.get("doc_id", "")),
        anchor=anchor,
        beads=beads,
        systems=systems,
        mt_system=mt_system if mt_system in systems else None,
        counts=counts,
        n_divergences=len(divergences),
        n_major=sum(d.get("severity") == "major" for d in divergences),
        related=bool(audit.get("related", True)),
        scores=doc_scores,
        unplaced=unplaced,
        warnings=[str(w) for w in doc.get("warnings", [])],
    )


def _bead_role(bead: dict[str, Any], source: list, reference: list) -> str:
    roles = [source[i].get("role", "body") for i in bead["source"]]
    roles += [reference[j].get("role", "body") for j in bead["reference"]]
    return "body" if "body" in roles or not roles else roles[0]


def environment():
    """The jinja2 environment of the report templates (autoescaping on)."""
    return _environment()


def _environment():
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

        _ENV = Environment(
            loader=PackageLoader("mteval.report", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html", "j2", "html.j2"), default_for_string=True,
                                         default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV.globals.update(GROUPS=GROUPS, KINDS=KINDS, kind_label=kind_label, kind_group=kind_group)
    return _ENV


_ENV = None


def render_document(view: DocumentView, *, standalone: bool = True) -> str:
    """The side-by-side HTML of one document; ``standalone`` adds the stylesheet (for Jupyter)."""
    html = _environment().get_template("document.html.j2").render(view=view)
    if not standalone:
        return html
    return f'<div class="mteval-report"><style>{asset("style.css")}</style>{html}</div>'


def asset(name: str) -> str:
    """A static file of the templates folder (stylesheet, script), inlined as it is."""
    from importlib import resources

    return resources.files("mteval.report").joinpath("templates", name).read_text(encoding="utf-8")
