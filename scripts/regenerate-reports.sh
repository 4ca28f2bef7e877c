#!/usr/bin/env bash
# Regenerate everything under reports/ from the bundled rules and the example dataset.
# Usage: scripts/regenerate-reports.sh [OUT_DIR]   (default: reports)
# The test `tests/reports_dir.rs` runs this into a temporary directory and fails on any difference
# with the committed reports/, so what is committed is always exactly the engine's output.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-reports}
data=fixtures/sco-2015-2025
if [ -n "${CONCORD:-}" ]; then
  concord() { "$CONCORD" "$@"; }
else
  cargo build -q --release
  concord() { target/release/concord "$@"; }
fi
mkdir -p "$out/summaries"
inputs=("$data/activities.csv" "$data/bad-rows.csv")
# The example dataset's exemptions are illustrative: they are passed, never bundled. Its analyst
# adjudication shows computed and adjudicated verdicts side by side.
extra=(--exemptions "$data/exemptions.toml" --assessments "$data/assessments.toml")

concord catalogue --out "$out/catalogue.md"
# Each run reads the activities once and writes every format.
concord check "${extra[@]}" --activities "${inputs[@]}" --as-of 2025-12-31 --formats md,html,json \
  --out-dir "$out" --rejects "$out/rejects.csv" 2>/dev/null
concord summary "${extra[@]}" --activities "${inputs[@]}" --from 2016 --to 2025 --formats md,html,json \
  --out-dir "$out/summaries" 2>/dev/null

# The public record (fixtures/public-record/): the final assessment on sourced facts only.
pr="$out/public-record"
mkdir -p "$pr/summaries"
public=(fixtures/public-record/activities.csv)
concord check --activities "${public[@]}" --as-of 2025-12-31 --formats md,html,json \
  --out-dir "$pr" 2>/dev/null
concord summary --activities "${public[@]}" --from 2016 --to 2025 --formats md,html,json \
  --out-dir "$pr/summaries" 2>/dev/null
