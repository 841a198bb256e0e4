"""Any language pair: codes, segmentation, provenance, and German/French/Chinese/Malay documents through audit and run."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _language_samples import SENTENCES, TEXTS
from mteval.documents.corpus import DocumentPair
from mteval.documents.languages import base_language, standard_language
from mteval.documents.segment import segmentation_rules, split_document
from mteval.errors import InputError

BIN = Path(sys.executable).parent
SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXTBERG = SHARED / "data" / "textberg-dev"


def mteval(*args, stdin=subprocess.DEVNULL):
    environment = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([str(BIN / "mteval"), *map(str, args)], capture_output=True, text=True, env=environment,
                          stdin=stdin)


@pytest.mark.parametrize("code, standard, base", [
    ("de", "de", "de"), ("deu", "de", "de"), ("ger", "de", "de"), ("fra", "fr", "fr"), ("zh_CN", "zh-CN", "zh"),
    ("cmn", "zh", "zh"), ("zsm", "ms", "ms"), ("ind", "id", "id"), ("pt-BR", "pt-BR", "pt"), ("EN", "en", "en"),
])
def test_iso_639_and_bcp_47_codes_are_standardised(code, standard, base):
    assert standard_language(code) == standard
    assert base_language(code) == base


@pytest.mark.parametrize("code", ["xx", "", "english", "en-", "123"])
def test_an_invalid_code_is_one_sentence(code):
    with pytest.raises(InputError, match="Unknown language code"):
        standard_language(code)


@pytest.mark.parametrize("lang", ["de", "fr", "zh", "ms"])
def test_each_language_is_split_by_its_own_rules(lang):
    text = TEXTS[lang]
    sentences = split_document(text, lang)
    assert [s.text for s in sentences] == SENTENCES[lang]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_which_rules_run_is_named():
    assert segmentation_rules("id") == "mteval rules (id)"
    assert segmentation_rules("ms") == "mteval rules (id)"  # Malay shares the Indonesian rules
    assert segmentation_rules("deu").startswith("sentencex ") and segmentation_rules("deu").endswith("(de) + joins")


def test_indonesian_rules_were_wrong_for_german():
    # what declaring German as Indonesian did: the date cut in two, "Ärzte" not a sentence start
    wrong = [s.text for s in split_document(TEXTS["de"], "id")]
    assert wrong != SENTENCES["de"]


def test_presplit_and_line_parallel_need_no_segmenter():
    doc = DocumentPair.from_texts("x", "Eins.\nZwei.", "Un.\nDeux.", source_lang="gsw", reference_lang="fr-CH",
                                  presplit=True)
    assert [s.text for s in doc.source_sentences()] == ["Eins.", "Zwei."]
    assert doc.source_lang == "gsw" and doc.reference_lang == "fr-CH"


def _pair_files(tmp_path, source_lang, reference_lang):
    source = tmp_path / f"doc.{source_lang}.txt"
    reference = tmp_path / f"doc.{reference_lang}.txt"
    source.write_text(TEXTS[source_lang], encoding="utf-8")
    reference.write_text(TEXTS[reference_lang], encoding="utf-8")
    return source, reference


@pytest.mark.parametrize("source_lang, reference_lang", [("de", "fr"), ("en", "zh"), ("ms", "en"), ("fr", "de")])
def test_audit_of_document_pairs_in_other_languages(tmp_path, source_lang, reference_lang):
    source, reference = _pair_files(tmp_path, source_lang, reference_lang)
    result = mteval("audit", source, reference, "--src-lang", source_lang, "--ref-lang", reference_lang, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["text"] for s in data["source_sentences"]] == SENTENCES.get(source_lang, [
        s.text for s in split_document(TEXTS[source_lang], source_lang)])
    assert len(data["reference_sentences"]) == 5
    assert [(b["source"], b["reference"]) for b in data["alignment"]] == [([i], [i]) for i in range(5)]
    assert data["warnings"] == []


def test_a_japanese_reference_is_audited_without_mecab(tmp_path):
    """The audit scores nothing, so BLEU's Japanese tokenizer (MeCab, an extra) must not be needed for it."""
    source, reference = tmp_path / "doc.en.txt", tmp_path / "doc.ja.txt"
    source.write_text("The government approved the plan on Sunday. Doctors welcomed it.\n", encoding="utf-8")
    reference.write_text("政府は日曜日に計画を承認した。医師たちはそれを歓迎した。\n", encoding="utf-8")
    result = mteval("audit", source, reference, "--src-lang", "en", "--ref-lang", "ja", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["reference_sentences"]) == 2


def test_run_on_german_french_with_precomputed_output(tmp_path):
    source, reference = _pair_files(tmp_path, "de", "fr")
    hyp = tmp_path / "hyp.fr"
    hyp.write_text("\n".join(SENTENCES["fr"]) + "\n", encoding="utf-8")
    result = mteval("run", source, reference, "-l", "de-fr", "--hyp", f"copy={hyp}", "--no-comet", "--bootstrap", "0",
                    "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["corpus"]["copy"]["whole"]["bleu"]["score"] == pytest.approx(100.0)
    assert data["documents"][0]["source_lang"] == "de" and data["documents"][0]["reference_lang"] == "fr"
    segmentation = data["provenance"]["segmentation"]
    assert segmentation["source"]["de"].startswith("sentencex") and segmentation["reference"]["fr"].startswith("sentencex")


def test_run_into_chinese_tokenises_bleu_for_chinese(tmp_path):
    source, reference = _pair_files(tmp_path, "en", "zh")
    hyp = tmp_path / "hyp.zh"
    hyp.write_text("政府周日通过了医院新规定。\n医生欢迎这一计划，但担心人手不足。\n凯勒博士说改革来得太晚。\n"
                   "费用为25亿欧元。\n融资问题三月讨论。\n", encoding="utf-8")
    result = mteval("run", source, reference, "--src-lang", "en", "--ref-lang", "zh", "--hyp", f"mt={hyp}",
                    "--no-comet", "--bootstrap", "0", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    bleu = data["corpus"]["mt"]["whole"]["bleu"]
    assert "tok:zh" in bleu["signature"] and bleu["score"] > 20


def test_run_on_malay_uses_the_indonesian_rules(tmp_path):
    source, reference = _pair_files(tmp_path, "ms", "en")
    hyp = tmp_path / "hyp.en"
    hyp.write_text("\n".join(s.text for s in split_document(TEXTS["en"], "en")) + "\n", encoding="utf-8")
    result = mteval("run", source, reference, "--src-lang", "zsm", "--ref-lang", "en", "--hyp", f"mt={hyp}",
                    "--no-comet", "--bootstrap", "0", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["provenance"]["segmentation"]["source"] == {"ms": "mteval rules (id)"}
    assert data["corpus"]["mt"]["whole"]["bleu"]["score"] == pytest.approx(100.0)


def test_unknown_language_code_is_refused_in_one_sentence(tmp_path):
    source, reference = _pair_files(tmp_path, "de", "fr")
    for command in ("audit", "run"):
        result = mteval(command, source, reference, "--src-lang", "xx", "--no-comet" if command == "run" else "--json")
        assert result.returncode == 2
        assert result.stderr.strip().count("\n") == 0 and "Unknown language code 'xx'" in result.stderr


@pytest.mark.skipif(not (TEXTBERG / "dev.de").exists(), reason="Text+Berg dev set not in shared/")
def test_textberg_german_french_presplit_audit_runs(tmp_path):
    # the first 60 lines of each side keep the test short; the README shows the whole file
    source, reference = tmp_path / "dev.de", tmp_path / "dev.fr"
    source.write_text("".join((TEXTBERG / "dev.de").read_text("utf-8").splitlines(True)[:60]), encoding="utf-8")
    reference.write_text("".join((TEXTBERG / "dev.fr").read_text("utf-8").splitlines(True)[:60]), encoding="utf-8")
    result = mteval("audit", source, reference, "--presplit", "--src-lang", "de", "--ref-lang", "fr", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["source_sentences"]) == 60 and data["warnings"] == []


def test_audit_json_names_the_splitter_of_each_side(tmp_path):
    (tmp_path / "th.txt").write_text("แมวนั่งอยู่บนเสื่อ วันนี้อากาศดีมากในกรุงเทพ ประธานาธิบดีพูดกับนักข่าวเมื่อวันจันทร์ที่ผ่านมา\n",
                                     encoding="utf-8")
    (tmp_path / "en.txt").write_text("The cat sat on the mat. The weather is very nice in Bangkok today. The president "
                                     "spoke to reporters last Monday.\n", encoding="utf-8")
    result = mteval("audit", tmp_path / "th.txt", tmp_path / "en.txt", "--src-lang", "th", "--ref-lang", "en", "--json")
    assert result.returncode == 0, result.stderr
    audit = json.loads(result.stdout)
    assert len(audit["source_sentences"]) == 3
    segmentation = audit["provenance"]["segmentation"]
    assert segmentation["source"]["th"].startswith("pythainlp ") and segmentation["reference"]["en"] == "mteval rules (en)"
