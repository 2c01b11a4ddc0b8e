"""Command line of the certificate reader: one JSON document per file.

Loads the engine by path (as `coi_engine`), so it runs without Odoo.
"""

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "coi_tracking" / "engine"


def load_engine():
    spec = importlib.util.spec_from_file_location(
        "coi_engine", ENGINE / "__init__.py", submodule_search_locations=[str(ENGINE)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["coi_engine"] = module
    spec.loader.exec_module(module)
    return module


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
