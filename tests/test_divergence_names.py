"""Names across languages on short hand-made pairs (no benchmark data, no model)."""
from __future__ import annotations

import zlib

import numpy as np

from _audit_fixtures import HashEmbedder
from mteval.documents.segment import Sentence
from mteval.pair_audit.divergences.detect import audit_pair
from mteval.pair_audit.divergences.names import (find_names, form_match, is_headline, make_name, match_names,
                                                 names_match, similar_spelling)


def one(text: str, lang: str, other: str):
    found = find_names(text, lang, other)
    assert len(found) == 1, found
    return found[0]


def test_translated_country_names_match_through_cldr():
    pairs = [("Kapal itu berlayar ke Amerika Serikat kemarin.", "id", "The ship sailed to the United States.", "en"),
             ("Pasukan Korea Utara bergerak.", "id", "North Korean troops moved.", "en"),
             ("Ia tiba di Makedonia Utara pada malam hari.", "id", "He arrived in North Macedonia at night.", "en"),
             ("Para menteri Uni Eropa bertemu.", "id", "European Union ministers met.", "en")]
    for src, sl, ref, rl in pairs:
        name = one(src, sl, rl)
        assert form_match(name, sl, ref, rl), name.text
        assert not form_match(name, sl, "The ship sailed to Brazil.", rl), name.text


def test_acronyms_count_as_counterparts():
    un = one("Sekjen meminta Perserikatan Bangsa-Bangsa bertindak.", "id", "en")
    assert form_match(un, "id", "The secretary general asked the UN to act.", "en")
    us = one("Juru bicara itu menyebut Amerika Serikat sekutu.", "id", "en")
    assert form_match(us, "id", "The spokesman called the US an ally.", "en")
    # "AS" is the initials of Amerika Serikat, Amerika Selatan, Arab Saudi and Afrika Selatan: it stands
    # for the one English abbreviates too ("US")
    for text, copied in (("The United States invested in the project.", True),
                         ("Saudi Arabia invested in the project.", False),
                         ("Officials said South Africa invested in the project.", False)):
        name = one(text, "en", "id")
        assert form_match(name, "en", "Investasi itu bernilai 352 juta dolar AS.", "id") is copied, text
    bps = one("Data dari Badan Pusat Statistik (BPS) menunjukkan kenaikan.", "id", "en")
    assert bps.acronym == "BPS"
    assert form_match(bps, "id", "Data from the Central Bureau of Statistics BPS show a rise.", "en")
    who = one("The report of the World Health Organization came out.", "en", "id")
    assert form_match(who, "en", "Laporan WHO sudah terbit.", "id")
    assert not form_match(who, "en", "Laporan itu sudah terbit.", "id")


def test_transliteration_and_adjective_endings():
    party = one("Ketua Partai Demokrat berbicara.", "id", "en")
    assert form_match(party, "id", "The chairman of the Democrat Party spoke.", "en")
    person = one("Mereka mengutip Todd Vician dalam laporan.", "id", "en")
    assert form_match(person, "id", "They quoted Todd Vician in the report.", "en")
    assert not form_match(person, "id", "They quoted Tony Blair in the report.", "en")
    # Indonesian spellings of Arabic names: "sy" for sh, "sh" for the emphatic s
    mosque = one("Mereka berdoa di Masjid Al-Aqsha kemarin.", "id", "en")
    assert form_match(mosque, "id", "They prayed at the Al Aqsa mosque yesterday.", "en")
    assert not similar_spelling("bangla", "bangladesh") and similar_spelling("revolusi", "revolutionary")
    # vowels of long transliterated names ("Hizbullah"/"Hezbollah"), not of short ones ("Hasan"/"Husin")
    assert similar_spelling("hizbullah", "hezbollah") and not similar_spelling("hasan", "husin")
    # Indonesian writes a Dutch or Slavic v as w ("Jawa"/"Java", "Slowakia"/"Slovakia")
    assert similar_spelling("jawa", "java") and similar_spelling("slowakia", "slovakia")
    assert not similar_spelling("jawa", "jaya")


def test_headlines_and_all_caps_lines_have_no_names():
    for text, lang in (("Air Traffic Controller Dies To Ensure Hundreds Survive", "en"),
                       ("Itu Sangat Mengerikan", "id"), ("Is Very Bad", "en"),
                       ("Water Cannot be Converted into Hydrocarbon.", "en")):
        assert is_headline(text, lang), text
        assert find_names(text, lang, "id" if lang == "en" else "en") == []
    # country names are capitalised in running text: a list of them is not title case
    countries = "Keanggotaan SAARC dimulai dengan Bangladesh, Bhutan, India, Maldives, Nepal, Pakistan dan Sri Lanka."
    assert not is_headline(countries, "id")
    assert [n.text for n in find_names(countries, "id", "en")] == ["Sri Lanka"]
    assert is_headline("Indonesia Dan Malaysia Sepakat Kerja Sama", "id")
    # a byline's list of names is not a headline
    assert not is_headline("Editor: Yuni Arisandy Sinaga", "en")
    assert [n.text for n in find_names("Editor: Yuni Arisandy Sinaga", "en", "id")] == ["Yuni Arisandy Sinaga"]


def test_an_abbreviated_month_before_a_capitalised_word_is_a_given_name():
    assert [n.text for n in find_names("Pengadilan menghukum Jan Hilarius, pendiri De Einder.", "id", "en")] == \
        ["Jan Hilarius", "De Einder"]
    assert [n.text for n in find_names("He said Defence Secretary Des Browne would visit the troops.", "en", "id")] == \
        ["Defence Secretary", "Des Browne"]
    # a date, and a full month name opening the sentence's subject, stay calendar words
    assert [n.text for n in find_names("Rapat itu pada 5 Jan Presiden Joko Widodo hadir.", "id", "en")] == \
        ["Presiden Joko Widodo"]
    assert [n.text for n in find_names("Sejak Maret Bank Indonesia menaikkan bunga.", "id", "en")] == ["Bank Indonesia"]


def test_a_connector_does_not_join_names_across_punctuation():
    text = "We do not know why, said Ousmane Souare, of the Syndicated Union of Workers of Guinea, one of them."
    assert [n.text for n in find_names(text, "en", "id")] == ["Ousmane Souare", "Syndicated Union of Workers of Guinea"]


def test_sentence_initial_common_words_and_title_words_are_not_the_name():
    names = [n.text for n in find_names("Pemain Skotlandia itu dipuji oleh pelatih Alan Johnson di sana.", "id", "en")]
    assert not any(n.startswith("Pemain") for n in names)
    assert "Alan Johnson" in names
    split = [n.text for n in find_names("Hal itu disampaikan Sekretaris Kesehatan Alan Johnson kemarin.", "id", "en")]
    assert split == ["Sekretaris Kesehatan", "Alan Johnson"]


def test_personal_names_are_never_matched_by_embedding():
    class Same:
        """An embedder that finds everything identical (as e5 nearly does for any two personal names)."""
        name, version = "test/same", "1"

        def encode(self, texts):
            return np.ones((len(texts), 4), np.float32) / 2.0

    src = find_names("Editor: Siti Zulaikha", "id", "en")
    ref = find_names("Editor: Yuni Arisandy Sinaga", "en", "id")
    miss_s, miss_r = match_names(src, ref, "Editor: Siti Zulaikha", "Editor: Yuni Arisandy Sinaga", "id", "en", Same())
    assert [n.text for n in miss_s] == ["Siti Zulaikha"] and [n.text for n in miss_r] == ["Yuni Arisandy Sinaga"]


class Lexicon:
    """Texts of one meaning share a vector; any other text gets its own seeded random direction, nearly
    orthogonal to the rest (a stand-in for a real embedder)."""
    name, version = "test/lexicon", "1"
    MEANINGS = {"Palang Merah": "red cross", "Red Cross": "red cross", "Red Crescent": "red cross",
                "Gedung Putih": "white house", "White House": "white house"}

    def __init__(self, **extra):
        self.meanings = {**self.MEANINGS, **extra}

    def encode(self, texts):
        out = []
        for t in texts:
            v = np.random.default_rng(zlib.crc32(self.meanings.get(t, t).encode())).standard_normal(64)
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, np.float32)


def test_translated_names_matched_by_embedding_with_a_margin():
    src_text = "Relawan Palang Merah datang ke lokasi bencana."
    ref_text = "Red Cross volunteers came to the disaster site."
    src, ref = find_names(src_text, "id", "en"), find_names(ref_text, "en", "id")
    assert src[0].translated and not src[0].personal
    assert match_names(src, ref, src_text, ref_text, "id", "en", Lexicon()) == ([], [])
    # without an embedder the translated name has no counterpart
    miss_s, miss_r = match_names(src, ref, src_text, ref_text, "id", "en", None)
    assert miss_s and miss_r
    # another name of the bead just as close removes the margin
    ref_text = "Red Cross and Red Crescent volunteers came to the disaster site."
    ref = find_names(ref_text, "en", "id")
    assert [n.text for n in match_names(src, ref, src_text, ref_text, "id", "en", Lexicon())[0]] == ["Palang Merah"]


def test_translated_names_matched_word_by_word():
    src_text = "Para pejabat dari Mahkamah Agung bertemu di kota itu."
    ref_text = "Officials from the Supreme Court met in the city."
    src, ref = find_names(src_text, "id", "en"), find_names(ref_text, "en", "id")
    # the two name strings are far apart; their words are mutual nearest neighbours
    words = Lexicon(mahkamah="court", court="court", agung="supreme", supreme="supreme")
    assert match_names(src, ref, src_text, ref_text, "id", "en", Lexicon()) == (src, ref)
    assert match_names(src, ref, src_text, ref_text, "id", "en", words) == ([], [])
    # half the words of the two names paired is enough ("Departemen" / "Indonesian ... Ministry")
    half = Lexicon(agung="supreme", supreme="supreme")
    assert match_names(src, ref, src_text, ref_text, "id", "en", half) == ([], [])
    # a personal name is never paired by embedding, word by word neither
    src_text, ref_text = "Hal itu kata Siti Zulaikha kemarin.", "That was said by Yuni Arisandy yesterday."
    src, ref = find_names(src_text, "id", "en"), find_names(ref_text, "en", "id")
    assert src[0].personal and ref[0].personal
    same = Lexicon(siti="x", yuni="x", zulaikha="y", arisandy="y")
    assert match_names(src, ref, src_text, ref_text, "id", "en", same) == (src, ref)


def test_words_that_cldr_names_translate_pair_place_names():
    from mteval.pair_audit.divergences.names import cldr_word_translations

    # "Korea Utara" / "North Korea", "Amerika Tengah" / "Central America", "Sahara Barat" / "Western Sahara"
    glossary = cldr_word_translations("id", "en")
    assert {("utara", "north"), ("tengah", "central"), ("barat", "western")} <= glossary
    # the embedder knows nothing here: the words pair through CLDR (and "Barat" / "West" by its ending)
    for src_text, ref_text in (("Gubernur Jawa Tengah datang kemarin.", "The governor of Central Java came yesterday."),
                               ("Pasukan itu masuk ke Tepi Barat kemarin.", "The troops entered the West Bank yesterday.")):
        src, ref = find_names(src_text, "id", "en"), find_names(ref_text, "en", "id")
        assert match_names(src, ref, src_text, ref_text, "id", "en", Lexicon()) == ([], [])
    # a compass point alone does not make two places one
    src_text, ref_text = "Gubernur Jawa Tengah datang kemarin.", "The governor of Central Sulawesi came yesterday."
    src, ref = find_names(src_text, "id", "en"), find_names(ref_text, "en", "id")
    assert match_names(src, ref, src_text, ref_text, "id", "en", Lexicon()) == (src, ref)


def test_names_match_for_the_three_way_mt_checks():
    assert names_match("Amerika Serikat", "The United States said no.", "id", "en")
    assert names_match("Todd Vician", "Todd Vician said so.", "id", "en")
    assert not names_match("Todd Vician", "Tony Blair said so.", "id", "en")
    assert names_match("Palang Merah", "The Red Cross said so.", "id", "en", embedder=Lexicon())
    assert not names_match("Palang Merah", "The Red Cross said so.", "id", "en")


def S(texts):
    return [Sentence(t) for t in texts]


def test_audit_flags_a_replaced_person_but_not_a_translated_country():
    src = S(["Menteri Luar Negeri bertemu Todd Vician di Jakarta pada hari Senin.",
             "Kapal itu kemudian berlayar ke Amerika Serikat dengan muatan beras."])
    ref = S(["The foreign minister met Tony Blair in Jakarta on Monday.",
             "The ship then sailed to the United States carrying rice."])
    emb = HashEmbedder()
    both = emb.encode(["minister met jakarta monday", "ship sailed carrying rice"])
    audit = audit_pair(src, ref, embedder=emb, source_embeddings=both, reference_embeddings=both)
    ent = [d for d in audit.divergences if d.kind == "entity_mismatch"]
    assert len(ent) == 1 and ent[0].severity == "major"
    assert {"Todd Vician", "Tony Blair"} <= {s.text for s in ent[0].spans}
    assert not any("Amerika" in s.text or "United" in s.text for s in ent[0].spans)


def test_a_replaced_name_that_the_document_copies_elsewhere_is_a_major_mismatch():
    """"Bank Indonesia" and "Marshall Islands" are both made of translatable words, so their mismatch
    alone is minor; where the English writes "Bank Indonesia" in another sentence, it was replaced."""
    replaced = ("Menurut Bank Indonesia, inflasi akan turun tahun depan.",
                "According to Marshall Islands, inflation will fall next year.")

    def mismatches(first, emb=None):
        emb = emb or Lexicon()
        vec = emb.encode(["rate thursday", "inflation fall"])
        audit = audit_pair(S([first[0], replaced[0]]), S([first[1], replaced[1]]), embedder=emb,
                           source_embeddings=vec, reference_embeddings=vec)
        return [(d.severity, {s.text for s in d.spans}) for d in audit.divergences
                if d.kind == "entity_mismatch"]

    copied = ("Bank Indonesia menaikkan suku bunga acuan pada hari Kamis.",
              "Bank Indonesia raised its rate on Thursday.")
    assert mismatches(copied) == [("major", {"Bank Indonesia", "Marshall Islands"})]
    paraphrased = ("Bank sentral menaikkan suku bunga acuan pada hari Kamis.",
                   "The central bank raised its rate on Thursday.")
    assert mismatches(paraphrased) == [("minor", {"Bank Indonesia", "Marshall Islands"})]
    # names of one kind are close under a real embedder; one the document copies is not matched that way
    close = Lexicon(**{"Bank Indonesia": "organisation", "Marshall Islands": "organisation"})
    assert mismatches(paraphrased, close) == []
    assert mismatches(copied, close) == [("major", {"Bank Indonesia", "Marshall Islands"})]


def test_a_person_inside_a_matched_name_is_checked_when_the_other_side_has_a_new_person():
    from mteval.pair_audit.divergences.names import text_words, unmatched_person

    def audit(src_text, ref_text):
        emb = HashEmbedder()
        vec = emb.encode(["rating statement"])
        return audit_pair(S([src_text]), S([ref_text]), embedder=emb, source_embeddings=vec, reference_embeddings=vec)

    # "Pefindo Ananta Wiyogo" has a counterpart through "Pefindo"; the person in it does not
    src = "Peringkat itu diberikan, kata Direktur Utama Pefindo Ananta Wiyogo di Jakarta."
    ent = [d for d in audit(src, "The rating was given, Pefindo director Ashur Wasif said.").divergences
           if d.kind == "entity_mismatch"]
    assert len(ent) == 1 and ent[0].severity == "major"
    assert {s.text for s in ent[0].spans} == {"Ananta Wiyogo", "Ashur Wasif"}
    assert not [d for d in audit(src, "The rating was given, Pefindo director Ananta Wiyogo said.").divergences
                if d.kind == "entity_mismatch"]
    # titles are translatable words, not a person; a surname kept in English is a counterpart
    name = next(n for n in find_names(src, "id", "en") if "Pefindo" in n.text)
    assert name.text == "Pefindo Ananta Wiyogo"
    part = unmatched_person(name, "id", "en", text_words("Pefindo director Ashur Wasif said."))
    assert part is not None and name.text[part[0]:part[1]] == "Ananta Wiyogo"
    assert unmatched_person(name, "id", "en", text_words("Pefindo director Wiyogo said.")) is None
    assert not [d for d in audit("Pada hari itu Presiden Susilo Bambang Yudhoyono hadir di acara tersebut.",
                                 "That day President Yudhoyono attended the event.").divergences
                if d.kind == "entity_mismatch"]


def test_syllable_abbreviations_of_offices_are_written_out():
    from mteval.pair_audit.divergences.abbreviations import expand, expand_text

    assert expand("Depkeu", "id") == "Departemen Keuangan"
    assert expand("Dirjen", "id") == "Direktur Jenderal" and expand("Ditjen", "id") == "Direktorat Jenderal"
    assert expand("Kapolri", "id") == "Kepala Polisi Republik Indonesia"
    # names English writes, short strings the word list does not know, all-caps and other languages: kept
    assert expand("Kahan", "id") is None and expand("Katan", "id") is None
    assert expand("DEPKEU", "id") is None and expand("Depkeu", "en") is None
    assert expand_text("kata Menkeu Sri Mulyani", "id") == "kata Menteri Keuangan Sri Mulyani"


def test_an_abbreviated_office_matches_its_translation_and_leaves_the_person_checked():
    src_text = "Pernyataan itu dikatakan oleh Dirjen Pajak Depkeu kepada wartawan di kantornya."
    ref_text = "The statement was made by the Director General of Taxes at the Finance Ministry to reporters."
    src, ref = find_names(src_text, "id", "en"), find_names(ref_text, "en", "id")
    assert [n.written for n in src] == ["Direktur Jenderal Pajak Departemen Keuangan"]
    assert [n.text for n in ref] == ["Director General of Taxes", "Finance Ministry"]
    # written out, the words pair one by one; as abbreviations they have nothing to pair with
    words = Lexicon(direktur="director", director="director", jenderal="general", general="general",
                    pajak="taxes", taxes="taxes", keuangan="finance", finance="finance",
                    departemen="ministry", ministry="ministry")
    miss_s, miss_r = match_names(src, ref, src_text, ref_text, "id", "en", words)
    assert miss_s == [] and all(n.translated for n in miss_r)   # one counterpart each; the rest is not flagged
    short = [make_name(src_text, n.start, n.end, None, None) for n in src]
    assert match_names(short, ref, src_text, ref_text, None, "en", words)[0] == short
    # the title abbreviation is not part of the person: a replaced minister is still a major mismatch
    emb = HashEmbedder()
    vec = emb.encode(["minister attended"])
    audit = audit_pair(S(["Kemarin Menkeu Sri Mulyani hadir di acara tersebut."]),
                       S(["Finance Minister Boediono attended the event yesterday."]),
                       embedder=emb, source_embeddings=vec, reference_embeddings=vec)
    ent = [d for d in audit.divergences if d.kind == "entity_mismatch"]
    assert len(ent) == 1 and ent[0].severity == "major"
    assert "Sri Mulyani" in ent[0].evidence["source_names"][0]


def test_a_place_or_a_common_word_inside_an_organisation_does_not_stand_for_it():
    bank = one("Rupiah itu juga didukung oleh Bank Indonesia yang menjaga kurs.", "id", "en")
    assert form_match(bank, "id", "It was supported by Bank Indonesia, which held the rate in Indonesia.", "en")
    # "Indonesia" and a lower-case "bank" are there, Bank Indonesia is not
    assert not form_match(bank, "id", "It was supported by Prakarsa Group, the central bank of Indonesia.", "en")
    mandiri = one("Kredit itu disalurkan melalui Bank Mandiri di daerah itu.", "id", "en")
    assert not form_match(mandiri, "id", "The loans go through the bank in the region.", "en")
    # a place with title words is still matched by the place, a translation by a near spelling in lower case
    assert form_match(one("Juru bicara itu menyebut Pihak Amerika Serikat tidak hadir.", "id", "en"), "id",
                      "The spokesman said the United States did not attend.", "en")
    gdp = one("Rasio utang terhadap Produk Domestik Bruto turun tahun ini.", "id", "en")
    assert form_match(gdp, "id", "The ratio of debt to gross domestic product fell this year.", "en")


def test_a_person_with_common_words_inside_a_matched_name_is_still_checked():
    from mteval.pair_audit.divergences.names import text_words, unmatched_person

    name = one("Hal itu disampaikan wakil Pentagon Gordon England kepada para wartawan.", "id", "en")
    part = unmatched_person(name, "id", "en", text_words("Pentagon number two Friendship Express said so."))
    assert part is not None and name.text[part[0]:part[1]] == "Gordon England"
    # a place is not a person: "Kurdi Irak" matched through "Irak" holds none
    kurds = one("Mereka bertemu dengan para pemimpin Kurdi Irak di kota itu.", "id", "en")
    assert unmatched_person(kurds, "id", "en", text_words("They met leaders of Iraqi Kurdistan in the city.")) is None
