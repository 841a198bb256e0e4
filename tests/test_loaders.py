import json
import re

import pytest

from mteval.errors import InputError
from mteval.documents.loaders import (
    attach_system, from_dataset, load_corpus, load_directory, load_jsonl, load_line_parallel, load_pair_files, load_tsv,
)


def test_directory_of_pairs(example_dir):
    corpus = load_directory(example_dir)
    assert [d.doc_id for d in corpus] == ["antara-kominfo-2024"]
    doc = corpus.documents[0]
    assert "\u00a0" not in doc.source and "\u00a0" in doc.source_original
    assert len(doc.source_sentences()) == 21 and len(doc.reference_sentences()) == 21
    assert {r["path"] for r in corpus.inputs} == {str(example_dir / f"antara-kominfo-2024.{l}.txt") for l in ("id", "en")}


def test_pair_files_and_corpus_dispatch(example_dir):
    src, ref = example_dir / "antara-kominfo-2024.id.txt", example_dir / "antara-kominfo-2024.en.txt"
    a = load_pair_files(src, ref)
    b = load_corpus(src, ref)
    assert a.fingerprint() == b.fingerprint() == load_corpus(example_dir).fingerprint()


def test_jsonl_tsv_and_dataset_agree(tmp_path):
    records = [{"id": "a", "source": "Satu. Dua.", "reference": "One. Two."}, {"id": "b", "source": "Tiga.", "reference": "Three."}]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    tsv = tmp_path / "c.tsv"
    tsv.write_text("id\tsource\treference\n" + "".join(f"{r['id']}\t{r['source']}\t{r['reference']}\n" for r in records))
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list(records)
    fingerprints = {load_jsonl(jsonl).fingerprint(), load_tsv(tsv).fingerprint(), from_dataset(ds).fingerprint()}
    assert len(fingerprints) == 1
    saved = tmp_path / "saved"
    ds.save_to_disk(str(saved))
    assert load_corpus(saved).fingerprint() in fingerprints


def test_jsonl_with_system_outputs(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "x", "source": "Satu.", "reference": "One.", "systems": {"m": ["One"]}}) + "\n")
    assert load_jsonl(path).documents[0].systems == {"m": ["One"]}


def test_line_parallel(tmp_path):
    (tmp_path / "s").write_text("Satu.\nDua.\n")
    (tmp_path / "r").write_text("One.\nTwo.\n")
    (tmp_path / "h").write_text("One.\nTwo\n")
    corpus = load_line_parallel(tmp_path / "s", tmp_path / "r", systems={"h": tmp_path / "h"})
    doc = corpus.documents[0]
    assert doc.line_parallel and doc.systems["h"] == ["One.", "Two"]
    assert [s.text for s in doc.source_sentences()] == ["Satu.", "Dua."]


@pytest.mark.parametrize("content, message", [(b"", "empty"), (b"caf\xe9\n", "not valid UTF-8")])
def test_bad_files(tmp_path, content, message):
    bad = tmp_path / "bad.id.txt"
    bad.write_bytes(content)
    (tmp_path / "bad.en.txt").write_text("Fine.")
    with pytest.raises(InputError, match=message) as err:
        load_pair_files(bad, tmp_path / "bad.en.txt")
    assert str(bad) in str(err.value)


def test_unpaired_file_in_directory(tmp_path):
    (tmp_path / "a.id.txt").write_text("Satu.")
    (tmp_path / "a.en.txt").write_text("One.")
    (tmp_path / "b.id.txt").write_text("Dua.")
    with pytest.raises(InputError, match="b.id.txt: no matching b.en.txt"):
        load_directory(tmp_path)


def test_unknown_language_and_missing_file(tmp_path, example_dir):
    with pytest.raises(InputError, match="Unknown language code 'xx'"):
        load_directory(example_dir, source_lang="xx")
    with pytest.raises(InputError, match="no such file"):
        load_pair_files(tmp_path / "nope.txt", tmp_path / "nope2.txt")


def test_line_parallel_count_mismatch(tmp_path):
    (tmp_path / "s").write_text("a\nb\n")
    (tmp_path / "r").write_text("a\n")
    with pytest.raises(InputError, match="2 lines but .* has 1"):
        load_line_parallel(tmp_path / "s", tmp_path / "r")


def test_attach_system_checks_shape(tmp_path, example_dir):
    corpus = load_directory(example_dir)
    with pytest.raises(InputError, match="no output file"):
        attach_system(corpus, "m", tmp_path)
    attach_system(corpus, "m", ["x", "y"])
    assert corpus.documents[0].systems["m"] == ["x", "y"]


def test_system_output_files_are_normalised_as_corpus_records_are(tmp_path):
    # the same output, decomposed (NFD) in a file and composed in a JSONL record, must score the same
    from mteval.documents.loaders import attach_system, load_pair_files

    (tmp_path / "s.id.txt").write_text("Kafe itu tutup.\n", encoding="utf-8")
    (tmp_path / "s.en.txt").write_text("The caf\u00e9 closed.\n", encoding="utf-8")
    (tmp_path / "nfd.txt").write_text("The cafe\u0301\u00a0closed.\n", encoding="utf-8")
    corpus = load_pair_files(tmp_path / "s.id.txt", tmp_path / "s.en.txt", systems={"a": tmp_path / "nfd.txt"})
    attach_system(corpus, "b", tmp_path / "nfd.txt")
    record = tmp_path / "c.jsonl"
    record.write_text(json.dumps({"id": "s", "source": "Kafe itu tutup.", "reference": "The caf\u00e9 closed.",
                                  "systems": {"c": ["The cafe\u0301\u00a0closed."]}}) + "\n", encoding="utf-8")
    from_record = load_jsonl(record).documents[0].systems["c"]
    assert corpus.documents[0].systems["a"] == corpus.documents[0].systems["b"] == from_record == ["The caf\u00e9 closed."]


@pytest.mark.parametrize("value, message", [(5, "must be text or a list of strings, not int"),
                                            (None, "has no output for document 'a' (null)")])
def test_a_system_output_that_is_no_text_is_one_sentence(tmp_path, value, message):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "source": "Halo dunia.", "reference": "Hello world.",
                                "systems": {"mt": value}}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_jsonl(path)


def test_presplit_applies_to_every_input_form(tmp_path):
    # one sentence per line on both sides, however the documents are given: "Satu. Dua." stays one sentence
    from mteval.documents.loaders import load_corpus

    (tmp_path / "pairs").mkdir()
    (tmp_path / "pairs" / "p.id.txt").write_text("Satu. Dua.\nTiga.\n", encoding="utf-8")
    (tmp_path / "pairs" / "p.en.txt").write_text("One. Two.\nThree.\n", encoding="utf-8")
    record = {"id": "p", "source": "Satu. Dua.\nTiga.", "reference": "One. Two.\nThree."}
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (tmp_path / "c.tsv").write_text("id\tsource\treference\np\tSatu. Dua.\\nTiga.\tOne. Two.\\nThree.\n",
                                    encoding="utf-8")
    for path in (tmp_path / "pairs", tmp_path / "c.jsonl", tmp_path / "c.tsv"):
        split = load_corpus(path).documents[0]
        kept = load_corpus(path, presplit=True).documents[0]
        assert len(split.source_sentences()) == 3, path
        assert [s.text for s in kept.source_sentences()] == ["Satu. Dua.", "Tiga."], path


def test_a_damaged_datasets_directory_is_one_sentence(tmp_path):
    pytest.importorskip("datasets")
    from mteval.documents.loaders import load_corpus

    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "dataset_info.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="looks like a saved datasets directory but cannot be read as one"):
        load_corpus(tmp_path / "ds")


def _tsv(path, *rows):
    path.write_text("".join("\t".join(row) + "\n" for row in (("id", "source", "reference"), *rows)), encoding="utf-8")
    return path


def test_inputs_without_documents_or_with_lost_text_are_one_sentence(tmp_path):
    with pytest.raises(InputError, match="no documents, only the header row"):
        load_tsv(_tsv(tmp_path / "header.tsv"))
    # a fourth cell (a tab inside the reference) would lose its text
    with pytest.raises(InputError, match=r"row 2: more cells than the header's 3 columns"):
        load_tsv(_tsv(tmp_path / "extra.tsv", ("a", "Saya makan.", "I eat.", "She drinks.")))
    # cells quoted as csv/pandas write them would keep their quotes doubled; a text that opens with a quote is fine
    with pytest.raises(InputError, match="quoted as CSV writers quote"):
        load_tsv(_tsv(tmp_path / "quoted.tsv", ("q", '"Dia berkata ""halo""."', '"He said ""hello""."')))
    # a line break inside a quoted cell, as pandas writes it, splits the row
    broken = tmp_path / "linebreak.tsv"
    broken.write_text('id\tsource\treference\na\t"Saya makan.\nDia minum."\tI eat. She drinks.\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2: cell 'source' opens a quote that goes on past the line"):
        load_tsv(broken)
    plain = load_tsv(_tsv(tmp_path / "plain.tsv", ("q", '"Kami siap," kata dia.', '"We are ready," he said.')))
    assert plain.documents[0].source == '"Kami siap," kata dia.'
    # text that is only invisible characters is no text
    (tmp_path / "zw.id.txt").write_text("\u200b\n", encoding="utf-8")
    (tmp_path / "zw.en.txt").write_text("I eat.\n", encoding="utf-8")
    with pytest.raises(InputError, match="invisible characters"):
        load_pair_files(tmp_path / "zw.id.txt", tmp_path / "zw.en.txt")
    (tmp_path / "zw.jsonl").write_text(json.dumps({"id": "a", "source": "\u200b\ufeff", "reference": "I eat."}) + "\n",
                                       encoding="utf-8")
    with pytest.raises(InputError, match="field 'source' is missing or empty"):
        load_jsonl(tmp_path / "zw.jsonl")
    # direction marks and soft hyphens are invisible too (Unicode format characters)
    (tmp_path / "lrm.id.txt").write_text("\u200e\u00ad\n\u202a\u202c\n", encoding="utf-8")
    with pytest.raises(InputError, match="invisible characters"):
        load_pair_files(tmp_path / "lrm.id.txt", tmp_path / "zw.en.txt")
    (tmp_path / "lrm2.id.txt").write_text("\u200eSaya makan.\n", encoding="utf-8")
    assert load_pair_files(tmp_path / "lrm2.id.txt", tmp_path / "zw.en.txt").documents[0].source == "\u200eSaya makan."


def test_record_errors_name_where_the_records_are(tmp_path):
    rows = [{"id": "a", "source": "Saya makan.", "reference": "I eat."}, {"id": "a", "source": "Dia minum.",
                                                                        "reference": "He drinks."}]
    (tmp_path / "twice.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("'a' appears twice (") + r".*twice.jsonl, line 1 and .*line 2\)"):
        load_jsonl(tmp_path / "twice.jsonl")
    (tmp_path / "lang.jsonl").write_text(json.dumps({**rows[0], "source_lang": 5}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lang.jsonl, line 1: field 'source_lang': Unknown language code '5'"):
        load_jsonl(tmp_path / "lang.jsonl")


def test_saved_datasets_without_rows_or_as_a_dict_of_splits_are_one_sentence(tmp_path):
    datasets = pytest.importorskip("datasets")

    empty = datasets.Dataset.from_dict({"id": [], "source": [], "reference": []})
    empty.save_to_disk(str(tmp_path / "empty"))
    with pytest.raises(InputError, match="a saved dataset with no rows"):
        load_corpus(tmp_path / "empty")
    with pytest.raises(InputError, match="no rows"):
        from_dataset(empty)
    one = datasets.Dataset.from_dict({"id": ["a"], "source": ["Saya makan nasi."], "reference": ["I eat rice."]})
    datasets.DatasetDict({"test": one}).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(InputError, match=r"a saved DatasetDict with the splits test; give one split's directory"):
        load_corpus(tmp_path / "dd")
    assert [doc.doc_id for doc in load_corpus(tmp_path / "dd" / "test")] == ["a"]


def test_a_lone_surrogate_is_not_text_wherever_it_comes_from(tmp_path):
    import mteval

    (tmp_path / "s.jsonl").write_text('{"id": "a", "source": "Saya \\ud800 makan.", "reference": "I eat."}\n',
                                      encoding="utf-8")
    with pytest.raises(InputError, match=r"s.jsonl, line 1: holds a lone surrogate escape"):
        load_jsonl(tmp_path / "s.jsonl")
    # an escaped pair is one character, not a surrogate
    (tmp_path / "pair.jsonl").write_text('{"id": "a", "source": "Saya \\ud83d\\ude00.", "reference": "I eat."}\n',
                                         encoding="utf-8")
    assert load_jsonl(tmp_path / "pair.jsonl").documents[0].source == "Saya \U0001F600."
    with pytest.raises(InputError, match="source= holds a lone surrogate"):
        mteval.audit(source=["Saya \ud800 makan."], reference=["I eat."])
    with pytest.raises(InputError, match="System 'A': a line holds a lone surrogate"):
        mteval.evaluate(source=["Saya makan."], reference=["I eat."], line_parallel=True, hypotheses={"A": ["x\udc00"]})
    with pytest.raises(InputError, match="Document 'b': the reference holds a lone surrogate"):
        from_dataset([{"id": "b", "source": "Saya makan.", "reference": "I \udc00 eat."}])


def test_hidden_files_in_a_directory_of_pairs_are_not_documents(tmp_path, example_dir):
    import shutil

    shutil.copytree(example_dir, tmp_path / "docs")
    (tmp_path / "docs" / "._antara-kominfo-2024.id.txt").write_bytes(b"\x00\x05\x16\x07 macOS resource fork")
    (tmp_path / "docs" / ".draft.id.txt").write_text("Satu.", encoding="utf-8")
    (tmp_path / "docs" / ".draft.en.txt").write_text("One.", encoding="utf-8")
    assert [doc.doc_id for doc in load_directory(tmp_path / "docs")] == ["antara-kominfo-2024"]


def test_invisible_outputs_datasetdicts_and_directories_named_like_pairs(tmp_path, example_dir):
    import shutil

    datasets = pytest.importorskip("datasets")
    # a JSONL system output of invisible characters is no output, as an empty one is
    record = {"id": "d1", "source": "Kucing itu duduk.", "reference": "The cat sat.", "systems": {"mt": "\u200b"}}
    (tmp_path / "j.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert load_jsonl(tmp_path / "j.jsonl").documents[0].systems["mt"] == []
    # a DatasetDict, saved without splits or given in memory, is named as one
    datasets.DatasetDict({}).save_to_disk(str(tmp_path / "dd0"))
    with pytest.raises(InputError, match="a saved DatasetDict with no splits"):
        load_corpus(tmp_path / "dd0")
    one = datasets.Dataset.from_dict({"id": ["a"], "source": ["Saya makan."], "reference": ["I eat."]})
    with pytest.raises(InputError, match=r"A DatasetDict with the splits test; give one split"):
        from_dataset(datasets.DatasetDict({"test": one}))
    # a directory named like a pair file is not a document
    shutil.copytree(example_dir, tmp_path / "docs")
    (tmp_path / "docs" / "d.id.txt").mkdir()
    assert [doc.doc_id for doc in load_directory(tmp_path / "docs")] == ["antara-kominfo-2024"]
