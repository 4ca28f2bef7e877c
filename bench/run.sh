#!/usr/bin/env bash
# Reproduce docs/performance.md: build release, generate files of two shapes at 1M and 10M rows
# in a temp dir, time the csv baseline, `concord check` in every format, `concord summary --from
# 2016 --to 2025` and a DuckDB peer query (several repetitions each, in rounds of one run of
# each command, median, all in one run),
# record peak RSS, and rewrite the doc.
#
#   bench/run.sh                                     # full run (2 shapes x 1M and 10M rows)
#   SIZES="1000000" SHAPES=realistic REPS=3 bench/run.sh   # quicker
#   FORMATS="md json" bench/run.sh                   # some formats only
#
# Shapes (`concord-gen --shape`): `default` (60% of rows match a commitment, 30% name partners,
# short text) and `realistic` (90% match, 20% partners, a URL in `source`, a note in every row).
# A shape named with `-crlf` (`SHAPES=realistic-crlf`) is that shape with every line ended by
# `\r\n` (`concord-gen --crlf`), as spreadsheet programs save CSV on Windows.
#
# Needs: cargo, python3 (3.11+, for tomllib), GNU time (/usr/bin/time; `apt-get install -y time`),
# network for `pip install duckdb` (skipped with NO_DUCKDB=1). Nothing is written to the repo
# but docs/performance.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"1000000 10000000"}
SHAPES=${SHAPES:-"default realistic"}
FORMATS=${FORMATS:-"md json csv html junit"}
REPS=${REPS:-5}
SEED=${SEED:-1}
BAD=${BAD:-0.01}
WORK=${BENCH_DIR:-$(mktemp -d -t concord-bench.XXXXXX)}
OUT=${OUT:-$ROOT/docs/performance.md}
mkdir -p "$WORK"
echo "bench: working in $WORK" >&2

[ -x /usr/bin/time ] || { echo "bench: GNU time missing: apt-get install -y time" >&2; exit 1; }

cd "$ROOT"
cargo build --release --bins --quiet
BIN=$ROOT/target/release
RESULTS=$WORK/results.tsv
: > "$RESULTS"

# measure SHAPE LABEL ROWS CMD...: REPS runs; one line per run: shape label rows seconds
# max_rss_kb exit
measure() {
  local shape=$1 label=$2 rows=$3; shift 3
  for _ in $(seq "$REPS"); do
    /usr/bin/time -f "%e %M %x" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || true
    read -r secs rss code < <(tail -n 1 "$WORK/time.txt" | sed 's/^Command exited with non-zero status [0-9]*//')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$label" "$rows" "$secs" "$rss" "$code" >> "$RESULTS"
  done
}

# The DuckDB peer: matching counts per commitment selector, party and year, in one query.
if [ -z "${NO_DUCKDB:-}" ]; then
  python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install --quiet duckdb \
    || { echo "bench: duckdb unavailable, peer skipped" >&2; NO_DUCKDB=1; }
fi
python3 - "$ROOT/rules" "$WORK/selectors.csv" <<'PY'
import csv, glob, sys, tomllib
rules, out = sys.argv[1], sys.argv[2]
rows = []
for path in sorted(glob.glob(f"{rules}/chapters/*.toml")):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    for c in doc.get("commitment", []):
        sels = [c[k] for k in ("evidence", "restraint", "contrary") if k in c]
        for standing in (c.get("status"), c.get("binds_if")):
            for part in ("establish", "revoke"):
                if standing and part in standing:
                    sels.append(standing[part])
        if "trend" in c:
            sels.append({"kinds": ["indicator"], "subjects": [c["trend"]["metric"]]})
        for s in sels:
            for k in s["kinds"]:
                for subj in s.get("subjects") or [""]:
                    rows.append((c["id"], k, subj))
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["commitment", "kind", "subject"])
    w.writerows(rows)
PY
cat > "$WORK/peer.py" <<'PY'
import sys, duckdb
data, selectors, out = sys.argv[1:4]
duckdb.sql(f"""
COPY (
  SELECT s.commitment, a.party, year(a.date) AS year, count(*) AS matches
  FROM read_csv('{data}', header = true, all_varchar = true, ignore_errors = true,
                null_padding = false) AS a
  JOIN read_csv('{selectors}', header = true, all_varchar = true) AS s
    ON a.kind = s.kind AND (s.subject IS NULL OR s.subject = '' OR a.subject = s.subject)
  WHERE try_cast(a.date AS DATE) IS NOT NULL
  GROUP BY ALL ORDER BY ALL
) TO '{out}' (HEADER)
""".replace("year(a.date)", "year(try_cast(a.date AS DATE))"))
PY

for shape in $SHAPES; do
  for n in $SIZES; do
    f=$WORK/activities-$shape-$n.csv
    crlf=()
    [ "${shape%-crlf}" = "$shape" ] || crlf=(--crlf)
    [ -s "$f" ] || "$BIN/concord-gen" --rows "$n" --seed "$SEED" --bad-share "$BAD" --shape "${shape%-crlf}" "${crlf[@]}" --out "$f"
    # Round after round, every command once per round: the host's load drifts over minutes,
    # and the ratios compare commands, so each command's runs are spread over the same span.
    for _ in $(seq "$REPS"); do
      REPS=1 measure "$shape" baseline "$n" "$BIN/csv-baseline" "$f"
      for format in $FORMATS; do
        REPS=1 measure "$shape" "check-$format" "$n" "$BIN/concord" check --activities "$f" --format "$format" --out "$WORK/report.$format"
      done
      rm -rf "$WORK/summary"
      REPS=1 measure "$shape" summary "$n" "$BIN/concord" summary --activities "$f" --from 2016 --to 2025 --out-dir "$WORK/summary"
      if [ -z "${NO_DUCKDB:-}" ]; then
        REPS=1 measure "$shape" duckdb "$n" "$WORK/venv/bin/python" "$WORK/peer.py" "$f" "$WORK/selectors.csv" "$WORK/peer.csv"
      fi
    done
    rm -f "$f"  # 10M rows of the realistic shape are 2 GB: keep one file at a time
  done
done
EXAMPLE=$ROOT/fixtures/sco-2015-2025/activities.csv
if [ -s "$EXAMPLE" ]; then
  rows=$(($(wc -l < "$EXAMPLE") - 1))
  REPS=$((REPS * 4)) measure example example-check "$rows" "$BIN/concord" check --activities "$EXAMPLE" --out "$WORK/example.md"
fi

MACHINE=$( { echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')";
             echo "- nproc: $(nproc)";
             echo "- memory (free -g): $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')";
             echo "- kernel: $(uname -sr); $(rustc --version)";
             if [ -x "$WORK/venv/bin/python" ]; then
               echo "- duckdb: $("$WORK/venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
             fi; } )
python3 "$ROOT/bench/report.py" "$RESULTS" "$OUT" "$MACHINE" "$REPS" "$SEED" "$BAD" "$(uptime | sed 's/.*load average/load average/')"
echo "bench: wrote $OUT (raw timings: $RESULTS)" >&2
