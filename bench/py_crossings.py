"""Where a sequential Python sync call's time goes (issue 18), the counterpart of
node_crossings.mjs: the same GET /credits/balance through each layer, p50 of 4,000
calls after 500 warm-ups, layers interleaved over 3 rounds.

    bench/.venv/bin/python bench/py_crossings.py

with LASSO_BASE_URL and LASSO_API_KEY set (a release lasso-mock, as `just bench` runs it);
`just bench` runs it after the latency rounds.
"""

import json
import os
import time
from collections.abc import Callable

import lasso
from lasso import _native

BASE_URL = os.environ["LASSO_BASE_URL"]
API_KEY = os.environ["LASSO_API_KEY"]


def p50(fn: Callable[[], object], n: int = 4000) -> float:
    for _ in range(500):
        fn()
    clock = time.perf_counter
    micros = []
    for _ in range(n):
        t = clock()
        fn()
        micros.append((clock() - t) * 1e6)
    micros.sort()
    return micros[n // 2]


native = _native.NativeClient(API_KEY, BASE_URL)
client = lasso.LassoClient(API_KEY, base_url=BASE_URL)
test_hook = getattr(_native, "__test_panic")
layers: dict[str, Callable[[], object]] = {
    # A future on the I/O runtime that does nothing: the two thread hand-offs alone
    # (spawn, wake a worker; send the result, wake this thread), GIL released and retaken.
    "hand-off round trip, no I/O": lambda: test_hook("none"),
    # The native call: hand-offs + the core's request + the dict built from the bytes.
    "native call (NativeClient.call)": lambda: native.call("credits.balance"),
    # The public method: + the generated method, NOT_GIVEN options, _base._request.
    "client.credits.balance()": lambda: client.credits.balance(),
}
rows: dict[str, list[float]] = {name: [] for name in layers}
for _ in range(3):
    for name, fn in layers.items():
        rows[name].append(p50(fn))
for name, values in rows.items():
    print(f"{name:34} p50 {' / '.join(f'{v:.1f}' for v in values)} µs")
# The last line, for bench/run.py: every layer's p50 per round.
print(json.dumps({"layers": rows}))
