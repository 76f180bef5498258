"""Secrets never show in Python: every kind of error is triggered with every
logger at DEBUG, and neither the key nor any 8 characters of its hidden part
appear in a message, `str`, `repr`, `args`, attribute, traceback, pickle or
log line; the webhook secret appears in no webhook error. Also: no
`Authorization` across an origin-changing redirect, and `http://` to a host
that is not loopback is refused before any request.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import pickle
import secrets
import threading
import traceback
from typing import Any, Dict, Iterator, List, Tuple

import pytest
from conftest import Mock

import lasso
from lasso import AsyncLassoClient, LassoClient, webhooks

KEY = "lasso_" + secrets.token_hex(32)
WEBHOOK_SECRET = "whsec_" + secrets.token_hex(20)
CLASSES: Dict[str, str] = json.loads(
    (__import__("conftest").ROOT / "tests" / "conformance" / "error_classes.json").read_text()
)["classes"]


def hidden_windows(secret: str) -> List[str]:
    """8-character slices of what the masked form (`lasso_…abcd`) does not show."""
    body = secret[len("lasso_") :] if secret.startswith("lasso_") else secret
    body = body[len("whsec_") :] if body.startswith("whsec_") else body
    hidden = body[:-4] if secret.startswith("lasso_") else body
    return [hidden[i : i + 8] for i in range(max(0, len(hidden) - 7))]


def assert_safe(text: str, *extra_secrets: str) -> None:
    for s in (KEY, *extra_secrets):
        assert s not in text, f"shows a secret: {text[:500]}"
        for w in hidden_windows(s):
            assert w not in text, f"shows part of a secret ({w}): {text[:500]}"


def every_view(e: BaseException) -> str:
    """Everything a user, a logger or a crash reporter could print of the error."""
    parts = [str(e), repr(e), repr(e.args), "".join(traceback.format_exception(type(e), e, e.__traceback__))]
    parts.append(repr(vars(e)))
    parts.append(repr(pickle.loads(pickle.dumps(e))))
    parts.append(repr(vars(pickle.loads(pickle.dumps(e)))))
    return "\n".join(parts)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)  # the root logger: every library's records
    caplog.set_level(logging.DEBUG, logger="lasso")
    yield caplog


def test_no_error_or_log_line_shows_the_key(mock: Mock, debug_logs: pytest.LogCaptureFixture) -> None:
    client = LassoClient(KEY, base_url=mock.url, max_retries=0)
    assert_safe(repr(client) + str(client) + repr(vars(client)))
    seen: Dict[str, BaseException] = {}

    def expect(cls: type, fn: Any, *args: Any, **kwargs: Any) -> BaseException:
        with pytest.raises(lasso.LassoError) as info:
            fn(*args, **kwargs)
        assert isinstance(info.value, cls), f"{type(info.value).__name__}: {info.value}"
        assert_safe(every_view(info.value))
        seen[type(info.value).__name__] = info.value
        return info.value

    # API errors of every documented status and others, JSON, HTML and empty bodies.
    for status in (400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504, 418):
        for body_kind in ("json", "html", "empty"):
            mock._control(
                "POST",
                "/__mock/faults",
                {
                    "route": "GET /credits/balance",
                    "status": status,
                    "body_kind": body_kind,
                    "headers": {"Retry-After": "120"},
                },
            )
            e = expect(lasso.LassoError, client.credits.balance)
            assert e.status_code == status
    # The emulator's own errors.
    expect(lasso.NotFoundError, client.tables.get, "tbl_missing")
    expect(lasso.ConfigurationError, client._request, "search", {})
    expect(lasso.AuthenticationError, LassoClient("lasso_" + "0" * 64, base_url=mock.url).credits.balance)
    # Connection, timeout, decode.
    expect(
        lasso.APIConnectionError, LassoClient(KEY, base_url="http://127.0.0.1:9/api/v1", max_retries=0).credits.balance
    )
    mock._control("POST", "/__mock/faults", {"route": "GET /credits/balance", "kind": "slow_headers", "delay_ms": 1000})
    expect(lasso.APITimeoutError, client.credits.balance, timeout=0.2)
    mock._control("POST", "/__mock/faults", {"route": "GET /credits/balance", "kind": "wrong_content_type"})
    expect(lasso.ResponseDecodeError, client.credits.balance)
    # A body over max_response_bytes, and a list that does not advance, each echoing the key.
    mock._control(
        "POST",
        "/__mock/faults",
        {"route": "GET /credits/balance", "status": 200, "body": {"echo": KEY, "pad": "x" * 4096}},
    )
    expect(lasso.ResponseTooLargeError, LassoClient(KEY, base_url=mock.url, max_response_bytes=1024).credits.balance)
    stuck = {"products": [{"id": "p", "note": KEY}], "next_cursor": "c-" + KEY, "has_more": True}
    mock._control("POST", "/__mock/faults", {"route": "GET /catalog", "status": 200, "times": 3, "body": stuck})
    expect(lasso.PaginationError, lambda: list(client.catalog.iter()))
    # Local files: missing, a directory, and a destination nobody may write (even root: /sys).
    expect(lasso.LocalFileNotFoundError, client.files.upload, "/nonexistent/catalog.pdf")
    expect(lasso.LocalFileError, client.files.upload, "/tmp")
    expect(lasso.LocalFilePermissionError, client.export.download, "tbl_sample", "csv", path="/sys/lasso-export.csv")
    # A job that fails while being waited for.
    mock._control(
        "POST",
        "/__mock/faults",
        {
            "route": "GET /tables/tbl_sample",
            "status": 200,
            "times": 5,
            "body": {"id": "tbl_sample", "status": "failed", "progress": 40, "error_message": "worker crashed"},
        },
    )
    expect(lasso.JobFailedError, client.tables.wait_for_completion, "tbl_sample", interval_s=0.01, timeout_s=5)
    # Local files that cannot be read or written.
    expect(lasso.LocalFileNotFoundError, client.files.upload, "/nonexistent/upload.pdf")
    expect(lasso.LocalFileError, client.files.upload, "/")  # a directory
    expect(lasso.LocalFilePermissionError, client.export.csv, "tbl_sample", path="/sys/lasso-export.csv")
    # Invalid keys, each variant being a secret of its own.
    variants = [
        KEY[:40],
        KEY + "00",
        "sk_" + KEY[6:],
        KEY[:30] + "é" + KEY[31:],
        KEY[:30] + " " + KEY[31:],
        KEY[:68] + "zz",
        f'"{KEY}"',
    ]
    for raw in variants:
        with pytest.raises(lasso.InvalidApiKeyError) as info:
            LassoClient(raw, base_url=mock.url)
        assert_safe(every_view(info.value), raw)
        seen["InvalidApiKeyError"] = info.value
    # Configuration errors where the key ended up in the wrong option.
    for base_url in (KEY, f"https://user:{KEY}@hub.example/api/v1", f"https://hub.example/api/v1?api_key={KEY}"):
        expect(lasso.ConfigurationError, LassoClient, KEY, base_url=base_url)
    expect(
        lasso.ConfigurationError,
        LassoClient,
        KEY,
        base_url=mock.url,
        default_headers={"Authorization": f"Bearer {KEY}"},
    )
    expect(lasso.ConfigurationError, LassoClient, KEY, base_url=mock.url, default_headers={"X-Debug": KEY + "\n"})
    # Webhook errors: neither the secret nor a computed signature.
    body = b'{"event":"webhook.test","data":{}}'
    right = webhooks.sign(body, WEBHOOK_SECRET)
    other = webhooks.sign(body, "whsec_someone_else_entirely")
    for header, secret_arg in [
        (None, WEBHOOK_SECRET),
        ("sha256=nothex", WEBHOOK_SECRET),
        (other, WEBHOOK_SECRET),
        (other, ["whsec_old_secret_number_one", WEBHOOK_SECRET]),
        (right, ""),
        (right, []),
    ]:
        with pytest.raises(lasso.WebhookVerificationError) as info:
            webhooks.construct_event(b'{"tampered":true}', header, secret_arg)
        text = every_view(info.value)
        assert_safe(text, WEBHOOK_SECRET)
        assert right[7:] not in text and other[7:] not in text
        assert "someone_else" not in text and "number_one" not in text
        seen["WebhookVerificationError"] = info.value
    with pytest.raises(lasso.WebhookVerificationError) as info:
        webhooks.construct_event(json.loads(body), right, WEBHOOK_SECRET)  # a parsed payload
    assert_safe(every_view(info.value), WEBHOOK_SECRET)
    # Async client errors go through the other bridge.

    async def main() -> None:
        async with AsyncLassoClient(KEY, base_url=mock.url, max_retries=0) as c:
            with pytest.raises(lasso.NotFoundError) as info:
                await c.tables.get("tbl_missing")
            assert_safe(every_view(info.value))

    asyncio.run(main())

    expected = set(CLASSES.values()) - {"LassoError"}
    assert expected <= set(seen) | {type(e).__name__ for e in seen.values()}, sorted(expected - set(seen))

    records = debug_logs.records
    assert any(r.name == "lasso" and "/credits/balance -> 418" in r.getMessage() for r in records)
    for r in records:
        assert_safe(r.getMessage())
    assert_safe(debug_logs.text)


def test_http_to_a_host_that_is_not_loopback_is_refused() -> None:
    for base_url in (
        "http://hub.banditshq.com/api/v1",
        "http://10.0.0.1/api/v1",
        "http://[2001:db8::1]/api/v1",
        "http://127.0.0.1.nip.io/api/v1",
        "http://localhost.example.com/api/v1",
    ):
        with pytest.raises(lasso.ConfigurationError, match="plain http://") as info:
            LassoClient(KEY, base_url=base_url)
        assert_safe(every_view(info.value))
    for base_url in ("http://127.0.0.1:9/api/v1", "http://[::1]:9/api/v1", "http://localhost:9/api/v1"):
        LassoClient(KEY, base_url=base_url)


# --- redirects: two local servers on different ports are different origins -------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers with the server's `script` (status, headers) and records each request."""

    def do_GET(self) -> None:  # noqa: N802
        self.server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))  # type: ignore[attr-defined]
        status, headers, body = self.server.reply(self.path)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: Any) -> None:
        pass


def serve(reply: Any) -> Tuple[http.server.ThreadingHTTPServer, List[Tuple[str, str, Dict[str, str]]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []  # type: ignore[attr-defined]
    server.reply = reply  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.seen  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_authorization_is_not_sent_across_an_origin_changing_redirect(status: int) -> None:
    balance = json.dumps({"balance": 5, "currency": "credits"}).encode()
    b, b_seen = serve(lambda path: (200, {"Content-Type": "application/json"}, balance))
    b_url = f"http://127.0.0.1:{b.server_address[1]}"
    a, a_seen = serve(lambda path: (status, {"Location": f"{b_url}/api/v1/credits/balance"}, b""))
    try:
        client = LassoClient(KEY, base_url=f"http://127.0.0.1:{a.server_address[1]}/api/v1")
        assert client.credits.balance()["balance"] == 5
        assert [h.get("authorization") for _, _, h in a_seen] == [f"Bearer {KEY}"]
        assert len(b_seen) == 1
        _, path, headers = b_seen[0]
        assert path == "/api/v1/credits/balance"
        assert "authorization" not in headers, headers
        assert_safe(json.dumps(headers))
    finally:
        a.shutdown()
        b.shutdown()


def test_a_same_origin_redirect_keeps_the_key() -> None:
    balance = json.dumps({"balance": 7, "currency": "credits"}).encode()

    def reply(path: str) -> Tuple[int, Dict[str, str], bytes]:
        if path.endswith("/v2"):
            return 200, {"Content-Type": "application/json"}, balance
        return 307, {"Location": "/api/v1/credits/balance/v2"}, b""

    a, seen = serve(reply)
    try:
        client = LassoClient(KEY, base_url=f"http://127.0.0.1:{a.server_address[1]}/api/v1")
        assert client.credits.balance()["balance"] == 7
        assert [h.get("authorization") for _, _, h in seen] == [f"Bearer {KEY}"] * 2
    finally:
        a.shutdown()


def test_a_redirect_to_plain_http_off_loopback_is_refused() -> None:
    a, seen = serve(lambda path: (302, {"Location": "http://example.invalid/api/v1/credits/balance"}, b""))
    try:
        client = LassoClient(KEY, base_url=f"http://127.0.0.1:{a.server_address[1]}/api/v1")
        with pytest.raises(lasso.APIConnectionError, match="refused a redirect") as info:
            client.credits.balance()
        assert_safe(every_view(info.value))
        assert len(seen) == 1
    finally:
        a.shutdown()


# --- keys echoed back: scrubbed by the core (Error::redacted) ---------------------------


def test_a_key_echoed_by_the_server_is_not_shown(mock: Mock) -> None:
    mock._control(
        "POST",
        "/__mock/faults",
        {
            "route": "GET /credits/balance",
            "status": 401,
            "body": {"error_type": "unauthenticated", "message": f"Invalid API key: Bearer {KEY}"},
        },
    )
    with pytest.raises(lasso.AuthenticationError) as info:
        LassoClient(KEY, base_url=mock.url, max_retries=0).credits.balance()
    assert_safe(every_view(info.value))


def test_a_key_inside_a_bad_base_url_is_not_quoted() -> None:
    with pytest.raises(lasso.ConfigurationError) as info:
        LassoClient(KEY, base_url=f"Bearer {KEY}")
    assert_safe(every_view(info.value))
