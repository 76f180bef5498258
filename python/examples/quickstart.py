"""Quick start: the SDK's main job end to end.

Reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL):
    python python/examples/quickstart.py
"""

import os
import tempfile

from lasso import AuthenticationError, InvalidApiKeyError, LassoClient, NotFoundError

with LassoClient() as client:
    print("client:", client)

    # 1. Search products (5 credits) and enrich a partial record.
    found = client.search(query="stainless steel water bottle under $40", max_results=3)
    # Keys the API may leave out (`results` is absent when `error` says why) are read with .get().
    for result in found.get("results", []):
        print(f"search: {result.get('data', {}).get('name')} ({result.get('confidence', 0):.2f})")
    enriched = client.enrich(items=[{"data": {"name": "Hydro Flask 32 oz"}}], thinking="low")
    for item in enriched.get("items", []):
        print("enrich: filled", ", ".join(sorted(item.get("data", {}))))

    # 2. A schema, and a file to extract from.
    schema = client.schemas.create(
        name="Quick start bottles",
        columns=[
            {"key": "name", "label": "Name", "type": "text", "required": True},
            {"key": "price", "label": "Price", "type": "number"},
            {"key": "description", "label": "Description", "type": "richtext"},
        ],
    )
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "bottles.txt")
        with open(source, "w") as f:
            f.write("Trail bottle 750 ml, EUR 24.90\nSummit flask 1 l, EUR 34.50\nCity cup 350 ml, EUR 14.00\n")
        upload = client.files.upload(source)
        print(f"uploaded {upload['filename']} ({upload['size']} bytes)")

        # 3. Extract a table from it and wait, with a progress bar on a terminal.
        table = client.tables.create(schema_id=schema["id"], name="Bottles", file_ids=[upload["id"]])
        table = client.tables.wait_for_completion(table["id"], interval_s=0.2, progress=True)
        print(f"table {table['id']}: {table['status']}, {table['total_rows']} rows")

        # 4. Every row, page after page (the next page downloads while you read this one).
        rows = list(client.tables.iter_rows(table["id"]))
        for row in rows:
            print(f"row {row['row_index']}: {row['data'].get('name')}, {row['data'].get('price')}")

        # 5. Enhance a column with AI, then export CSV to a file.
        job = client.enhance.cells(
            table["id"], row_ids=[r["id"] for r in rows], column_key="description", prompt="One sentence about {{name}}."
        )
        print(f"enhance: {job.get('rows_queued')} rows queued, ~{job['estimated_credits']} credits")
        csv_text = client.export.csv(table["id"], path=os.path.join(tmp, "bottles.csv"))
        print(f"exported {len(csv_text.splitlines()) - 1} rows to bottles.csv")

    # 6. Errors are typed: catch the class, quote the request id to support.
    try:
        client.tables.get("tbl_does_not_exist")
    except NotFoundError as e:
        print(f"not found, as expected (request_id {e.request_id})")
    print("balance:", client.credits.balance()["balance"])

# A malformed key is refused before any request is sent.
try:
    LassoClient(api_key="lasso_not-a-real-key")
except InvalidApiKeyError as e:
    print(f"bad key -> {type(e).__name__}: {e.message}")

# A well-formed key the server does not know: a typed error with the request id.
try:
    LassoClient(api_key="lasso_" + "0" * 64).credits.balance()
except AuthenticationError as e:
    print(f"unknown key -> {type(e).__name__} {e.status_code} {e.error_type} (request_id {e.request_id})")
