"""Ctrl-C during a blocking call, clients across fork(), exceptions across pickle."""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import multiprocessing
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from typing import Any, Callable, Dict, Optional, Tuple, Type

import pytest
from conftest import KEY, ROOT, Mock

import lasso
from lasso import AsyncLassoClient, LassoClient, LassoError, NotFoundError, RateLimitError, _error_classes

# --- Ctrl-C -----------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import sys, time
    from lasso import LassoClient

    client = LassoClient({key!r}, base_url={url!r}, max_retries=0)
    print("ready", flush=True)
    try:
        {call}
    except KeyboardInterrupt:
        print("interrupted", time.monotonic(), flush=True)
        sys.exit(0)
    print("not interrupted", flush=True)
    sys.exit(1)
    """
)

# (blocking call, the route it waits on, the operation counted by the mock)
BLOCKING = {
    "call": ("client.credits.balance()", "GET /credits/balance", "credits.balance"),
    "iterate": ("list(client.tables.iter())", "GET /tables", "tables.list"),
    "wait": ("client.tables.wait_for_completion('tbl_sample')", "GET /tables/{table_id}", "tables.get"),
    "export": ("client.export.xlsx('tbl_sample', path='out.xlsx')", "GET /tables/{table_id}/export", "tables.export"),
}


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


@pytest.mark.parametrize("kind", sorted(BLOCKING))
def test_ctrl_c_interrupts_a_blocking_call_within_100_ms(mock: Mock, kind: str, tmp_path: Any) -> None:
    call, route, operation = BLOCKING[kind]
    mock.fault(route, 500, delay_ms=5000)  # the response would take 5 s
    script = CHILD.format(key=KEY, url=mock.url, call=call)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        # The request has reached the server: the child is blocked in it.
        wait_until(lambda: mock.stats()["received"].get(operation, 0) >= 1)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, out
    word, at = out.split()
    assert word == "interrupted"
    latency = float(at) - sent  # CLOCK_MONOTONIC is system-wide on Linux
    assert latency < 0.1, f"KeyboardInterrupt {latency * 1000:.0f} ms after SIGINT"


# --- fork -------------------------------------------------------------------


def _in_child(queue: "multiprocessing.Queue[Tuple[str, Any]]", work: Callable[[], Any]) -> None:
    try:
        queue.put(("ok", work()))
    except BaseException as e:  # report everything, the parent asserts
        queue.put(("error", f"{type(e).__name__}: {e}"))


def run_forked(work: Callable[[], Any], timeout: float = 30) -> Any:
    """Runs `work` in a child made by fork(); its result, never a hang."""
    ctx = multiprocessing.get_context("fork")
    queue: "multiprocessing.Queue[Tuple[str, Any]]" = ctx.Queue()
    with warnings.catch_warnings():
        # Python 3.12+ warns that fork() in a threaded process may deadlock:
        # that is exactly what this test checks does not happen.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = ctx.Process(target=_in_child, args=(queue, work))
        child.start()
    try:
        status, value = queue.get(timeout=timeout)
        child.join(timeout=timeout)
    finally:
        if child.is_alive():
            child.kill()
            child.join()
    assert status == "ok", value
    assert child.exitcode == 0
    return value


def test_a_forked_child_can_use_the_parents_client(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    assert client.credits.balance()["currency"] == "credits"  # runtime and pool now exist

    def work() -> Any:
        return [client.credits.balance()["currency"], client.tables.get("tbl_sample")["id"]]

    assert run_forked(work) == ["credits", "tbl_sample"]
    assert client.credits.balance()["currency"] == "credits"  # the parent's client still works
    assert mock.stats()["executed"]["credits.balance"] == 3


def test_a_forked_child_can_iterate_and_use_the_async_client(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    aclient = AsyncLassoClient(KEY, base_url=mock.url)
    list(client.tables.iter())
    asyncio.run(aclient.credits.balance())

    def work() -> Any:
        async def main() -> Any:
            return (await aclient.credits.balance())["currency"]

        return [len(list(client.tables.iter())) > 0, asyncio.run(main())]

    assert run_forked(work) == [True, "credits"]


def test_with_options_survive_the_rebuild_after_fork(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    no_retries = client.with_options(max_retries=0)
    no_retries.credits.balance()
    mock.reset()
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})

    def work() -> Any:
        try:
            no_retries.credits.balance()
        except RateLimitError:
            pass
        else:
            raise AssertionError("the 429 was retried: with_options was lost in the child")
        mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})
        return client.credits.balance()["currency"]  # the base client still retries

    assert run_forked(work) == "credits"
    assert mock.stats()["received"]["credits.balance"] == 3


def test_forking_while_other_threads_call_never_hangs_the_child(mock: Mock) -> None:
    # The parent's I/O threads are busy (scheduling tasks, so holding their
    # scheduler's locks now and then) at the moment of each fork; the child
    # uses, closes and drops clients it inherited, with idle pooled
    # connections, whose parent-side state must never be torn down there.
    aclient = AsyncLassoClient(KEY, base_url=mock.url)
    stop = threading.Event()

    def busy() -> None:
        async def calls() -> None:
            while not stop.is_set():
                await asyncio.gather(*(aclient.credits.balance() for _ in range(16)))

        asyncio.run(calls())

    thread = threading.Thread(target=busy)
    thread.start()
    try:
        for _ in range(50):
            inherited = [LassoClient(KEY, base_url=mock.url) for _ in range(3)]
            for c in inherited:
                c.credits.balance()  # each now has an idle connection in its pool

            def work() -> Any:
                currency = inherited[0].credits.balance()["currency"]  # rebuilt in the child
                inherited[1].close()
                del inherited[:]
                return currency

            assert run_forked(work, timeout=10) == "credits"
            assert inherited[1].credits.balance()["currency"] == "credits"  # the child's close() was its own
    finally:
        stop.set()
        thread.join()


def test_an_iterator_opened_before_fork_is_a_clear_error_in_the_child(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    rows = client.tables.iter_rows("tbl_sample", limit=1)
    next(rows)  # the first page (one row) is read, the second is being fetched

    def work() -> Any:
        try:
            next(rows)
        except LassoError as e:
            return [
                type(e).__name__,
                "fork()" in e.message,
                len(list(client.tables.iter_rows("tbl_sample", limit=1))) > 1,
            ]
        raise AssertionError("the inherited iterator went on")

    assert run_forked(work) == ["ConfigurationError", True, True]
    assert next(rows)["id"]  # the parent's iterator is intact


_POOL_CLIENT: Optional[LassoClient] = None


def _pool_balance(_: int) -> str:
    assert _POOL_CLIENT is not None
    return str(_POOL_CLIENT.credits.balance()["currency"])


def test_several_forked_workers_at_once(mock: Mock) -> None:
    global _POOL_CLIENT
    _POOL_CLIENT = LassoClient(KEY, base_url=mock.url)
    _POOL_CLIENT.credits.balance()
    ctx = multiprocessing.get_context("fork")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with ctx.Pool(2) as pool:
                results = pool.map_async(_pool_balance, range(4)).get(timeout=60)
    finally:
        _POOL_CLIENT = None
    assert results == ["credits"] * 4
    assert mock.stats()["executed"]["credits.balance"] == 5


# --- pickle -----------------------------------------------------------------

# LassoError and its subclasses (generated from crates/lasso-spec into `_error_classes`).
EXCEPTIONS = sorted(
    (cls for _, cls in inspect.getmembers(_error_classes, inspect.isclass) if issubclass(cls, LassoError)),
    key=lambda cls: cls.__name__,
)

FIELDS: Dict[str, Any] = {
    "code": "stale_write",
    "retryable": True,
    "details": {"field": "name", "problems": ["too long"]},
    "raw_body": '{"error_type": "x"}',
    "body": {"error_type": "x", "nested": [1, 2.5, None]},
    "retry_after": 2.5,
}


def make(cls: Type[LassoError]) -> LassoError:
    extra: Dict[str, Any] = {}
    if cls is lasso.WebhookVerificationError:
        extra["reason"] = "no_matching_signature"
    if cls is lasso.JobFailedError:
        extra.update(
            status="failed",
            table={"id": "tbl_1", "status": "failed", "error_message": "bad PDF"},
            enhancement={"columns": {"desc": {"total": 2, "failed": 2}}},
        )
    return cls(418, "teapot", "short and stout", "req_123", **FIELDS, **extra)


def test_every_exception_class_is_covered() -> None:
    # Every class an error code raises (the generated table of the conformance suites), each exported.
    classes = json.loads((ROOT / "tests" / "conformance" / "error_classes.json").read_text())["classes"]
    assert {cls.__name__ for cls in EXCEPTIONS} == set(classes.values())
    assert set(EXCEPTIONS) == {getattr(lasso, name) for name in ["LassoError", *_error_classes.__all__]}
    assert {cls.__name__ for cls in EXCEPTIONS} <= set(lasso.__all__)
    manifest = json.loads((ROOT / "tests" / "manifest.json").read_text())
    assert len(EXCEPTIONS) == manifest["error_classes"]


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_exceptions_pickle_with_every_attribute(cls: Type[LassoError], protocol: int) -> None:
    original = make(cls)
    clone = pickle.loads(pickle.dumps(original, protocol=protocol))
    assert type(clone) is cls
    assert vars(clone) == vars(original)
    for name in ("status_code", "error_type", "message", "request_id", *FIELDS):
        assert getattr(clone, name) == getattr(original, name), name
    assert str(clone) == str(original) and repr(clone) == repr(original)
    assert clone.args == original.args
    if cls is lasso.WebhookVerificationError:
        assert clone.reason == "no_matching_signature"  # type: ignore[attr-defined]
    if cls is lasso.JobFailedError:
        assert clone.status == "failed"  # type: ignore[attr-defined]
        assert clone.table == {"id": "tbl_1", "status": "failed", "error_message": "bad PDF"}  # type: ignore[attr-defined]
        assert clone.enhancement == {"columns": {"desc": {"total": 2, "failed": 2}}}  # type: ignore[attr-defined]
    assert vars(copy.deepcopy(original)) == vars(original)


def test_a_raised_error_pickles_and_crosses_processes(mock: Mock) -> None:
    with pytest.raises(NotFoundError) as info:
        LassoClient(KEY, base_url=mock.url).tables.get("tbl_missing")
    clone = pickle.loads(pickle.dumps(info.value))
    assert vars(clone) == vars(info.value)
    assert clone.request_id and clone.status_code == 404

    def work() -> Any:
        try:
            LassoClient(KEY, base_url=mock.url).tables.get("tbl_missing")
        except NotFoundError as e:
            return e  # goes back through the queue, pickled

    from_child = run_forked(work)
    assert type(from_child) is NotFoundError
    assert from_child.status_code == 404 and from_child.error_type == "not_found" and from_child.request_id
