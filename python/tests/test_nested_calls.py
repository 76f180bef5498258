"""Sync calls made from inside a progress callback (issue 12, item 8): the
callback runs on the caller's thread while `wait_for_completion` waits, and
every sync method works there, iterators and a nested wait included."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict, List, Optional, Tuple

from conftest import KEY, Mock

from lasso import AsyncLassoClient, LassoClient

SOURCE = "\n".join(f"Product {i}: Steel mug {i}, 350 ml, EUR {10 + i}.99" for i in range(5))


def test_a_progress_callback_can_make_any_sync_call(mock: Mock) -> None:
    c = LassoClient(KEY, base_url=mock.url)
    done_before = c.tables.wait_for_completion(
        c.tables.create(schema_id="schema_sample", name="Done", source_text=SOURCE)["id"], interval_s=0.05, timeout_s=30
    )
    other = c.tables.create(schema_id="schema_sample", name="Other", source_text=SOURCE)
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
    caller = threading.get_ident()
    seen: List[Tuple[str, Optional[float], int, float, int, str]] = []
    nested: List[Dict[str, Any]] = []

    def on_progress(status: str, progress: Optional[float]) -> None:
        assert threading.get_ident() == caller
        rows = list(c.tables.iter_rows(done_before["id"]))  # a pager, polled on this thread
        balance = c.credits.balance()["balance"]
        pages = len(c.tables.list(limit=5)["data"])
        got = c.tables.get(table["id"])["status"]
        seen.append((status, progress, len(rows), balance, pages, got))
        if not nested:  # a wait inside the wait
            nested.append(c.tables.wait_for_completion(other["id"], interval_s=0.05, timeout_s=30))

    done = c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30, on_progress=on_progress)
    assert done["status"] == "completed"
    assert seen and seen[-1][0] == "completed", seen
    assert all(rows == done_before["total_rows"] for _, _, rows, _, _, _ in seen)
    assert all(balance > 0 and pages > 0 for _, _, _, balance, pages, _ in seen)
    assert nested[0]["status"] == "completed"


def test_a_sync_call_from_an_async_progress_callback(mock: Mock) -> None:
    sync = LassoClient(KEY, base_url=mock.url)
    finished = sync.tables.wait_for_completion(
        sync.tables.create(schema_id="schema_sample", name="Done", source_text=SOURCE)["id"],
        interval_s=0.05,
        timeout_s=30,
    )
    counts: List[int] = []

    async def main() -> str:
        async with AsyncLassoClient(KEY, base_url=mock.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            done = await c.tables.wait_for_completion(
                table["id"],
                interval_s=0.05,
                timeout_s=30,
                on_progress=lambda s, p: counts.append(len(list(sync.tables.iter_rows(finished["id"])))),
            )
            return str(done["status"])

    assert asyncio.run(main()) == "completed"
    assert counts and all(n == finished["total_rows"] for n in counts)
