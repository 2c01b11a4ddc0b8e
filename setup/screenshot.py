"""Screenshots of the running suite for the README.

    .venv/bin/python setup/screenshot.py URL_PATH OUT.png [--login admin --password admin]

Logs in through Odoo's JSON-RPC, hands the session cookie to headless
Chromium over the DevTools protocol and captures the page once it settled.
"""

import argparse
import base64
import json
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("out")
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--db", default="coi_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=4.0)
    parser.add_argument("--click", help="CSS selector to click before the capture")
    parser.add_argument("--scroll", help="CSS selector to scroll to the top before the capture")
    parser.add_argument("--anonymous", action="store_true", help="do not log in")
    args = parser.parse_args()

    session = None
    if not args.anonymous:
        session = requests.post(
            f"{args.base}/web/session/authenticate",
            json={"params": {"db": args.db, "login": args.login, "password": args.password}},
            timeout=30,
        ).cookies["session_id"]

    port = 9333
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        chrome = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={profile}",
                f"--window-size={args.width},{args.height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as r:
                        targets = json.load(r)
                    break
                except OSError:
                    time.sleep(0.2)
            page = next(t for t in targets if t["type"] == "page")
            ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
            ids = iter(range(1, 10_000))

            def call(method, **params):
                msg_id = next(ids)
                ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
                while True:
                    msg = json.loads(ws.recv())
                    if msg.get("id") == msg_id:
                        return msg.get("result", {})

            if session:
                call("Network.setCookie", name="session_id", value=session, url=args.base)
            call(
                "Emulation.setDeviceMetricsOverride",
                width=args.width,
                height=args.height,
                deviceScaleFactor=1,
                mobile=False,
            )
            call("Page.navigate", url=f"{args.base}{args.path}")
            time.sleep(args.wait)
            if args.click:
                selector = json.dumps(args.click)
                call("Runtime.evaluate", expression=f"document.querySelector({selector}).click()")
                time.sleep(2)
            if args.scroll:
                selector = json.dumps(args.scroll)
                call(
                    "Runtime.evaluate",
                    expression=f"document.querySelector({selector}).scrollIntoView()",
                )
                time.sleep(1)
            shot = call("Page.captureScreenshot", format="png")
            with open(args.out, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        finally:
            chrome.terminate()
            chrome.wait(timeout=10)


if __name__ == "__main__":
    main()
