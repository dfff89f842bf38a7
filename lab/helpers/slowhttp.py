#!/usr/bin/python3
"""A slow "enrichment API" on 127.0.0.1 for the held-across-external-call scenarios.

Every GET answers after --delay seconds, longer than the server's
idle_in_transaction_session_timeout, like a slow third-party service.
"""
import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--delay", type=float, required=True)
    args = ap.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(args.delay)
            body = json.dumps({"status": "ok", "enriched": 50, "source": "geo-v2"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
