"""Turn bench/run.sh's raw timings into the measured block of docs/performance.md.

Only the text between the `bench:begin` and `bench:end` markers is replaced; the prose around
it (the analysis) is kept. Every ratio compares figures of the same run.
"""
import statistics
import sys
from collections import defaultdict

results, out, machine, reps, seed, bad, load = sys.argv[1:8]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
FORMATS = ["md", "json", "csv", "html", "junit"]

runs = defaultdict(list)
failed = defaultdict(int)
for line in open(results):
    shape, label, rows, secs, rss, code = line.rstrip("\n").split("\t")
    key = (shape, label, int(rows))
    runs[key].append((float(secs), int(rss)))
    if code not in ("0", "1"):  # 1 is a normal answer of some tools; 2+ is a failure
        failed[key] += 1

def median(shape, label, rows):
    xs = runs.get((shape, label, rows))
    if not xs:
        return None, None
    return statistics.median(s for s, _ in xs), max(r for _, r in xs)

def fmt_s(x):
    return "n/a" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")

def mb(kb):
    """GNU time's `%M` is in KiB; a target's MB are 10^6 bytes."""
    return kb * 1024 / 1e6

def fmt_mb(kb):
    return "n/a" if kb is None else f"{mb(kb):.0f} MB"

def fmt_both(kb):
    return f"{mb(kb):.1f} MB ({kb / 1024:.1f} MiB)"

def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"

def verdict(ok):
    return "met" if ok else "**missed**"

shapes = sorted({s for (s, l, _) in runs if s != "example"}, key=lambda s: (s != "default", s))
formats = [f for f in FORMATS if any(l == f"check-{f}" for (_, l, _) in runs)]
lines = [BEGIN, "", "### Machine", "", machine.strip(), f"- {load} (at the end of the run)", "",
         f"Generated files: `concord-gen --seed {seed} --bad-share {bad} --shape SHAPE`"
         + ("" if not any(s.endswith("-crlf") for s in shapes)
            else " (`SHAPE-crlf`: `--shape SHAPE --crlf`, every line ended by `\\r\\n`)")
         + "; "
         f"{reps} runs per command, in rounds of one run of each command of a shape and size "
         f"(the example dataset: {int(reps) * 4}); median wall time, "
         "peak RSS is the largest of the runs (GNU time `%M`, in MB of 10^6 bytes). `check F` is "
         "`concord check --format F --out FILE`; ratios are to the csv baseline (`/ base`) and "
         "to the DuckDB peer (`/ duck`) of the same shape and size in the same run."]
targets = []
for shape in shapes:
    sizes = sorted({r for (s, l, r) in runs if s == shape})
    lines += ["", f"### Shape `{shape}`", "",
              "| rows | csv baseline | DuckDB peer | " + " | ".join(f"check {f}" for f in formats)
              + " | summary 2016-2025 | summary / check md |",
              "|---:|---:|---:|" + "---:|" * len(formats) + "---:|---:|"]
    rss_lines = ["", "| rows | " + " | ".join(f"peak RSS check {f}" for f in formats)
                 + " | peak RSS summary |", "|---:|" + "---:|" * (len(formats) + 1)]
    for n in sizes:
        b, _ = median(shape, "baseline", n)
        d, _ = median(shape, "duckdb", n)
        s, srss = median(shape, "summary", n)
        cmd, _ = median(shape, "check-md", n)
        cells, rcells = [], []
        for f in formats:
            c, crss = median(shape, f"check-{f}", n)
            cells.append(f"{fmt_s(c)} ({ratio(c, b)} / base, {ratio(c, d)} / duck)")
            rcells.append(fmt_mb(crss))
            limit = 100 if n <= 1_000_000 else 500
            if c and b:
                targets.append((f"check {f} <= 1.5x baseline, {shape}, {n:,} rows", f"{c / b:.2f}x", c / b <= 1.5))
            if c and d:
                targets.append((f"check {f} faster than DuckDB, {shape}, {n:,} rows", f"{c / d:.2f}x", c < d))
            if crss:
                targets.append((f"peak RSS check {f} < {limit} MB, {shape}, {n:,} rows", fmt_both(crss), mb(crss) < limit))
        if s and cmd:
            targets.append((f"summary 2016-2025 <= 1.2x check md, {shape}, {n:,} rows", f"{s / cmd:.2f}x", s / cmd <= 1.2))
        lines.append(f"| {n:,} | {fmt_s(b)} | {fmt_s(d)} | " + " | ".join(cells)
                     + f" | {fmt_s(s)} | {ratio(s, cmd)} |")
        rss_lines.append(f"| {n:,} | " + " | ".join(rcells) + f" | {fmt_mb(srss)} |")
    lines += rss_lines
ex = [k for k in runs if k[1] == "example-check"]
if ex:
    e, erss = median(*ex[0])
    lines += ["", f"`concord check` on the bundled example (`fixtures/sco-2015-2025/activities.csv`, "
              f"{ex[0][2]:,} rows), rules loading included: median {e * 1000:.0f} ms "
              f"(GNU time has 10 ms resolution), peak RSS {fmt_mb(erss)}."]
    targets.append(("check on the example < 50 ms", f"{e * 1000:.0f} ms", e < 0.05))

met = sum(1 for *_, ok in targets if ok)
lines += ["", "### Targets", "", f"{met} of {len(targets)} met.", "", "| target | measured | |", "|---|---:|---|"]
lines += [f"| {t} | {m} | {verdict(ok)} |" for t, m, ok in targets]
if failed:
    lines += ["", "Runs that failed (exit code >= 2): " +
              ", ".join(f"{l} ({s}) {r:,} rows x{n}" for (s, l, r), n in sorted(failed.items()))]
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
