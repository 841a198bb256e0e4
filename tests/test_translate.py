import pytest

from _tiny_marian import tiny_marian  # noqa: F401
from mteval.errors import CacheError, InputError, ModelUnavailableError
from mteval.systems.translate.translator import DecodeSettings, Translator
from mteval.caches.translations import TranslationCache


@pytest.fixture(scope="module")
def sentences(example_dir):
    from mteval.documents.loaders import load_directory

    doc = load_directory(example_dir).documents[0]
    return [s.text for s in doc.source_sentences() if s.role == "body"]


def _translator(model, cache, batch_size=4, beam_size=2):
    settings = DecodeSettings(beam_size=beam_size, max_length=20, batch_size=batch_size)
    return Translator(str(model), engine="transformers", settings=settings, cache=cache)


def test_batching_restores_order(tiny_marian, sentences):
    one_by_one = _translator(tiny_marian, False, batch_size=1).translate(sentences)
    batched = _translator(tiny_marian, False, batch_size=5).translate(list(reversed(sentences)))
    assert list(reversed(batched)) == one_by_one
    assert len(set(one_by_one)) > len(sentences) // 2  # outputs depend on inputs, so order is really tested


def test_cache_makes_second_run_load_no_model(tiny_marian, sentences, tmp_path):
    cache_path = tmp_path / "t.sqlite"
    first = _translator(tiny_marian, TranslationCache(cache_path))
    out1 = first.translate(sentences)
    assert first.model_calls > 0
    second = _translator(tiny_marian, TranslationCache(cache_path))
    assert second.translate(sentences) == out1
    assert second.model_calls == 0 and second._engine is None
    other_beam = _translator(tiny_marian, TranslationCache(cache_path), beam_size=1)
    other_beam.translate(sentences[:2])
    assert other_beam.model_calls == 1  # decoding settings are part of the key


def test_interrupted_run_keeps_finished_batches(tiny_marian, sentences, tmp_path):
    cache_path = tmp_path / "t.sqlite"
    translator = _translator(tiny_marian, TranslationCache(cache_path), batch_size=4)
    engine = translator.engine()
    real = engine.translate_batches

    def interrupted(batches):
        for index, output in enumerate(real(batches)):
            if index == 2:
                raise KeyboardInterrupt
            yield output

    engine.translate_batches = interrupted
    with pytest.raises(KeyboardInterrupt):
        translator.translate(sentences)
    assert len(TranslationCache(cache_path)) == 8
    resumed = _translator(tiny_marian, TranslationCache(cache_path), batch_size=4)
    resumed.translate(sentences)
    assert resumed.sentences_translated == len(set(sentences)) - 8


def test_hub_name_that_cannot_be_fetched(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as err:
        Translator("Helsinki-NLP/opus-mt-id-en", engine="transformers", cache=False)
    message = str(err.value)
    assert "Helsinki-NLP/opus-mt-id-en" in message and "--model PATH" in message and "\n" not in message


def test_missing_local_model_directory(tmp_path):
    with pytest.raises(InputError, match="no such model directory"):
        Translator(str(tmp_path / "missing"), cache=False)


def test_corrupt_cache_is_reported_and_kept(tiny_marian, tmp_path):
    cache_path = tmp_path / "t.sqlite"
    cache_path.write_bytes(b"this is not sqlite" * 100)
    before = cache_path.read_bytes()
    translator = _translator(tiny_marian, TranslationCache(cache_path))
    with pytest.raises(CacheError, match="t.sqlite"):
        translator.translate(["Satu."])
    assert cache_path.read_bytes() == before


def test_provenance_names_model_and_settings(tiny_marian):
    translator = _translator(tiny_marian, False)
    translator.translate(["Halo."])
    record = translator.provenance()
    assert record["engine"] == "transformers" and record["precision"] == "float32"
    assert len(record["model_fingerprint"]) == 64 and record["decoding"]["beam_size"] == 2


def test_settings_the_transformers_engine_cannot_honour_are_refused(tiny_marian):
    # an int8 or shortlist run on transformers would be recorded and cached as such while running float32
    for settings, message in ((DecodeSettings(precision="int8"), "--precision int8 is a ctranslate2 compute type"),
                              (DecodeSettings(shortlist="vmap.txt"), "--shortlist is a ctranslate2 option")):
        with pytest.raises(InputError, match=message):
            Translator(str(tiny_marian), engine="transformers", settings=settings, cache=False)
    assert Translator(str(tiny_marian), engine="transformers", settings=DecodeSettings(precision="float32"),
                      cache=False).precision == "float32"


def test_a_device_name_no_engine_knows_is_refused():
    for device in ("gpu", "bogus", "cuda:x"):
        with pytest.raises(InputError, match="must be cpu, cuda, cuda:N or auto"):
            DecodeSettings(device=device)
    assert DecodeSettings(device="cuda:1").device == "cuda:1"
