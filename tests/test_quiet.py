"""COMET's import and checkpoint loading print nothing a user cannot act on; logging is left as found."""
import subprocess
import sys
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

PROGRAM = """
import glob, logging, sys
from mteval.metrics.quiet import quiet_third_party
quiet = sys.argv[1] == "quiet"
checkpoints = glob.glob(sys.argv[2] + "/**/*.ckpt", recursive=True)
if quiet:
    with quiet_third_party():
        from comet import load_from_checkpoint
        if checkpoints:
            load_from_checkpoint(checkpoints[0])
    assert logging.getLogger().handlers == [], "the root logger was left configured"
    logging.getLogger("mine").warning("own warnings still show")
else:
    from comet import load_from_checkpoint
    if checkpoints:
        load_from_checkpoint(checkpoints[0])
"""


def _run(mode: str) -> str:
    result = subprocess.run([sys.executable, "-c", PROGRAM, mode, str(ARTIFACTS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_comet_import_and_loading_are_quiet():
    loud = _run("loud")
    assert "pkg_resources" in loud  # what users saw on every run
    assert _run("quiet").strip() == "own warnings still show"
