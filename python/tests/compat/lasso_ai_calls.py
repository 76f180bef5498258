"""Every public method of the official `lasso-ai` 0.1.2, called as its own
signatures allow (positional arguments where it takes them, its keyword names,
its `**kwargs` pass-throughs), against a lasso-mock; prints one JSON line per
call: what it returned or raised, normalised so that two runs can be compared.

Run by tests/test_lasso_ai_comparison.py twice, each against a fresh emulator
with the same seed (jobs finishing at once): once in a venv holding `lasso-ai`
0.1.2 (target/peer-venv) and once with this repository's `lasso`. Both install the import name `lasso`, so
each runs in its own interpreter. Nothing here knows which package it drives.

Usage: python lasso_ai_calls.py API_URL WORKDIR
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import traceback
import zipfile
from pathlib import PurePath
from typing import Any, Callable, Dict, List

import httpx

from lasso import LassoClient, LassoError

KEY = "lasso_" + "c0de" * 16
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: Random ids (UUIDs, not derived from the emulator's seed) → `<id N>`, in order of first appearance.
IDS: Dict[str, str] = {}

OUT: List[Dict[str, Any]] = []


def view(value: Any) -> Any:
    """A JSON view of a result: timestamps masked (they differ between runs),
    bytes and files by size and first bytes, data frames by shape, columns and records."""
    if isinstance(value, dict):
        return {k: view(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [view(v) for v in value]
    if isinstance(value, str) and ISO_TIME.match(value):
        return "<time>"
    if isinstance(value, str) and UUID.search(value):
        return UUID.sub(lambda m: IDS.setdefault(m.group(0), f"<id {len(IDS) + 1}>"), value)
    if isinstance(value, (bytes, bytearray)):
        return zip_view(bytes(value)) if value[:2] == b"PK" else {"bytes": len(value), "starts": bytes(value[:2]).hex()}
    if isinstance(value, PurePath):
        data = open(value, "rb").read()
        return {"path_written": os.path.basename(value), **zip_view(data)}
    if type(value).__name__ == "DataFrame":
        records = json.loads(value.to_json(orient="records"))
        return {"dataframe": list(value.shape), "columns": [str(c) for c in value.columns], "records": view(records)}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def zip_view(data: bytes) -> Dict[str, Any]:
    """A ZIP (an XLSX workbook, the images archive) by its members and, for a
    workbook, the values of its cells: its size varies with the time stamps inside."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(z.namelist())
        cells = [
            text
            for name in names
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
            for text in re.findall(r"<(?:t|v)(?: [^>]*)?>([^<]*)</(?:t|v)>", z.read(name).decode())
        ]
        cells += [view(z.read(name).decode()) for name in names if name.endswith(".csv")]
    return {"zip": names, "cells": cells}


def error_view(e: BaseException) -> Dict[str, Any]:
    """What code written for 0.1.2 can catch and read of an error: the
    classes it is an instance of among those 0.1.2 code names (its
    LassoError, builtins, httpx's), and its HTTP status."""
    classes = [
        name
        for name, cls in (
            ("LassoError", LassoError),
            ("TimeoutError", TimeoutError),
            ("ValueError", ValueError),
            ("OSError", OSError),
            ("FileNotFoundError", FileNotFoundError),
            ("KeyError", KeyError),
            ("httpx.HTTPError", httpx.HTTPError),
            ("httpx.HTTPStatusError", httpx.HTTPStatusError),
            ("httpx.TimeoutException", httpx.TimeoutException),
            ("httpx.ConnectError", httpx.ConnectError),
        )
        if isinstance(e, cls)
    ]
    out: Dict[str, Any] = {"classes": classes}
    if isinstance(e, LassoError):
        out.update(status_code=e.status_code, error_type=e.error_type, has_request_id=bool(e.request_id))
    if isinstance(e, httpx.HTTPStatusError):
        out["response_status"] = e.response.status_code
    return out


def call(name: str, fn: Callable[[], Any]) -> Any:
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001 - every outcome is data
        OUT.append(
            {"call": name, "error": error_view(e), "detail": f"{type(e).__module__}.{type(e).__name__}: {e}"[:300]}
        )
        return None
    OUT.append({"call": name, "result": view(result)})
    return result


def main(url: str, workdir: str) -> None:
    os.chdir(workdir)
    with open("products.pdf", "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    # The constructor: key and base URL by position, as 0.1.2 takes them.
    lasso = LassoClient(KEY, url)
    columns = [
        {"key": "name", "label": "Name", "type": "text", "required": True},
        {"key": "price", "label": "Price", "type": "number"},
        {"key": "description", "label": "Description", "type": "richtext"},
    ]

    # Schemas.
    schema = call("schemas.create", lambda: lasso.schemas.create(name="Products", columns=columns, description="Ours"))
    call("schemas.list", lambda: lasso.schemas.list())
    call("schemas.list(page, limit)", lambda: lasso.schemas.list(page=1, limit=2))
    call("schemas.get", lambda: lasso.schemas.get(schema["id"]))
    call(
        "schemas.update(**kwargs)",
        lambda: lasso.schemas.update(schema["id"], name="Products v2", description="Updated"),
    )
    generated = call(
        "schemas.generate", lambda: lasso.schemas.generate(sample_data="name,price\nMug,12.5", name="Mugs")
    )
    call("schemas.delete", lambda: lasso.schemas.delete(generated["id"]))
    call("schemas.get(missing)", lambda: lasso.schemas.get("non-existent"))

    # Files.
    file = call("files.upload(file_path=)", lambda: lasso.files.upload(file_path="products.pdf"))
    other = call("files.upload(path)", lambda: lasso.files.upload("products.pdf"))
    call("files.list", lambda: lasso.files.list(page=1, limit=25))
    call("files.delete", lambda: lasso.files.delete(other["id"]))

    # Tables.
    table = call(
        "tables.create",
        lambda: lasso.tables.create(
            schema_id=schema["id"],
            name="My Products",
            file_ids=[file["id"]],
            additional_context="Prices in EUR",
            enhancement_context="Friendly tone",
        ),
    )
    call(
        "tables.wait_for_completion",
        lambda: lasso.tables.wait_for_completion(table["id"], interval_s=0.05, timeout_s=10),
    )
    text_table = call(
        "tables.create(source_text)",
        lambda: lasso.tables.create(schema_id=schema["id"], name="From text", source_text="Mug: 12 EUR. Cup: 8 EUR."),
    )
    call(
        "tables.wait_for_completion(text)", lambda: lasso.tables.wait_for_completion(text_table["id"], interval_s=0.05)
    )
    call("tables.list", lambda: lasso.tables.list())
    call(
        "tables.list(search, status)",
        lambda: lasso.tables.list(page=1, limit=10, search="Products", status="completed"),
    )
    call("tables.get", lambda: lasso.tables.get(table["id"]))
    call(
        "tables.update(**kwargs)",
        lambda: lasso.tables.update(table["id"], name="Renamed", enhancement_context="Formal"),
    )
    call("tables.columns", lambda: lasso.tables.columns(table["id"]))
    rows = call("tables.rows", lambda: lasso.tables.rows(table["id"]))
    call(
        "tables.rows(page, limit, sort)",
        lambda: lasso.tables.rows(table["id"], page=1, limit=2, sort_by="name", sort_order="desc"),
    )
    row_id = rows["data"][0]["id"]
    call("tables.get_row", lambda: lasso.tables.get_row(table["id"], row_id))
    call("tables.update_row(positional data)", lambda: lasso.tables.update_row(table["id"], row_id, {"price": 9.5}))
    created = call(
        "tables.create_rows", lambda: lasso.tables.create_rows(table["id"], rows=[{"name": "Extra", "price": 1}])
    )
    extra_id = created["data"][0]["id"]
    call(
        "tables.bulk_update",
        lambda: lasso.tables.bulk_update(table["id"], row_ids=[row_id], column_key="price", value=11),
    )
    call("tables.delete_row", lambda: lasso.tables.delete_row(table["id"], extra_id))
    more = lasso.tables.create_rows(table["id"], rows=[{"name": "A"}, {"name": "B"}])
    call("tables.bulk_delete", lambda: lasso.tables.bulk_delete(table["id"], row_ids=[r["id"] for r in more["data"]]))
    call("tables.results_as_dataframe", lambda: lasso.tables.results_as_dataframe(table["id"]))

    # Enhance.
    ids = [r["id"] for r in lasso.tables.rows(table["id"])["data"]]
    call(
        "enhance.cells(**kwargs)",
        lambda: lasso.enhance.cells(
            table["id"], row_ids=ids[:2], column_key="description", prompt="Describe {{Name}}", web_search=False
        ),
    )
    call("enhance.status", lambda: lasso.enhance.status(table["id"]))
    call(
        "enhance.bulk",
        lambda: lasso.enhance.bulk(table["id"], row_id=ids[0], columns=[{"key": "description", "prompt": "Say hi"}]),
    )
    call("enhance.cancel(positional column)", lambda: lasso.enhance.cancel(table["id"], "description"))
    call("enhance.cancel", lambda: lasso.enhance.cancel(table["id"]))
    call("enhance.traces", lambda: lasso.enhance.traces(table["id"], ids[0]))
    call("enhance.traces(positional column)", lambda: lasso.enhance.traces(table["id"], ids[0], "description"))

    # Export.
    call("export.csv", lambda: lasso.export.csv(table["id"]))
    call("export.csv(columns)", lambda: lasso.export.csv(table["id"], columns="name,price"))
    call("export.json", lambda: lasso.export.json(table["id"]))
    call("export.json(columns)", lambda: lasso.export.json(table["id"], columns="name"))
    call("export.xlsx", lambda: lasso.export.xlsx(table["id"]))
    call("export.xlsx(path)", lambda: lasso.export.xlsx(table["id"], columns="name", path="products.xlsx"))
    call("export.images", lambda: lasso.export.images(table["id"]))
    call("export.images(path)", lambda: lasso.export.images(table["id"], path="images.zip"))

    # Glossary.
    term = call("glossary.create", lambda: lasso.glossary.create(term="LCD", type="do_not_translate"))
    call(
        "glossary.create(translations, **kwargs)",
        lambda: lasso.glossary.create(
            term="Mug", type="specific_translation", translations={"de": "Becher"}, case_sensitive=True
        ),
    )
    call(
        "glossary.create(unknown keyword)",
        lambda: lasso.glossary.create(term="X", type="do_not_translate", colour="red"),
    )
    call("glossary.list", lambda: lasso.glossary.list(page=1, limit=25))
    call("glossary.update(**kwargs)", lambda: lasso.glossary.update(term["id"], term="LCD screen"))
    call("glossary.delete", lambda: lasso.glossary.delete(term["id"]))

    # Credits, search, enrich.
    call("credits.balance", lambda: lasso.credits.balance())
    call("credits.usage", lambda: lasso.credits.usage(page=1, limit=5))
    call("credits.usage(from_=)", lambda: lasso.credits.usage(from_="2020-01-01"))
    call("search", lambda: lasso.search(query="wireless noise-cancelling headphones under $200", max_results=3))
    call("search(columns)", lambda: lasso.search(query="ergonomic office chairs", columns=columns[:2]))
    call("search(schema_id)", lambda: lasso.search(query="steel mug", schema_id=schema["id"], max_results=2))
    call(
        "enrich",
        lambda: lasso.enrich(
            items=[{"data": {"name": "Sony WH-1000XM5"}}],
            columns=columns,
            context="Headphones",
            use_glossary=True,
            web_search=True,
            thinking="low",
        ),
    )
    call(
        "enrich(web_search=False)",
        lambda: lasso.enrich(items=[{"data": {"name": "Mug"}}], columns=columns, web_search=False),
    )

    # A failed extraction, then the deletes.
    broken = lasso.tables.create(schema_id=schema["id"], name="Broken", source_text="FAIL_EXTRACTION")
    call(
        "tables.wait_for_completion(failed)",
        lambda: lasso.tables.wait_for_completion(broken["id"], interval_s=0.05, timeout_s=1),
    )
    call("tables.delete", lambda: lasso.tables.delete(text_table["id"]))
    call("tables.get(deleted)", lambda: lasso.tables.get(text_table["id"]))

    # Errors 0.1.2 raised from httpx: an export of a missing table (raise_for_status),
    # a server that refuses the connection, a missing file to upload.
    call("export.xlsx(missing table)", lambda: lasso.export.xlsx("tbl_missing"))
    call("export.images(missing table)", lambda: lasso.export.images("tbl_missing"))
    refused = LassoClient(KEY, "http://127.0.0.1:9/api/v1")
    call("credits.balance(connection refused)", lambda: refused.credits.balance())
    call("files.upload(missing file)", lambda: lasso.files.upload("no-such-file.pdf"))

    # Errors: 0.1.2's constructor of LassoError, and the context manager.
    made = LassoError(404, "not_found", "gone", "req_1")
    call("LassoError(...)", lambda: {k: getattr(made, k) for k in ("status_code", "error_type", "request_id", "args")})
    call("str(LassoError(...))", lambda: str(made))
    with LassoClient(KEY, url) as scoped:
        call("with LassoClient(...)", lambda: scoped.credits.balance())
    call("close", lambda: lasso.close())


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception:  # noqa: BLE001 - a crash of the script itself is reported, not hidden
        traceback.print_exc()
        sys.exit(2)
    print(json.dumps(OUT))
