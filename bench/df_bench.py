"""Round two of the benchmarks: a table into a DataFrame (run by bench/run.py).

Runs under bench/.venv (our `lasso`) or bench/.venv-peer (`lasso-ai` 0.1.2),
each with pandas, pyarrow and polars. One measurement per process; prints one
JSON object: rows, seconds, peak RSS (ru_maxrss) and RSS before the timed part
(after every import and the client are made).

    python df_bench.py --impl ours-pandas|ours-pandas-arrow|ours-polars|ours-arrow|ours-iter-rows --table ID
    python df_bench.py --impl lasso-ai-pandas|lasso-ai-polars --table ID
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from typing import Any, Dict

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


def run(impl: str, table: str) -> Dict[str, Any]:
    from lasso import LassoClient  # ours in bench/.venv, lasso-ai 0.1.2 in bench/.venv-peer

    # Every library the measurement uses is imported before the clock starts, on both sides.
    if "pandas" in impl:
        import pandas  # noqa: F401
    if impl.endswith("polars"):
        import polars as pl
    if impl == "ours-arrow" or impl.startswith("ours-pandas"):
        import pyarrow as pa  # to_polars does not need it
    if impl.startswith("ours"):
        client = LassoClient(API_KEY, base_url=BASE_URL, timeout=600)
    else:
        client = LassoClient(api_key=API_KEY, base_url=BASE_URL)
    rss_before = rss_now()
    start = time.perf_counter()
    if impl == "ours-pandas":
        rows = len(client.tables.to_pandas(table))
    elif impl == "ours-pandas-arrow":
        rows = len(client.tables.to_pandas(table, dtype_backend="pyarrow"))
    elif impl == "ours-polars":
        rows = len(client.tables.to_polars(table))
    elif impl == "ours-arrow":
        # from_stream, not pa.table(): pa.table() first checks whether its argument is a
        # pandas DataFrame, which imports pandas (~0.3 s) inside the timed part.
        rows = pa.RecordBatchReader.from_stream(client.tables.to_arrow(table)).read_all().num_rows
    elif impl == "ours-iter-rows":
        rows = len([row["data"] for row in client.tables.iter_rows(table)])
    elif impl == "lasso-ai-pandas":
        # lasso-ai 0.1.2's own helper: pages of 100 rows, then pd.DataFrame(all_rows).
        rows = len(client.tables.results_as_dataframe(table))
    elif impl == "lasso-ai-polars":
        # lasso-ai has no polars helper: its results_as_dataframe loop, verbatim, then pl.DataFrame.
        all_rows = []
        page = 1
        while True:
            result = client.tables.rows(table, page=page, limit=100)
            all_rows.extend([r["data"] for r in result["data"]])
            if page * 100 >= result["pagination"]["total"]:
                break
            page += 1
        rows = len(pl.DataFrame(all_rows))
    else:
        raise SystemExit(f"unknown --impl {impl}")
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "peak_rss": rss_peak(), "rss_before": rss_before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", required=True)
    parser.add_argument("--table", required=True)
    args = parser.parse_args()
    result = run(args.impl, args.table)
    result["python"] = sys.version.split()[0]
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
