"""Reading in a child process whose memory and time are capped.

The reading job hands each file to `extract_isolated`: a fresh Python loads
the engine by path (no Odoo), caps its own address space (RLIMIT_AS) before
it reads a byte, reads the file and writes the `Extraction` back as JSON.
A file that needs more memory or time than allowed ends as an Extraction
whose error says so, and only the child paid for it.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
from pathlib import Path

from .model import Extraction

_logger = logging.getLogger(__name__)

MAX_MEMORY = 768 * 1024 * 1024  # address space of the child (a reading needs ~120 MB)
MAX_SECONDS = 180
TOO_LARGE = "The file could not be read: too large to read."
TOO_SLOW = "The file could not be read: it took too long to read."
STOPPED = "The file could not be read: the reader stopped ({})."

ENGINE = Path(__file__).resolve().parents[1]
# The child: the engine loaded by path as `coi_engine` (no Odoo), then `_child`.
# The first entry of sys.path (the working folder) is dropped: nothing there runs.
_BOOTSTRAP = """
import sys
del sys.path[0]
import importlib.util
folder = sys.argv[1]
spec = importlib.util.spec_from_file_location(
    "coi_engine", folder + "/__init__.py", submodule_search_locations=[folder]
)
engine = importlib.util.module_from_spec(spec)
sys.modules["coi_engine"] = engine
spec.loader.exec_module(engine)
from coi_engine.extract.isolated import _child
_child(int(sys.argv[2]), sys.argv[3] == "1")
"""


def extract_isolated(
    data: bytes,
    *,
    use_ocr: bool = True,
    max_memory: int = MAX_MEMORY,
    max_seconds: float = MAX_SECONDS,
) -> Extraction:
    """`extract(data)` in a child process with at most `max_memory` bytes of
    address space and `max_seconds` of wall time."""
    command = [sys.executable, "-c", _BOOTSTRAP, str(ENGINE), str(int(max_memory))]
    command.append("1" if use_ocr else "0")
    try:
        child = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
            command, input=data, capture_output=True, timeout=max_seconds, check=False
        )
    except subprocess.TimeoutExpired:
        return Extraction(error=TOO_SLOW)
    try:
        answer = json.loads(child.stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = None
    if not isinstance(answer, dict):
        last = child.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        error = _stopped(child.returncode, child.stderr)
        # Out of memory is what the cap is for (PDFium aborts when an
        # allocation fails); any other end of the child is unexpected.
        log = _logger.info if error == TOO_LARGE else _logger.warning
        log("reader child exited with %s: %s", child.returncode, last)
        return Extraction(error=error)
    if answer.get("outcome") == "too_large":
        return Extraction(error=TOO_LARGE)
    return Extraction.from_plain(answer["extraction"])


def _stopped(returncode, stderr):
    """Why the child ended without an answer. C code (PDFium rendering a page
    for OCR) aborts when an allocation fails; the kernel kills a process
    that takes too much: both mean the file is too large to read."""
    if returncode in (-signal.SIGABRT, -signal.SIGKILL) or b"MemoryError" in stderr:
        return TOO_LARGE
    return STOPPED.format(f"exit code {returncode}")


def _child(max_memory, use_ocr):
    """In the child: cap the address space, read stdin, write one JSON line."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    data = sys.stdin.buffer.read()
    from coi_engine.extract import extract

    try:
        result = extract(data, use_ocr=use_ocr)
        answer = {"outcome": "read", "extraction": result.to_plain()}
    except MemoryError:
        answer = {"outcome": "too_large"}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
