"""Python side of the benchmarks (run by bench/run.py, `just bench`).

Runs under two virtualenvs: bench/.venv (our `lasso`, plus httpx for the
hand-written clients) and bench/.venv-peer (`lasso-ai` 0.1.2, whose import
name `lasso` clashes with ours). Prints one JSON object on stdout.

    python py_bench.py latency    --impl ours|lasso-ai|httpx [--n 2000] [--warmup 200]
    python py_bench.py throughput --impl ours-async|ours-threads|httpx-async --concurrency C [--seconds 3]
    python py_bench.py paginate   --impl ours|lasso-ai --table ID
    python py_bench.py page       --impl ours|httpx|json-loads --table ID [--page 1] [--n 200]
    python py_bench.py export     --impl ours|lasso-ai --table ID --path FILE
    python py_bench.py upload     --impl ours|lasso-ai --path FILE

LASSO_BASE_URL and LASSO_API_KEY point at the lasso-mock the harness started
on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List

BASE_URL = os.environ["LASSO_BASE_URL"]
API_KEY = os.environ["LASSO_API_KEY"]


def rss_now() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def rss_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


# --- one call of GET /credits/balance, JSON decoded, per implementation ------------


def sync_caller(impl: str) -> Callable[[], Any]:
    if impl == "ours":
        from lasso import LassoClient

        client = LassoClient(API_KEY, base_url=BASE_URL)
        return client.credits.balance
    if impl == "lasso-ai":
        from lasso import LassoClient  # lasso-ai 0.1.2 in bench/.venv-peer

        peer = LassoClient(api_key=API_KEY, base_url=BASE_URL)
        return peer.credits.balance
    if impl == "httpx":
        import httpx

        http = httpx.Client(base_url=BASE_URL, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60.0)

        def call() -> Any:
            response = http.get("/credits/balance")
            response.raise_for_status()
            return response.json()

        return call
    raise SystemExit(f"unknown implementation {impl!r}")


def latency(args: argparse.Namespace) -> Dict[str, Any]:
    call = sync_caller(args.impl)
    for _ in range(args.warmup):
        call()
    micros: List[float] = []
    clock = time.perf_counter
    start = clock()
    for _ in range(args.n):
        t = clock()
        call()
        micros.append((clock() - t) * 1e6)
    return {"n": args.n, "seconds": clock() - start, "micros": micros}


# --- throughput ---------------------------------------------------------------------


async def _async_run(call: Callable[[], Any], concurrency: int, seconds: float) -> "tuple[int, int]":
    deadline = time.perf_counter() + seconds

    async def worker() -> "tuple[int, int]":
        calls = errors = 0
        while time.perf_counter() < deadline:
            try:
                await call()
                calls += 1
            except Exception:
                errors += 1
        return calls, errors

    results = await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sum(r[0] for r in results), sum(r[1] for r in results)


async def _async_throughput(impl: str, concurrency: int, seconds: float, warmup: float) -> Dict[str, Any]:
    if impl == "ours-async":
        from lasso import AsyncLassoClient

        client = AsyncLassoClient(API_KEY, base_url=BASE_URL)
        call = client.credits.balance
        close = client.aclose
    elif impl == "httpx-async":
        import httpx

        http = httpx.AsyncClient(
            base_url=BASE_URL,
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=60.0,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )

        async def call() -> Any:
            response = await http.get("/credits/balance")
            response.raise_for_status()
            return response.json()

        close = http.aclose
    else:
        raise SystemExit(f"unknown implementation {impl!r}")
    await _async_run(call, concurrency, warmup)
    start = time.perf_counter()
    calls, errors = await _async_run(call, concurrency, seconds)
    elapsed = time.perf_counter() - start
    await close()
    return {"concurrency": concurrency, "calls": calls, "errors": errors, "seconds": elapsed}


def _threads_run(pool: ThreadPoolExecutor, call: Callable[[], Any], concurrency: int, seconds: float) -> "tuple[int, int]":
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    totals = [0, 0]

    def worker() -> None:
        calls = errors = 0
        while time.perf_counter() < deadline:
            try:
                call()
                calls += 1
            except Exception:
                errors += 1
        with lock:
            totals[0] += calls
            totals[1] += errors

    for future in [pool.submit(worker) for _ in range(concurrency)]:
        future.result()
    return totals[0], totals[1]


def throughput(args: argparse.Namespace) -> Dict[str, Any]:
    if args.impl == "ours-threads":
        call = sync_caller("ours")
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            _threads_run(pool, call, args.concurrency, args.warmup)
            start = time.perf_counter()
            calls, errors = _threads_run(pool, call, args.concurrency, args.seconds)
            elapsed = time.perf_counter() - start
        return {"concurrency": args.concurrency, "calls": calls, "errors": errors, "seconds": elapsed}
    return asyncio.run(_async_throughput(args.impl, args.concurrency, args.seconds, args.warmup))


# --- pagination, export, upload -----------------------------------------------------


def paginate(args: argparse.Namespace) -> Dict[str, Any]:
    from lasso import LassoClient

    rss_before = rss_now()
    if args.impl == "ours":
        client = LassoClient(API_KEY, base_url=BASE_URL, timeout=600)
        start = time.perf_counter()
        # What our results_as_dataframe feeds to pandas.
        rows = [row["data"] for row in client.tables.iter_rows(args.table)]
    else:
        peer = LassoClient(api_key=API_KEY, base_url=BASE_URL)
        start = time.perf_counter()
        # The loop of lasso-ai 0.1.2's Tables.results_as_dataframe, verbatim
        # minus the final pd.DataFrame(all_rows) (pandas is not installed).
        all_rows = []
        page = 1
        while True:
            result = peer.tables.rows(args.table, page=page, limit=100)
            all_rows.extend([r["data"] for r in result["data"]])
            if page * 100 >= result["pagination"]["total"]:
                break
            page += 1
        rows = all_rows
    seconds = time.perf_counter() - start
    return {"rows": len(rows), "seconds": seconds, "peak_rss": rss_peak(), "rss_before": rss_before}


def page(args: argparse.Namespace) -> Dict[str, Any]:
    """`n` sequential requests of one 100-row page, decoded: the cost of a page
    without any pagination machinery. `json-loads` times only the decoding of
    that page's bytes (no request)."""
    import httpx

    params = {"page": args.page, "limit": 100}
    if args.impl == "ours":
        from lasso import LassoClient

        client = LassoClient(API_KEY, base_url=BASE_URL)
        fetch = lambda: client.tables.rows(args.table, page=args.page, limit=100)  # noqa: E731
    else:
        http = httpx.Client(base_url=BASE_URL, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60.0)
        if args.impl == "httpx":  # lasso-ai's path: httpx GET + .json()
            fetch = lambda: http.get(f"/tables/{args.table}/rows", params=params).json()  # noqa: E731
        elif args.impl == "json-loads":
            body = http.get(f"/tables/{args.table}/rows", params=params).content
            fetch = lambda: json.loads(body)  # noqa: E731
        else:
            raise SystemExit(f"unknown implementation {args.impl!r}")
    for _ in range(args.n // 10):
        fetch()
    micros: List[float] = []
    clock = time.perf_counter
    start = clock()
    for _ in range(args.n):
        t = clock()
        result = fetch()
        micros.append((clock() - t) * 1e6)
        assert len(result["data"]) == 100
    return {"n": args.n, "seconds": clock() - start, "micros": micros}


def export(args: argparse.Namespace) -> Dict[str, Any]:
    from lasso import LassoClient

    rss_before = rss_now()
    if args.impl == "ours":
        client = LassoClient(API_KEY, base_url=BASE_URL, timeout=600)
        start = time.perf_counter()
        # `download` streams to the file; `csv(path=...)` also reads the text
        # back and returns it (as lasso-ai 0.1.2's `csv()` returns it).
        client.export.download(args.table, "csv", path=args.path)
    else:
        # lasso-ai 0.1.2's export.csv() JSON-decodes the CSV and fails; its
        # xlsx()/images() path (whole body in memory, then written) is the one
        # a user has for CSV too.
        peer = LassoClient(api_key=API_KEY, base_url=BASE_URL)
        peer._http.timeout = 600
        start = time.perf_counter()
        data = peer._request("GET", f"/tables/{args.table}/export", params={"format": "csv"}, raw=True)
        with open(args.path, "wb") as f:
            f.write(data)
        del data
    seconds = time.perf_counter() - start
    size = os.path.getsize(args.path)
    return {"bytes": size, "seconds": seconds, "peak_rss": rss_peak(), "rss_before": rss_before}


def upload(args: argparse.Namespace) -> Dict[str, Any]:
    from lasso import LassoClient

    size = os.path.getsize(args.path)
    rss_before = rss_now()
    if args.impl == "ours":
        client = LassoClient(API_KEY, base_url=BASE_URL, timeout=600)
        start = time.perf_counter()
        stored = client.files.upload(args.path)
    else:
        peer = LassoClient(api_key=API_KEY, base_url=BASE_URL)
        peer._http.timeout = 600
        start = time.perf_counter()
        stored = peer.files.upload(args.path)
    seconds = time.perf_counter() - start
    if stored.get("size") != size:
        raise SystemExit(f"the server stored {stored.get('size')} bytes, not {size}")
    return {"bytes": size, "seconds": seconds, "peak_rss": rss_peak(), "rss_before": rss_before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["latency", "throughput", "paginate", "page", "export", "upload"])
    parser.add_argument("--impl", required=True)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--warmup", type=float, default=None)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--table")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.scenario == "latency":
        args.warmup = int(args.warmup if args.warmup is not None else 200)
    elif args.warmup is None:
        args.warmup = 0.5
    result = globals()[args.scenario](args)
    result["python"] = sys.version.split()[0]
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
