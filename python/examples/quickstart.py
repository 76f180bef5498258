"""Quick start: reads LASSO_API_KEY (and LASSO_BASE_URL, e.g. a lasso-mock URL).

python python/examples/quickstart.py
"""

from lasso import InvalidApiKeyError, LassoClient, NotFoundError

with LassoClient() as client:
    print("client:", client)
    balance = client.credits.balance()
    print(f"balance: {balance['balance']} {balance['currency']}")

    # Errors are typed: catch the class, quote the request id to support.
    try:
        client.tables.get("tbl_does_not_exist")
    except NotFoundError as e:
        print(f"not found, as expected (request_id {e.request_id})")

# A malformed key is refused before any request is sent.
try:
    LassoClient(api_key="lasso_not-a-real-key")
except InvalidApiKeyError as e:
    print(f"bad key -> {type(e).__name__}: {e.message}")
