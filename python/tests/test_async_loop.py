"""`AsyncLassoClient` and the event loop (issue 16): progress callbacks run on the
loop (an ``async def`` one is awaited), large exports are decoded off the loop,
anyio's asyncio backend works and trio gets an error that names it; and the
enhancement wait, sync and async, over real HTTP against lasso-mock."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import KEY, Mock, running_mock

from lasso import AsyncLassoClient, LassoClient, _native

SOURCE = "\n".join(f"Product {i}: Steel mug {i}, 350 ml, EUR {10 + i}.99" for i in range(5))


@pytest.fixture(scope="module")
def fast() -> Iterator[Mock]:
    """An emulator whose jobs take a twentieth of their real time: waits see progress."""
    with running_mock("--time-scale", "0.05") as mock:
        yield mock


@pytest.fixture
def quick(fast: Mock) -> Mock:
    fast.reset()
    return fast


def run_debug(main: Any) -> Any:
    """`asyncio.run(debug=True)`: asyncio itself checks that loop-only calls
    (``Queue.put_nowait``, ``call_soon``) happen on the loop's thread."""
    errors: List[str] = []

    async def wrapped() -> Any:
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: errors.append(repr(ctx)))
        return await main()

    out = asyncio.run(wrapped(), debug=True)
    assert errors == []
    return out


def test_progress_callbacks_run_on_the_event_loop(quick: Mock) -> None:
    async def main() -> Tuple[List[Tuple[str, Optional[float]]], int, Dict[str, Any]]:
        loop = asyncio.get_running_loop()
        queue: "asyncio.Queue[Tuple[str, Optional[float]]]" = asyncio.Queue()
        threads = set()

        def on_progress(status: str, progress: Optional[float]) -> None:
            assert asyncio.get_running_loop() is loop
            threads.add(threading.get_ident())
            queue.put_nowait((status, progress))  # loop-only: raises off the loop in debug mode

        async with AsyncLassoClient(KEY, quick.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            done = await c.tables.wait_for_completion(table["id"], interval_s=0.01, on_progress=on_progress)
        seen = [queue.get_nowait() for _ in range(queue.qsize())]
        assert threads == {threading.get_ident()}
        return seen, len(threads), done

    seen, _, done = run_debug(main)
    assert done["status"] == "completed"
    assert seen[-1][0] == "completed" and len(seen) >= 2, seen


def test_an_async_progress_callback_is_awaited_before_the_wait_goes_on(quick: Mock) -> None:
    async def main() -> Tuple[List[str], Dict[str, Any]]:
        events: List[str] = []

        async def on_progress(status: str, progress: Optional[float]) -> None:
            events.append(f"start {status}")
            await asyncio.sleep(0.02)
            events.append(f"end {status}")

        async with AsyncLassoClient(KEY, quick.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            done = await c.tables.wait_for_completion(table["id"], interval_s=0.01, on_progress=on_progress)
        return events, done

    events, done = run_debug(main)
    assert done["status"] == "completed"
    # Each report finished before the next began, and the last before the wait returned.
    assert events[-1] == "end completed"
    assert all(a.replace("start", "end") == b for a, b in zip(events[::2], events[1::2])), events


def test_an_error_in_an_async_progress_callback_stops_the_wait(quick: Mock) -> None:
    async def main() -> None:
        async def on_progress(status: str, progress: Optional[float]) -> None:
            await asyncio.sleep(0)
            raise KeyError("stop here")

        async with AsyncLassoClient(KEY, quick.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            await c.tables.wait_for_completion(table["id"], interval_s=0.01, on_progress=on_progress)

    with pytest.raises(KeyError, match="stop here"):
        run_debug(main)


def test_a_blocking_wait_refuses_an_async_callback(quick: Mock) -> None:
    async def on_progress(status: str, progress: Optional[float]) -> None:
        pass

    c = LassoClient(KEY, quick.url)
    with pytest.raises(TypeError, match="AsyncLassoClient"):
        c.tables.wait_for_completion("tbl_sample", interval_s=0.01, on_progress=on_progress)


# --- decoding off the loop -------------------------------------------------------------------

ROWS = 100_000


def test_the_loop_keeps_ticking_while_a_100k_row_json_export_is_decoded(mock: Mock) -> None:
    async def main() -> Tuple[List[int], int, int]:
        async with AsyncLassoClient(KEY, mock.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Big", source_text=SOURCE)
            await c.tables.wait_for_completion(table["id"], interval_s=0.05)
            key = (await c.tables.columns(table["id"]))["data"][0]["key"]
            await asyncio.gather(
                *(
                    c.tables.create_rows(table["id"], rows=[{key: f"Mug {b * 1000 + i}"} for i in range(1000)])
                    for b in range(ROWS // 1000)
                )
            )
            total = (await c.tables.get(table["id"]))["total_rows"]
            assert total >= ROWS

            seen: List[int] = []
            finished = False

            async def ticker() -> None:
                while not finished:
                    seen.append(_native.__rows_decoded())
                    await asyncio.sleep(0)

            before = _native.__rows_decoded()
            tick = asyncio.ensure_future(ticker())
            out = await c.export.json(table["id"])
            finished = True
            await tick
        assert len(out) == total
        return seen, before, before + total

    seen, start, end = asyncio.run(main())
    # The loop ran while the rows were being decoded (the count strictly between
    # start and end), again and again: the decode releases the GIL every 1,000 rows.
    during = [n for n in seen if start < n < end]
    assert len(set(during)) >= 5, (len(seen), sorted(set(during)))


def test_results_as_dataframe_of_the_async_client_builds_the_frame_off_the_loop(quick: Mock) -> None:
    async def main() -> Tuple[Any, int, int]:
        ticks = 0
        finished = False

        async def ticker() -> None:
            nonlocal ticks
            while not finished:
                ticks += 1
                await asyncio.sleep(0)

        async with AsyncLassoClient(KEY, quick.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            done = await c.tables.wait_for_completion(table["id"], interval_s=0.01)
            tick = asyncio.ensure_future(ticker())
            df = await c.tables.results_as_dataframe(table["id"])
            finished = True
            await tick
        return df, ticks, done["total_rows"]

    df, ticks, total = asyncio.run(main())
    assert len(df) == total > 0 and ticks > 0


def test_results_as_dataframe_of_an_empty_table_keeps_its_columns(quick: Mock) -> None:
    c = LassoClient(KEY, quick.url)
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
    c.tables.wait_for_completion(table["id"], interval_s=0.01)
    ids = [row["id"] for row in c.tables.iter_rows(table["id"])]
    c.tables.bulk_delete(table["id"], row_ids=ids)
    columns = [col["key"] for col in c.tables.columns(table["id"])["data"]]
    assert columns
    df = c.tables.results_as_dataframe(table["id"])
    assert df.shape == (0, len(columns)) and list(df.columns) == columns

    async def main() -> Any:
        async with AsyncLassoClient(KEY, quick.url) as ac:
            return await ac.tables.results_as_dataframe(table["id"])

    assert list(asyncio.run(main()).columns) == columns


# --- anyio and trio ----------------------------------------------------------------------------


def test_anyio_with_the_asyncio_backend(quick: Mock) -> None:
    import anyio  # requirements-dev.txt installs it

    async def main() -> Tuple[Dict[str, Any], List[str]]:
        seen: List[str] = []
        async with AsyncLassoClient(KEY, quick.url) as c:
            balance = await c.credits.balance()
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            await c.tables.wait_for_completion(table["id"], interval_s=0.01, on_progress=lambda s, p: seen.append(s))
        return balance, seen

    balance, seen = anyio.run(main, backend="asyncio")
    assert balance["currency"] == "credits" and seen[-1] == "completed"


def test_trio_gets_an_error_that_names_trio(mock: Mock) -> None:
    import trio  # requirements-dev.txt installs it

    async def main() -> None:
        async with AsyncLassoClient(KEY, mock.url) as c:
            await c.credits.balance()

    with pytest.raises(RuntimeError, match=r"trio.*asyncio|asyncio.*trio"):
        trio.run(main)


# --- the enhancement wait --------------------------------------------------------------------


def enhance(c: LassoClient, column: str = "description") -> str:
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
    c.tables.wait_for_completion(table["id"], interval_s=0.01)
    ids = [row["id"] for row in c.tables.iter_rows(table["id"])]
    keys = [col["key"] for col in c.tables.columns(table["id"])["data"]]
    c.enhance.cells(table["id"], row_ids=ids, column_key=keys[-1], prompt="Describe {{" + keys[0] + "}}")
    return table["id"]


def test_enhance_wait_for_completion_reports_progress_and_returns_the_status(quick: Mock) -> None:
    c = LassoClient(KEY, quick.url)
    table_id = enhance(c)
    seen: List[Tuple[str, Optional[float]]] = []
    status = c.enhance.wait_for_completion(table_id, interval_s=0.01, on_progress=lambda s, p: seen.append((s, p)))
    columns = status["columns"]
    assert columns and all(col["completed"] + col.get("failed", 0) == col["total"] for col in columns.values())
    assert seen[-1] == ("completed", 100.0)
    assert [p for _, p in seen] == sorted(p for _, p in seen)


def test_enhance_wait_for_completion_of_the_async_client(quick: Mock) -> None:
    table_id = enhance(LassoClient(KEY, quick.url))

    async def main() -> Tuple[Dict[str, Any], List[str]]:
        seen: List[str] = []

        async def on_progress(status: str, progress: Optional[float]) -> None:
            seen.append(status)

        async with AsyncLassoClient(KEY, quick.url) as c:
            return await c.enhance.wait_for_completion(table_id, interval_s=0.01, on_progress=on_progress), seen

    status, seen = run_debug(main)
    assert status["columns"] and seen[-1] == "completed"


def test_enhance_wait_times_out_naming_the_enhancement(quick: Mock) -> None:
    from lasso import APITimeoutError

    c = LassoClient(KEY, quick.url)
    table_id = enhance(c)
    with pytest.raises(APITimeoutError, match="enhancement of table"):
        c.enhance.wait_for_completion(table_id, interval_s=0.001, timeout_s=0.001)


# --- the progress bar and a callback together ----------------------------------------------------


class Terminal:
    """A stand-in for stderr on a terminal, recording what is written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_what_a_callback_prints_does_not_land_on_the_bar_line(quick: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    c = LassoClient(KEY, quick.url)
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)

    def report(status: str, progress: Optional[float]) -> None:
        print(f"CALLBACK {status}", file=sys.stderr)

    c.tables.wait_for_completion(table["id"], interval_s=0.01, progress=True, on_progress=report)
    text = terminal.text
    assert text.count("CALLBACK") >= 2, text
    bar = _native.progress_line("processing", None).split()[0]  # the bar's first word
    assert bar in text, text
    at = 0
    while (at := text.find("CALLBACK", at + 1)) != -1:
        # Each callback line starts where nothing of the bar is left: at the start of
        # the output, or right after the sequence that clears the bar's line.
        assert at == 0 or text[:at].endswith(_native.PROGRESS_CLEAR_LINE), repr(text[max(0, at - 60) : at + 20])
    assert text.endswith("\n")  # the bar's line is ended
