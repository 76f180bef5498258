"""Helpers that are not plain calls, against lasso-mock: uploads, waiting for a
table, auto-pagination and exports (in memory and to a path)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from conftest import KEY, Mock

from lasso import APITimeoutError, AsyncLassoClient, JobFailedError, LassoClient, NotFoundError

SOURCE = "\n".join(f"Product {i}: Steel mug {i}, 350 ml, EUR {10 + i}.99" for i in range(5))


def client(mock: Mock, **kw: Any) -> LassoClient:
    return LassoClient(api_key=KEY, base_url=mock.url, **kw)


def completed_table(c: LassoClient, source: str = SOURCE) -> Dict[str, Any]:
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=source)
    return c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30)


def test_wait_for_completion_reports_progress_and_returns_the_table(mock: Mock) -> None:
    c = client(mock)
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
    seen: List[Tuple[str, Optional[float]]] = []
    done = c.tables.wait_for_completion(
        table["id"], interval_s=0.05, timeout_s=30, on_progress=lambda s, p: seen.append((s, p))
    )
    assert done["status"] == "completed"
    assert done["total_rows"] > 0
    assert seen[-1][0] == "completed"
    assert len(seen) >= 2, seen
    progress = [p for _, p in seen if p is not None]
    assert progress == sorted(progress)


def test_a_failed_extraction_raises_job_failed_with_the_table(mock: Mock) -> None:
    c = client(mock)
    table = c.tables.create(schema_id="schema_sample", name="Broken", source_text="FAIL_EXTRACTION please")
    with pytest.raises(JobFailedError) as info:
        c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30)
    assert info.value.status in ("error", "failed")
    assert info.value.table["id"] == table["id"]
    assert info.value.enhancement is None


def test_an_enhancement_whose_every_cell_failed_raises_job_failed_with_its_status(mock: Mock) -> None:
    import pickle

    status = {"columns": {"desc": {"total": 2, "completed": 0, "failed": 2}}}
    mock.fault("GET /tables/{table_id}/enhance/status", 200, body=json.dumps(status))
    with pytest.raises(JobFailedError, match="every one of its 2 cells failed") as info:
        client(mock).enhance.wait_for_completion("tbl_1", interval_s=0.01, timeout_s=30)
    e = info.value
    # The enhancement's status, typed as such; no table was read.
    assert e.status == "failed" and e.table is None
    assert e.enhancement == status
    assert pickle.loads(pickle.dumps(e)).enhancement == status


def test_an_exception_in_the_progress_callback_propagates(mock: Mock) -> None:
    c = client(mock)
    table = c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)

    def boom(status: str, progress: Optional[float]) -> None:
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30, on_progress=boom)


def test_iter_rows_over_10000_rows_has_no_gap_and_no_duplicate(mock: Mock) -> None:
    c = client(mock)
    table = completed_table(c)
    existing = table["total_rows"]
    columns = [col["key"] for col in c.tables.columns(table["id"])["data"]]
    for batch in range(10):
        rows = [{columns[0]: f"item {batch * 1000 + i}"} for i in range(1000)]
        assert c.tables.create_rows(table["id"], rows=rows)["inserted_count"] == 1000
    ids = [row["id"] for row in c.tables.iter_rows(table["id"])]
    assert len(ids) == existing + 10_000
    assert len(set(ids)) == len(ids)
    indexes = sorted(row["row_index"] for row in c.tables.iter_rows(table["id"], limit=100))
    assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))


def test_async_iteration_and_waiting(mock: Mock) -> None:
    async def main() -> int:
        async with AsyncLassoClient(api_key=KEY, base_url=mock.url) as c:
            table = await c.tables.create(schema_id="schema_sample", name="Mugs", source_text=SOURCE)
            done = await c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30)
            return len([row async for row in c.tables.iter_rows(done["id"])]) - done["total_rows"]

    assert asyncio.run(main()) == 0


def test_upload_from_a_path_bytes_and_a_file_object(mock: Mock, tmp_path: Path) -> None:
    c = client(mock)
    path = tmp_path / "catalog.csv"
    path.write_bytes(b"name;price\nMug;12\n")
    by_path = c.files.upload(str(path))
    assert by_path["filename"] == "catalog.csv"
    assert by_path["size"] == path.stat().st_size
    by_bytes = c.files.upload(b"%PDF-1.7", "scan.pdf")
    assert by_bytes["filename"] == "scan.pdf"
    with path.open("rb") as f:
        assert c.files.upload(f)["filename"] == "catalog.csv"
    assert c.files.upload(io.BytesIO(b"hello"), "notes.txt")["size"] == 5
    listed = {f["id"] for f in c.files.list(limit=100)["data"]}
    assert by_path["id"] in listed


def test_upload_errors_are_clear(mock: Mock) -> None:
    c = client(mock)
    with pytest.raises(FileNotFoundError, match="not/here.pdf"):
        c.files.upload("not/here.pdf")
    with pytest.raises(ValueError, match="filename"):
        c.files.upload(b"no name")
    with pytest.raises(TypeError, match="binary"):
        c.files.upload(io.StringIO("text"))


def test_exports_in_memory(mock: Mock) -> None:
    c = client(mock)
    table = completed_table(c)
    rows = c.export.json(table["id"])
    assert isinstance(rows, list) and len(rows) == table["total_rows"]
    text = c.export.csv(table["id"])
    assert isinstance(text, str) and ";" in text.splitlines()[0]
    assert c.export.xlsx(table["id"]).startswith(b"PK")
    with zipfile.ZipFile(io.BytesIO(c.export.images(table["id"]))) as z:
        z.testzip()
    first_key = next(iter(rows[0]))
    assert list(c.export.json(table["id"], columns=[first_key])[0]) == [first_key]


def test_export_to_a_path_and_no_partial_file_on_failure(mock: Mock, tmp_path: Path) -> None:
    c = client(mock)
    table = completed_table(c)
    target = tmp_path / "out.xlsx"
    # Written, then returned as without a path (lasso-ai 0.1.2's meaning of path=).
    content = c.export.xlsx(table["id"], path=target)
    assert content.startswith(b"PK") and target.read_bytes() == content
    mock.fault("GET /tables/{table_id}/export", 500, times=3)
    broken = tmp_path / "broken.csv"
    with pytest.raises(Exception):
        c.export.csv(table["id"], path=broken, max_retries=0)
    assert sorted(os.listdir(tmp_path)) == ["out.xlsx"]


def test_download_exposes_the_server_file_name(mock: Mock, tmp_path: Path) -> None:
    c = client(mock)
    table = completed_table(c)
    d = c.export.download(table["id"], "csv")
    assert d["filename"] == "Mugs.csv"
    assert d["content_type"].startswith("text/csv")
    saved = c.export.download(table["id"], "json", path=tmp_path / "rows.json")
    assert saved["size"] == (tmp_path / "rows.json").stat().st_size
    assert saved["filename"] == "Mugs.json"


def test_export_of_a_missing_table_is_not_found(mock: Mock) -> None:
    with pytest.raises(NotFoundError):
        client(mock).export.json("tbl_missing")


def test_results_as_dataframe_with_pandas(mock: Mock) -> None:
    # pandas comes from requirements-dev.txt (the `lasso[pandas]` extra).
    c = client(mock)
    table = completed_table(c)
    df = c.tables.results_as_dataframe(table["id"])
    assert type(df).__module__.startswith("pandas")
    assert len(df) == table["total_rows"]


def test_results_as_dataframe_without_pandas_says_how_to_install_it(
    mock: Mock, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = client(mock)
    table = completed_table(c)
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    with pytest.raises(ImportError, match=r'pip install "lasso\[pandas\]"'):
        c.tables.results_as_dataframe(table["id"])


def test_search_error_in_a_200_body_is_typed(mock: Mock) -> None:
    from lasso import InsufficientCreditsError

    mock.fault(
        "POST /search",
        200,
        body=json.dumps({"id": "s", "results": [], "credits_used": 0, "error": "Insufficient credits"}),
    )
    with pytest.raises(InsufficientCreditsError) as info:
        client(mock).search(query="mug")
    assert info.value.status_code == 200


EXPORTS = ("csv", "xlsx", "json", "images", "download")


def stalled_exports(mock: Mock) -> None:
    """Every export answers its headers and part of the body, then nothing for two minutes."""
    mock._control(
        "POST",
        "/__mock/faults",
        {"route": "GET /tables/{table_id}/export", "kind": "stall_body", "delay_ms": 120_000, "probability": 1},
    )


def export_call(export: Any, name: str, **kw: Any) -> Any:
    if name == "download":
        return export.download("tbl_stalled", "csv", **kw)
    return getattr(export, name)("tbl_stalled", **kw)


def test_total_timeout_bounds_every_export_helper(mock: Mock, tmp_path: Path) -> None:
    stalled_exports(mock)
    c = client(mock)
    for name in EXPORTS:
        started = time.monotonic()
        # The per-attempt timeout (60 s) would wait for the stall; total_timeout ends it.
        with pytest.raises(APITimeoutError, match="total timeout of 300 ms"):
            export_call(c.export, name, timeout=60, max_retries=0, total_timeout=0.3)
        assert time.monotonic() - started < 30, name
    target = tmp_path / "rows.csv"
    with pytest.raises(APITimeoutError, match="total timeout"):
        c.export.csv("tbl_stalled", path=target, timeout=60, total_timeout=0.3)
    assert os.listdir(tmp_path) == []


def test_total_timeout_bounds_every_async_export_helper(mock: Mock, tmp_path: Path) -> None:
    stalled_exports(mock)

    async def main() -> None:
        async with AsyncLassoClient(api_key=KEY, base_url=mock.url) as c:
            for name in EXPORTS:
                started = time.monotonic()
                with pytest.raises(APITimeoutError, match="total timeout of 300 ms"):
                    await export_call(c.export, name, timeout=60, max_retries=0, total_timeout=0.3)
                assert time.monotonic() - started < 30, name
            with pytest.raises(APITimeoutError, match="total timeout"):
                await c.export.xlsx("tbl_stalled", path=tmp_path / "rows.xlsx", timeout=60, total_timeout=0.3)

    asyncio.run(main())
    assert os.listdir(tmp_path) == []
