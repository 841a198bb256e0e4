import subprocess
import sys

import mteval


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
