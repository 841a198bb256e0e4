from mteval.documents.segment import line_role, split_document, split_lines
from mteval.documents.text import normalise

import pytest


def _example(example_dir, lang):
    return normalise((example_dir / f"antara-kominfo-2024.{lang}.txt").read_text("utf-8"))


@pytest.mark.parametrize("lang, key", [("id", "source_sentences"), ("en", "reference_sentences")])
def test_seed_pair_matches_gold_sentences_and_roles(example_dir, seed_gold, lang, key):
    text = _example(example_dir, lang)
    ours = split_document(text, lang)
    gold = seed_gold[key]
    assert [(s.text, s.role) for s in ours] == [(normalise(g["text"]), g["role"]) for g in gold]
    assert all(text[s.start:s.end] == s.text for s in ours)


def test_missing_space_after_period_is_a_boundary():
    sentences = split_document("Kami minta mereka memperkuat sistemnya.Karena itu penting.", "id")
    assert [s.text for s in sentences] == ["Kami minta mereka memperkuat sistemnya.", "Karena itu penting."]


def test_abbreviations_initials_and_numbers_do_not_split():
    text = "Menurut Prof. Budi dan Dr. Ani, B.J. Habibie lahir di Jl. Sudirman No. 5. Ia presiden."
    assert [s.text for s in split_document(text, "id")] == [
        "Menurut Prof. Budi dan Dr. Ani, B.J. Habibie lahir di Jl. Sudirman No. 5.",
        "Ia presiden.",
    ]
    assert len(split_document("Mr. Smith met Gen. Lee in the U.S. on Monday. Then he left.", "en")) == 2
    assert len(split_document("Sekitar 204.8 juta pemilih. Domain antaranews.com dibuka.", "id")) == 2


def test_quote_with_attribution_stays_one_sentence():
    text = '"Seharusnya tidak ada masalah," kata Usman. Dia pergi.'
    assert [s.text for s in split_document(text, "id")] == ['"Seharusnya tidak ada masalah," kata Usman.', "Dia pergi."]
    text = '"Tidak ada masalah." Kata dia kemudian.'
    assert len(split_document(text, "id")) == 2


@pytest.mark.parametrize(
    "line, role",
    [
        ("Baca juga: Sesuatu terjadi", "related_link"),
        ("Related news: Something happened", "related_link"),
        ("Pewarta: Livia Kristianti", "byline"),
        ("Translator: Livia Kristianti, Raka Adji", "byline"),
        ("Editor: Siti Zulaikha", "byline"),
        ("Copyright © ANTARA 2024", "copyright"),
        ("Editor said the story was ready.", "body"),
    ],
)
def test_line_roles(line, role):
    assert line_role(line) == role


def test_non_body_lines_are_never_split():
    sentences = split_document("Baca juga: Dr. A. Budi. Pergi ke Jakarta. Lalu pulang", "id")
    assert len(sentences) == 1 and sentences[0].role == "related_link"


def test_paragraph_numbers_and_presplit_lines():
    sentences = split_document("Satu. Dua.\n\nTiga.", "id")
    assert [s.paragraph for s in sentences] == [0, 0, 1]
    assert [s.text for s in split_lines("a b\n\nc d. E f.\n")] == ["a b", "c d. E f."]


def test_normalise_handles_bom_crlf_nbsp_and_nfc():
    raw = "\ufeffUsman\u00a0Kansong\r\nCafe\u0301 \r\n"
    assert normalise(raw) == "Usman Kansong\nCafé"


def test_sentencex_cuts_that_fall_inside_a_sentence_are_mended():
    def texts(text, lang):
        return [s.text for s in split_document(text, lang)]

    # an ordinal day before its month (German), a full-width decimal point, a lower-case word after a stop
    assert texts("Herr Dr. Müller sagte am 3. Mai, dass er kommt. Das war gut.", "de") == [
        "Herr Dr. Müller sagte am 3. Mai, dass er kommt.", "Das war gut."]
    assert texts("增长５．３％！这是好消息。", "zh") == ["增长５．３％！", "这是好消息。"]
    assert texts("Это 45 млрд. долл. в год. Хорошо.", "ru") == ["Это 45 млрд. долл. в год.", "Хорошо."]
    # a brand written in lower case first still starts a sentence
    assert texts("Il est venu. iPhone est là.", "fr") == ["Il est venu.", "iPhone est là."]
    # an abbreviated month before its year or day; a full month name before a figure may end a sentence
    assert texts("Le 1er janv. 2020, la loi est entrée en vigueur. Elle change tout.", "fr") == [
        "Le 1er janv. 2020, la loi est entrée en vigueur.", "Elle change tout."]
    assert texts("Op 1 jan. 2020 trad de wet in werking. Alles veranderde.", "nl")[0] == "Op 1 jan. 2020 trad de wet in werking."
    assert texts("Il est parti en mai. 2020 fut difficile.", "fr") == ["Il est parti en mai.", "2020 fut difficile."]


THAI = "นายกรัฐมนตรีเดินทางไปเชียงใหม่เมื่อวันจันทร์ เขาพบกับผู้ว่าราชการจังหวัด การประชุมใช้เวลาสองชั่วโมง"


def test_thai_is_split_by_pythainlp_and_kept_whole_without_it(monkeypatch):
    from mteval.documents import segment

    assert [s.text for s in split_document(THAI, "th")] == THAI.split(" ")
    assert segment.segmentation_rules("th").startswith("pythainlp ")
    monkeypatch.setattr(segment, "_thai_splitter", lambda: None)  # the extra not installed
    assert [s.text for s in split_document(THAI, "th")] == [THAI]
    assert segment.segmentation_rules("th").startswith("sentencex ")


def test_khmer_ends_a_sentence_at_khan_and_burmese_at_its_full_stop():
    from mteval.documents.segment import segmentation_rules

    khmer = "ខ្ញុំស្រឡាញ់ប្រទេសកម្ពុជា។ គាត់ទៅសាលារៀន។"
    assert [s.text for s in split_document(khmer, "km")] == ["ខ្ញុំស្រឡាញ់ប្រទេសកម្ពុជា។", "គាត់ទៅសាលារៀន។"]
    assert "khan" in segmentation_rules("km")
    burmese = "ကျွန်တော် မြန်မာပြည်ကို ချစ်တယ်။ သူ ကျောင်းသွားတယ်။"
    assert len(split_document(burmese, "my")) == 2
