"""Hostile input and faults through the CLI, one table: command, exit status, message, files that must not change.

Every refused case must give exit status 2 and exactly one line on stderr (no traceback), leave the
listed files byte for byte as they were, leave no temporary file behind, and echo nothing listed in
``absent`` (a secret outside the output directory, a raw escape sequence). Cases that need a fault
the machine cannot produce here (a full disk, a read-only file system: the tests run as root) are
simulated in-process by monkeypatching the system call, in the second table.
"""
from __future__ import annotations

import errno
import json
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from _tiny_marian import tiny_marian  # noqa: F401

BIN = Path(sys.executable).parent
SECRET = "TOP-SECRET-7f3a9c"
ESC = "\x1b]0;owned\x07"


@dataclass
class Case:
    name: str
    args: tuple[str, ...]  # "{W}" stands for the test world's directory, "{M}" for the tiny Marian model
    exit: int
    message: str  # a fragment of the one line on stderr (or of stdout for exit 0)
    unchanged: tuple[str, ...] = ()  # paths (with {W}) whose bytes (or absence) must not change
    absent: tuple[str, ...] = (SECRET, "\x1b")  # never in stdout or stderr
    env: dict[str, str] = field(default_factory=dict)
    needs: str | None = None  # "ctranslate2": skipped where it is not installed
    written: tuple[tuple[str, str], ...] = ()  # (path, fragment that must NOT be in that written file)


HYP = ("--hyp", "sys={W}/hyp.txt", "--no-comet", "--bootstrap", "10")
PAIR = ("{W}/doc.id.txt", "{W}/doc.en.txt")
TINY = ("--model", "tiny={M}", "--engine", "transformers", "--beam-size", "1", "--max-length", "16", "--no-comet")

CASES = [
    # -- document ids are names, not paths ------------------------------------------------------------
    Case("id ../ traversal", ("run", "{W}/ids/traversal.jsonl", "--hyp", "s={W}/hyps", "--no-comet"), 2,
         "contains a path separator", ("{W}/SECRET.txt",)),
    Case("absolute id", ("run", "{W}/ids/absolute.jsonl", "--hyp", "s={W}/hyps", "--no-comet"), 2, "path separator"),
    Case("id is ..", ("run", "{W}/ids/dotdot.jsonl", "--hyp", "s={W}/hyps", "--no-comet"), 2, "relative directory name"),
    Case("NUL in id", ("run", "{W}/ids/nul.jsonl", "--no-comet"), 2, "control character U+0000"),
    Case("newline in id", ("run", "{W}/ids/newline.jsonl", "--no-comet"), 2, "control character U+000A"),
    Case("escape sequence in id", ("run", "{W}/ids/escape.jsonl", "--no-comet"), 2, "control character U+001B"),
    Case("10,000-character id", ("run", "{W}/ids/long.jsonl", "--no-comet"), 2, "10,000 characters long"),
    Case("long id as a file name", ("run", "{W}/ids/long-name.jsonl", "--hyp", "s={W}/hyps", "--no-comet"), 2,
         "longer than a file name may be"),
    Case("id not a string", ("run", "{W}/ids/list.jsonl", "--no-comet"), 2, "must be a string or a whole number"),
    Case("hyp file is a link outside its directory", ("run", "{W}/ids/plain.jsonl", "--hyp", "s={W}/hyps",
                                                      "--no-comet"), 2, "outside", ("{W}/SECRET.txt",)),
    Case("file name with an escape sequence", ("run", "{W}/escdir"), 2, "control character U+001B"),
    # -- never overwrite an input ----------------------------------------------------------------------
    Case("--save-baseline over the reference", ("run", *PAIR, *HYP, "--save-baseline", "{W}/doc.en.txt"), 2,
         "would overwrite the input", ("{W}/doc.en.txt",)),
    Case("--save-baseline over a hypothesis", ("run", *PAIR, *HYP, "--save-baseline", "{W}/hyp.txt"), 2,
         "would overwrite the input", ("{W}/hyp.txt",)),
    Case("--save-baseline over a link to the source", ("run", *PAIR, *HYP, "--save-baseline", "{W}/link-to-source.txt"),
         2, "would overwrite the input", ("{W}/doc.id.txt",)),
    Case("--save-baseline over the translation cache", ("run", *PAIR, *HYP, "--save-baseline", "{W}/cache/translations.sqlite"),
         2, "would overwrite the input", ("{W}/cache/translations.sqlite",)),
    Case("translate -o over its input", ("translate", "{W}/doc.id.txt", "--model", "{M}", "-o", "{W}/doc.id.txt"), 2,
         "would overwrite the input", ("{W}/doc.id.txt",)),
    Case("baseline -o over its input", ("baseline", "{W}/good/results.json", "-o", "{W}/good/results.json"), 2,
         "would overwrite the input", ("{W}/good/results.json",)),
    Case("gate --junit over the baseline", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                            "--junit", "{W}/base.json"), 2, "would overwrite", ("{W}/base.json",)),
    # a streamed run stands on two files: its summary and the documents file beside it
    Case("gate --junit over a streamed run's documents", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                                          "--junit", "{W}/good/results.jsonl"), 2,
         "would overwrite the input", ("{W}/good/results.jsonl",)),
    Case("baseline -o over a streamed run's documents", ("baseline", "{W}/good/results.json", "-o",
                                                         "{W}/good/results.jsonl"), 2,
         "would overwrite the input", ("{W}/good/results.jsonl",)),
    Case("--save-baseline over the run's own documents", ("run", *PAIR, *HYP, "--out", "{W}/own", "--save-baseline",
                                                          "{W}/own/results.jsonl"), 2, "would write the same file",
         ("{W}/own/results.jsonl", "{W}/own/results.json")),
    Case("baseline -o over the translation cache", ("baseline", "{W}/good/results.json", "-o",
                                                    "{W}/cache/translations.sqlite"), 2, "would overwrite the input",
         ("{W}/cache/translations.sqlite",)),
    Case("gate --markdown over the translation cache", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                                        "--markdown", "{W}/cache/translations.sqlite"), 2,
         "would overwrite the input", ("{W}/cache/translations.sqlite",)),
    Case("gate --markdown and --junit the same file", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                                       "--markdown", "{W}/both.txt", "--junit", "{W}/both.txt"), 2,
         "would write the same file", ("{W}/both.txt",)),
    # -- outputs of the wrong kind ------------------------------------------------------------------------
    Case("--out is a file", ("run", *PAIR, *HYP, "--out", "{W}/afile"), 2, "must be a directory", ("{W}/afile",)),
    Case("results.json is a directory", ("run", *PAIR, *HYP, "--out", "{W}/resdir"), 2, "it is a directory"),
    Case("--report is a file", ("run", *PAIR, *HYP, "--report", "{W}/afile"), 2, "must be a directory", ("{W}/afile",)),
    Case("gate --markdown is a directory", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                            "--markdown", "{W}/adir"), 2, "it is a directory"),
    Case("gate --junit under a file", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                       "--junit", "{W}/afile/gate.xml"), 2, "a file, not a directory", ("{W}/afile",)),
    Case("report -o is a file", ("report", "{W}/good/results.json", "-o", "{W}/afile"), 2, "a file, not a directory",
         ("{W}/afile",)),
    Case("report --format md -o under a file", ("report", "{W}/good/results.json", "--format", "md", "-o",
                                                 "{W}/afile/md"), 2, "a file, not a directory", ("{W}/afile",)),
    Case("cache directory cannot be created", ("audit", *PAIR), 2, "cannot create the directory",
         env={"MTEVAL_CACHE_DIR": "{W}/afile/cache"}),
    Case("translation cache is a directory", ("run", *PAIR, *TINY, "--cache", "{W}/adir"), 2, "not a regular file"),
    Case("CTranslate2 cache path is a file", ("translate", "{W}/doc.id.txt", "--model", "{M}", "--engine",
                                              "ctranslate2", "--no-cache"), 2, "in the way",
         env={"MTEVAL_CACHE_DIR": "{W}/ct2home"}, needs="ctranslate2"),
    # -- foreign files are refused, unmodified ------------------------------------------------------------
    Case("foreign SQLite as translation cache", ("run", *PAIR, *TINY, "--cache", "{W}/foreign.sqlite"), 2,
         "not an mteval translation cache", ("{W}/foreign.sqlite",)),
    Case("foreign SQLite as embedding cache", ("audit", *PAIR), 2, "not an mteval embedding cache",
         ("{W}/foreign-embeddings/embeddings.sqlite",), env={"MTEVAL_CACHE_DIR": "{W}/foreign-embeddings"}),
    Case("foreign SQLite as audit cache", ("audit", *PAIR), 2, "not an mteval audit cache",
         ("{W}/foreign-audits/audits.sqlite",), env={"MTEVAL_CACHE_DIR": "{W}/foreign-audits"}),
    Case("empty SQLite database with settings as cache", ("run", *PAIR, *TINY, "--cache", "{W}/empty-db.sqlite"), 2,
         "not an mteval translation cache", ("{W}/empty-db.sqlite",)),
    # -- models: what one engine refuses, the other refuses too ---------------------------------------------
    Case("auto_map, transformers", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_auto", "--engine", "transformers",
                                    "--no-cache"), 2, "auto_map"),
    Case("auto_map, ctranslate2", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_auto", "--engine", "ctranslate2",
                                   "--no-cache"), 2, "auto_map", needs="ctranslate2"),
    Case("model_type bert, ctranslate2", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_bert", "--engine",
                                          "ctranslate2", "--no-cache"), 2, "not 'marian'", needs="ctranslate2"),
    Case("model_type bert, transformers", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_bert", "--engine",
                                           "transformers", "--no-cache"), 2, "not 'marian'"),
    Case("sentencepiece file is not one", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_spm", "--engine",
                                           "transformers", "--no-cache"), 2, "not a sentencepiece model"),
    Case("sentencepiece file is not one, ctranslate2", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_spm",
                                                        "--engine", "ctranslate2", "--no-cache"), 2,
         "not a sentencepiece model", needs="ctranslate2"),
    Case("damaged weights", ("translate", "{W}/doc.id.txt", "--model", "{W}/m_weights", "--engine", "transformers",
                             "--no-cache"), 2, "cannot load a Marian model"),
    # -- the gate fails closed ------------------------------------------------------------------------
    Case("candidate score NaN", ("gate", "{W}/bad/nan.json", "--baseline", "{W}/base.json", "--junit", "{W}/g1.xml"), 2,
         "'corpus.sys.whole.bleu.score' is nan", ("{W}/g1.xml",)),
    Case("baseline score NaN", ("gate", "{W}/good/results.json", "--baseline", "{W}/bad/nan.json"), 2,
         "'corpus.sys.whole.bleu.score' is nan"),
    Case("candidate TER -inf", ("gate", "{W}/bad/ter-inf.json", "--baseline", "{W}/base.json"), 2, "'corpus.sys.whole.ter.score' is -inf"),
    Case("nothing in common", ("gate", "{W}/bad/other-metrics.json", "--baseline", "{W}/base.json"), 2,
         "cannot pass on fewer metrics"),
    Case("candidate without COMET", ("gate", "{W}/good/results.json", "--baseline", "{W}/bad/with-comet.json",
                                     "--max-drop", "bleu=1"), 2, "has no comet score"),
    Case("baseline without scores", ("gate", "{W}/good/results.json", "--baseline", "{W}/bad/no-scores.json"), 2,
         "nothing to compare"),
    Case("--alpha -1", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json", "--alpha", "-1"), 2, "--alpha"),
    Case("--alpha 1", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json", "--alpha", "1"), 2, "--alpha"),
    Case("--max-drop inf", ("gate", "{W}/good/results.json", "--baseline", "{W}/base.json", "--max-drop", "bleu=inf"),
         2, "finite, non-negative"),
    Case("gate score null", ("gate", "{W}/bad/score-null.json", "--baseline", "{W}/base.json"), 2,
         "'corpus.sys.whole.bleu.score' is missing"),
    Case("gate score a string", ("gate", "{W}/bad/score-string.json", "--baseline", "{W}/base.json"), 2,
         "should be a number, not str"),
    Case("gate score too large for a float", ("gate", "{W}/bad/score-huge.json", "--baseline", "{W}/base.json"), 2,
         "'corpus.sys.whole.bleu.score' is too large a number"),
    Case("report: an interval bound a string", ("report", "{W}/bad/ci-string.json", "--format", "md"), 2,
         "'corpus.sys.whole.chrf.ci_low' should be a number, not str"),
    Case("gate provenance null", ("gate", "{W}/bad/provenance-null.json", "--baseline", "{W}/base.json"), 2,
         "'results.provenance' is missing"),
    Case("gate documents strings", ("gate", "{W}/bad/documents-strings.json", "--baseline", "{W}/base.json",
                                    "--significant"), 2, "'results.documents[0]' should be an object"),
    Case("gate on a directory", ("gate", "{W}/adir", "--baseline", "{W}/base.json"), 2, "is a directory"),
    Case("gate on a half-written file", ("gate", "{W}/bad/truncated.json", "--baseline", "{W}/base.json"), 2,
         "not valid JSON"),
    Case("system name injecting HTML into the PR comment",
         ("gate", "{W}/bad/html-name.json", "--baseline", "{W}/bad/html-name.json", "--markdown", "{W}/md/gate.md",
          "--junit", "{W}/md/gate.xml"), 0, "", written=(("{W}/md/gate.md", "<img"), ("{W}/md/gate.md", "`<"),
                                                       ("{W}/md/gate.xml", "\x1b"))),
    # -- report on malformed results ---------------------------------------------------------------------
    Case("report: corpus a list", ("report", "{W}/bad/corpus-list.json", "-o", "{W}/r1"), 2,
         "'results.corpus' should be an object, not list"),
    Case("report: documents strings", ("report", "{W}/bad/documents-strings.json", "-o", "{W}/r2"), 2,
         "'results.documents[0]' should be an object"),
    Case("report: score a string", ("report", "{W}/bad/score-string.json", "--format", "md"), 2, "should be a number, not str"),
    Case("report: bead names a sentence that does not exist", ("report", "{W}/bad/bead-out-of-range.json", "-o", "{W}/r3"),
         2, "names sentence 999"),
    Case("baseline of malformed results", ("baseline", "{W}/bad/corpus-list.json", "-o", "{W}/b1.json"), 2,
         "should be an object", ("{W}/b1.json",)),
    # -- options ----------------------------------------------------------------------------------------
    Case("--bootstrap -5", ("run", *PAIR, "--hyp", "sys={W}/hyp.txt", "--no-comet", "--bootstrap", "-5"), 2,
         "--bootstrap must be 0"),
    Case("score -cin -5", ("score", "--hyp", "{W}/hyp.txt", "--ref", "{W}/hyp.txt", "-ci", "-cin", "-5"), 2,
         "must be 0 (no intervals) or a positive number"),
    # -- hostile text is escaped on the terminal ------------------------------------------------------------
    Case("escape sequences in the text", ("audit", "{W}/esc.id.txt", "{W}/doc.en.txt"), 0, "Jakarta \\x1b]0;owned",
         absent=(SECRET, "\x1b", "\x07", "\x9b")),
]


def _fill(value: str, world: Path, model: Path) -> str:
    return value.replace("{W}", str(world)).replace("{M}", str(model))


def _snapshot(paths: list[Path]) -> dict[Path, bytes | None]:
    return {p: (p.read_bytes() if p.is_file() else None) for p in paths}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = dict(os.environ, HF_HUB_OFFLINE="1", **env)
    return subprocess.run([str(BIN / "mteval"), *args], capture_output=True, text=True, env=environment)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, world: Path, tiny_marian: Path):
    if case.needs and not _installed(case.needs):
        pytest.skip(f"{case.needs} is not installed")
    args = [_fill(a, world, tiny_marian) for a in case.args]
    env = {"MTEVAL_CACHE_DIR": str(world / "cache")}
    env.update({k: _fill(v, world, tiny_marian) for k, v in case.env.items()})
    watched = [Path(_fill(p, world, tiny_marian)) for p in case.unchanged]
    before = _snapshot(watched)
    result = _run(args, env)
    assert result.returncode == case.exit, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr
    if case.exit == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert case.message in lines[0], lines[0]
    else:
        assert case.message in result.stdout
    for fragment in case.absent:
        assert fragment not in result.stdout and fragment not in result.stderr, case.name
    assert _snapshot(watched) == before, "an input or foreign file was changed"
    for path, fragment in case.written:
        assert fragment not in Path(_fill(path, world, tiny_marian)).read_text(encoding="utf-8")
    assert not list(world.rglob("*.tmp")), "a temporary file was left behind"


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


# -- faults that need a monkeypatched system call (disk full, read-only, permission) --------------------


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _erofs(*args, **kwargs):
    raise OSError(errno.EROFS, "Read-only file system")


def _eacces_under(directory: Path):
    real_open = os.open

    def fake(path, *args, **kwargs):
        if str(path).startswith(str(directory)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    return fake


FAULTS = [
    # (name, argv, what to patch, patch, message, the output that must stay as it was)
    ("disk full writing results", ["run", *PAIR, *HYP, "--out", "{W}/full"], "os.write", _enospc,
     "the disk is full", "{W}/full/results.json"),
    ("disk full writing a baseline", ["baseline", "{W}/good/results.json", "-o", "{W}/full/baseline.json"], "os.write",
     _enospc, "the disk is full", "{W}/full/baseline.json"),
    ("disk full writing --save-baseline", ["run", *PAIR, *HYP, "--save-baseline", "{W}/full/saved.json"], "os.write",
     _enospc, "the disk is full", "{W}/full/saved.json"),
    ("disk full writing the report", ["report", "{W}/good/results.json", "-o", "{W}/full"], "os.write", _enospc,
     "the disk is full", "{W}/full/index.html"),
    ("disk full writing the gate's Markdown", ["gate", "{W}/good/results.json", "--baseline", "{W}/base.json",
                                               "--markdown", "{W}/full/gate.md"], "os.write", _enospc,
     "the disk is full", "{W}/full/gate.md"),
    ("disk full writing JUnit", ["gate", "{W}/good/results.json", "--baseline", "{W}/base.json", "--junit",
                                 "{W}/full/gate.xml"], "os.write", _enospc, "the disk is full", "{W}/full/gate.xml"),
    ("disk full writing a translation", ["translate", "{W}/doc.id.txt", "--model", "{M}", "--engine", "transformers",
                                         "--beam-size", "1", "--max-length", "8", "-o", "{W}/full/mt.txt"],
     "os.write", _enospc, "the disk is full", "{W}/full/mt.txt"),
    ("read-only report directory", ["run", *PAIR, *HYP, "--report", "{W}/full"], "os.open", "eacces:{W}/full",
     "permission denied", "{W}/full/index.html"),
    ("read-only --out directory", ["run", *PAIR, *HYP, "--out", "{W}/full"], "os.open", "eacces:{W}/full",
     "permission denied", "{W}/full/results.json"),
    ("read-only file system for the cache directory", ["audit", *PAIR], "pathlib.Path.mkdir", _erofs,
     "the file system is read-only", None),
]


@pytest.mark.parametrize("name,argv,target,patch,message,kept", FAULTS, ids=[f[0] for f in FAULTS])
def test_simulated_fault(name, argv, target, patch, message, kept, world, tiny_marian, monkeypatch, capsys, tmp_path):
    from mteval.cli.command import main

    argv = [_fill(a, world, tiny_marian) for a in argv]
    full = world / "full"
    full.mkdir(exist_ok=True)
    kept_path = Path(_fill(kept, world, tiny_marian)) if kept else None
    if kept_path is not None:
        kept_path.write_text("the previous version\n", encoding="utf-8")
    cache = world / "cache" if target != "pathlib.Path.mkdir" else tmp_path / "new" / "cache"
    monkeypatch.setenv("MTEVAL_CACHE_DIR", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    if isinstance(patch, str):
        patch = _eacces_under(Path(_fill(patch.split(":", 1)[1], world, tiny_marian)))
    module, _, attribute = target.rpartition(".")
    owner = __import__("pathlib").Path if module == "pathlib.Path" else __import__(module)
    if target == "os.write":
        _patch_writes_only(monkeypatch, owner, attribute, patch)
    else:
        monkeypatch.setattr(owner, attribute, patch)
    status = main(argv)
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    if kept_path is not None:
        assert kept_path.read_text(encoding="utf-8") == "the previous version\n"
    assert not list(world.rglob("*.tmp"))


def _patch_writes_only(monkeypatch, owner, attribute, patch):
    """Fail writes to regular files only: pytest's own capture and pipes keep working."""
    import stat

    real = getattr(owner, attribute)

    def write(fd, data):
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return patch(fd, data)
        return real(fd, data)

    monkeypatch.setattr(owner, attribute, write)


# -- the test world ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory, example_dir, tiny_marian) -> Path:
    w = tmp_path_factory.mktemp("hostile")
    source = (example_dir / "antara-kominfo-2024.id.txt").read_text(encoding="utf-8")
    reference = (example_dir / "antara-kominfo-2024.en.txt").read_text(encoding="utf-8")
    (w / "doc.id.txt").write_text(source, encoding="utf-8")
    (w / "doc.en.txt").write_text(reference, encoding="utf-8")
    (w / "link-to-source.txt").symlink_to(w / "doc.id.txt")
    (w / "SECRET.txt").write_text(SECRET + "\n", encoding="utf-8")
    from mteval.documents.corpus import DocumentPair

    sentences = DocumentPair.from_texts("doc", source, reference).source_sentences()
    (w / "hyp.txt").write_text("\n".join(s.text for s in sentences) + "\n", encoding="utf-8")
    (w / "afile").write_text("a plain file\n", encoding="utf-8")
    (w / "adir").mkdir()
    (w / "resdir" / "results.json").mkdir(parents=True)
    (w / "ct2home").mkdir()
    (w / "ct2home" / "ct2").write_text("in the way\n", encoding="utf-8")
    (w / "esc.id.txt").write_text(source.replace("Jakarta (ANTARA)", f"Jakarta {ESC}(ANTARA) \x9b31m"), encoding="utf-8")
    _ids(w, source, reference)
    _sqlite_files(w)
    _models(w, tiny_marian)
    (w / "cache").mkdir()
    good = _run(["run", str(w / "doc.id.txt"), str(w / "doc.en.txt"), "--hyp", f"sys={w / 'hyp.txt'}", "--no-comet",
                 "--bootstrap", "10", "--out", str(w / "good")], {"MTEVAL_CACHE_DIR": str(w / "cache")})
    assert good.returncode == 0, good.stderr
    # A translation cache, so that the case writing over it has something to keep.
    from mteval.caches.translations import TranslationCache

    TranslationCache(w / "cache" / "translations.sqlite").put_many("m", "s", {"a": "b"})
    # a streamed run's summary names its documents file; the variants below edit the self-contained form
    from mteval.results.records import Results

    Results.from_json(w / "good" / "results.json").to_json(w / "single.json")
    shutil.copy(w / "single.json", w / "base.json")
    _bad_results(w, json.loads((w / "single.json").read_text(encoding="utf-8")))
    return w


def _ids(w: Path, source: str, reference: str) -> None:
    ids = w / "ids"
    ids.mkdir()
    hyps = w / "hyps"
    hyps.mkdir()
    (hyps / "plain.txt").symlink_to(w / "SECRET.txt")
    for name, doc_id in {"traversal": "../../../../" + str(w / "SECRET").lstrip("/"), "absolute": str(w / "SECRET"),
                         "dotdot": "..", "nul": "doc\x00", "newline": "doc\nid", "escape": f"doc{ESC}",
                         "long": "x" * 10_000, "long-name": "y" * 300, "list": ["a"], "plain": "plain"}.items():
        record = {"id": doc_id, "source": source, "reference": reference}
        (ids / f"{name}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    esc = w / "escdir"
    esc.mkdir()
    (esc / f"a{ESC}.id.txt").write_text(source, encoding="utf-8")
    (esc / f"a{ESC}.en.txt").write_text(reference, encoding="utf-8")


def _sqlite_files(w: Path) -> None:
    import sqlite3

    def foreign(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE users (name TEXT, password TEXT)")
        connection.execute("INSERT INTO users VALUES ('root', 'hunter2')")
        connection.commit()
        connection.close()

    foreign(w / "foreign.sqlite")
    foreign(w / "foreign-embeddings" / "embeddings.sqlite")
    foreign(w / "foreign-audits" / "audits.sqlite")
    connection = sqlite3.connect(w / "empty-db.sqlite")
    connection.execute("PRAGMA user_version = 7")
    connection.commit()
    connection.close()


def _models(w: Path, tiny: Path) -> None:
    for name in ("m_auto", "m_bert", "m_spm", "m_weights"):
        shutil.copytree(tiny, w / name)
    for name, change in (("m_auto", {"auto_map": {"AutoModelForSeq2SeqLM": "evil.Model"}}), ("m_bert", {"model_type": "bert"})):
        config = json.loads((w / name / "config.json").read_text(encoding="utf-8"))
        config.update(change)
        (w / name / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (w / "m_spm" / "source.spm").write_text("not a sentencepiece model", encoding="utf-8")
    weights = w / "m_weights" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:5000])


def _bad_results(w: Path, good: dict) -> None:
    import copy

    bad = w / "bad"
    bad.mkdir()

    def variant(name: str, change) -> None:
        data = copy.deepcopy(good)
        change(data)
        (bad / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")

    whole = lambda d: d["corpus"]["sys"]["whole"]  # noqa: E731
    variant("nan", lambda d: whole(d)["bleu"].update(score=math.nan))
    variant("ter-inf", lambda d: whole(d)["ter"].update(score=-math.inf))
    variant("other-metrics", lambda d: d["corpus"]["sys"].update(whole={"m" + k: v for k, v in whole(d).items()}))
    variant("with-comet", lambda d: whole(d).update(comet={"metric": "comet", "score": 0.8, "signature": "comet", "n_segments": 1}))
    variant("no-scores", lambda d: d["corpus"]["sys"].update(whole={}))
    variant("score-null", lambda d: whole(d)["bleu"].update(score=None))
    variant("score-string", lambda d: whole(d)["bleu"].update(score="high"))
    variant("score-huge", lambda d: whole(d)["bleu"].update(score=10 ** 400))
    variant("ci-string", lambda d: whole(d)["chrf"].update(ci_low="low"))
    variant("provenance-null", lambda d: d.update(provenance=None))
    variant("documents-strings", lambda d: d.update(documents=["doc"]))
    variant("corpus-list", lambda d: d.update(corpus=[]))
    variant("bead-out-of-range", lambda d: d["documents"][0]["audit"]["beads"][0].update(source=[999]))
    name = f"`<img src=x onerror=alert(1)>`{ESC}"
    variant("html-name", lambda d: d.update(corpus={name: d["corpus"]["sys"]}))
    text = (w / "single.json").read_text(encoding="utf-8")
    (bad / "truncated.json").write_text(text[: len(text) // 2], encoding="utf-8")
