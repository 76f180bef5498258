"""The typed surface of `lasso`: this file passes ``mypy --strict``.

It also runs: against lasso-mock (``LASSO_BASE_URL`` set to the mock's URL and
any well-formed ``LASSO_API_KEY``) or the real API.

    python python/examples/typed_usage.py
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional

import lasso
from lasso import AsyncLassoClient, LassoClient, LassoError, NotFoundError, RateLimitError
from lasso.types import Balance, Row, RowPage, Table, TableStatus


def product_names(client: LassoClient, table_id: str) -> List[str]:
    """Every row's name, across all pages."""
    names: List[str] = []
    for row in client.tables.iter_rows(table_id):
        typed: Row = row  # responses are plain dicts, described by TypedDicts
        data: Dict[str, Any] = typed["data"]
        names.append(str(data.get("name", "")))
    return names


def first_page_size(client: LassoClient, table_id: str) -> int:
    """Rows on the first page, from the page's own pagination."""
    page: RowPage = client.tables.rows(table_id, limit=2)
    return min(page["pagination"]["limit"], len(page["data"]))


def describe(error: LassoError) -> str:
    """The fields every SDK error carries."""
    status: Optional[int] = error.status_code
    kind: Optional[str] = error.error_type
    request_id: Optional[str] = error.request_id
    return f"{type(error).__name__} {status} {kind} (request {request_id})"


def sync_usage() -> None:
    with LassoClient() as client:  # LASSO_API_KEY, LASSO_BASE_URL
        print(repr(client))
        balance: Balance = client.credits.balance()
        print("balance:", balance["balance"])

        patient: LassoClient = client.with_options(timeout=120, max_retries=5)
        table: Table = patient.tables.get("tbl_sample", timeout=30)
        status: TableStatus = table["status"]
        print("table:", table.get("name"), status)
        print("names:", product_names(client, table["id"])[:3], "first page:", first_page_size(client, table["id"]))

        csv_text: str = client.export.csv(table["id"])
        with tempfile.TemporaryDirectory() as tmp:
            workbook: bytes = client.export.xlsx(table["id"], path=Path(tmp) / "products.xlsx", total_timeout=600)
            print("csv lines:", len(csv_text.splitlines()), "xlsx bytes:", len(workbook))

        try:
            client.tables.get("tbl_does_not_exist")
        except NotFoundError as e:
            print("expected:", describe(e))
        except RateLimitError as e:
            retry_after: Optional[float] = e.retry_after
            print("slow down for", retry_after, "s")


async def async_usage() -> None:
    async with AsyncLassoClient() as client:
        balance, table = await asyncio.gather(client.credits.balance(), client.tables.get("tbl_sample"))
        count = 0
        async for _row in client.tables.iter_rows(table["id"]):
            count += 1
        print("async:", balance.get("currency"), count, "rows")


def webhook_usage() -> None:
    body = b'{"event": "webhook.test", "data": {}}'
    signature: str = lasso.webhooks.sign(body, "whsec_example")
    lasso.webhooks.verify(body, signature, "whsec_example")
    event: Dict[str, Any] = lasso.webhooks.construct_event(body, signature, ["whsec_new", "whsec_example"])
    print("webhook:", event["event"])
    try:
        lasso.webhooks.verify(body, "sha256=00", "whsec_example")
    except lasso.WebhookVerificationError as e:
        print("rejected:", e.reason)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    version: str = lasso.__version__
    print("lasso", version)
    sync_usage()
    asyncio.run(async_usage())
    webhook_usage()


if __name__ == "__main__":
    main()
