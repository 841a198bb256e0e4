import subprocess
import sys

import pytest

import mteval
from mteval.errors import InputError


def test_audit_can_be_called_again_after_the_subpackages_load(example_dir):
    first = mteval.audit(corpus=example_dir)
    second = mteval.audit(corpus=example_dir)
    assert first.documents[0].audit.beads == second.documents[0].audit.beads
    assert not first.systems and first.documents[0].audit.divergences


def test_keyword_only_and_quiet(example_dir, capsys):
    try:
        mteval.evaluate(example_dir)
    except TypeError:
        pass
    else:
        raise AssertionError("evaluate() must take keyword arguments only")
    mteval.audit(corpus=example_dir)
    assert capsys.readouterr().out == ""


def test_import_is_light():
    code = "import sys, mteval; mteval.load_corpus; print([m for m in ('torch', 'transformers', 'comet', 'pandas') if m in sys.modules])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_every_public_name_resolves():
    # Each name in __all__ is importable from the top-level package, and an unknown one says so.
    for name in mteval.__all__:
        assert getattr(mteval, name) is not None, name
    assert mteval.Corpus.__name__ == "Corpus" and mteval.DocumentPair.__name__ == "DocumentPair"
    try:
        mteval.no_such_name
    except AttributeError as err:
        assert "no_such_name" in str(err)
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_a_negative_sample_count_is_one_sentence(example_dir):
    from mteval.pipeline.settings import EvaluationSettings

    try:
        mteval.evaluate(corpus=example_dir, n_bootstrap=-1)
    except InputError as err:
        assert "n_bootstrap must be 0" in str(err)
    else:
        raise AssertionError("n_bootstrap=-1 must be refused")
    try:
        EvaluationSettings(n_trials=0)
    except InputError as err:
        assert "n_trials (--trials) must be" in str(err)
    else:
        raise AssertionError("n_trials=0 must be refused")


def test_audit_leaves_the_systems_a_corpus_carries_alone(tmp_path):
    # the audit is the pair's: a JSONL corpus with outputs audits as the same documents without them
    import json

    record = {"id": "a", "source": "Menteri datang ke Jakarta pada hari Senin.",
              "reference": "The minister came to Jakarta on Monday.", "systems": {"mt": ["The minister came."]}}
    with_systems = tmp_path / "with.jsonl"
    with_systems.write_text(json.dumps(record) + "\n", encoding="utf-8")
    without = tmp_path / "without.jsonl"
    without.write_text(json.dumps({k: v for k, v in record.items() if k != "systems"}) + "\n", encoding="utf-8")
    audited, plain = mteval.audit(corpus=with_systems), mteval.audit(corpus=without)
    assert not audited.systems and not audited.corpus
    assert audited.documents[0].audit.divergences == plain.documents[0].audit.divergences


def test_in_memory_line_parallel_sides_and_system_lists_are_checked(tmp_path):
    run = dict(line_parallel=True, metrics=("bleu",), n_bootstrap=0)
    lines = ["Saya makan nasi.", "Dia minum teh."]
    english = ["I eat rice.", "She drinks tea."]
    with pytest.raises(InputError, match="source= has 2 lines but reference= has 3 lines"):
        mteval.evaluate(source=lines, reference=english + ["An extra line."], hypotheses={"A": english}, **run)
    # a file's last line end closes its last line, as sacrebleu reads it, beside a list as beside a file
    (tmp_path / "ref.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    from_file = mteval.evaluate(source=lines, reference=tmp_path / "ref.txt", hypotheses={"A": english}, **run)
    from_list = mteval.evaluate(source=lines, reference=english, hypotheses={"A": english}, **run)
    assert len(from_file.documents[0].segments) == 2
    assert from_file.score("A", "bleu") == from_list.score("A", "bleu")
    with pytest.raises(InputError, match="has 2 lines but reference= has 3"):
        mteval.evaluate(source=tmp_path / "ref.txt", reference=english + ["x"], hypotheses={"A": english}, **run)
    # system outputs: strings only, a tuple as a list, a mapping of names
    with pytest.raises(InputError, match="must hold strings, not int"):
        mteval.evaluate(source=lines, reference=english, hypotheses={"A": [english[0], 42]}, **run)
    assert mteval.evaluate(source=lines, reference=english, hypotheses={"A": tuple(english)}, **run).score(
        "A", "bleu") == from_list.score("A", "bleu")
    with pytest.raises(InputError, match="not generator"):
        mteval.evaluate(source=lines, reference=english, hypotheses={"A": (line for line in english)}, **run)
    with pytest.raises(InputError, match="hypotheses= maps each system's name"):
        mteval.evaluate(source=lines, reference=english, hypotheses=[english], **run)
