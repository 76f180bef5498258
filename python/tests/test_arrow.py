"""Tables as Arrow (`tables.to_arrow`, `to_pandas`, `to_polars`, and
`results_as_dataframe` through Arrow), against lasso-mock over HTTP."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, Dict, List, get_args

# The extras' libraries come from requirements-dev.txt.
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from conftest import KEY, Mock

from lasso import AsyncLassoClient, InternalServerError, LassoClient
from lasso.types import ColumnType

#: Every column type of the spec (`ColumnType`'s known values), each a column of the test table.
TYPES: List[str] = list(get_args(get_args(ColumnType)[0]))
ARROW = {
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "tags": pa.list_(pa.string()),
    "images": pa.list_(pa.string()),
    "files": pa.list_(pa.string()),
}


def client(mock: Mock, **kw: Any) -> LassoClient:
    return LassoClient(api_key=KEY, base_url=mock.url, **kw)


def typed_table(c: LassoClient, rows: List[Dict[str, Any]]) -> str:
    """A completed table with one column per column type (key = the type) and
    exactly `rows` (the extracted ones are deleted)."""
    columns = [{"key": t, "label": t.title(), "type": t} for t in TYPES]
    columns[TYPES.index("enum")]["enum_values"] = ["red", "blue"]
    schema = c.schemas.create(name="All types", columns=columns)
    table = c.tables.create(schema_id=schema["id"], name="Typed", source_text="Steel mug, 350 ml, EUR 12.99")
    c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30)
    extracted = [row["id"] for row in c.tables.iter_rows(table["id"])]
    if extracted:
        c.tables.bulk_delete(table["id"], row_ids=extracted)
    for start in range(0, len(rows), 1000):
        c.tables.create_rows(table["id"], rows=rows[start : start + 1000])
    return table["id"]


FULL = {
    "text": "Mug",
    "number": 12.5,
    "url": "https://x.example/mug",
    "email": "a@b.example",
    "date": "2026-05-01",
    "boolean": True,
    "richtext": "<b>Mug</b>",
    "runnable": "ran",
    "format": "Mug 12.5",
    "enum": "red",
    "tags": ["steel", "mug"],
    "image": "https://x.example/m.png",
    "images": ["https://x.example/1.png"],
    "file": "https://x.example/f.pdf",
    "files": ["https://x.example/a.pdf", "https://x.example/b.pdf"],
    "json": {"a": [1, 2], "b": None},
    "relation": ["prod_1"],
}


def test_each_column_type_has_its_arrow_type_and_values(mock: Mock) -> None:
    c = client(mock)
    others = dict(FULL, number=3, text=42, boolean=False, tags=[], json="plain", date="2026-05-01T12:00:00Z")
    table_id = typed_table(c, [FULL, others])
    table = pa.table(c.tables.to_arrow(table_id))
    assert table.column_names == TYPES
    for t in TYPES:
        assert table.schema.field(t).type == ARROW.get(t, pa.string()), t
        assert table.schema.field(t).nullable
    rows = table.to_pylist()
    expected = dict(FULL, json=json.dumps(FULL["json"], separators=(",", ":")), relation='["prod_1"]')
    assert rows[0] == expected
    # A number column's ints are floats; a text column's number is its JSON text;
    # a json column's string is its JSON text (so that every json cell parses).
    assert rows[1]["number"] == 3.0 and rows[1]["text"] == "42" and rows[1]["boolean"] is False
    assert rows[1]["tags"] == [] and rows[1]["json"] == '"plain"' and rows[1]["date"] == "2026-05-01T12:00:00Z"


def test_nulls_and_missing_keys_are_nulls(mock: Mock) -> None:
    c = client(mock)
    nulls = {t: None for t in TYPES}
    table_id = typed_table(c, [nulls, {"text": "only text"}, {"tags": ["a", None]}])
    rows = pa.table(c.tables.to_arrow(table_id)).to_pylist()
    assert rows[0] == nulls
    assert rows[1] == dict(nulls, text="only text")
    assert rows[2] == dict(nulls, tags=["a", None])


def test_an_unknown_column_type_falls_back_to_utf8(mock: Mock) -> None:
    c = client(mock)
    table_id = typed_table(c, [FULL, {"text": "t", "tags": "not a list"}])
    # The server describes two columns with types newer than this SDK.
    columns = {
        "data": [
            {"key": "text", "label": "Text", "type": "gallery"},
            {"key": "tags", "label": "Tags", "type": "hologram"},
            {"key": "number", "label": "Number"},
        ]
    }
    mock.fault("GET /tables/{table_id}/columns", 200, body=json.dumps(columns))
    table = pa.table(c.tables.to_arrow(table_id))
    assert table.schema == pa.schema([("text", pa.string()), ("tags", pa.string()), ("number", pa.string())])
    # A string as is, anything else as its JSON text.
    assert table.to_pylist() == [
        {"text": "Mug", "tags": '["steel","mug"]', "number": "12.5"},
        {"text": "t", "tags": "not a list", "number": None},
    ]


def test_an_empty_table_has_its_columns_and_no_rows(mock: Mock) -> None:
    c = client(mock)
    table_id = typed_table(c, [])
    table = pa.table(c.tables.to_arrow(table_id))
    assert table.num_rows == 0
    assert table.column_names == TYPES
    df = c.tables.to_pandas(table_id)
    assert list(df.columns) == TYPES and len(df) == 0
    assert c.tables.to_polars(table_id).columns == TYPES


def synthetic(c: LassoClient, rows: int) -> str:
    table = c.tables.create(schema_id="schema_sample", name="Big", source_text=f"MOCK_ROWS={rows}")
    return c.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=30)["id"]


def test_a_table_of_many_pages_comes_whole_and_in_order(mock: Mock) -> None:
    c = client(mock)
    table_id = synthetic(c, 25_050)  # 251 pages of 100, three batches
    reader = pa.RecordBatchReader.from_stream(c.tables.to_arrow(table_id))
    batches = list(reader)
    assert [b.num_rows for b in batches] == [10_000, 10_000, 5_050]
    table = pa.Table.from_batches(batches)
    names = [row["data"]["name"] for row in c.tables.iter_rows(table_id)]
    assert table.column("name").to_pylist() == names
    assert c.tables.to_polars(table_id)["name"].to_list() == names


def test_results_as_dataframe_through_arrow_equals_the_dict_path(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    import lasso._arrow

    c = client(mock)
    table_id = synthetic(c, 1_234)
    fast = c.tables.results_as_dataframe(table_id)
    monkeypatch.setattr(lasso._arrow, "has_pyarrow", lambda: False)
    slow = c.tables.results_as_dataframe(table_id)
    assert slow.equals(slow) and len(slow) == 1_234
    pd.testing.assert_frame_equal(fast, slow)
    # Whole numbers, nulls, missing keys and lists too.
    rows = [
        {"text": "a", "number": 1, "tags": ["x"]},
        {"text": None, "number": 2, "boolean": True},
        {"number": 3, "tags": [], "boolean": False},
    ]
    typed = typed_table(c, rows)
    slow = c.tables.results_as_dataframe(typed)
    monkeypatch.setattr(lasso._arrow, "has_pyarrow", lambda: True)
    fast = c.tables.results_as_dataframe(typed)
    # A key missing from a row is NaN in the dict path's object columns and None here.
    same_nulls = lambda df: df.astype(object).where(df.notna(), None)  # noqa: E731
    pd.testing.assert_frame_equal(same_nulls(fast[list(slow.columns)]), same_nulls(slow))


def test_a_page_that_fails_mid_stream_raises_its_typed_error(mock: Mock) -> None:
    c = client(mock, max_retries=0)
    table_id = synthetic(c, 30_000)
    stream = c.tables.to_arrow(table_id)
    reader = pa.RecordBatchReader.from_stream(stream)
    assert reader.read_next_batch().num_rows == 10_000
    mock.fault("GET /tables/{table_id}/rows", 500, times=1000)
    # pyarrow wraps the failure; the stream's own readers raise it typed.
    with pytest.raises(InternalServerError) as info:
        stream.to_pyarrow()
    assert info.value.status_code == 500
    assert KEY not in str(info.value)


def test_to_pandas_raises_the_typed_error_of_a_failed_page(mock: Mock) -> None:
    c = client(mock, max_retries=0)
    table_id = synthetic(c, 500)
    mock.fault("GET /tables/{table_id}/rows", 500, times=1000)
    with pytest.raises(InternalServerError):
        c.tables.to_pandas(table_id)
    with pytest.raises(InternalServerError):
        c.tables.to_polars(table_id)


def test_the_pycapsule_interface_is_what_pyarrow_and_polars_read(mock: Mock) -> None:
    c = client(mock)
    table_id = synthetic(c, 250)
    stream = c.tables.to_arrow(table_id)
    assert pa.schema(stream).names == stream.column_names
    assert pl.DataFrame(stream).height == 250
    # Read once: a second reader gets what the first left.
    assert pa.table(stream).num_rows == 0


@pytest.mark.parametrize(
    "missing, call, extra",
    [("pyarrow", "to_pandas", "pandas"), ("pandas", "to_pandas", "pandas"), ("polars", "to_polars", "polars")],
)
def test_a_missing_library_names_the_extra(
    mock: Mock, monkeypatch: pytest.MonkeyPatch, missing: str, call: str, extra: str
) -> None:
    c = client(mock)
    table_id = synthetic(c, 10)
    monkeypatch.setitem(sys.modules, missing, None)  # `import <missing>` now fails
    with pytest.raises(ImportError, match=rf'{missing}: pip install "lasso\[{extra}\]"'):
        getattr(c.tables, call)(table_id)


def test_to_pyarrow_without_pyarrow_names_the_arrow_extra(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    c = client(mock)
    stream = c.tables.to_arrow(synthetic(c, 10))
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r'pip install "lasso\[arrow\]"'):
        stream.to_pyarrow()


def test_the_async_client_gives_the_same_frames(mock: Mock) -> None:
    c = client(mock)
    table_id = synthetic(c, 2_345)

    async def main() -> Any:
        a = AsyncLassoClient(api_key=KEY, base_url=mock.url)
        return (
            await a.tables.to_pandas(table_id),
            await a.tables.to_polars(table_id),
            pa.table(await a.tables.to_arrow(table_id)),
            await a.tables.results_as_dataframe(table_id),
        )

    df, pf, table, compat = asyncio.run(main())
    pd.testing.assert_frame_equal(df, c.tables.to_pandas(table_id))
    assert pf.equals(c.tables.to_polars(table_id))
    assert table.num_rows == 2_345
    pd.testing.assert_frame_equal(compat, c.tables.results_as_dataframe(table_id))


def test_a_value_that_does_not_fit_its_column_type_is_a_decode_error_naming_the_column(mock: Mock) -> None:
    from lasso import ResponseDecodeError

    c = client(mock)
    table_id = typed_table(c, [{"number": "N/A"}])
    with pytest.raises(ResponseDecodeError, match="number"):
        c.tables.to_pandas(table_id)
