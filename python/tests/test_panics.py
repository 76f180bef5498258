"""A Rust panic never crosses into Python as anything but a `LassoError`.

`lasso._native.__test_panic(mode)` is a test hook (not part of the API, like
Node's `__testPanic`): it panics inside the bridge every blocking call goes
through (``"sync"``) or the one every async call goes through (``"async"``),
or, armed with ``"arm:NAME"``, at the start of entry point NAME: every function,
method and getter of the binding is checked that way.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Awaitable, Callable, Dict, Iterator, List, Set

import pytest
from conftest import KEY, Mock

import lasso
from lasso import LassoClient, _native


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


# Every entry point of the binding, not only the two bridges: `__test_panic("arm:NAME")`
# makes the next call of entry point NAME panic at its start (one shot).


def entry_points() -> Set[str]:
    """Every function of `lasso._native` and every method, getter and slot of its classes."""
    found = {name for name, v in vars(_native).items() if callable(v) and not isinstance(v, type)}
    for cls in (_native.NativeClient, _native.NativePager, _native.ProgressDone, _native.NativeTableBatches):
        found |= {f"{cls.__name__}.{name}" for name in vars(cls) if name not in ("__doc__", "__module__")}
    # pyo3's own refusal to build a pager from Python ("No constructor defined"), not ours.
    found.discard("NativePager.__new__")
    found.discard("ProgressDone.__new__")
    found.discard("NativeTableBatches.__new__")
    # Not exported, but called by asyncio: completing an awaitable and aborting its task.
    return found | {"Resolve.__call__", "AbortOnDone.__call__"}


def calls(mock: Mock) -> Dict[str, Callable[[], object]]:
    native = _native.NativeClient(KEY, base_url=mock.url)
    signature = _native.sign_webhook(b"{}", "whsec_test")

    async def awaited(make: Callable[[], Awaitable[object]]) -> object:
        return await make()

    opened = _native.open_table_batches(native, "tbl_sample")

    def batches() -> _native.NativeTableBatches:
        return opened

    return {
        "NativeClient.__new__": lambda: _native.NativeClient(KEY, base_url=mock.url),
        "NativeClient.__repr__": lambda: repr(native),
        "NativeClient.with_options": lambda: native.with_options(timeout=5),
        "NativeClient.rebuilt": lambda: native.rebuilt(),
        "NativeClient.call": lambda: native.call("credits.balance"),
        "NativeClient.call_async": lambda: asyncio.run(awaited(lambda: native.call_async("credits.balance"))),
        "NativeClient.close": lambda: _native.NativeClient(KEY, base_url=mock.url).close(),
        "NativeClient.closed": lambda: native.closed,
        "NativeClient.base_url": lambda: native.base_url,
        "NativeClient.masked_key": lambda: native.masked_key,
        "NativePager.next_page": lambda: _native.open_pager(native, "tables.list", {"limit": 1}).next_page(),
        "open_pager": lambda: _native.open_pager(native, "tables.list", {"limit": 1}),
        "open_table_batches": lambda: _native.open_table_batches(native, "tbl_sample"),
        "NativeTableBatches.read_all": lambda: _native.open_table_batches(native, "tbl_sample").read_all(),
        "NativeTableBatches.__arrow_c_schema__": lambda: batches().__arrow_c_schema__(),
        "NativeTableBatches.__arrow_c_stream__": lambda: batches().__arrow_c_stream__(),
        "NativeTableBatches.take_error": lambda: batches().take_error(),
        "NativeTableBatches.column_names": lambda: batches().column_names,
        "wait_for_job": lambda: _native.wait_for_job(native, "extraction", "tbl_sample", None, 0.05, 5.0),
        "progress_line": lambda: _native.progress_line("queued", None),
        "closest_name": lambda: _native.closest_name("timeot", ["timeout"]),
        "__rows_decoded": lambda: _native.__rows_decoded(),
        # Told by the event loop how a progress callback went: the wait gets the error.
        "ProgressDone.__call__": lambda: asyncio.run(
            awaited(
                lambda: _native.wait_for_job(
                    native,
                    "extraction",
                    "tbl_sample",
                    None,
                    0.05,
                    5.0,
                    lambda status, progress: None,
                    asynchronous=True,
                )
            )
        ),
        "upload_file": lambda: _native.upload_file(native, b"a;b\n", filename="a.csv"),
        "export_table": lambda: _native.export_table(native, "tbl_sample", "csv"),
        "verify_webhook": lambda: _native.verify_webhook(b"{}", signature, "whsec_test"),
        "construct_webhook_event": lambda: _native.construct_webhook_event(b"{}", signature, "whsec_test"),
        "sign_webhook": lambda: _native.sign_webhook(b"{}", "whsec_test"),
        "reset_log_cache": lambda: _native.reset_log_cache(),
        "run_cli": lambda: _native.run_cli(["lasso", "--version"]),
        # Armed, it panics before doing anything: the interpreter is not told it is exiting.
        "_shutdown": lambda: _native._shutdown(),
        "__test_panic": lambda: _native.__test_panic("none"),
        # Run by the event loop: the awaiting task gets the error instead of waiting forever.
        "Resolve.__call__": lambda: asyncio.run(awaited(lambda: native.call_async("credits.balance"))),
    }


def test_every_entry_point_turns_a_panic_into_lasso_error(mock: Mock) -> None:
    table = calls(mock)
    assert set(table) | {"AbortOnDone.__call__"} == entry_points(), "an entry point without a case here"
    for entry, call in table.items():
        _native.__test_panic(f"arm:{entry}")
        with pytest.raises(BaseException) as info:
            call()
        check_internal(info.value, f"entry {entry}")
        _native.__test_panic("disarm")
        # One shot: the same call works again (but the interpreter is not exiting).
        if entry != "_shutdown":
            call()


def test_a_panic_in_the_done_callback_of_an_awaitable_reaches_the_loops_handler(mock: Mock) -> None:
    native = _native.NativeClient(KEY, base_url=mock.url)
    reported: List[BaseException] = []

    async def main() -> object:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reported.append(context["exception"]))
        _native.__test_panic("arm:AbortOnDone.__call__")
        balance = await native.call_async("credits.balance")
        while not reported:  # the done callback runs in a later turn of the loop
            await asyncio.sleep(0)
        return balance

    try:
        assert asyncio.run(main())["balance"] == 1000  # type: ignore[index]
    finally:
        _native.__test_panic("disarm")
    assert len(reported) == 1
    check_internal(reported[0], "entry AbortOnDone.__call__")


def test_a_dict_changed_while_it_is_converted_is_not_a_panic(mock: Mock) -> None:
    # A list subclass whose __iter__ adds to the dict being converted: pyo3's
    # dict iterator panicked ("dictionary changed size during iteration").
    class Sneaky(list):  # type: ignore[type-arg]
        def __iter__(self) -> Iterator[object]:
            outer["added"] = 1
            return super().__iter__()

    outer: Dict[str, object] = {"a": Sneaky([1]), "b": 2}
    with pytest.raises(lasso.NotFoundError):
        LassoClient(KEY, base_url=mock.url).tables.update_row("tbl_missing", "row_1", data=outer)
