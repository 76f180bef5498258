"""Not given vs ``None``. A parameter the API takes as ``null`` (the spec marks it
nullable) is sent as ``null`` when given ``None``, which clears the field; left out
(``NOT_GIVEN``), it is not sent and the field stays. ``None`` for any other optional
parameter means "not given", as it does for code written for ``lasso-ai``."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from conftest import KEY, Mock

from lasso import AsyncLassoClient, LassoClient

PYTHON = Path(__file__).resolve().parents[1]


def client(mock: Mock) -> LassoClient:
    return LassoClient(api_key=KEY, base_url=mock.url)


def test_none_clears_a_nullable_field_and_leaving_it_out_keeps_it(mock: Mock) -> None:
    c = client(mock)
    c.tables.update("tbl_sample", enhancement_context="Write in British English")
    kept = c.tables.update("tbl_sample", name="Renamed")
    assert kept["name"] == "Renamed"
    assert kept["enhancement_context"] == "Write in British English"
    cleared = c.tables.update("tbl_sample", enhancement_context=None)
    assert cleared["enhancement_context"] is None
    assert cleared["name"] == "Renamed"
    assert c.tables.get("tbl_sample")["enhancement_context"] is None


def test_none_for_a_parameter_that_does_not_take_null_is_not_sent(mock: Mock) -> None:
    c = client(mock)
    c.tables.update("tbl_sample", name="Kept")
    table = c.tables.update("tbl_sample", name=None, enhancement_context="Formal")  # type: ignore[arg-type]
    assert table["name"] == "Kept"
    assert table["enhancement_context"] == "Formal"


def test_attribute_fields_clear_on_none(mock: Mock) -> None:
    c = client(mock)
    c.attributes.create(key="material", label="Material", type="text", description="What it is made of", language="en")
    updated = c.attributes.update("material", description=None, label="Material (main)")
    assert updated["description"] is None
    assert updated["language"] == "en"
    assert updated["label"] == "Material (main)"
    assert c.attributes.update("material", language=None)["language"] is None


def test_the_async_client_sends_none_as_null_too(mock: Mock) -> None:
    async def main() -> None:
        async with AsyncLassoClient(api_key=KEY, base_url=mock.url) as c:
            await c.tables.update("tbl_sample", enhancement_context="Formal")
            cleared = await c.tables.update("tbl_sample", enhancement_context=None)
            assert cleared["enhancement_context"] is None

    asyncio.run(main())


def test_type_checkers_allow_none_only_where_the_api_takes_null(tmp_path: Path) -> None:
    code = tmp_path / "nullable.py"
    code.write_text(
        "from lasso import LassoClient\n"
        "client = LassoClient()\n"
        "client.tables.update('tbl_1', enhancement_context=None)\n"
        "client.catalog.webhooks.update('wh_1', description=None)\n"
        "client.attributes.update('color', language=None, format_output_type=None)\n"
        "client.tables.update('tbl_1', name=None)\n"  # the one error: a name cannot be null
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(code)],
        cwd=PYTHON,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("error:") == 1, result.stdout
    assert 'Argument "name"' in result.stdout and ":6:" in result.stdout, result.stdout
