"""Responses are decoded from JSON text straight into Python objects (no
intermediate tree): they must equal what `json.loads` makes of the same text."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from conftest import KEY, Mock

from lasso import AsyncLassoClient, LassoClient, ResponseDecodeError

DOCUMENTS = {
    "unicode": '{"name": "caf\\u00e9 \\ud83d\\ude00 日本", "plain": "é😀", "empty": ""}',
    "escapes": '{"q\\"uote": "a\\\\b\\/c\\n\\t\\r\\b\\f", "k\\u00e9y": 1}',
    "numbers": '{"zero": 0, "neg": -17, "i64_min": -9223372036854775808, "u64_max": 18446744073709551615,'
    ' "float": 1.5e-7, "big_float": 1e308, "neg_zero": -0.0, "frac": 0.1}',
    "literals": '{"t": true, "f": false, "n": null, "list": [], "obj": {}}',
    "nested": '{"a": [1, [2, [3, {"b": [{"c": null}]}]]], "rows": [{"x": 1}, {"x": 2}, {"y": 3}]}',
    "duplicate_keys": '{"a": 1, "a": 2}',
    "deep": '{"d": ' + "[" * 100 + "]" * 100 + "}",
    "whitespace": ' \n\t{ "spaced" : [ 1 , 2 ] } \n',
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_response_decodes_as_json_loads_would(mock: Mock, name: str) -> None:
    text = DOCUMENTS[name]
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    mock.fault("GET /credits/balance", 200, body=text, headers={"content-type": "application/json"})
    got = client.credits.balance()
    assert got == json.loads(text)
    assert [type(v) for v in got.values()] == [type(v) for v in json.loads(text).values()]


def test_the_async_client_decodes_the_same(mock: Mock) -> None:
    text = DOCUMENTS["nested"]
    client = AsyncLassoClient(KEY, base_url=mock.url, max_retries=0)
    mock.fault("GET /credits/balance", 200, body=text, headers={"content-type": "application/json"})
    assert asyncio.run(client.credits.balance()) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    ['{"a": 1', '{"a": 1} trailing', "{'a': 1}", '{"a": NaN}', '{"a": "\\ud800"}', "\xff\xfe"],
)
def test_a_body_that_is_not_json_is_a_decode_error(mock: Mock, text: str) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    mock.fault("GET /credits/balance", 200, body=text, headers={"content-type": "application/json"})
    with pytest.raises(ResponseDecodeError) as info:
        client.credits.balance()
    assert info.value.status_code == 200
    assert "GET /credits/balance" in info.value.message


def test_rows_of_a_page_share_their_keys_and_stay_independent(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    rows = list(client.tables.iter_rows("tbl_sample", limit=2))
    expected = [r for page in range(1, 100) for r in client.tables.rows("tbl_sample", page=page, limit=2)["data"]][
        : len(rows)
    ]
    assert rows == expected and len(rows) > 2
    rows[0]["data"]["mutated"] = True
    assert "mutated" not in rows[1]["data"]


def test_an_item_of_a_page_that_is_not_json_is_a_decode_error(mock: Any) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    body = '{"data": [{"id": "r1"}, {"id": 1e999}], "pagination": {"page": 1, "limit": 100, "total": 2}}'
    mock.fault("GET /tables/{table_id}/rows", 200, body=body, headers={"content-type": "application/json"})
    with pytest.raises(ResponseDecodeError):
        list(client.tables.iter_rows("tbl_sample"))


# --- export.json: the envelope is unwrapped; anything else is a decode error (as in Node) ----------


@pytest.mark.parametrize(
    "body, rows",
    [
        (
            '{"data": [{"name": "Mug", "price": 9.5}, {"name": "Cup"}]}',
            [{"name": "Mug", "price": 9.5}, {"name": "Cup"}],
        ),
        ('[{"name": "Mug"}]', [{"name": "Mug"}]),
        ('{"data": []}', []),
    ],
)
def test_export_json_unwraps_the_envelope(mock: Mock, body: str, rows: Any) -> None:
    route = "GET /tables/{table_id}/export"
    mock.fault(route, 200, body=body, headers={"content-type": "application/json"})
    assert LassoClient(KEY, base_url=mock.url).export.json("tbl_sample") == rows
    mock.fault(route, 200, body=body, headers={"content-type": "application/json"})
    assert asyncio.run(AsyncLassoClient(KEY, base_url=mock.url).export.json("tbl_sample")) == rows


@pytest.mark.parametrize("body", ['{"rows": []}', '"text"', "name;price\nMug;1\n", '{"data": [{"a": 1}'])
def test_export_json_of_anything_else_is_a_response_decode_error(mock: Mock, body: str) -> None:
    mock.fault("GET /tables/{table_id}/export", 200, body=body, headers={"content-type": "application/json"})
    with pytest.raises(ResponseDecodeError) as info:
        LassoClient(KEY, base_url=mock.url, max_retries=0).export.json("tbl_sample")
    assert not isinstance(info.value, json.JSONDecodeError)
