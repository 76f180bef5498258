"""`client.with_options(...)`: same class, same connection pool, other defaults."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import time
from typing import Iterator, List

import pytest
from conftest import KEY, Mock

from lasso import APITimeoutError, AsyncLassoClient, LassoClient, RateLimitError


class PortRecorder(http.server.BaseHTTPRequestHandler):
    """Answers ``GET …/credits/balance`` over HTTP/1.1 keep-alive and records
    the client's port of each request: one port, one pooled connection."""

    protocol_version = "HTTP/1.1"
    ports: List[int] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        type(self).ports.append(self.client_address[1])
        body = json.dumps({"balance": 1.0, "currency": "credits"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    PortRecorder.ports = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PortRecorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()


def share_a_pool(a: LassoClient, b: LassoClient, tries: int = 20) -> bool:
    """Whether `a` and `b` send requests over the same connections (client
    ports), calling them in turns. In turns, because a connection goes back to
    the pool just after its response, so a next call may open another one
    (under load, often): clients with one pool then soon reuse each other's
    connections, clients with their own pools never do."""
    ports_of: "dict[int, set[int]]" = {id(a): set(), id(b): set()}
    for _ in range(tries):
        for client, other in ((a, b), (b, a)):
            client.credits.balance()
            port = PortRecorder.ports[-1]
            if port in ports_of[id(other)]:
                return True
            ports_of[id(client)].add(port)
    return False


def test_with_options_shares_the_connection_pool(recorder: str) -> None:
    client = LassoClient(KEY, base_url=recorder)
    derived = client.with_options(timeout=30, max_retries=1)
    assert share_a_pool(client, derived)
    assert share_a_pool(client, derived.with_options(max_retries=0))
    # A separate client has a pool of its own: it never gets those connections.
    assert not share_a_pool(client, LassoClient(KEY, base_url=recorder), tries=3)


class Custom(LassoClient):
    """A user's subclass with state of its own."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.tag = "mine"


def test_with_options_returns_the_same_class(mock: Mock) -> None:
    client = Custom(KEY, base_url=mock.url)
    derived = client.with_options(timeout=5)
    assert type(derived) is Custom and derived.tag == "mine"
    assert derived is not client
    assert repr(derived) == repr(client)
    assert derived.base_url == client.base_url
    # Resources are bound to the derived client, not the original one.
    assert derived.credits._client is derived and derived.tables._client is derived
    assert derived.catalog.webhooks._client is derived


def test_max_retries_applies_to_the_derived_client_only(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})
    with pytest.raises(RateLimitError):
        client.with_options(max_retries=0).credits.balance()
    assert mock.stats()["received"]["credits.balance"] == 1

    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})
    assert client.credits.balance()["currency"] == "credits"  # still retries
    assert mock.stats()["received"]["credits.balance"] == 3


def test_timeout_applies_and_a_per_call_timeout_wins(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url)
    impatient = client.with_options(timeout=0.2, max_retries=0)
    mock.fault("GET /credits/balance", 500, delay_ms=3000)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        impatient.credits.balance()
    assert time.monotonic() - started < 2

    mock.reset()
    mock.fault("GET /credits/balance", 200, delay_ms=500)
    # 0.2 s from with_options, but this call allows 5 s.
    assert impatient.credits.balance(timeout=5) is not None


def test_options_stack_over_each_other(mock: Mock) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=3)
    both = client.with_options(timeout=0.2).with_options(max_retries=0)
    mock.fault("GET /credits/balance", 500, delay_ms=3000)
    with pytest.raises(APITimeoutError):
        both.credits.balance()
    assert mock.stats()["received"]["credits.balance"] == 1  # no retry, and timed out


def test_async_with_options(mock: Mock) -> None:
    async def main() -> None:
        client = AsyncLassoClient(KEY, base_url=mock.url)
        derived = client.with_options(max_retries=0)
        assert type(derived) is AsyncLassoClient
        mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})
        with pytest.raises(RateLimitError):
            await derived.credits.balance()
        assert (await client.credits.balance())["currency"] == "credits"

    asyncio.run(main())


def test_with_options_rejects_a_bad_timeout(mock: Mock) -> None:
    from lasso import ConfigurationError

    with pytest.raises(ConfigurationError):
        LassoClient(KEY, base_url=mock.url).with_options(timeout=-1)
