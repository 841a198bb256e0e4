#!/usr/bin/env bash
# Gate a candidate Marian model against the current one on test documents (by default the bundled example).
# usage: examples/ci/gate.sh BASELINE_MODEL CANDIDATE_MODEL OUT_DIR [DOCUMENTS]
# Exit status: 0 the candidate may replace the baseline, 1 regression, 2 misuse.
set -euo pipefail
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 BASELINE_MODEL CANDIDATE_MODEL OUT_DIR [DOCUMENTS]" >&2
    exit 2
fi
baseline_model=$1
candidate_model=$2
out=$3
documents=${4:-"$(dirname "$0")/../antara-kominfo-2024"}
common=(--engine transformers --beam-size 2 --max-length 48 --no-comet --bootstrap 200)

mteval run "$documents" --model "current=$baseline_model" "${common[@]}" --save-baseline "$out/baseline.json"
mteval run "$documents" --model "candidate=$candidate_model" "${common[@]}" --out "$out/candidate"
mteval gate "$out/candidate/results.json" --baseline "$out/baseline.json" \
    --max-drop bleu=0.5 --max-drop chrf=1.0 \
    --markdown "$out/gate.md" --junit "$out/gate.xml"
