"""Starts one `lasso-mock` emulator for the test session (real HTTP on loopback)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "lasso_" + "0123456789abcdef" * 4
REVOKED_KEY = "lasso_" + "0" * 64


def _mock_binary() -> str:
    explicit = os.environ.get("LASSO_MOCK_BIN")
    if explicit:
        return explicit
    triple = os.environ.get("CARGO_BUILD_TARGET", "x86_64-unknown-linux-gnu")
    for candidate in (ROOT / "target" / triple / "debug" / "lasso-mock", ROOT / "target" / "debug" / "lasso-mock"):
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("lasso-mock is not built: run `just build` (or set LASSO_MOCK_BIN)")


class Mock:
    """A running emulator and its control API (/__mock/...)."""

    def __init__(self, url: str) -> None:
        self.url = url  # http://127.0.0.1:PORT/api/v1
        self.root = url.rsplit("/api/v1", 1)[0]

    def _control(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.root + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def fault(
        self,
        route: str,
        status: int,
        *,
        times: int = 1,
        headers: Optional[Dict[str, str]] = None,
        delay_ms: int = 0,
        body: Optional[str] = None,
    ) -> None:
        fault: Dict[str, Any] = {
            "route": route,
            "status": status,
            "times": times,
            "headers": headers or {},
            "delay_ms": delay_ms,
        }
        if body is not None:
            fault["body"] = body
        self._control("POST", "/__mock/faults", fault)

    def stats(self) -> Dict[str, Dict[str, int]]:
        return self._control("GET", "/__mock/stats")

    def requests(self) -> List[Dict[str, Any]]:
        """The requests that reached the API since the last reset (key masked)."""
        return self._control("GET", "/__mock/requests")["requests"]

    def reset(self) -> None:
        self._control("POST", "/__mock/reset", {})


@contextlib.contextmanager
def running_mock(*args: str) -> Iterator[Mock]:
    """A `lasso-mock` of its own, started with these extra arguments (e.g.
    ``"--time-scale", "0.01"``), stopped on exit."""
    proc = subprocess.Popen([_mock_binary(), "--port", "0", *args], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), line
        yield Mock(line.split()[-1])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Mock]:
    with running_mock() as mock:
        yield mock


@pytest.fixture
def mock(mock_server: Mock) -> Mock:
    mock_server.reset()
    return mock_server
