"""A local SMTP sink for the demo: every message Odoo sends is kept as an
.eml file, and an index.html lists them (date, from, to, subject).

    python setup/mail_sink.py [--host 127.0.0.1] [--port 2525] [--dir .logs/mail]

setup/run.sh starts it next to Odoo and stops it with Odoo; the demo
database's outgoing mail server points to it. Nothing leaves the machine.
"""

import argparse
import email
import html
import signal
import threading
from datetime import UTC, datetime
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller


class Folder:
    """aiosmtpd handler: one .eml per message, and the index rewritten."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        with self.lock:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"{stamp}.eml"
            path.write_bytes(envelope.content)
            self.write_index()
        return "250 Message accepted for delivery"

    def write_index(self):
        rows = []
        for path in sorted(self.directory.glob("*.eml"), reverse=True):
            with path.open("rb") as handle:
                message = email.message_from_binary_file(handle, policy=policy.default)
            files = [part.get_filename() for part in message.iter_attachments()]
            cells = (
                message.get("Date", ""),
                message.get("From", ""),
                message.get("To", ""),
                message.get("Subject", ""),
                ", ".join(name for name in files if name),
            )
            rows.append(
                "<tr>"
                + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells)
                + f'<td><a href="{html.escape(path.name)}">{html.escape(path.name)}</a></td>'
                + "</tr>"
            )
        page = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            "<title>Mail sent by the COI demo</title>"
            "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:4px 8px}"
            "table{border-collapse:collapse}</style></head><body>"
            f"<h1>Mail sent by the COI demo ({len(rows)})</h1>"
            "<p>Open an .eml file with your mail program to read it.</p>"
            "<table><tr><th>Date</th><th>From</th><th>To</th><th>Subject</th>"
            "<th>Attachments</th><th>File</th></tr>" + "".join(rows) + "</table></body></html>"
        )
        (self.directory / "index.html").write_text(page, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parents[1] / ".logs/mail"))
    args = parser.parse_args()
    folder = Folder(args.dir)
    folder.write_index()
    controller = Controller(folder, hostname=args.host, port=args.port)
    controller.start()
    print(f"mail sink on {args.host}:{args.port}, writing to {folder.directory}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
