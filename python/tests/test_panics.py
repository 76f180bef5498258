"""A Rust panic never crosses into Python as anything but a `LassoError`.

`lasso._native.__test_panic(mode)` is a test hook (not part of the API, like
Node's `__testPanic`): it panics inside the bridge every blocking call goes
through (``"sync"``) or the one every async call goes through (``"async"``).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

import lasso
from lasso import LassoClient, _native

from conftest import KEY, Mock

def check_internal(e: BaseException, mode: str) -> None:
    assert type(e) is lasso.LassoError, f"{type(e).__module__}.{type(e).__name__}: {e}"
    # pyo3 raises `PanicException` (a BaseException) for a panic no one caught.
    assert type(e).__name__ != "PanicException"
    assert "internal error in the Lasso SDK" in str(e), str(e)
    assert f"test panic ({mode})" in str(e), str(e)
    assert e.status_code is None


def test_a_panic_in_a_blocking_call_raises_lasso_error() -> None:
    with pytest.raises(BaseException) as info:
        _native.__test_panic("sync")
    check_internal(info.value, "sync")


def test_a_panic_in_an_async_call_raises_lasso_error() -> None:
    async def main() -> None:
        await _native.__test_panic("async")

    with pytest.raises(BaseException) as info:
        asyncio.run(main())
    check_internal(info.value, "async")


def test_the_hook_without_a_panic_and_a_bad_mode() -> None:
    assert _native.__test_panic("none") is None
    with pytest.raises(ValueError):
        _native.__test_panic("sideways")


def test_the_sdk_keeps_working_after_panics(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    for _ in range(3):
        with pytest.raises(lasso.LassoError):
            _native.__test_panic("sync")
        assert client.credits.balance()["balance"] == 1000

    async def main() -> float:
        with pytest.raises(lasso.LassoError):
            await _native.__test_panic("async")
        async with lasso.AsyncLassoClient(KEY, base_url=mock.url) as c:
            return (await c.credits.balance())["balance"]

    assert asyncio.run(main()) == 1000


def test_an_uncaught_panic_would_not_crash_the_interpreter() -> None:
    # The interpreter survives the hook in a fresh process too, and exits normally.
    code = (
        "import lasso, lasso._native as n\n"
        "try:\n    n.__test_panic('sync')\nexcept lasso.LassoError as e:\n    print('caught', type(e).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "caught LassoError"
