"""Proxies, trust and limits reach the core from Python (issue 12). What the core
does with them is tested over real TLS and a CONNECT proxy in
``crates/lasso-ai/tests/proxies.rs``; here each option's effect is observed on
loopback."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Iterator, List

import pytest
from conftest import KEY, ROOT, Mock

import lasso
from lasso import AsyncLassoClient, LassoClient

#: The proxy variables of the spec (`lasso_spec::environment`), cleared around each test.
PROXY_VARS = json.loads((ROOT / "tests" / "manifest.json").read_text())["proxy_variables"]


class Recorder:
    """A TCP server on loopback that records what each connection sends first,
    then answers ``502`` (a stand-in for a proxy), or, with ``delay``, answers
    the credit balance after that long while counting the requests in flight at once
    (``max_connections`` caps those; this server closes every connection after one
    answer, so a socket being closed can briefly overlap the client's next one)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.lines: List[str] = []
        self.received = b""
        self.delay = delay
        self.active = self.peak = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(512)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            with self._lock:
                self.received += head
                self.lines.append(head.split(b"\r\n", 1)[0].decode())
            if self.delay:
                with self._lock:
                    self.active += 1
                    self.peak = max(self.peak, self.active)
                time.sleep(self.delay)
                with self._lock:
                    self.active -= 1
                body = b'{"balance": 42.5, "currency": "credits"}'
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(body), body)
                )
            else:
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        finally:
            conn.close()

    def close(self) -> None:
        self._sock.close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    r = Recorder()
    yield r
    r.close()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_an_environment_proxy_is_never_used_for_a_loopback_base_url(
    mock: Mock, recorder: Recorder, no_proxy_env: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        no_proxy_env.setenv(name, recorder.url)
    assert LassoClient(KEY, base_url=mock.url).credits.balance()["balance"] >= 0
    assert recorder.lines == []


def test_the_proxy_option_tunnels_https_with_connect_and_never_sees_the_key(
    recorder: Recorder, no_proxy_env: pytest.MonkeyPatch
) -> None:
    client = LassoClient(KEY, base_url="https://api.lasso.invalid/api/v1", proxy=recorder.url, max_retries=0)
    with pytest.raises(lasso.APIConnectionError):
        client.credits.balance()
    assert recorder.lines == ["CONNECT api.lasso.invalid:443 HTTP/1.1"]
    assert KEY[6:14].encode() not in recorder.received and b"Bearer" not in recorder.received


def test_https_proxy_from_the_environment_and_proxy_false(recorder: Recorder, no_proxy_env: pytest.MonkeyPatch) -> None:
    no_proxy_env.setenv("HTTPS_PROXY", recorder.url)
    with pytest.raises(lasso.APIConnectionError):
        LassoClient(KEY, base_url="https://api.lasso.invalid/api/v1", max_retries=0).credits.balance()
    assert recorder.lines == ["CONNECT api.lasso.invalid:443 HTTP/1.1"]
    # proxy=False and NO_PROXY both go direct (here: a name that does not resolve).
    with pytest.raises(lasso.APIConnectionError):
        LassoClient(KEY, base_url="https://api.lasso.invalid/api/v1", max_retries=0, proxy=False).credits.balance()
    no_proxy_env.setenv("NO_PROXY", ".invalid")
    with pytest.raises(lasso.APIConnectionError):
        LassoClient(KEY, base_url="https://api.lasso.invalid/api/v1", max_retries=0).credits.balance()
    assert len(recorder.lines) == 1


def test_a_proxy_for_a_plain_http_base_url_or_of_another_scheme_is_refused(
    mock: Mock, no_proxy_env: pytest.MonkeyPatch
) -> None:
    with pytest.raises(lasso.ConfigurationError, match="in clear"):
        LassoClient(KEY, base_url=mock.url, proxy="http://127.0.0.1:3128")
    for bad in ("socks5://127.0.0.1:1080", "https://proxy:443"):
        with pytest.raises(lasso.ConfigurationError, match="does not support"):
            LassoClient(KEY, proxy=bad)
    with pytest.raises(TypeError, match="proxy"):
        LassoClient(KEY, proxy=3128)  # type: ignore[arg-type]


def test_bad_ca_bundles_fail_when_the_client_is_built(tmp_path: "pytest.TempPathFactory") -> None:
    missing = tmp_path / "missing.pem"  # type: ignore[operator]
    for bundle in (
        str(missing),
        missing,
        "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
        b"no certificate",
    ):
        with pytest.raises(lasso.ConfigurationError, match="ca_bundle"):
            LassoClient(KEY, ca_bundle=bundle)
    with pytest.raises(TypeError, match="ca_bundle"):
        LassoClient(KEY, ca_bundle=42)  # type: ignore[arg-type]


def test_max_connections_caps_the_requests_in_flight() -> None:
    server = Recorder(delay=0.05)
    try:

        async def main() -> None:
            async with AsyncLassoClient(KEY, base_url=server.url + "/api/v1", max_connections=4, timeout=30) as client:
                results = await asyncio.gather(*(client.credits.balance() for _ in range(60)))
            assert all(r["balance"] == 42.5 for r in results)

        asyncio.run(main())
        assert len(server.lines) == 60
        assert server.peak <= 4, server.peak
    finally:
        server.close()
    with pytest.raises(lasso.ConfigurationError, match="max_connections"):
        LassoClient(KEY, max_connections=0)


def test_max_response_bytes_bounds_what_is_read_into_memory(mock: Mock) -> None:
    mock._control(
        "POST", "/__mock/faults", {"route": "GET /credits/balance", "status": 200, "body": {"pad": "x" * 5000}}
    )
    with pytest.raises(lasso.ResponseTooLargeError, match="4 KiB") as info:
        LassoClient(KEY, base_url=mock.url, max_response_bytes=4096).credits.balance()
    assert isinstance(info.value, lasso.ResponseDecodeError)
