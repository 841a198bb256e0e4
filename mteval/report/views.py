"""The side-by-side view of one document: aligned beads, highlighted divergences, segment scores.

Used by the HTML report (one view per document) and by the notebook view
(``mteval.explore(results).show(doc_id)``). It reads the typed records: the
pair's divergences from ``doc.audit.divergences``, each system's MT errors
from ``doc.systems[name].mt_errors``, labels and number formats from the
metric registry. Every piece of text is escaped: a highlighted sentence is
built by cutting the text at its spans' offsets and escaping each piece
separately, and the templates autoescape everything else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mteval.metrics.base import metric_info
from mteval.pair_audit.records import Divergence
from mteval.pair_audit.review import divergence_id

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
# colour group -> what the colour means (the legend)
GROUPS: dict[str, str] = {
    "src": "only in the source (the reference leaves it out)",
    "ref": "only in the reference (not in the source)",
    "name": "names differ between source and reference",
    "num": "numbers or dates differ between source and reference",
    "mt": "MT error: a name or number of the source lost or changed by the system",
}


# the metric the report features (documents table, plots) when the caller names none: the learned
# metric when it ran, else the lexical metric least sensitive to tokenisation
MAIN_METRIC_PREFERENCE = ("comet", "chrf")


def kind_label(kind: str) -> str:
    return KINDS.get(kind, (kind.replace("_", " "), "", ""))[0]


def kind_group(kind: str) -> str:
    return KINDS.get(kind, ("", "other", ""))[1] or "other"


def kind_note(kind: str) -> str:
    return KINDS.get(kind, ("", "", ""))[2]


def metric_label(metric: str) -> str:
    return metric_info(metric).label


def format_score(value: float | None, metric: str) -> str:
    """``value`` in the metric's one number format (BLEU/chrF one decimal, COMET four, ...)."""
    return metric_info(metric).format(value)


def main_metric(results, metric: str | None = None) -> str | None:
    """``metric`` if given, else COMET when scored, else chrF, else the first metric scored."""
    if metric is not None:
        metric_info(metric)
        return metric
    metrics = list(dict.fromkeys(m for s in results.corpus.values() for part in s.parts.values() for m in part))
    for preferred in MAIN_METRIC_PREFERENCE:
        if preferred in metrics:
            return preferred
    return metrics[0] if metrics else None


@dataclass
class Mark:
    """One highlighted span of one sentence."""

    start: int
    end: int
    kind: str
    severity: str
    title: str
    index: int  # the divergence's index in the document (pair divergences first, then MT errors)


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
    mt_error: bool  # this system has an MT error in this bead


@dataclass
class NoteView:
    """One divergence listed beside its bead."""

    index: int
    divergence_id: str
    kind: str
    group: str
    label: str
    system: str | None  # the system of an MT error; None for the pair's divergences
    severity: str
    note: str
    review: str | None  # the decision recorded in the results ("confirmed", "false_alarm") or None
    review_note: str
    reviewable: bool  # a major or minor divergence of the pair (MT errors and info notes are not reviewed)


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
    notes: list[NoteView]
    mt_error: bool

    @property
    def divergent(self) -> bool:
        """Whether source and reference differ here; an MT error is not a divergence (it has its own filter)."""
        return any(n.system is None for n in self.notes)

    @property
    def source_label(self) -> str:
        """The source sentences of the bead (numbered from 0), "none" when it has none."""
        return ", ".join(str(s.index) for s in self.source) or "none"

    @property
    def reference_label(self) -> str:
        return ", ".join(str(s.index) for s in self.reference) or "none"


@dataclass
class ScoreCell:
    label: str
    whole: str
    parallel: str


@dataclass(repr=False)
class DocumentView:
    doc_id: str
    anchor: str
    beads: list[BeadView]
    systems: list[str]
    align_with: str | None  # the system whose output helped align this corpus (opt-in), or None
    counts: dict[str, int]  # kind -> count, the pair's divergences and every system's MT errors
    n_divergences: int  # the pair's divergences
    n_major: int
    mt_errors: dict[str, int]  # system -> MT errors in this document
    related: bool
    scores: dict[str, list[ScoreCell]]  # system -> one cell per metric
    unplaced: list[NoteView]  # divergences outside any bead
    warnings: list[str] = field(default_factory=list)  # input warnings (a side in another language)

    def __repr__(self) -> str:
        return (f"<DocumentView {self.doc_id!r}: {len(self.beads)} beads, {self.n_divergences} divergences "
                f"({self.n_major} major), systems {self.systems}>")

    def to_html(self, *, standalone: bool = True) -> str:
        return render_document(self, standalone=standalone)

    def _repr_html_(self) -> str:
        return self.to_html(standalone=True)


def _note(doc_id: str, index: int, divergence: Divergence) -> NoteView:
    return NoteView(
        index=index, divergence_id=divergence_id(doc_id, divergence), kind=divergence.kind,
        group=kind_group(divergence.kind), label=kind_label(divergence.kind), system=divergence.system,
        severity=divergence.severity, note=divergence.note or kind_note(divergence.kind),
        review=divergence.review, review_note=divergence.review_note,
        reviewable=divergence.system is None and divergence.severity != "info",
    )


def _title(note: NoteView) -> str:
    who = f" ({note.system})" if note.system else ""
    return f"{note.label}{who}, {note.severity}: {note.note}"


def document_view(results, doc, *, anchor: str = "doc-0") -> DocumentView:
    """The view of one document of ``results`` (a :class:`DocumentResult` or its id)."""
    if isinstance(doc, str):
        doc = results.document(doc)
    systems = list(doc.systems)
    divergences = doc.divergences()  # the pair's, then every system's MT errors
    notes = [_note(doc.doc_id, index, d) for index, d in enumerate(divergences)]

    marks: dict[tuple[str, str | None, int], list[Mark]] = {}
    by_bead: dict[int, list[NoteView]] = {}
    unplaced: list[NoteView] = []
    counts: dict[str, int] = {}
    for note, divergence in zip(notes, divergences):
        counts[note.kind] = counts.get(note.kind, 0) + 1
        for span in divergence.spans:
            key = (span.side, divergence.system if span.side == "mt" else None, span.sentence)
            marks.setdefault(key, []).append(
                Mark(span.start, span.end, note.kind, note.severity, _title(note), note.index))
        if divergence.bead is None:
            unplaced.append(note)
        else:
            by_bead.setdefault(divergence.bead, []).append(note)

    def sentence(side: str, i: int, text: str, system: str | None = None) -> SentenceView:
        own = marks.get((side, system, i), [])
        return SentenceView(side, i, highlight(text, own), sorted({m.kind for m in own}))

    beads = []
    for segment in doc.segments:
        bead_notes = by_bead.get(segment.bead, [])
        kinds = sorted({n.kind for n in bead_notes})
        with_errors = {n.system for n in bead_notes if n.system is not None}
        cells = []
        for system in systems:
            translations = doc.systems[system].translations
            translated = system in segment.hypotheses
            sentences = [sentence("mt", i, translations[i] or "", system) for i in segment.source_ids] if translated else []
            scores = [(metric_label(m), format_score(v, m)) for m, v in segment.scores.get(system, {}).items()]
            cells.append(SystemCell(system, sentences, scores, translated, system in with_errors))
        beads.append(BeadView(
            index=segment.bead, role=segment.role, parallel=segment.parallel,
            source=[sentence("source", i, doc.source_sentences[i].text) for i in segment.source_ids],
            reference=[sentence("reference", j, doc.reference_sentences[j].text) for j in segment.reference_ids],
            systems=cells, kinds=kinds, groups=sorted({kind_group(k) for k in kinds}), notes=bead_notes,
            mt_error=bool(with_errors),
        ))
    pair = doc.audit.divergences
    return DocumentView(
        doc_id=doc.doc_id, anchor=anchor, beads=beads, systems=systems,
        align_with=(results.provenance.get("audit") or {}).get("align_with"),
        counts=counts, n_divergences=len(pair), n_major=sum(d.severity == "major" for d in pair),
        mt_errors={name: len(work.mt_errors) for name, work in doc.systems.items()},
        related=doc.audit.related, scores=document_scores(doc),
        unplaced=unplaced, warnings=list(doc.warnings),
    )


def document_scores(doc) -> dict[str, list[ScoreCell]]:
    """Every system's scores of one document: the same metrics, in the same order, for each system."""
    metrics = list(dict.fromkeys(m for work in doc.systems.values() for part in work.scores.values() for m in part))
    table = {}
    for system, work in doc.systems.items():
        whole, parallel = work.scores.get("whole", {}), work.scores.get("parallel", {})
        table[system] = [
            ScoreCell(metric_label(m), format_score(_score(whole.get(m)), m), format_score(_score(parallel.get(m)), m))
            for m in metrics
        ]
    return table


def _score(entry) -> float | None:
    return None if entry is None else entry.score


def _environment():
    """The jinja2 environment of the report templates (autoescaping on), created on first use."""
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
    """The side-by-side HTML of one document; ``standalone`` adds the stylesheet and leaves out the review
    buttons (for Jupyter, which runs no script of the page)."""
    html = _environment().get_template("document.html.j2").render(view=view, review_buttons=not standalone)
    if not standalone:
        return html
    return f'<div class="mteval-report"><style>{asset("style.css")}</style>{html}</div>'


def asset(name: str) -> str:
    """A static file of the templates folder (stylesheet, script), inlined as it is."""
    from importlib import resources

    return resources.files("mteval.report").joinpath("templates", name).read_text(encoding="utf-8")
