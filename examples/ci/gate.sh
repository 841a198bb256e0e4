#!/usr/bin/env bash
# Gate a candidate Marian model against the current one on the bundled example.
# usage: examples/ci/gate.sh BASELINE_MODEL CANDIDATE_MODEL OUT_DIR
# Exit status: 0 the candidate may replace the baseline, 1 regression, 2 misuse.
set -euo pipefail
baseline_model=$1
candidate_model=$2
out=$3
example="$(dirname "$0")/../antara-kominfo-2024"
common=(--engine transformers --beam-size 2 --max-length 48 --no-comet --bootstrap 200)

mteval run "$example" --model "current=$baseline_model" "${common[@]}" --save-baseline "$out/baseline.json"
mteval run "$example" --model "candidate=$candidate_model" "${common[@]}" --out "$out/candidate"
mteval gate "$out/candidate/results.json" --baseline "$out/baseline.json" \
    --max-drop bleu=0.5 --max-drop chrf=1.0 \
    --markdown "$out/gate.md" --junit "$out/gate.xml"
