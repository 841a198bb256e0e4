"""A side that looks like another language than declared gets one clear warning (py3langid)."""
from pathlib import Path

import pytest

from mteval.documents.language_check import identify_language, language_warning, language_warnings

TEXTBERG = Path(__file__).resolve().parents[2] / "shared" / "data" / "textberg-dev"
needs_textberg = pytest.mark.skipif(not (TEXTBERG / "dev.de").exists(), reason="Text+Berg dev set not in shared/")

MALAY = ("Kerajaan Malaysia telah mengumumkan bahawa rakyat akan menerima bantuan tunai tahun ini. "
         "Menteri Kewangan berkata peruntukan itu akan disalurkan melalui agensi kerajaan negeri. "
         "Beliau menjelaskan bahawa permohonan boleh dibuat secara dalam talian mulai bulan hadapan.")


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_declared_languages_of_real_text_pass(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    reference = _lines(example_dir / "antara-kominfo-2024.en.txt")
    assert language_warnings(source, reference, "id", "en") == []
    assert language_warnings(source, reference, "ind", "en-GB") == []


@needs_textberg
def test_german_and_french_are_judged_as_declared():
    german, french = _lines(TEXTBERG / "dev.de")[:40], _lines(TEXTBERG / "dev.fr")[:40]
    assert language_warnings(german, french, "de", "fr") == []
    assert "looks like German, not French" in language_warning(german, "fr", side="reference")


def test_reference_in_the_source_language_is_named(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    warnings = language_warnings(source, source, "id", "en", doc_id="kominfo")
    assert len(warnings) == 1
    assert warnings[0].startswith("The reference of document 'kominfo' looks like Indonesian, not English")
    assert identify_language(" ".join(source))[0] == "id"


def test_swapped_files_warn_on_both_sides(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    reference = _lines(example_dir / "antara-kominfo-2024.en.txt")
    warnings = language_warnings(reference, source, "id", "en")
    assert [w.split(" looks like ")[0] for w in warnings] == ["The source", "The reference"]


def test_close_neighbours_are_not_blamed(example_dir):
    source = _lines(example_dir / "antara-kominfo-2024.id.txt")
    assert language_warning([MALAY], "ms", side="source") is None
    assert language_warning([MALAY], "id", side="source") is None  # too close to tell apart reliably
    assert language_warning(source, "ms", side="source") is None
    assert "not English" in language_warning([MALAY], "en", side="source")
    chinese = ["我们今天去市场买菜。天气很好，很多人都出来散步。"] * 6
    assert language_warning(chinese, "zh", side="reference") is None
    assert "looks like Chinese, not Japanese" in language_warning(chinese, "ja", side="reference")


def test_a_pair_of_neighbours_is_sure_together_and_han_text_is_judged_sooner():
    # the identifier gives this Malay about 0.84 Indonesian, 0.16 Malay: not a mistake for English either way
    malay = ["Perdana Menteri Anwar Ibrahim berkata kerajaan akan membina 34 buah sekolah baharu pada tahun ini.",
             "Beliau menambah bahawa kosnya ialah RM1.2 bilion.",
             "Menteri Pendidikan Fadhlina Sidek melawat Kuala Lumpur pada hari Selasa."]
    assert "not English" in language_warning(malay, "en", side="reference")
    assert language_warning(malay, "ms", side="reference") is None
    # four short Chinese sentences: about forty characters, more text than forty Latin letters
    chinese = ["我们今天去市场买菜。", "天气很好，很多人出来散步。", "他说这个问题很重要。", "会议明天开始。"]
    assert "looks like Chinese, not Japanese" in language_warning(chinese, "ja", side="reference")


@pytest.mark.parametrize("declared", ["en", "tlh"])
def test_too_little_text_or_an_unknown_language_is_not_judged(declared):
    assert language_warning(["Menteri bertemu petani di Bogor."], "en", side="reference") is None
    long_indonesian = ["Menteri Pertanian bertemu dengan para petani di Bogor untuk membahas harga pupuk."] * 4
    if declared == "tlh":  # Klingon: a valid code the identifier does not know
        assert language_warning(long_indonesian, declared, side="reference") is None
    else:
        assert language_warning(long_indonesian, declared, side="reference")
