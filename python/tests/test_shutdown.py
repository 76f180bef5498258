"""Interpreter exit right after async work: runtime threads must not take the
GIL while Python finalizes (that aborts the process with SIGABRT)."""

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
