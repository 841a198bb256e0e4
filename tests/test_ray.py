"""The Ray executor on a local two-CPU cluster: equal to a local run, caches across workers, a killed actor."""
import copy

import pytest

ray = pytest.importorskip("ray")

from _tiny_comet import tiny_comet  # noqa: E402,F401
from _tiny_marian import tiny_marian  # noqa: E402,F401
from test_stream import corpus  # noqa: E402,F401  (the eight-document corpus with two precomputed systems)

from mteval.executors.ray import RayExecutor  # noqa: E402
from mteval.pipeline.run import evaluate_corpus  # noqa: E402
from mteval.pipeline.settings import EvaluationSettings  # noqa: E402
from mteval.systems.translate.translator import DecodeSettings, Translator  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _run(corpus, model, cache_dir, executor, **options):
    """A run with its own translation and audit caches in ``cache_dir``; embeddings in the session's cache."""
    from mteval.caches.translations import TranslationCache

    translator = Translator(str(model), engine="transformers", settings=DecodeSettings(beam_size=1, max_length=16),
                            cache=TranslationCache(cache_dir / "translations.sqlite"))
    settings = EvaluationSettings(n_bootstrap=50, n_trials=200, audit_cache=cache_dir / "audits.sqlite")
    return evaluate_corpus(corpus, translators={"tiny": translator}, settings=settings, chunk_size=2,
                           executor=executor, **options)


def _comparable(results, *, work=True):
    data = copy.deepcopy(results.to_dict())
    for key in ("timing", "created", "executor"):
        data["provenance"].pop(key)
    if not work:  # what was computed rather than read from the caches, and the engine's details once it is loaded
        for key in ("sentences_translated", "model_loaded", "revision", "device", "engine_versions"):
            data["provenance"]["systems"]["tiny"].pop(key, None)
        for key in ("embedder_loaded", "embeddings_computed", "audits_computed", "audits_from_cache"):
            data["provenance"]["audit"].pop(key)
    return data


@pytest.fixture(scope="module")
def local_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("local-cache")


@pytest.fixture(scope="module")
def local_run(corpus, tiny_marian, local_cache):  # noqa: F811
    return _run(corpus, tiny_marian, local_cache, "local")


def test_ray_equals_local_and_a_second_run_computes_nothing(corpus, tiny_marian, local_run, tmp_path):  # noqa: F811
    first = _run(corpus, tiny_marian, tmp_path, RayExecutor(workers=2))
    assert first.provenance["executor"]["name"] == "ray"
    assert _comparable(first, work=False) == _comparable(local_run, work=False)
    # Both started cold; chunks in flight together may each translate a sentence repeated across them, which the
    # local run, one chunk after another, finds in its cache the second time.
    translated = first.provenance["systems"]["tiny"]["sentences_translated"]
    assert translated >= local_run.provenance["systems"]["tiny"]["sentences_translated"] > 0
    assert first.provenance["executor"]["cache_entries_written"] > 0  # translations and audits, by the driver
    # the workers computed, the driver wrote: a second run finds everything in the driver's caches
    second = _run(corpus, tiny_marian, tmp_path, RayExecutor(workers=2))
    tiny = second.provenance["systems"]["tiny"]
    assert tiny["sentences_translated"] == 0 and not tiny["model_loaded"]
    assert second.provenance["audit"]["embeddings_computed"] == 0 and not second.provenance["audit"]["embedder_loaded"]
    assert (second.provenance["audit"]["audits_computed"], second.provenance["audit"]["audits_from_cache"]) == \
        (0, len(corpus))
    assert first.provenance["audit"]["audits_computed"] == len(corpus)  # the workers' counts come back to the driver
    assert second.provenance["executor"]["cache_entries_written"] == 0
    assert _comparable(second, work=False) == _comparable(local_run, work=False)


def test_a_killed_translation_actor_is_restarted_and_nothing_is_lost(corpus, tiny_marian, local_run, tmp_path):  # noqa: F811
    killed = []

    def kill_once(executor, done):
        if done == 1:  # chunks 2 and 3 are in flight on the pool when the actor dies
            ray.kill(executor.translate_actors[1], no_restart=False)
            killed.append(done)

    # translations start cold: the killed actor has work to redo
    results = _run(corpus, tiny_marian, tmp_path, RayExecutor(workers=2, on_chunk=kill_once), out=tmp_path / "out")
    assert results.provenance["systems"]["tiny"]["sentences_translated"] > 0
    assert killed == [1]
    assert [doc.doc_id for doc in results.documents] == [doc.doc_id for doc in corpus]
    assert _comparable(results, work=False) == _comparable(local_run, work=False)


def test_comet_through_ray_equals_local_exactly(corpus, tiny_comet, tmp_path):  # noqa: F811
    """COMET in actors: every segment score, corpus score, interval and paired test is the local run's, exactly.

    (The tiny model scores identically at any torch thread count, so this does not test that actors take the
    driver's count; it tests that the distributed path reads, scores and collects the same segments.)"""
    def run(executor, cache):
        settings = EvaluationSettings(n_bootstrap=50, n_trials=200, comet_model=str(tiny_comet.da),
                                      comet_cache=cache, audit_cache=tmp_path / f"audits-{cache.stem}.sqlite")
        return evaluate_corpus(corpus, settings=settings, chunk_size=3, executor=executor)

    local = run("local", tmp_path / "local.sqlite")
    distributed = run(RayExecutor(workers=2), tmp_path / "ray.sqlite")
    assert local.corpus["copy"].get("comet", "whole").n_segments > 0
    for data in (local, distributed):
        assert data.provenance["comet"]["work"]["segments_computed"] > 0  # both scored cold
    first, second = (_comparable_comet(r) for r in (local, distributed))
    assert first == second


def _comparable_comet(results):
    data = copy.deepcopy(results.to_dict())
    for key in ("timing", "created", "executor"):
        data["provenance"].pop(key)
    for key in ("work", "cache"):  # what was computed where, and the cache each run was given
        data["provenance"]["comet"].pop(key, None)
    for key in ("embedder_loaded", "embeddings_computed", "audits_computed", "audits_from_cache"):
        data["provenance"]["audit"].pop(key)
    return data


def test_a_quiet_ray_run_prints_the_scores_and_nothing_from_ray(tmp_path):
    # -q promises the score table and errors only: Ray's start-up lines (INFO, WARNING) and the error line it
    # logs when a restartable actor's constructor holds an actor handle must not reach the terminal
    import os
    import subprocess
    import sys
    from pathlib import Path

    src, ref = tmp_path / "src.id", tmp_path / "ref.en"
    src.write_text("Menteri datang ke Jakarta.\nIa berbicara pada hari Senin.\n", encoding="utf-8")
    ref.write_text("The minister came to Jakarta.\nHe spoke on Monday.\n", encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mteval"), "run", str(src), str(ref), "--line-parallel", "--hyp",
         f"a={ref}", "--no-comet", "--bootstrap", "0", "-q", "--executor", "ray"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env=dict(os.environ, HF_HUB_OFFLINE="1", MTEVAL_CACHE_DIR=str(tmp_path / "cache")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Scores") and result.stderr == ""

    # and the Python API, which prints nothing unless asked, through Ray too
    code = ("import mteval; r = mteval.evaluate(source=%r, reference=%r, hypotheses={'a': %r}, line_parallel=True, "
            "n_bootstrap=0, executor='ray'); print(sorted(r.corpus))" % (str(src), str(ref), str(ref)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            env=dict(os.environ, HF_HUB_OFFLINE="1", MTEVAL_CACHE_DIR=str(tmp_path / "cache")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['a']" and result.stderr == ""
