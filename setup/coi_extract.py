"""Command line of the certificate reader: one JSON document per file.

Loads the engine by path (as `coi_engine`, see coi_load.py), so it runs
without Odoo.
"""

import argparse
import json
import sys
from pathlib import Path

from coi_load import load_engine


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--no-ocr", action="store_true", help="report image pages, do not OCR")
    args = parser.parse_args(argv)
    engine = load_engine()
    status = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as error:
            print(json.dumps({"file": str(path), "error": str(error)}))
            status = 1
            continue
        result = engine.extract(data, use_ocr=not args.no_ocr)
        print(json.dumps({"file": str(path), **result.to_dict()}, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
