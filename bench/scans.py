"""Benchmark of the reader on drawn scans beside their text-layer originals
(not a test; prints numbers).

    .venv/bin/python bench/scans.py [--case NAME ...] [--format pdf|png|tiff ...]
        [--every] [--verbose]

About 15 s per scanned page with today's OCR on 2 cores: the default run
(12 cases, one certificate, as PDF) takes about 3 minutes.

The certificate the fixtures draw (with --every also the 2014/01 edition
and a second made-up certificate) are read from their text layer, then rendered
and degraded by the scan simulator (`coi_fixtures.simulate`: rotated,
skewed, noisy, blurred, JPEG-compressed, faxed at 200 x 100 dpi) and read
again as PDF-with-image, PNG or multi-page TIFF. Each reading is scored
field by field against what the fixture drew (`score_extraction`'s fields);
printed: field accuracy and seconds per page, per case and overall.

The suite (suite.py) keeps the totals, through `step`.
"""

import argparse
import copy
import statistics
import time

from benchlib.paths import load_engine, load_fixtures
from score_extraction import actual_fields, expected_fields, norm


def truth_of(data):
    """A fixture's data in the ground-truth shape `expected_fields` reads."""
    truth = copy.deepcopy(data)
    truth["certificate_date_iso"] = truth.get("certificate_date")
    for coverage in truth.get("coverages") or []:
        coverage["effective_date_iso"] = coverage.get("effective_date")
        coverage["expiration_date_iso"] = coverage.get("expiration_date")
    return truth


def documents(fx, every=False):
    """(name, pdf bytes, truth) of the certificates drawn: the sample, or
    with `every` also the 2014/01 edition and a second certificate."""
    second = copy.deepcopy(fx.SAMPLE)
    second["insured"]["name"] = "Copperline Electrical Contractors Inc"
    second["coverages"][0]["policy_number"] = "CGL-2044871"
    second["coverages"][0]["limits"]["EACH_OCCURRENCE"] = 2000000
    docs = [("sample 2016/03", fx.layout_pdf(), truth_of(fx.expected()))]
    if every:
        docs += [
            (
                "sample 2014/01",
                fx.layout_pdf(edition="2014/01"),
                truth_of(fx.expected(None, "2014/01")),
            ),
            ("second 2016/03", fx.layout_pdf(second), truth_of(fx.expected(second))),
        ]
    return docs


GOOD = 0.9  # the confidence a value needs to be accepted without a person


def confidence_of(result, key):
    """The confidence the reader gave the value a scored field names, or
    None for a field without one (addresses, contact lines, NAIC)."""
    parts = key.split(".")
    if parts[0] == "coverages":
        coverage = next((c for c in result.coverages if c.type == parts[1]), None)
        return coverage.confidence.get(".".join(parts[2:])) if coverage else None
    if parts[0] == "insurers":
        return result.confidence.get(f"insurers.{parts[1]}") if parts[2] == "name" else None
    return result.confidence.get(key)


def score(result, truth):
    """(fields right, fields, fields missed, values read with good
    confidence, of those the wrong ones)."""
    expected, actual = expected_fields(truth), actual_fields(result.to_dict())
    ok = sum(1 for key, value in expected.items() if norm(actual.get(key)) == norm(value))
    missed = [k for k, v in expected.items() if norm(actual.get(k)) != norm(v)]
    sure = [
        k for k in expected if actual.get(k) is not None and (confidence_of(result, k) or 0) >= GOOD
    ]
    wrong = [k for k in sure if k in missed]
    return ok, len(expected), missed, len(sure), wrong


def read(engine, data):
    start = time.perf_counter()
    result = engine.extract(data)
    return result, time.perf_counter() - start


def encodings(fx, pdf, how):
    """The scan of `pdf` degraded by `how`, as the files it arrives in."""
    images = fx.simulate(pdf, **how)
    return {
        "pdf": fx.images_pdf(images),
        "png": fx.image_png(images[0]),
        "tiff": fx.images_tiff(images),
    }


def run(cases=None, formats=("pdf",), verbose=False, every=False, out=print):
    engine = load_engine()
    fx = load_fixtures()
    docs = documents(fx, every)
    rows = {}

    def add(case, ok, total, seconds, pages, sure=0, wrong=()):
        row = rows.setdefault(
            case, {"ok": 0, "total": 0, "seconds": [], "pages": 0, "sure": 0, "wrong": 0}
        )
        row["ok"] += ok
        row["total"] += total
        row["sure"] += sure
        row["wrong"] += len(wrong)
        row["seconds"].append(seconds / max(pages, 1))
        row["pages"] += pages

    read(engine, docs[0][1])  # warm up: the first reading loads the libraries
    for _name, pdf, truth in docs:
        result, seconds = read(engine, pdf)
        ok, total, _missed, sure, wrong = score(result, truth)
        add("text layer", ok, total, seconds, len(result.pages), sure, wrong)
    selected = {k: v for k, v in fx.SCAN_CASES.items() if not cases or k in cases}
    for case, how in selected.items():
        for name, pdf, truth in docs:
            for kind, data in encodings(fx, pdf, how).items():
                if kind not in formats:
                    continue
                result, seconds = read(engine, data)
                ok, total, missed, sure, wrong = score(result, truth)
                pages = max(len(result.pages), 1)
                add(f"{case} ({kind})", ok, total, seconds, pages, sure, wrong)
                if verbose:
                    out(f"  {case} {kind} {name}: {ok}/{total}; missed {', '.join(missed)}")
                    if wrong:
                        out(f"    read with good confidence but wrong: {', '.join(wrong)}")
    out(f"{'case':28} {'fields':>9} {'accuracy':>9} {'s/page':>7} {'sure':>5} {'sure, wrong':>11}")
    scans_ok = scans_total = scans_sure = scans_wrong = 0
    scan_seconds = []
    for case, row in rows.items():
        accuracy = row["ok"] / max(row["total"], 1)
        out(
            f"{case:28} {row['ok']:4}/{row['total']:<4} {accuracy:9.1%} "
            f"{statistics.median(row['seconds']):7.2f} {row['sure']:5} {row['wrong']:11}"
        )
        if case != "text layer":
            scans_ok += row["ok"]
            scans_total += row["total"]
            scans_sure += row["sure"]
            scans_wrong += row["wrong"]
            scan_seconds += row["seconds"]
    text = rows["text layer"]
    summary = {
        "text_layer_accuracy": text["ok"] / max(text["total"], 1),
        "text_layer_seconds_per_page": statistics.median(text["seconds"]),
        "scan_accuracy": scans_ok / max(scans_total, 1),
        "scan_seconds_per_page": statistics.median(scan_seconds) if scan_seconds else None,
        "scan_cases": len(rows) - 1,
        "scan_values_sure": scans_sure,
        "scan_values_sure_but_wrong": scans_wrong,
    }
    out(
        f"TOTAL scans {scans_ok}/{scans_total} = {summary['scan_accuracy']:.1%}, "
        f"median {summary['scan_seconds_per_page'] or 0:.2f} s per page; text layer "
        f"{summary['text_layer_accuracy']:.1%}, {summary['text_layer_seconds_per_page']:.2f} s; "
        f"read with good confidence {scans_sure}, of those wrong {scans_wrong}"
    )
    return summary


def step(args):
    """Field accuracy and seconds per page of drawn scans beside the text
    layer: every case as a PDF, a PNG and a multi-page TIFF."""
    summary = run(formats=("pdf", "png", "tiff"), out=lambda *_: None)
    return {**summary, "source": "drawn by the test fixtures, degraded by the scan simulator"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", action="append", help="a case of SCAN_CASES (default all)")
    parser.add_argument(
        "--format", action="append", choices=("pdf", "png", "tiff"), help="default: pdf"
    )
    parser.add_argument("--every", action="store_true", help="three certificates, not one")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    run(args.case, tuple(args.format or ("pdf",)), args.verbose, args.every)


if __name__ == "__main__":
    main()
