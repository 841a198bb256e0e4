"""CometScorer on a tiny but real COMET checkpoint built in the test session."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _tiny_comet import seed_lines, tiny_comet  # noqa: F401  (fixture)
from mteval.errors import CacheError, InputError, ModelUnavailableError
from mteval.metrics.comet.scorer import CometResult, CometScorer

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def segments():
    """Indonesian sources, English 'hypotheses' and shifted English 'references' from the seed articles."""
    lines = seed_lines()
    ids = [l for l in lines if " dan " in l or " yang " in l][:10]
    ens = [l for l in lines if " the " in l][:10]
    n = min(len(ids), len(ens))
    assert n >= 6
    ids, ens = ids[:n], ens[:n]
    refs = ens[1:] + ens[:1]
    # Short and long segments mixed, so length batching reorders them.
    hyps = [e if i % 3 else e.split(",")[0] for i, e in enumerate(ens)]
    return ids, hyps, refs


@pytest.fixture(scope="module")
def da_scores(tiny_comet, segments):  # noqa: F811
    ids, hyps, refs = segments
    return CometScorer(str(tiny_comet.da), cache=False, batch_size=3).score(sources=ids, hypotheses=hyps, references=refs)


def _comet_score_cli(tmp_path: Path, model_ckpt: Path, src, hyp, ref=None) -> dict:
    files = {}
    for name, lines in (("src", src), ("hyp", hyp), ("ref", ref)):
        if lines is None:
            continue
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "comet.json"
    cmd = [str(BIN / "comet-score"), "-s", str(files["src"]), "-t", str(files["hyp"]), "--model", str(model_ckpt),
           "--gpus", "0", "--quiet", "--to_json", str(out), "--batch_size", "4"]
    if ref is not None:
        cmd += ["-r", str(files["ref"])]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    (rows,) = data.values()
    system_line = [l for l in proc.stdout.splitlines() if "\tscore:" in l and "Segment" not in l][-1]
    return {"scores": [row["COMET"] for row in rows], "system": float(system_line.rsplit(":", 1)[1])}


def test_import_does_not_import_torch():
    code = "import sys, mteval.metrics.comet.scorer; sys.exit(1 if {'torch', 'comet'} & set(sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_reference_based_scores_equal_comet_score_cli(tmp_path, tiny_comet, segments, da_scores):  # noqa: F811
    """comet-score (unbabel-comet 2.2) calls model.half(): mteval's fp16 path must give its numbers."""
    ids, hyps, refs = segments
    cli = _comet_score_cli(tmp_path, tiny_comet.da_ckpt, ids, hyps, refs)
    half = CometScorer(str(tiny_comet.da), cache=False, precision="fp16", batch_size=3, reuse_embeddings=False).score(
        sources=ids, hypotheses=hyps, references=refs
    )
    # equal to 4 decimals: the CLI's JSON has full segment scores, its stdout the rounded system score
    assert half.scores == pytest.approx(cli["scores"], abs=5e-5)
    assert half.system_score == pytest.approx(cli["system"], abs=5e-5 + 5e-5)
    # From reused sentence embeddings (other batches, so other fp16 roundings): within one fp16 step
    # of a score below 1 in magnitude (2**-11).
    reused = CometScorer(str(tiny_comet.da), cache=False, precision="fp16", batch_size=3).score(
        sources=ids, hypotheses=hyps, references=refs
    )
    assert reused.scores == pytest.approx(cli["scores"], abs=2**-11)
    # the segments differ, so equal scores above are not a constant coincidence
    assert max(half.scores) - min(half.scores) > 1e-3
    # and the half-precision CLI stays near the fp32 numbers of COMET's Python API
    assert da_scores.scores == pytest.approx(cli["scores"], abs=2e-3)


def test_reference_based_scores_equal_stock_predict(tiny_comet, segments, da_scores):  # noqa: F811
    import comet

    ids, hyps, refs = segments
    stock = comet.load_from_checkpoint(str(tiny_comet.da_ckpt)).predict(
        [{"src": s, "mt": t, "ref": r} for s, t, r in zip(ids, hyps, refs)], batch_size=4, gpus=0, progress_bar=False
    )
    assert da_scores.scores == pytest.approx(stock.scores, abs=5e-5)
    assert da_scores.system_score == pytest.approx(stock.system_score, abs=5e-5)


def test_reference_free_scores_equal_stock_predict(tiny_comet, segments):  # noqa: F811
    import comet

    ids, hyps, _ = segments
    scorer = CometScorer(str(tiny_comet.qe), cache=False)
    assert scorer.reference_free
    result = scorer.score(sources=ids, hypotheses=hyps)  # source-only: no references at all
    stock = comet.load_from_checkpoint(str(tiny_comet.qe_ckpt)).predict(
        [{"src": s, "mt": t} for s, t in zip(ids, hyps)], batch_size=4, gpus=0, progress_bar=False
    )
    assert result.scores == pytest.approx(stock.scores, abs=5e-5)
    assert result.system_score == pytest.approx(stock.system_score, abs=5e-5)
    assert result.provenance["reference_free"] is True


def test_result_is_dict_and_attributes(da_scores, segments):
    assert isinstance(da_scores, CometResult)
    assert da_scores["scores"] is da_scores.scores
    assert len(da_scores.scores) == len(segments[0])
    assert da_scores.system_score == pytest.approx(sum(da_scores.scores) / len(da_scores.scores))
    prov = da_scores.provenance
    assert prov["comet_version"] and prov["precision"] == "fp32" and prov["device"] == "cpu"
    assert len(prov["checkpoint_sha256"]) == 64 and prov["reference_free"] is False


def test_order_restored_under_permutation_and_batch_size(tiny_comet, segments, da_scores):  # noqa: F811
    ids, hyps, refs = segments
    perm = list(reversed(range(len(ids))))
    perm = perm[1::2] + perm[0::2]
    scorer = CometScorer(str(tiny_comet.da), cache=False, batch_size=1)
    permuted = scorer.score(
        sources=[ids[i] for i in perm], hypotheses=[hyps[i] for i in perm], references=[refs[i] for i in perm]
    )
    # batch size 1 has no padding at all; batch size 3 with length sorting must agree, in input order
    assert permuted.scores == pytest.approx([da_scores.scores[i] for i in perm], abs=1e-5)


def test_inputs_not_mutated(tiny_comet, segments):  # noqa: F811
    ids, hyps, refs = segments
    copies = (list(ids), list(hyps), list(refs))
    CometScorer(str(tiny_comet.da), cache=False).score(sources=ids, hypotheses=hyps, references=refs)
    assert (ids, hyps, refs) == copies


def test_cache_reuses_scores_without_loading_model(tmp_path, tiny_comet, segments, da_scores, monkeypatch):  # noqa: F811
    from mteval.metrics.comet import scorer as comet_scorer

    ids, hyps, refs = segments
    cache = tmp_path / "scores.sqlite"
    first = CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids[:4], hypotheses=hyps[:4], references=refs[:4])
    assert first.provenance["cached_segments"] == 0

    # Growing the document: only the new segments are scored.
    second = CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids, hypotheses=hyps, references=refs)
    assert second.provenance["cached_segments"] == 4
    assert second.scores == pytest.approx(da_scores.scores, abs=1e-5)

    def refuse(*args, **kwargs):
        raise AssertionError("a fully cached call loaded a model")

    monkeypatch.setattr(comet_scorer, "load_model", refuse)
    third_scorer = CometScorer(str(tiny_comet.da), cache=cache)
    third = third_scorer.score(sources=ids, hypotheses=hyps, references=refs)
    assert third.provenance["cached_segments"] == len(ids)
    assert third.scores == second.scores
    assert third_scorer._model is None

    # A changed reference is a different segment: it is not served from the cache.
    changed = list(refs)
    changed[0] = changed[0] + " Extra words."
    with pytest.raises(AssertionError, match="loaded a model"):
        CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids, hypotheses=hyps, references=changed)


def test_cache_is_per_precision(tmp_path, tiny_comet, segments):  # noqa: F811
    ids, hyps, refs = segments
    cache = tmp_path / "scores.sqlite"
    CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids, hypotheses=hyps, references=refs)
    bf16 = CometScorer(str(tiny_comet.da), cache=cache, precision="bf16").score(sources=ids, hypotheses=hyps, references=refs)
    assert bf16.provenance["cached_segments"] == 0 and bf16.provenance["precision"] == "bf16"


def test_corrupt_cache_is_reported_and_left_untouched(tmp_path, tiny_comet, segments):  # noqa: F811
    ids, hyps, refs = segments
    cache = tmp_path / "scores.sqlite"
    garbage = b"this is not a database\n" * 200
    cache.write_bytes(garbage)
    with pytest.raises(CacheError) as info:
        CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids, hypotheses=hyps, references=refs)
    message = str(info.value)
    assert str(cache) in message and "\n" not in message
    assert cache.read_bytes() == garbage


def test_foreign_sqlite_cache_is_reported_and_left_untouched(tmp_path, tiny_comet, segments):  # noqa: F811
    import sqlite3

    ids, hyps, refs = segments
    cache = tmp_path / "other.sqlite"
    conn = sqlite3.connect(cache)
    with conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    before = cache.read_bytes()
    with pytest.raises(CacheError, match="other.sqlite"):
        CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids, hypotheses=hyps, references=refs)
    assert cache.read_bytes() == before


def test_hub_name_offline_is_one_sentence():
    scorer = CometScorer("Unbabel/wmt22-comet-da", cache=False)
    with pytest.raises(ModelUnavailableError) as info:
        scorer.score(sources=["Halo."], hypotheses=["Hello."], references=["Hi."])
    message = str(info.value)
    assert "Unbabel/wmt22-comet-da" in message and "--comet-model" in message and "\n" not in message


@pytest.mark.parametrize("kind", ["empty-dir", "text-file", "missing", "garbage-ckpt", "no-hparams"])
def test_not_a_checkpoint_is_one_sentence(tmp_path, kind, tiny_comet):  # noqa: F811
    if kind == "empty-dir":
        target = tmp_path / "empty"
        target.mkdir()
    elif kind == "text-file":
        target = tmp_path / "model.txt"
        target.write_text("hello", encoding="utf-8")
    elif kind == "missing":
        target = tmp_path / "nowhere" / "model.ckpt"
    elif kind == "garbage-ckpt":
        target = tmp_path / "broken"
        (target / "checkpoints").mkdir(parents=True)
        (target / "checkpoints" / "model.ckpt").write_bytes(b"\x00not a checkpoint" * 50)
        (target / "hparams.yaml").write_text((tiny_comet.da / "hparams.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    else:
        target = tmp_path / "nohp"
        (target / "checkpoints").mkdir(parents=True)
        (target / "checkpoints" / "model.ckpt").write_bytes(tiny_comet.da_ckpt.read_bytes())
    with pytest.raises(InputError) as info:
        CometScorer(str(target), cache=False).score(sources=["a"], hypotheses=["b"], references=["c"])
    assert "\n" not in str(info.value) and str(info.value).endswith(".")
    if kind == "garbage-ckpt":
        assert "is not a PyTorch checkpoint" in str(info.value)


def test_a_truncated_checkpoint_is_named_as_such(tmp_path, tiny_comet):  # noqa: F811
    target = tmp_path / "half"
    (target / "checkpoints").mkdir(parents=True)
    whole = tiny_comet.da_ckpt.read_bytes()
    (target / "checkpoints" / "model.ckpt").write_bytes(whole[:len(whole) // 2])
    (target / "hparams.yaml").write_text((tiny_comet.da / "hparams.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="damaged or its download did not finish"):
        CometScorer(str(target), cache=False).score(sources=["a"], hypotheses=["b"], references=["c"])


class _Payload:
    """Stands for arbitrary code in a pickled checkpoint."""


def test_checkpoint_with_pickled_objects_is_refused(tmp_path, tiny_comet):  # noqa: F811
    import torch

    target = tmp_path / "evil"
    (target / "checkpoints").mkdir(parents=True)
    (target / "hparams.yaml").write_text((tiny_comet.da / "hparams.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    checkpoint = torch.load(tiny_comet.da_ckpt, map_location="cpu", weights_only=True)
    checkpoint["extra"] = _Payload()
    torch.save(checkpoint, target / "checkpoints" / "model.ckpt")
    with pytest.raises(InputError, match="safe loader refuses"):
        CometScorer(str(target), cache=False).score(sources=["a"], hypotheses=["b"], references=["c"])


def test_reference_requirements(tiny_comet, segments):  # noqa: F811
    ids, hyps, refs = segments
    da = CometScorer(str(tiny_comet.da), cache=False)
    assert da.reference_free is False
    with pytest.raises(InputError, match="needs references"):
        da.score(sources=ids, hypotheses=hyps)
    with pytest.raises(InputError, match="segment 1 has none"):
        da.score(sources=ids[:2], hypotheses=hyps[:2], references=[refs[0], None])
    with pytest.raises(InputError):
        da.score(sources=ids[:2], hypotheses=hyps[:3], references=refs[:3])
    # A reference-free model ignores references: same scores with or without them.
    qe = CometScorer(str(tiny_comet.qe), cache=False)
    with_refs = qe.score(sources=ids, hypotheses=hyps, references=refs)
    without = qe.score(sources=ids, hypotheses=hyps)
    assert with_refs.scores == without.scores


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_fast_precisions_stay_close_to_fp32(tiny_comet, segments, da_scores, precision):  # noqa: F811
    ids, hyps, refs = segments
    result = CometScorer(str(tiny_comet.da), cache=False, precision=precision, batch_size=3).score(
        sources=ids, hypotheses=hyps, references=refs
    )
    assert result.provenance["precision"] == precision
    diffs = [abs(a - b) for a, b in zip(result.scores, da_scores.scores)]
    assert max(diffs) < 0.02
    assert result.scores != da_scores.scores  # a different numeric path really ran


def test_bad_options_are_input_errors():
    with pytest.raises(InputError):
        CometScorer(precision="fp8")
    with pytest.raises(InputError):
        CometScorer(batch_size=0)
    with pytest.raises(InputError):
        CometScorer(device="tpu")


def test_other_mteval_cache_is_not_taken_for_a_comet_cache(tmp_path, tiny_comet, segments):  # noqa: F811
    from mteval.caches.translations import TranslationCache

    ids, hyps, refs = segments
    cache = tmp_path / "translations.sqlite"
    translations = TranslationCache(cache)
    translations.put_many("m", "s", {"Halo.": "Hello."})
    translations.close()
    before = cache.read_bytes()
    with pytest.raises(CacheError, match="translations.sqlite") as info:
        CometScorer(str(tiny_comet.da), cache=cache).score(sources=ids, hypotheses=hyps, references=refs)
    assert "\n" not in str(info.value)
    assert cache.read_bytes() == before


def test_a_comet_cache_caught_between_its_table_and_its_mark_is_opened(tmp_path):
    """Another process created the table and has not yet marked it (or was killed there): the cache is new, not foreign."""
    from mteval.caches.comet_scores import CometCacheFile
    from mteval.caches.store import KeyValueStore

    path = tmp_path / "comet.sqlite"
    KeyValueStore(path, what="COMET cache").get_many(["k"])  # the table, without the layout mark
    store = CometCacheFile(path).store
    store.put_many([("k", "1.0")])
    assert CometCacheFile(path).store.get_many(["k"]) == {"k": "1.0"}


def test_cuda_asked_for_where_there_is_none_is_one_sentence():
    import torch

    from mteval.metrics.comet.precision import resolve_device

    if torch.cuda.is_available():
        assert resolve_device("cuda") == "cuda"
    else:
        with pytest.raises(InputError, match="torch sees no CUDA device here"):
            resolve_device("cuda")
    assert resolve_device("cpu") == "cpu"
