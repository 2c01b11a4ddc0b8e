"""Benchmark of the certificate reader (not a test; prints numbers).

    .venv/bin/python bench/extraction.py [FOLDER_OF_PDFS]

- median milliseconds per page, by reading method, over the certificates the
  project draws (and over a folder of real ones when given);
- peak memory of reading a 200-page file, measured in a fresh process.

The suite (suite.py) keeps the first figure, through `step`, with the
field accuracy and seconds per page of drawn scans beside the text layer
(scans.py).
"""

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import scans
from benchlib.paths import REPO_DIR, load_engine, load_fixtures

RUNS = 5


def timed(engine, data):
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = engine.extract(data)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), result


def peak_memory_200_pages():
    code = (
        "import sys, resource; sys.path.insert(0, 'setup'); import coi_load;"
        "fx = coi_load.load_fixtures(); data = fx.many_pages_pdf(n=200);"
        "rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024;"
        "base = rss(); import coi_engine; r = coi_engine.extract(data);"
        "print(base, rss(), len(r.pages))"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1]), int(out[2]), time.perf_counter() - start


def step(args):
    """Median ms per page by reading method, over --certificates (a folder of
    PDFs) or over certificates the fixtures draw."""
    engine = load_engine()
    fx = load_fixtures()
    if args.certificates:
        docs = {p.name: p.read_bytes() for p in sorted(Path(args.certificates).glob("*.pdf"))}
        source = "a folder of real and made-up certificates, not in the repository"
    else:
        docs = {}
        for n in range(20):
            data = json.loads(json.dumps(fx.SAMPLE))
            data["insured"]["name"] = f"Generated Contractor {n} LLC"
            docs[f"layout-{n}"] = fx.layout_pdf(data, edition=("2016/03", "2014/01")[n % 2])
        for n in range(5):
            docs[f"acroform-{n}"] = fx.acroform_pdf(naming=("flat", "F0P1")[n % 2])
        docs["xfa"] = fx.xfa_pdf()
        docs["packet"] = fx.packet_pdf()
        source = "drawn by the test fixtures: text layer, AcroForm, XFA, a 3-page packet"
    per_method = {}
    for data in docs.values():
        ms, result = timed(engine, data)  # median of 5 readings
        method = result.method or "error"
        per_method.setdefault(method, []).append(ms / max(len(result.pages), 1))
    return {
        "documents": len(docs),
        "source": source,
        "scans": scans.step(args),
        "per_method": {
            method: {"documents": len(v), "median_ms_per_page": statistics.median(v)}
            for method, v in per_method.items()
        },
        "seconds": None,
    }


def main():
    engine = load_engine()
    fx = load_fixtures()
    samples = {
        "layout 2016/03": fx.layout_pdf(),
        "layout 2014/01": fx.layout_pdf(edition="2014/01"),
        "freetext": fx.freetext_pdf(),
        "acroform flat": fx.acroform_pdf(naming="flat"),
        "acroform F0P1": fx.acroform_pdf(naming="F0P1"),
        "xfa": fx.xfa_pdf(),
        "packet (3 pages)": fx.packet_pdf(),
        "scanned (OCR)": fx.scanned_pdf(),
    }
    if len(sys.argv) > 1:
        for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
            samples[path.stem[:40]] = path.read_bytes()
    per_page = {}
    print(f"{'document':42} {'method':9} {'pages':>5} {'ms':>8} {'ms/page':>8}")
    for name, data in samples.items():
        ms, result = timed(engine, data)
        pages = max(len(result.pages), 1)
        method = result.method or (result.error and "error") or "-"
        per_page.setdefault(method, []).append(ms / pages)
        print(f"{name:42} {method:9} {pages:5} {ms:8.0f} {ms / pages:8.0f}")
    print()
    for method, values in sorted(per_page.items()):
        print(
            f"median ms per page, {method:9}: {statistics.median(values):6.0f}  (n={len(values)})"
        )
    base, peak, pages, seconds = peak_memory_200_pages()
    print(
        f"200-page file: {pages} pages listed in {seconds:.1f} s, peak RSS {peak} MB "
        f"(interpreter and libraries before reading: {base} MB)"
    )
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
