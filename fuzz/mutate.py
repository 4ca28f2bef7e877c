#!/usr/bin/env python3
"""Black-box mutation of the fixtures, run through the `concord` binary.

libFuzzer (the cargo-fuzz targets beside this file) drives the library on small inputs. This
drives the commands a user runs, on the bundled fixtures with a few random edits each: bytes
deleted, copied or flipped, and tokens inserted that have broken parsers before (quotes, line
ends, byte order marks, invalid UTF-8, a run of 70,000 letters, impossible dates). A run fails
on an exit the README does not list (above 4), a signal, or "panicked" on stderr, and keeps the
inputs in `fuzz/mutations/KIND-SEED-ITERATION/` with the command and its stderr; so does a
command still running after 60 seconds.

    python3 fuzz/mutate.py KIND [--seed N] [--runs N] [--bin PATH]

KIND is one of: activities, rules, assessments, assessments-csv, exemptions, xlsx, xlsb, ods,
xls, workbooks (several in one run), diff.
The same seed gives the same inputs. It needs `cargo build --release` first (or --bin).
"""

import argparse
import io
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
MODEL = FIXTURES / "verdict-model"
EXAMPLE = FIXTURES / "sco-2015-2025"

TOKENS = [
    b'"', b",", b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b'""',
    b"9999-99-99", b"2016-02-30", b"-1", b"1e309", b"NaN", b" ", b"\t", "é".encode(),
    b"\xe2\x80", b"A" * 70000, b";", b"=", b"[", b"]", b"{", b"}", b"'", b"#", b"0",
    b"99999999999999999999",
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to six edits: a deletion, an inserted token, a flipped byte or a copied stretch."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op, i = rng.random(), rng.randint(0, len(b))
        if op < 0.3 and b:
            del b[i : i + rng.randint(1, 20)]
        elif op < 0.6:
            b[i:i] = rng.choice(TOKENS)
        elif op < 0.8 and b:
            b[min(i, len(b) - 1)] = rng.randint(0, 255)
        else:
            j, k = sorted((rng.randint(0, len(b)), rng.randint(0, len(b))))
            b[i:i] = b[j:k][:500]
    return bytes(b)


def mutated_workbook(rng: random.Random, path: Path) -> bytes:
    """The workbook with one of its XML parts (an xlsb's binary parts and relationships)
    mutated, zipped again (a byte flipped in the zip itself only fails its checksum)."""
    kinds = (".bin", ".rels") if path.suffix == ".xlsb" else (".xml",)
    with zipfile.ZipFile(path) as book:
        parts = sorted(book.namelist())
        victim = rng.choice([p for p in parts if p.endswith(kinds)])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as again:
            for part in book.namelist():
                data = book.read(part)
                if part == victim:
                    data = mutate(rng, data)
                stored = part == "mimetype"
                again.writestr(part, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def mutated_xls(rng: random.Random, path: Path) -> bytes:
    """The xls workbook with bytes of its BIFF stream changed in place: the compound file around
    it stays whole (its length, its sectors), so that the records reach calamine. Two-byte
    values (record lengths, rows, columns, offsets) get extremes as often as random bytes."""
    b = bytearray(path.read_bytes())
    shift = int.from_bytes(b[30:32], "little")
    sector = 1 << shift
    directory = (int.from_bytes(b[48:52], "little") + 1) * sector
    name = "Workbook".encode("utf-16-le")
    entry = next(at for at in range(directory, directory + sector, 128) if b[at:at + 16] == name)
    size = int.from_bytes(b[entry + 120:entry + 128], "little")
    start = b.find(bytes([0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00]))
    for _ in range(rng.randint(1, 6)):
        i = start + rng.randrange(size - 1)
        if rng.random() < 0.5:
            b[i] = rng.randint(0, 255)
        else:
            b[i:i + 2] = rng.choice([0, 1, 0x7FFF, 0x8000, 0xFFFF]).to_bytes(2, "little")
    return bytes(b)


def commands(kind: str, rng: random.Random, work: Path, concord: str) -> list[list[str]]:
    """Write this run's mutated input into `work` and return the commands that read it."""
    acts = str(MODEL / "activities.csv")
    model = ["--rules", str(MODEL / "rules")]
    if kind == "activities":
        lines = (EXAMPLE / "activities.csv").read_bytes().split(b"\n")[:120]
        (work / "a.csv").write_bytes(mutate(rng, b"\n".join(lines)))
        a = str(work / "a.csv")
        return [
            [concord, "check", "--activities", a, "--format", "json", "--rejects",
             str(work / "rejects.csv"), "--out", str(work / "report.json")],
            [concord, "validate", a, "--format", "json"],
            [concord, "summary", "--activities", a, "--from", "2016", "--to", "2018",
             "--out-dir", str(work / "summary")],
        ]
    if kind == "rules":
        rules = work / "rules"
        shutil.copytree(MODEL / "rules", rules)
        victim = rng.choice(sorted(rules.rglob("*.toml")))
        victim.write_bytes(mutate(rng, victim.read_bytes()))
        return [
            [concord, "lint", "--rules", str(rules), "--format", "json"],
            [concord, "check", "--rules", str(rules), "--activities", acts, "--format", "html",
             "--out", str(work / "report.html")],
            [concord, "graph", "--rules", str(rules)],
        ]
    if kind in ("assessments", "assessments-csv"):
        source = MODEL / ("assessments.toml" if kind == "assessments"
                          else "assessments-unknown-evidence.csv")
        target = work / source.name
        target.write_bytes(mutate(rng, source.read_bytes()))
        return [[concord, "check", *model, "--activities", acts, "--assessments", str(target),
                 "--format", "json", "--out", str(work / "report.json")]]
    if kind == "exemptions":
        (work / "exemptions.toml").write_bytes(
            mutate(rng, (EXAMPLE / "exemptions.toml").read_bytes()))
        return [[concord, "check", "--activities", str(EXAMPLE / "activities.csv"),
                 "--exemptions", str(work / "exemptions.toml"), "--out",
                 str(work / "report.md")]]
    if kind in ("xlsx", "xlsb", "ods", "xls"):
        book = work / f"a.{kind}"
        fixture = FIXTURES / "workbooks" / f"activities.{kind}"
        mutated = mutated_xls if kind == "xls" else mutated_workbook
        book.write_bytes(mutated(rng, fixture))
        return [
            [concord, "check", "--activities", str(book), "--format", "csv", "--out",
             str(work / "report.csv"), "--rejects", str(work / "rejects.csv")],
            [concord, "validate", str(book)],
        ]
    if kind == "workbooks":
        # Several workbooks in one run, converted on two threads (`activity/converting.rs`):
        # one of each format mutated, and each format's fixture as it is, whose rows repeat
        # the ids of the others.
        books = []
        for i, ext in enumerate(rng.sample(["xlsx", "xlsb", "ods", "xls"], 4) * 2):
            book = work / f"{i}.{ext}"
            fixture = FIXTURES / "workbooks" / f"activities.{ext}"
            mutated = mutated_xls if ext == "xls" else mutated_workbook
            book.write_bytes(mutated(rng, fixture) if i < 4 else fixture.read_bytes())
            books.append(str(book))
        return [
            [concord, "validate", *books, "--format", "json"],
            [concord, "check", "--activities", *books[4:], *books[:4], "--format", "json",
             "--out", str(work / "report.json"), "--rejects", str(work / "rejects.csv")],
        ]
    if kind == "diff":
        base = work.parent / "diff-base.json"
        if not base.exists():
            subprocess.run([concord, "check", "--activities", str(EXAMPLE / "activities.csv"),
                            "--format", "json", "--out", str(base)], capture_output=True,
                           check=True)
        (work / "new.json").write_bytes(mutate(rng, base.read_bytes()))
        return [[concord, "diff", str(base), str(work / "new.json"), "--format", "json"]]
    raise SystemExit(f"unknown kind {kind}")


def main() -> int:
    kinds = ["activities", "rules", "assessments", "assessments-csv", "exemptions", "xlsx",
             "xlsb", "ods", "xls", "workbooks", "diff"]
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", choices=kinds)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--runs", type=int, default=500)
    p.add_argument("--bin", default=str(ROOT / "target" / "release" / "concord"))
    args = p.parse_args()
    rng = random.Random(args.seed)
    out = ROOT / "fuzz" / "mutations"
    scratch = out / f"scratch-{args.kind}-{args.seed}"
    failed = 0
    for run in range(args.runs):
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        for cmd in commands(args.kind, rng, scratch, args.bin):
            try:
                done = subprocess.run(cmd, capture_output=True, timeout=60)
                code, stderr = done.returncode, done.stderr
            except subprocess.TimeoutExpired as hung:
                code, stderr = "hung (60 s)", hung.stderr or b""
            if isinstance(code, int) and 0 <= code <= 4 and b"panicked" not in stderr:
                continue
            failed += 1
            keep = out / f"{args.kind}-{args.seed}-{run}"
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(scratch, keep)
            said = stderr.decode("utf-8", "replace")
            (keep / "failure.txt").write_text(
                f"{' '.join(cmd).replace(str(scratch), str(keep))}\n"
                f"exit {code}\n{said[:4000]}")
            print(f"failure: {keep} (exit {code})", file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{args.kind}, seed {args.seed}: {args.runs} runs, {failed} failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
