"""A side that looks like another language than declared gets one clear warning."""
from pathlib import Path

from mteval.documents.language_check import function_word_shares, language_warning, language_warnings

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_declared_languages_of_real_text_pass(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    reference = _lines(example_dir / "antara-kominfo-2024.en.txt")
    assert language_warnings(source, reference, "id", "en") == []
    textberg = SHARED / "data" / "textberg-dev"
    assert language_warnings(_lines(textberg / "dev.de")[:40], _lines(textberg / "dev.fr")[:40], "de", "fr") == []


def test_reference_in_the_source_language_is_named(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    warnings = language_warnings(source, source, "id", "en", doc_id="kominfo")
    assert len(warnings) == 1
    assert warnings[0].startswith("The reference of document 'kominfo' looks like Indonesian, not English")
    shares = function_word_shares(" ".join(source))
    assert max(shares, key=shares.get) == "id"


def test_swapped_files_warn_on_both_sides(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    reference = _lines(example_dir / "antara-kominfo-2024.en.txt")
    warnings = language_warnings(reference, source, "id", "en")
    assert [w.split(" looks like ")[0] for w in warnings] == ["The source", "The reference"]


def test_too_little_text_or_unprofiled_language_is_not_judged():
    assert language_warning(["Menteri bertemu petani di Bogor."], "en", side="reference") is None
    assert language_warning(["yang dan di ini itu dengan untuk dari dalam tidak"] * 5, "ja", side="reference") is None
    assert language_warning(["yang dan di ini itu dengan untuk dari dalam tidak"] * 5, "en-GB", side="reference")
