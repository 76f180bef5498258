"""Arguments that cannot become JSON are refused before anything is sent,
naming the argument (issue 12, item 5): a dict or list that contains itself,
and values nested deeper than the core's limit (`lasso_ai::MAX_ARGUMENT_DEPTH`,
128 levels, the arguments object itself being the first)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any, List

import pytest
from conftest import KEY, Mock

import lasso
from lasso import AsyncLassoClient, LassoClient

LIMIT = 128


def nested(levels: int) -> Any:
    """`levels` dicts, each the only value of the one above it."""
    value: Any = "leaf"
    for _ in range(levels):
        value = {"x": value}
    return value


def sent(mock: Mock) -> List[str]:
    return [f"{r['method']} {r['path']}" for r in mock.requests()]


def test_a_dict_that_contains_itself_raises_and_the_interpreter_lives() -> None:
    # In a child process: without a cycle check the conversion recursed until
    # the stack overflowed, which kills the interpreter.
    code = (
        "import lasso\n"
        "client = lasso.LassoClient({key!r}, base_url='http://127.0.0.1:9/api/v1', max_retries=0)\n"
        "data = {{'name': 'mug'}}\n"
        "data['x'] = data\n"
        "items = []\n"
        "items.append(items)\n"
        "deep = []\n"
        "for _ in range(200000):\n"
        "    deep = [deep]\n"
        "for value in (data, {{'list': items}}, {{'deep': deep}}):\n"
        "    try:\n"
        "        client.tables.update_row('tbl_1', 'row_1', data=value)\n"
        "    except ValueError as e:\n"
        "        print(type(e).__name__, str(e))\n"
    ).format(key=KEY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert "Fatal Python error" not in out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 3, out.stdout[-2000:]
    cycle, cyclic_list, deep = lines
    assert cycle.startswith("ConfigurationError arguments['data']['x']: "), cycle
    assert "contains itself" in cycle
    assert cyclic_list.startswith("ConfigurationError arguments['data']['list'][0]: "), cyclic_list
    assert "contains itself" in cyclic_list
    assert deep.startswith("ConfigurationError arguments['data']['deep'][0][0]"), deep[:300]
    assert f"nested more than {LIMIT} levels" in deep
    assert len(deep) < 500, "the path is cut short, not 200,000 segments long"
    assert KEY not in out.stdout + out.stderr


def test_the_limit_is_the_cores_and_nothing_is_sent_past_it(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    # The arguments object is level 1, `data` level 2: 126 more fit and are
    # sent (whatever the server then makes of them).
    with pytest.raises(lasso.LassoError) as answered:
        client.tables.update_row("tbl_missing", "row_1", data=nested(LIMIT - 1))
    assert answered.value.status_code is not None, answered.value
    assert sent(mock) == ["PUT /tables/tbl_missing/rows/row_1"]

    mock.reset()
    with pytest.raises(lasso.ConfigurationError) as info:
        client.tables.update_row("tbl_missing", "row_1", data=nested(LIMIT))
    message = str(info.value)
    assert message.startswith("arguments['data']['x']['x']"), message[:300]
    assert f"nested more than {LIMIT} levels" in message
    assert "contains itself?" in message
    assert isinstance(info.value, ValueError)
    assert sent(mock) == []


def test_cycles_in_lists_tuples_and_dicts_name_the_argument(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    row: dict = {"name": "mug"}
    row["self"] = row
    rows: list = [{"name": "a"}, {"name": "b", "more": []}]
    rows[1]["more"].append(rows)
    for data, where in (
        ({"row": row}, "arguments['data']['row']['self']"),
        ({"rows": rows}, "arguments['data']['rows'][1]['more'][0]"),
        ({"pair": ({"t": rows},)}, "arguments['data']['pair'][0]['t'][1]['more'][0]"),
    ):
        with pytest.raises(lasso.ConfigurationError) as info:
            client.tables.update_row("tbl_1", "row_1", data=data)
        assert str(info.value).startswith(where + ": "), str(info.value)
        assert "contains itself" in str(info.value)
    assert sent(mock) == []


def test_a_value_shared_without_a_cycle_is_fine(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    shared = {"unit": "ml", "sizes": [250, 350]}
    with pytest.raises(lasso.NotFoundError):
        client.tables.update_row("tbl_missing", "row_1", data={"a": shared, "b": shared, "c": [shared, shared]})
    assert len(sent(mock)) == 1


def test_other_conversion_errors_still_name_the_argument(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    with pytest.raises(TypeError, match=r"^arguments\['data'\]\['when'\]: a value of type object"):
        client.tables.update_row("tbl_1", "row_1", data={"when": object()})
    with pytest.raises(ValueError, match=r"^arguments\['data'\]\['n'\]\[2\]: NaN cannot be sent"):
        client.tables.update_row("tbl_1", "row_1", data={"n": [1.0, 2.0, float("nan")]})
    with pytest.raises(TypeError, match=r"^arguments\['data'\]: dictionary keys must be str, got int"):
        client.tables.update_row("tbl_1", "row_1", data={1: "x"})
    assert sent(mock) == []


def test_the_async_client_refuses_cycles_too(mock: Mock) -> None:
    data: dict = {}
    data["x"] = [data]

    async def main() -> None:
        async with AsyncLassoClient(KEY, base_url=mock.url) as client:
            with pytest.raises(lasso.ConfigurationError, match=r"^arguments\['data'\]\['x'\]\[0\]: .*contains itself"):
                await client.tables.update_row("tbl_1", "row_1", data=data)

    asyncio.run(main())
    assert sent(mock) == []
