"""The benchmarks' library: where things are (`paths`), databases and Odoo's
registry (`database`), the generated vendors and policies (`data`), time,
queries and memory of a step (`measure`), the measured HTTP server and its
clients (`server`), and BENCHMARKS.md (`report`).

The scenarios, one file each, sit next to this package in bench/; bench/
is on `sys.path` when a scenario runs (python bench/<scenario>.py).
"""
