"""Interpreter exit right after async work, or in the middle of blocking calls
with DEBUG logging on: no thread may take the GIL while Python finalizes (that
aborts the process with SIGABRT, or crashes it once the thread states are gone)."""

from __future__ import annotations

import subprocess
import sys

from conftest import KEY, Mock

SCRIPT = """
import asyncio
from lasso import AsyncLassoClient

async def main():
    client = AsyncLassoClient(api_key={key!r}, base_url={url!r})
    for _ in range(20):
        await asyncio.gather(*(client.credits.balance() for _ in range(16)))

asyncio.run(main())
"""


def test_exiting_right_after_async_calls_never_aborts(mock: Mock) -> None:
    code = SCRIPT.format(key=KEY, url=mock.url)
    for _ in range(10):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (done.returncode, done.stderr[-2000:])


LOGGING_SCRIPT = """
import asyncio, logging, threading, time
from lasso import AsyncLassoClient, LassoClient

records = []

class Keep(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())

logging.getLogger("lasso").addHandler(Keep())
logging.getLogger("lasso").setLevel(logging.DEBUG)
client = LassoClient(api_key={key!r}, base_url={url!r})

def calls():
    while True:
        client.credits.balance()

def slow_calls():
    # Answered after 200 ms: the call waits, waking up to check for Ctrl-C.
    while True:
        try:
            client.tables.get("tbl_slow", max_retries=0)
        except Exception:
            pass

def awaited():
    async def main():
        async with AsyncLassoClient(api_key={key!r}, base_url={url!r}) as c:
            while True:
                await asyncio.gather(*(c.credits.balance() for _ in range(4)))
    asyncio.run(main())

for target in [calls] * 4 + [slow_calls] * 16 + [awaited]:
    threading.Thread(target=target, daemon=True).start()
while len(records) < 40:
    time.sleep(0.001)
print("exiting with calls in flight", flush=True)
"""


def test_exiting_while_daemon_threads_call_with_debug_logging_never_aborts(mock: Mock) -> None:
    # Each call's per-attempt DEBUG line goes to Python logging from an I/O
    # thread, and daemon threads wait in blocking calls (some answered after
    # 200 ms), while the interpreter finalizes. Before the fix about one run
    # in twelve crashed (SIGSEGV in PyGILState_Ensure after finalization had
    # deleted the thread states).
    mock._control(
        "POST", "/__mock/faults", {"route": "GET /tables/{table_id}", "status": 404, "delay_ms": 200, "probability": 1}
    )
    code = LOGGING_SCRIPT.format(key=KEY, url=mock.url)
    try:
        for _ in range(20):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
            assert "Fatal Python error" not in done.stderr and "panicked" not in done.stderr, done.stderr[-2000:]
            assert done.stdout.strip() == "exiting with calls in flight"
            assert KEY not in done.stdout + done.stderr
    finally:
        mock.reset()
