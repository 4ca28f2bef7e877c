"""Turn bench/run.sh's raw timings into the measured block of docs/performance.md.

Only the text between the `bench:begin` and `bench:end` markers is replaced; the prose around
it (the analysis) is kept.
"""
import statistics
import sys
from collections import defaultdict

results, out, machine, reps, seed, bad = sys.argv[1:7]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

runs = defaultdict(list)
failed = defaultdict(int)
for line in open(results):
    label, rows, secs, rss, code = line.rstrip("\n").split("\t")
    runs[(label, int(rows))].append((float(secs), int(rss)))
    if code not in ("0", "1"):  # 1 is a normal answer of some tools; 2+ is a failure
        failed[(label, int(rows))] += 1

def median(label, rows):
    xs = runs.get((label, rows))
    if not xs:
        return None, None
    return statistics.median(s for s, _ in xs), max(r for _, r in xs)

def fmt_s(x):
    return "n/a" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")

def fmt_mb(kb):
    return "n/a" if kb is None else f"{kb / 1024:.0f} MB"

def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"

sizes = sorted({rows for (label, rows) in runs if label != "example-check"})
lines = [BEGIN, "", "### Machine", "", machine.strip(), "",
         f"Generated files: `concord-gen --seed {seed} --bad-share {bad}`; "
         f"{reps} runs per command (the example dataset: {int(reps) * 4}); median wall time, "
         "peak RSS is the largest of the runs (GNU time `%M`).", "",
         "### Timings", "",
         "| rows | csv baseline | concord check | check / baseline | summary 2016-2025 | summary / check | DuckDB peer | check / DuckDB | peak RSS check | peak RSS summary |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for n in sizes:
    b, _ = median("baseline", n)
    c, crss = median("check", n)
    s, srss = median("summary", n)
    d, _ = median("duckdb", n)
    lines.append(f"| {n:,} | {fmt_s(b)} | {fmt_s(c)} | {ratio(c, b)} | {fmt_s(s)} | {ratio(s, c)} | "
                 f"{fmt_s(d)} | {ratio(c, d)} | {fmt_mb(crss)} | {fmt_mb(srss)} |")
ex = [k for k in runs if k[0] == "example-check"]
if ex:
    e, erss = median(*ex[0])
    lines += ["", f"`concord check` on the bundled example (`fixtures/sco-2015-2025/activities.csv`, "
              f"{ex[0][1]:,} rows), rules loading included: median {e * 1000:.0f} ms "
              f"(GNU time has 10 ms resolution), peak RSS {fmt_mb(erss)}."]

def verdict(ok):
    return "met" if ok else "**missed**"

lines += ["", "### Targets", "", "| target | measured | |", "|---|---:|---|"]
big = max(sizes) if sizes else None
if big:
    b, _ = median("baseline", big)
    c, crss = median("check", big)
    if b and c:
        lines.append(f"| check <= 1.5x baseline at {big:,} rows | {c / b:.2f}x | {verdict(c / b <= 1.5)} |")
    if crss:
        limit = 500 if big >= 10_000_000 else 100
        lines.append(f"| peak RSS at {big:,} rows < {limit} MB | {fmt_mb(crss)} | {verdict(crss / 1024 < limit)} |")
    s, _ = median("summary", big)
    if s and c:
        lines.append(f"| summary 2016-2025 <= 1.2x check ({big:,} rows) | {s / c:.2f}x | {verdict(s / c <= 1.2)} |")
    elif c:
        lines.append("| summary 2016-2025 <= 1.2x check | not run (`concord summary` missing) | |")
if 1_000_000 in sizes and big != 1_000_000:
    _, rss1 = median("check", 1_000_000)
    if rss1:
        lines.append(f"| peak RSS at 1,000,000 rows < 100 MB | {fmt_mb(rss1)} | {verdict(rss1 / 1024 < 100)} |")
if ex:
    e, _ = median(*ex[0])
    lines.append(f"| check on the example < 50 ms | {e * 1000:.0f} ms | {verdict(e < 0.05)} |")
if failed:
    lines += ["", "Runs that failed (exit code >= 2): " +
              ", ".join(f"{l} {r:,} rows x{n}" for (l, r), n in sorted(failed.items()))]
lines += ["", END]
block = "\n".join(lines)

try:
    doc = open(out).read()
except FileNotFoundError:
    doc = f"# Performance\n\n{BEGIN}\n{END}\n"
if BEGIN in doc and END in doc:
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    doc = head + block + tail
else:
    doc = doc.rstrip("\n") + "\n\n" + block + "\n"
open(out, "w").write(doc)
