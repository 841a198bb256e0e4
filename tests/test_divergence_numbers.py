"""Numbers, dates and ordinals read per language, on short hand-made pairs."""
from __future__ import annotations

from _audit_fixtures import HashEmbedder
from mteval.documents.segment import Sentence
from mteval.pair_audit.divergences.detect import audit_pair
from mteval.pair_audit.divergences.numbers import parse_number, quantities


def needs(text: str, lang: str) -> set[str]:
    return {k for q in quantities(text, lang) if not q.soft for k in q.needs}


def provides(text: str, lang: str) -> set[str]:
    return {k for q in quantities(text, lang) for k in q.provides}


def conveyed(src: str, ref: str) -> bool:
    """Every hard item of each side has a reading the other side provides."""
    ok_s = all(q.soft or q.needs & provides(ref, "en") for q in quantities(src, "id"))
    ok_r = all(q.soft or q.needs & provides(src, "id") for q in quantities(ref, "en"))
    return ok_s and ok_r


def test_decimal_and_grouping_symbols_per_language():
    assert [str(v) for v in parse_number("6,6", "id")] == ["6.6"]
    assert [str(v) for v in parse_number("6.6", "en")] == ["6.6"]
    # one separator before exactly three digits: the language's reading first, the other one kept
    assert [str(v) for v in parse_number("1.000", "id")] == ["1000", "1.000"]
    assert [str(v) for v in parse_number("1,000", "en")] == ["1000", "1.000"]
    assert [str(v) for v in parse_number("1.234.567,5", "id")] == ["1234567.5"]
    assert conveyed("Gempa berkekuatan 6,6 mengguncang 1.000 rumah.", "A 6.6 quake shook 1,000 homes.")
    assert not conveyed("Gempa berkekuatan 6,6 mengguncang kota.", "A 6.7 quake shook the city.")


def test_scale_words_and_percent():
    assert conveyed("Nilainya Rp 1,5 miliar.", "It is worth 1.5 billion rupiah.")
    assert conveyed("Nilainya Rp1,5 triliun.", "It is worth IDR1.5trn.")
    assert conveyed("Harganya tiga juta rupiah.", "It costs 3,000,000 rupiah.")
    assert conveyed("Inflasi naik 6,30 persen.", "Inflation rose 6.3%.")
    assert not conveyed("Nilainya Rp 1,5 miliar.", "It is worth 2.5 billion rupiah.")
    # a scale word misspelt or in the plural still scales
    assert "num:60000000000000" in needs("Cadangan mencapai Rp60 trilion.", "id")
    assert "num:15000000" in needs("price of 15 millions", "en")
    units = {q.text: q.unit for q in quantities("naik 10 persen menjadi Rp 5 miliar pada 2007", "id")}
    assert units == {"10 persen": "percent", "5 miliar": "money", "2007": "year"}


def test_rupiah_marker_in_any_case_but_not_inside_a_word():
    assert conveyed("Modal bertambah Rp100 miliar.", "Capital rose by rp100 billion.")
    assert conveyed("MODAL BERTAMBAH RP 1,5 MILIAR", "Capital rose by 1.5 billion rupiah.")
    # letters glued to a figure make one word ("grp100"): no figure is read
    assert quantities("the grp100 unit", "en") == []


def test_dates_ranges_and_ordinals_in_both_languages():
    assert conveyed("Debat kelima pada Minggu, 4 Februari 2024.", "The fifth debate on Sunday, February 4, 2024.")
    assert conveyed("Perundingan pada 5-6 Maret.", "Talks on March 5-6.")
    assert conveyed("Perang 1950-1953 itu.", "The 1950-53 war.")
    # a month and year is conveyed by a full date of that month (the full date needs its day, though)
    assert needs("Laba per Maret 2007 naik.", "id") <= provides("Profit to March 31, 2007 rose.", "en")
    assert not needs("Profit to March 31, 2007 rose.", "en") & provides("Laba per Maret 2007 naik.", "id")
    assert not conveyed("Batas waktunya 2 Februari 2007.", "The deadline is February 1, 2007.")
    # "first"/"kedua" double as adverbs and determiners, "last year" is a date expression
    soft = {q.text: q.soft for q in quantities("kedua tulang itu pertama kali", "id")}
    assert soft == {"kedua": True, "pertama": True}
    assert [q.soft for q in quantities("last year and the last debate", "en")] == [True, False]


def test_an_ordinal_that_opens_a_name_is_part_of_the_name():
    from mteval.pair_audit.divergences.extract import extract

    # capitalised mid-sentence before another capitalised word: a company, not a rank
    items = extract("Fitch expects First Media to sustain its profitability.", "en", "id")
    assert [(it.kind, it.text) for it in items] == [("name", "First Media")]
    # the same word as a rank, or where a sentence starts, stays an ordinal
    assert [q.key for q in quantities("It was the third round.", "en")] == ["ord:3"]
    assert [q.key for q in quantities("Third, the bank raised rates.", "en")] == ["ord:3"]
    assert [q.key for q in quantities("He said: Third Avenue was closed.", "en")] == ["ord:3"]


def test_dates_of_different_years_disagree_and_a_date_without_year_is_conveyed():
    # one side may leave the year out; two full dates of different years disagree
    assert conveyed("Surat itu bertanggal 13 Juni.", "The letter is dated June 13, 2008.")
    assert conveyed("Surat itu bertanggal 13 Juni 2008.", "The letter is dated June 13.")
    assert not conveyed("Surat itu bertanggal 13 Juni 2007.", "The letter is dated June 13, 2008.")
    # every day of a range is a date to convey
    assert conveyed("KTT pada 3-4 April.", "The summit on April 3-4.")
    assert not conveyed("KTT pada 3-4 April.", "The summit on April 6-4.")
    assert not conveyed("KTT pada 3-4 April 2007.", "The summit on April 3-5, 2007.")


def test_four_digits_beyond_the_years_of_news_are_a_count():
    units = {q.text: q.unit for q in quantities("sekitar 4000 tahun silam, pada 1985 dan 2100", "id")}
    assert units == {"4000": "plain", "1985": "year", "2100": "year"}
    found = audit_numbers(["Stromatolit itu berumur sekitar 4000 tahun."],
                          ["The stromatolite is about 4,100 years old."])
    assert len(found) == 1 and [s.text for s in found[0].spans] == ["4000", "4,100"]


def test_each_figure_is_conveyed_by_one_figure_of_the_other_side():
    from mteval.pair_audit.divergences.numbers import conveyed as conveyed_by

    src = quantities("ekspor 14-15 persen dan impor 11-12 persen", "id")
    ref = quantities("exports 14-12 percent and imports 11-12 percent", "en")
    # the source's one 12 conveys one of the reference's two; its 15 is conveyed by nothing
    assert sorted(q.text for q, ok in zip(src, conveyed_by(src, ref)) if not ok) == ["15 persen"]
    assert sum(not ok for ok in conveyed_by(ref, src)) == 1
    # a spelled-out number pairs with a spelled-out one first: "ten" is not left to the bare 10 of "10 ribu"
    src = quantities("berusia 10 ribu jam, sepuluh kali", "id")
    ref = quantities("lasts 16 thousand hours, ten times", "en")
    assert [q.text for q, ok in zip(src, conveyed_by(src, ref)) if not ok] == ["10 ribu"]
    # one item still conveys different readings: a full date its date and its year
    src = quantities("pada 13 Juni 2007, tahun 2007", "id")
    assert all(conveyed_by(src, quantities("on June 13, 2007", "en")))


def test_a_dated_year_against_a_year_and_four_digit_counts_disagree():
    found = audit_numbers(["Laba kuartal pertama per Maret 2007 naik."], ["First-quarter profit of 2002 rose."])
    assert len(found) == 1 and [s.text for s in found[0].spans] == ["Maret 2007", "2002"]
    found = audit_numbers(["Mesinnya hingga 1000 cc."], ["Its engine is up to 6000 cc."])
    assert len(found) == 1
    assert audit_numbers(["Ekspor naik 5 persen pada 2007."], ["Exports rose in 2007 by 5 percent."]) == []
    # a year dropped and a two-digit count added are not one quantity
    assert audit_numbers(["Harga naik pada 2007."], ["Prices rose by 15 points."]) == []


def test_plural_percent_word():
    assert [q.unit for q in quantities("We lost 69 percents of it.", "en")] == ["percent"]


def S(texts):
    return [Sentence(t) for t in texts]


def audit_numbers(src_texts, ref_texts):
    emb = HashEmbedder()
    vecs = emb.encode([f"sentence {k}" for k in range(len(src_texts))])
    a = audit_pair(S(src_texts), S(ref_texts), embedder=emb, source_embeddings=vecs, reference_embeddings=vecs)
    return [d for d in a.divergences if d.kind == "number_mismatch"]


def test_audit_compares_numbers_per_language():
    src = ["Ekonomi tumbuh 6,6 persen menjadi Rp 1,5 miliar.", "Gedung itu menampung 1.000 orang."]
    assert audit_numbers(src, ["The economy grew 6.6 percent to 1.5 billion rupiah.",
                               "The building holds 1,000 people."]) == []
    found = audit_numbers(src, ["The economy grew 6.9 percent to 1.5 billion rupiah.",
                                "The building holds 1,000 people."])
    assert len(found) == 1 and found[0].severity == "major"
    assert {s.text for s in found[0].spans} == {"6,6 persen", "6.9 percent"}


def test_numbers_dropped_and_added_elsewhere_are_not_a_mismatch():
    # the English drops a percentage and adds a year: different units, nothing disagrees
    assert audit_numbers(["Pertanian tumbuh 10,2 persen.", "Harga naik."],
                         ["Farming grew in 2007.", "Prices rose."]) == []
    # a year relative to the story on one side, the absolute year on the other
    assert audit_numbers(["Laba akhir 2006 naik dibanding tahun sebelumnya.", "Harga naik."],
                         ["Last year's profit rose compared with 2005.", "Prices rose."]) == []


def test_decimal_comma_typed_with_a_space_before_a_scale_word():
    # "33, 4 miliar" is 33,4 miliar typed fast: conveyed by 33.4 billion, and still by "33 ... 4 billion"
    assert conveyed("Perdagangan mencapai 33, 4 miliar dolar AS.", "Trade reached 33.4 billion USD.")
    assert conveyed("Penjualan naik dari Rp444, 19 miliar.", "Sales rose from Rp444.19 billion.")
    assert not conveyed("Perdagangan mencapai 33, 4 miliar dolar AS.", "Trade reached 35.4 billion USD.")
    # a year before the comma starts a clause; no scale word after the digit: two numbers
    assert needs("Inflasi pada 2007, 6 persen.", "id") == {"num:2007", "num:6"}
    assert needs("Tim itu menang 3, 4 kali.", "id") == {"num:3", "num:4"}
    # English writes its decimal with a point: "3, 4 million" stays two numbers there
    assert "num:3.4" not in needs("Scores of 3, 4 million each.", "en")


def test_a_figure_rounded_or_cut_to_fewer_decimals_is_the_same_figure():
    # the English desk rounds or cuts figures: the same amount when the shorter one keeps three digits
    assert audit_numbers(["Pendapatan naik menjadi Rp1,11 triliun.", "Harga naik."],
                         ["Income rose to Rp1.109 trillion.", "Prices rose."]) == []
    assert audit_numbers(["Target pajak Rp452.556,9 miliar.", "Harga naik."],
                         ["The tax target is Rp452.556 trillion.", "Prices rose."]) == []
    # the same precision, or a figure too short to be a rounding of the other: they disagree
    for src, ref in [("Inflasi 6,88 persen.", "Inflation was 6.98 percent."),
                     ("Inflasi 6 persen.", "Inflation was 6.4 percent."),
                     ("Nilainya Rp 1,5 miliar.", "It is worth 1.52 billion rupiah.")]:
        found = audit_numbers([src, "Harga naik."], [ref, "Prices rose."])
        assert len(found) == 1 and found[0].severity == "major", (src, ref)


def test_clock_times_in_both_languages():
    # Indonesian writes the 24-hour clock with a point, English the 12-hour clock with a.m./p.m.
    assert conveyed("Insiden terjadi setelah pukul 21.00 waktu setempat.", "The incident happened after 9:00 p.m.")
    assert conveyed("Rapat dimulai pukul 9 pagi.", "The meeting began at 9 a.m.")
    assert conveyed("Ledakan terjadi pukul 10.30 WIB.", "The blast happened at 10:30 local time.")
    assert needs("Sidang dibuka pukul 12.00 siang.", "id") == {"time:12:00"}
    # a point without a marker is a decimal, not a time; an hour alone without a.m./p.m. reads both ways
    assert needs("Inflasi 6.60 persen.", "en") == {"num:6.6"}
    assert needs("They met at 9:15.", "en") == {"time:09:15", "time:21:15"}
    # a comma right after a time ends the clause ("pukul 19:23,sampai"); "18:22,5" is no time
    assert conveyed("Bayang semu pada pukul 19:23,sampai purnama pada 20:21 WIB.",
                    "The shadow left at 19:23, until the full moon at 20:21 WIB.")
    assert not [q for q in quantities("selama 18:22,5 menit", "id") if q.kind == "time"]
    found = audit_numbers(["Ledakan terjadi pukul 21.00 waktu setempat.", "Harga naik."],
                          ["The blast happened at 8 p.m.", "Prices rose."])
    assert len(found) == 1 and found[0].evidence["kind"] == "time" and found[0].severity == "major"


def test_collective_ke_numbers_and_hyphenated_percentages():
    # Indonesian "ke-N" before a noun is "the N": "Ke-15 pelaut" = "The 15 sailors"; after a noun an ordinal
    assert conveyed("Ke-15 pelaut itu dibebaskan.", "The 15 sailors were freed.")
    found = audit_numbers(["Ke-15 pelaut itu dibebaskan.", "Harga naik."], ["The 18 sailors were freed.", "Prices rose."])
    assert len(found) == 1 and found[0].severity == "major"
    assert needs("KTT ke-15 ASEAN dibuka.", "id") == {"ord:15"}
    # a percentage written as a compound adjective is still a percentage
    assert needs("the 60-percent reserve rule", "en") == {"num:60"}
    found = audit_numbers(["Aturan cadangan 30 persen itu dicabut.", "Harga naik."],
                          ["The 60-percent reserve rule was lifted.", "Prices rose."])
    assert len(found) == 1 and found[0].evidence["kind"] == "number"


def test_dates_disagree_only_on_a_field_both_give():
    # one side gives the month and year, the other the day and month: one date
    assert audit_numbers(["Dana itu cair pada akhir Februari 2007.", "Harga naik."],
                         ["The funds were disbursed on Feb 28.", "Prices rose."]) == []
    found = audit_numbers(["Dana itu cair pada akhir Maret 2007.", "Harga naik."],
                          ["The funds were disbursed on Feb 28.", "Prices rose."])
    assert len(found) == 1 and {s.text for s in found[0].spans} == {"Maret 2007", "Feb 28"}
    # "the same period last year": a dated year one apart from the other side's is that year
    assert audit_numbers(["Produksi turun dibanding periode Januari-Oktober 2006.", "Harga naik."],
                         ["Output in January-October 2007 fell from the same period last year.", "Prices rose."]) == []
    assert len(audit_numbers(["Produksi turun dibanding periode Januari-Oktober 2005.", "Harga naik."],
                             ["Output in January-October 2007 fell from the same period.", "Prices rose."])) == 1


def test_a_year_given_once_more_on_one_side_does_not_disagree_with_a_date_of_that_year():
    assert audit_numbers(["Dividen tahun 2006 dibayar pada tanggal lima Desembar 2006, total dividen tahun 2006 naik.",
                          "Harga naik."],
                         ["The 2006 dividend was paid on December 5, 2006, bringing the total up.", "Prices rose."]) == []


def test_day_ranges_in_words_weekday_dates_zoned_and_twelve_hour_times():
    # "13 hingga 15 Maret" / "from March 13 to 15": a day range joined by a word
    assert conveyed("Ia berkunjung pada 13 hingga 15 Maret.", "He visits from March 13 to 15.")
    assert not conveyed("Ia berkunjung pada 13 hingga 16 Maret.", "He visits from March 13 to 15.")
    # a day/month after an Indonesian weekday is a date; a bare "23/8" is not
    assert conveyed("Cadangan turun pada Jumat 23/8, katanya.", "Reserves fell on Friday, August 23, he said.")
    assert not conveyed("Cadangan turun pada Jumat 23/9, katanya.", "Reserves fell on Friday, August 23, he said.")
    assert "date:--08-23" not in needs("Rasio 23/8 itu tetap.", "id")
    # a time in a named zone is also its UTC time; a part of the day decides a zero-padded hour too
    assert conveyed("Gempa terjadi pukul 07:42 WIB.", "The quake struck at 00:42 GMT.")
    assert not conveyed("Gempa terjadi pukul 07:42 WIB.", "The quake struck at 01:42 GMT.")
    assert conveyed("Jam malam berlaku pukul 08:30 sore.", "The curfew starts at 8:30 p.m.")


def test_imperial_units_convey_the_metric_figure_they_convert():
    # wire copy for English readers converts ("35 km (22 miles)") or replaces ("20 pounds" for 9 kg)
    assert conveyed("Mereka ingin mengurangi berat badan 9 kilogram.", "They would like to lose 20 pounds.")
    assert audit_numbers(["Kota itu terletak 2,5 kilometer dari Balad.", "Harga naik."],
                         ["The town is some 2.5 km (1.5 miles) from Balad.", "Prices rose."]) == []
    assert conveyed("Suhu tubuhnya 37 derajat Celsius.", "His temperature was 98.6 degrees Fahrenheit.")
    assert audit_numbers(["Pesawat jatuh 50 kilometer dari Tucson.", "Harga naik."],
                         ["The plane crashed some 30 miles from Tucson.", "Prices rose."]) == []
    # a figure the conversion does not give still disagrees, and a currency amount is not converted
    found = audit_numbers(["Mereka ingin mengurangi 9 kilogram.", "Harga naik."],
                          ["They would like to lose 40 pounds.", "Prices rose."])
    assert len(found) == 1 and found[0].severity == "major"
    assert not conveyed("Denda itu 227 juta.", "The fine was 500 million pounds.")
    # beside the metric figure it converts, the rounded conversion does not cover a changed one
    found = audit_numbers(["Kota itu 420 kilometer dari Lahore.", "Harga naik."],
                          ["The town is 428 km (263 miles) from Lahore.", "Prices rose."])
    assert len(found) == 1 and found[0].severity == "major"


def keys(text: str, lang: str) -> list[str]:
    return [q.key for q in quantities(text, lang)]


def test_figures_of_scripts_without_spaces_and_arabic_prefixes():
    # Chinese and Japanese glue counters and scale words to a figure; full-width digits are digits
    assert keys("共有１２００家企业参加", "zh") == ["num:1200"]
    assert keys("投资300亿元，3万人参加", "zh") == ["num:30000000000", "num:30000"]
    assert keys("30億円の計画", "ja") == ["num:3000000000"]
    assert keys("增长５．３％", "zh") == ["num:5.3"] and quantities("增长５．３％", "zh")[0].text == "５．３％"
    # dates as CLDR writes them there: y年M月d日, y년 M월 d일
    assert keys("2025年3月5日开始", "zh") == ["date:2025-03-05"] and keys("３月５日", "ja") == ["date:--03-05"]
    assert keys("2024년 3월 5일", "ko") == ["date:2024-03-05"]
    # a Latin letter glued to a figure still makes a code, not a number
    assert keys("A4 paper and COVID19", "en") == []
    # Arabic "and 1200": the conjunction is written against the figure
    assert keys("و١٢٠٠ شخص", "ar") == ["num:1200"]


def test_space_grouped_figures_and_french_clock_times():
    # French and Russian group thousands with a (no-break, narrow or plain) space, and write times "15 h 30"
    assert keys("1\u202f000,5 millions et 2\u00a0500 personnes", "fr") == ["num:1000500000", "num:2500"]
    assert keys("les 1 200 participants", "fr") == ["num:1200"] and keys("1 000,5", "ru") == ["num:1000.5"]
    assert keys("en 2020 300 personnes", "fr") == ["num:2020", "num:300"]  # not a group of three after a year
    assert keys("Gedung itu 2 500 orang", "id") == ["num:2", "num:500"]  # Indonesian groups with a point
    assert keys("à 15 h 30, puis à 18h05", "fr") == ["time:15:30", "time:18:05"]
