"""`AsyncLassoClient` against lasso-mock: results, typed errors, concurrency,
cancellation, repeated event loops; and the sync client shared by threads."""

from __future__ import annotations

import asyncio
import gc
import inspect
import socket
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, TypeVar

import pytest
from conftest import KEY, REVOKED_KEY, Mock

from lasso import (
    APITimeoutError,
    AsyncLassoClient,
    AuthenticationError,
    LassoClient,
    LassoError,
    NotFoundError,
    RateLimitError,
)

T = TypeVar("T")


def aclient(mock: Mock, key: str = KEY, **kw: Any) -> AsyncLassoClient:
    return AsyncLassoClient(api_key=key, base_url=mock.url, **kw)


class LoopErrors:
    """Collects what asyncio and the interpreter report outside the awaited path:
    loop exception-handler calls ("Future exception was never retrieved",
    "Event loop is closed"…), unraisable exceptions and warnings (as errors)."""

    def __init__(self) -> None:
        self.reports: List[str] = []

    def handler(self, loop: asyncio.AbstractEventLoop, context: Dict[str, Any]) -> None:
        self.reports.append(repr(context))

    def run(self, main: Callable[[], Awaitable[T]]) -> T:
        async def wrapped() -> T:
            asyncio.get_running_loop().set_exception_handler(self.handler)
            return await main()

        return asyncio.run(wrapped())


@pytest.fixture
def strict() -> Iterator[LoopErrors]:
    """Every warning is an error, and nothing may be reported behind our back."""
    errors = LoopErrors()
    old_hook = sys.unraisablehook
    sys.unraisablehook = lambda u: errors.reports.append(f"unraisable: {u.exc_value!r} in {u.object!r}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield errors
            gc.collect()
    finally:
        sys.unraisablehook = old_hook
    assert errors.reports == []


def test_balance_returns_a_dict(mock: Mock, strict: LoopErrors) -> None:
    async def main() -> Dict[str, Any]:
        async with aclient(mock) as c:
            return await c.credits.balance()

    balance = strict.run(main)
    assert isinstance(balance, dict)
    assert isinstance(balance["balance"], float)
    assert balance["currency"] == "credits"


def test_methods_mirror_the_sync_client() -> None:
    sync, aio = LassoClient, AsyncLassoClient
    for name in ("search", "enrich"):
        assert asyncio.iscoroutinefunction(getattr(aio, name))
    c = AsyncLassoClient(api_key=KEY, base_url="http://127.0.0.1:9/api/v1")
    s = LassoClient(api_key=KEY, base_url="http://127.0.0.1:9/api/v1")
    for resource in (
        "tables",
        "enhance",
        "schemas",
        "attributes",
        "files",
        "glossary",
        "credits",
        "catalog",
        "analytics",
    ):
        sync_methods = {m for m in dir(getattr(s, resource)) if not m.startswith("_")}
        async_methods = {m for m in dir(getattr(c, resource)) if not m.startswith("_")}
        assert sync_methods == async_methods, resource
        for m in async_methods:
            attr = getattr(getattr(c, resource), m)
            if m == "iter" or m.startswith("iter_"):
                # Iterators are used with `async for`, not awaited.
                assert str(inspect.signature(attr).return_annotation).startswith("AsyncIterator"), m
            elif callable(attr):
                assert asyncio.iscoroutinefunction(attr), f"{resource}.{m}"
    assert asyncio.iscoroutinefunction(c.catalog.webhooks.list)
    assert inspect.signature(aio.__init__) == inspect.signature(sync.__init__)
    assert inspect.signature(c.tables.rows) == inspect.signature(s.tables.rows)


def test_get_and_empty_responses(mock: Mock, strict: LoopErrors) -> None:
    async def main() -> None:
        c = aclient(mock)
        table = await c.tables.get("tbl_sample")
        assert table["id"] == "tbl_sample" and table["status"] == "completed"
        await c.aclose()

    strict.run(main)


def test_not_found_is_typed_with_request_id(mock: Mock, strict: LoopErrors) -> None:
    async def main() -> None:
        with pytest.raises(NotFoundError) as info:
            await aclient(mock).tables.get("tbl_nope")
        e = info.value
        assert isinstance(e, LassoError)
        assert e.status_code == 404 and e.error_type == "not_found"
        assert "tbl_nope" in e.message
        assert e.request_id and e.request_id in str(e)

    strict.run(main)


def test_revoked_key_is_an_authentication_error(mock: Mock, strict: LoopErrors) -> None:
    async def main() -> None:
        with pytest.raises(AuthenticationError) as info:
            await aclient(mock, key=REVOKED_KEY).credits.balance()
        assert info.value.status_code == 401
        assert info.value.error_type == "unauthenticated"

    strict.run(main)
    assert mock.stats()["executed"].get("credits.balance", 0) == 0


def test_256_concurrent_calls(mock: Mock, strict: LoopErrors) -> None:
    async def main() -> List[Dict[str, Any]]:
        c = aclient(mock)
        return await asyncio.gather(*(c.credits.balance() for _ in range(256)))

    results = strict.run(main)
    assert len(results) == 256
    assert all(r["currency"] == "credits" for r in results)
    assert mock.stats()["executed"]["credits.balance"] == 256


def test_256_calls_run_at_the_same_time(mock: Mock, strict: LoopErrors) -> None:
    # Each answer takes 300 ms: one after another would take 77 s.
    mock.fault("GET /credits/balance", 200, times=256, delay_ms=300)

    async def main() -> float:
        c = aclient(mock)
        started = time.monotonic()
        await asyncio.gather(*(c.credits.balance() for _ in range(256)))
        return time.monotonic() - started

    elapsed = strict.run(main)
    assert elapsed < 3.0, elapsed
    assert mock.stats()["faulted"]["credits.balance"] == 256


def test_the_loop_stays_responsive_while_calls_wait(mock: Mock, strict: LoopErrors) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=400)

    async def main() -> int:
        ticks = 0
        call = asyncio.ensure_future(aclient(mock).credits.balance())
        while not call.done():
            ticks += 1
            await asyncio.sleep(0.001)
        await call
        return ticks

    assert strict.run(main) > 50


def test_one_client_across_repeated_asyncio_run(mock: Mock, strict: LoopErrors) -> None:
    shared = aclient(mock)

    async def main() -> None:
        fresh = aclient(mock)
        results = await asyncio.gather(
            shared.credits.balance(), fresh.credits.balance(), shared.tables.get("tbl_sample")
        )
        assert results[0]["currency"] == results[1]["currency"] == "credits"
        with pytest.raises(NotFoundError):
            await shared.tables.get("tbl_nope")

    for _ in range(3):
        strict.run(main)
    assert mock.stats()["executed"]["credits.balance"] == 6


def test_a_loop_closed_with_calls_in_flight_leaves_no_error(mock: Mock, strict: LoopErrors) -> None:
    """asyncio.run() ends while requests wait: their tasks are cancelled, their
    requests dropped, and nothing is delivered to the closed loop later."""
    mock.fault("GET /credits/balance", 200, times=8, delay_ms=300)
    shared = aclient(mock)

    async def main() -> None:
        for _ in range(8):
            asyncio.ensure_future(shared.credits.balance())
        await asyncio.sleep(0.05)

    strict.run(main)
    time.sleep(0.5)  # past the delay: any late delivery would have happened

    async def again() -> Dict[str, Any]:
        return await shared.credits.balance()

    assert strict.run(again)["currency"] == "credits"


def test_clients_used_from_loops_in_several_threads(mock: Mock, strict: LoopErrors) -> None:
    shared = aclient(mock)

    async def main() -> int:
        results = await asyncio.gather(*(shared.credits.balance() for _ in range(20)))
        return len(results)

    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda _: asyncio.run(main()), range(4)))
    assert counts == [20] * 4
    assert mock.stats()["executed"]["credits.balance"] == 80


def test_wait_for_cancels_a_slow_call_quickly(mock: Mock, strict: LoopErrors) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=3000)

    async def main() -> float:
        c = aclient(mock)
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.credits.balance(), 0.2)
        elapsed = time.monotonic() - started
        # The fault was used up by the cancelled request; the client still works.
        assert (await c.credits.balance())["currency"] == "credits"
        return elapsed

    assert strict.run(main) < 1.0
    stats = mock.stats()
    assert stats["faulted"]["credits.balance"] == 1
    assert stats["executed"]["credits.balance"] == 1


def test_task_cancel_raises_cancelled_error(mock: Mock, strict: LoopErrors) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=3000)

    async def main() -> float:
        task = asyncio.ensure_future(aclient(mock).credits.balance())
        await asyncio.sleep(0.1)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    assert strict.run(main) < 0.5


class SilentServer:
    """Accepts one HTTP request and never answers; records when the client hangs up."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = "http://127.0.0.1:%d/api/v1" % self.sock.getsockname()[1]
        self.received = threading.Event()
        self.hung_up = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        conn.settimeout(10)
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            self.received.set()
            try:
                if conn.recv(4096) == b"":
                    self.hung_up.set()
            except OSError:
                self.hung_up.set()

    def close(self) -> None:
        self.sock.close()


def test_cancelling_drops_the_request_in_flight(strict: LoopErrors) -> None:
    server = SilentServer()
    try:

        async def main() -> Optional[float]:
            c = AsyncLassoClient(api_key=KEY, base_url=server.url, max_retries=0)
            task = asyncio.ensure_future(c.credits.balance())
            while not server.received.is_set():
                await asyncio.sleep(0.01)
            cancelled_at = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # The connection closes without waiting for the server, nor for the loop.
            hung_up = await asyncio.get_running_loop().run_in_executor(None, server.hung_up.wait, 2.0)
            return time.monotonic() - cancelled_at if hung_up else None

        elapsed = strict.run(main)
        assert elapsed is not None, "the request was not dropped"
        assert elapsed < 0.5
    finally:
        server.close()


def test_429_is_retried_then_succeeds(mock: Mock, strict: LoopErrors) -> None:
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})

    async def main() -> Dict[str, Any]:
        return await aclient(mock).credits.balance()

    assert strict.run(main)["currency"] == "credits"
    stats = mock.stats()
    assert stats["received"]["credits.balance"] == 2
    assert stats["executed"]["credits.balance"] == 1


def test_429_without_retries_raises_rate_limit_error(mock: Mock, strict: LoopErrors) -> None:
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "3"})

    async def main() -> None:
        with pytest.raises(RateLimitError) as info:
            await aclient(mock).credits.balance(max_retries=0)
        assert info.value.retry_after == 3.0

    strict.run(main)


def test_per_call_timeout_raises_api_timeout_error(mock: Mock, strict: LoopErrors) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=2000)

    async def main() -> float:
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as info:
            await aclient(mock, timeout=30).credits.balance(timeout=0.2, max_retries=0)
        assert isinstance(info.value, TimeoutError)
        return time.monotonic() - started

    assert strict.run(main) < 1.5


def test_bad_arguments_raise_when_awaited(mock: Mock, strict: LoopErrors) -> None:
    async def main() -> None:
        c = aclient(mock)
        with pytest.raises(TypeError, match="a value of type object"):
            await c._request("tables.get", {"table_id": "tbl_sample", "x": object()})
        with pytest.raises(LassoError, match="missing required argument `table_id`"):
            await c.tables.get(None)  # type: ignore[arg-type]

    strict.run(main)
    assert sum(mock.stats()["received"].values()) == 0


def test_call_async_needs_a_running_loop(mock: Mock) -> None:
    with pytest.raises(RuntimeError, match="no running event loop"):
        aclient(mock)._native.call_async("credits.balance")


def test_repr_shows_the_masked_key_only(mock: Mock) -> None:
    c = aclient(mock)
    text = repr(c)
    assert text.startswith("AsyncLassoClient(")
    assert "lasso_…cdef" in text and mock.url in text
    assert KEY not in text and KEY[6:] not in text


def test_sync_client_shared_by_16_threads(mock: Mock) -> None:
    c = LassoClient(api_key=KEY, base_url=mock.url)
    barrier = threading.Barrier(16)

    def work(_: int) -> int:
        barrier.wait()
        return sum(c.credits.balance()["currency"] == "credits" for _ in range(20))

    with ThreadPoolExecutor(16) as pool:
        done = list(pool.map(work, range(16)))
    assert done == [20] * 16
    assert mock.stats()["executed"]["credits.balance"] == 320


_INHERITED: Optional[AsyncLassoClient] = None


def _balance_in_a_fresh_loop(url: str) -> str:
    async def main() -> str:
        fresh = AsyncLassoClient(api_key=KEY, base_url=url)
        results = [await fresh.credits.balance()]
        if _INHERITED is not None:  # built by the parent before fork()
            results.append(await _INHERITED.credits.balance())
        return "+".join(r["currency"] for r in results)

    return asyncio.run(main())


@pytest.mark.skipif(sys.platform == "win32", reason="no fork() on Windows")
def test_async_calls_work_in_a_forked_child(mock: Mock) -> None:
    import multiprocessing

    global _INHERITED
    _INHERITED = aclient(mock)
    try:
        # The parent's runtime is running (and has served async calls) when it forks.
        assert _balance_in_a_fresh_loop(mock.url) == "credits+credits"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() of a threaded process
            with multiprocessing.get_context("fork").Pool(2) as pool:
                results = pool.map_async(_balance_in_a_fresh_loop, [mock.url] * 4).get(timeout=30)
        assert results == ["credits+credits"] * 4
    finally:
        _INHERITED = None
