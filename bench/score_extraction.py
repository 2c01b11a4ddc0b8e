"""Scores the certificate reader against a folder of ground truth.

    .venv/bin/python bench/score_extraction.py ../shared/coi-samples

For each expected/*.json, reads pdf/<same name>.pdf and compares field by
field (names, addresses, insurers, dates, coverages, flags, limits). Prints
per-file accuracy, misses, and ms per page. Not a test: the samples are not
in the repository.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from benchlib.paths import load_engine


def norm(value):
    if isinstance(value, str):
        return " ".join(value.replace(",", " ").split()).casefold()
    return value


def flag(value):
    return {"Y": True, "N": False}.get(value, None) if isinstance(value, str) else value


def expected_fields(truth):
    fields = {}
    for party in ("producer", "insured", "certificate_holder"):
        data = truth.get(party) or {}
        fields[f"{party}.name"] = data.get("name")
        for index, line in enumerate(data.get("address") or []):
            fields[f"{party}.address[{index}]"] = line
    producer = truth.get("producer") or {}
    for key in ("contact_name", "phone", "fax", "email"):
        if producer.get(key):
            fields[f"producer.{key}"] = producer[key]
    for letter, insurer in (truth.get("insurers") or {}).items():
        fields[f"insurers.{letter}.name"] = insurer.get("name")
        fields[f"insurers.{letter}.naic"] = insurer.get("naic")
    fields["certificate_date"] = truth.get("certificate_date_iso")
    fields["certificate_number"] = truth.get("certificate_number")
    for coverage in truth.get("coverages") or []:
        key = f"coverages.{coverage['type']}"
        fields[f"{key}.insurer_letter"] = coverage.get("insurer_letter")
        fields[f"{key}.policy_number"] = coverage.get("policy_number")
        fields[f"{key}.effective_date"] = coverage.get("effective_date_iso")
        fields[f"{key}.expiration_date"] = coverage.get("expiration_date_iso")
        fields[f"{key}.additional_insured"] = flag(coverage.get("additional_insured"))
        fields[f"{key}.subrogation_waived"] = flag(coverage.get("subrogation_waived"))
        for code, amount in (coverage.get("limits") or {}).items():
            fields[f"{key}.limits.{code}"] = amount
    return fields


def actual_fields(result):
    fields = {}
    for party in ("producer", "insured", "certificate_holder"):
        data = result.get(party) or {}
        fields[f"{party}.name"] = data.get("name")
        for index, line in enumerate(data.get("address") or []):
            fields[f"{party}.address[{index}]"] = line
    for key in ("contact_name", "phone", "fax", "email"):
        fields[f"producer.{key}"] = (result.get("producer") or {}).get(key)
    for letter, insurer in (result.get("insurers") or {}).items():
        fields[f"insurers.{letter}.name"] = insurer.get("name")
        fields[f"insurers.{letter}.naic"] = insurer.get("naic")
    fields["certificate_date"] = result.get("certificate_date")
    fields["certificate_number"] = result.get("certificate_number")
    for coverage in result.get("coverages") or []:
        key = f"coverages.{coverage['type']}"
        for name in (
            "insurer_letter",
            "policy_number",
            "effective_date",
            "expiration_date",
            "additional_insured",
            "subrogation_waived",
        ):
            fields[f"{key}.{name}"] = coverage.get(name)
        for code, amount in (coverage.get("limits") or {}).items():
            fields[f"{key}.limits.{code}"] = amount
    return fields


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    engine = load_engine()
    total_ok = total = 0
    per_page_ms = []
    for truth_path in sorted((args.folder / "expected").glob("*.json")):
        truth = json.loads(truth_path.read_text())
        pdf = args.folder / "pdf" / f"{truth_path.stem}.pdf"
        data = pdf.read_bytes()
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = engine.extract(data).to_dict()
            timings.append((time.perf_counter() - start) * 1000)
        pages = max(len(result["pages"]), 1)
        per_page_ms.append(statistics.median(timings) / pages)
        expected, actual = expected_fields(truth), actual_fields(result)
        ok = [k for k, v in expected.items() if norm(actual.get(k)) == norm(v)]
        missed = [k for k in expected if k not in ok]
        total_ok += len(ok)
        total += len(expected)
        print(
            f"{truth_path.stem[:45]:45} {result.get('method') or '-':9} "
            f"{len(ok):3}/{len(expected):3} = {len(ok) / max(len(expected), 1):6.1%}  "
            f"{statistics.median(timings):7.0f} ms"
        )
        for key in missed if args.verbose else []:
            print(f"    {key}: expected {expected[key]!r}, got {actual.get(key)!r}")
    print(f"TOTAL {total_ok}/{total} = {total_ok / max(total, 1):.1%}")
    print(f"median ms per page: {statistics.median(per_page_ms):.0f}")


if __name__ == "__main__":
    main()
