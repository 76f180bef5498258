"""The Python (sync client) driver of `just soak`: run by tests/soak/run.py with
LASSO_SOAK_URL, LASSO_SOAK_REQUESTS and LASSO_SOAK_CONCURRENCY; prints JSON lines.
The request mix is the one of crates/lasso-ai/tests/soak.rs (tests/soak/README.md)."""

from __future__ import annotations

import collections
import json
import os
import threading
import time
from typing import Any, Dict, Tuple

import lasso
from lasso import LassoClient

KEY = "lasso_" + "50a4" * 16


def call_for(i: int) -> Tuple[str, Dict[str, Any]]:
    r = i % 20
    if r <= 13:
        return "credits.balance", {}
    if r <= 15:
        return "tables.get", {"table_id": "tbl_sample"}
    if r <= 17:
        return "tables.update_row", {"table_id": "tbl_sample", "row_id": "row_sample_2", "data": {"brand": "Acme"}}
    if r == 18:
        return "tables.delete_row", {"table_id": "tbl_sample", "row_id": "row_sample_1"}
    return "search", {"query": "wireless headphones"}


def resources() -> Tuple[int, int, int]:
    with open("/proc/self/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    fds = sockets = 0
    for name in os.listdir("/proc/self/fd"):
        fds += 1
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                sockets += 1
        except OSError:
            pass
    return rss, fds, sockets


def main() -> None:
    url = os.environ["LASSO_SOAK_URL"]
    total = int(os.environ.get("LASSO_SOAK_REQUESTS", "100000"))
    concurrency = int(os.environ.get("LASSO_SOAK_CONCURRENCY", "32"))
    every = int(os.environ.get("LASSO_SOAK_REPORT_EVERY", "5000"))
    client = LassoClient(KEY, base_url=url)
    lock = threading.Lock()
    state = {"next": 0, "done": 0}
    outcomes: Dict[str, int] = collections.Counter()
    started = time.monotonic()
    rss, fds, sockets = resources()
    print(json.dumps({"event": "start", "done": 0, "rss_kb": rss, "fds": fds, "sockets": sockets}), flush=True)

    def worker() -> None:
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= total:
                return
            op, args = call_for(i)
            try:
                client._request(op, args)
                outcome = f"{op} ok"
            except lasso.LassoError as e:
                outcome = f"{op} {type(e).__name__}"
            except BaseException as e:  # noqa: BLE001 - anything else is an unexpected error type
                outcome = f"{op} UNEXPECTED {type(e).__module__}.{type(e).__name__}"
            with lock:
                outcomes[outcome] += 1
                state["done"] += 1
                n = state["done"]
            if n % every == 0:
                rss, fds, sockets = resources()
                line = {"event": "progress", "done": n, "rss_kb": rss, "fds": fds, "sockets": sockets,
                        "seconds": time.monotonic() - started}
                print(json.dumps(line), flush=True)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rss, fds, sockets = resources()
    print(json.dumps({"event": "end", "done": state["done"], "rss_kb": rss, "fds": fds, "sockets": sockets,
                      "seconds": time.monotonic() - started, "outcomes": dict(outcomes)}), flush=True)


if __name__ == "__main__":
    main()
