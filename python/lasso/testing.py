"""The Lasso API emulator for your own tests: ``lasso mock`` (lasso-mock, bundled in
the wheel's ``lasso`` command) on a free port of 127.0.0.1, so test suites run
offline and need no Rust toolchain.

With pytest the fixtures below are there without an import (the wheel registers
this module as a pytest plugin)::

    def test_balance(lasso_client):
        assert lasso_client.credits.balance().balance == 1000

``lasso_mock`` is the running emulator (one per test session, its state reset
before each test); ``lasso_client`` a ``LassoClient`` pointed at it. Without
pytest: ``with start_mock() as mock: LassoClient(mock.api_key, base_url=mock.base_url)``.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.request
from typing import TYPE_CHECKING, Iterator, List, Optional

if TYPE_CHECKING:
    from lasso import LassoClient

__all__ = ["MOCK_API_KEY", "Mock", "start_mock"]

#: A well-formed key the emulator accepts (every such key is a company of its own).
MOCK_API_KEY = "lasso_" + "d" * 64


class Mock:
    """A running emulator: ``base_url`` and ``api_key`` for the client, ``reset()``, ``stop()``."""

    def __init__(self, process: "subprocess.Popen[str]", base_url: str) -> None:
        self._process = process
        #: The API's base URL, e.g. ``http://127.0.0.1:43121/api/v1``.
        self.base_url = base_url
        #: A key the emulator accepts.
        self.api_key = MOCK_API_KEY
        #: The control API: ``/faults``, ``/stats``, ``/reset`` (lasso-mock's README).
        self.control_url = base_url.split("/api/", 1)[0] + "/__mock"

    def client(self, **options: object) -> "LassoClient":
        """A ``LassoClient`` for this emulator (``options`` as for ``LassoClient``)."""
        from lasso import LassoClient

        return LassoClient(self.api_key, base_url=self.base_url, **options)  # type: ignore[arg-type]

    def reset(self) -> None:
        """Forgets every table, file and job: a fresh emulator for the next test."""
        request = urllib.request.Request(self.control_url + "/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def stop(self) -> None:
        """Stops the emulator and waits for it to exit."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> "Mock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Mock(base_url={self.base_url!r})"


def start_mock(
    *,
    seed: Optional[int] = None,
    balance: Optional[float] = None,
    time_scale: Optional[float] = None,
    start_timeout: float = 15.0,
) -> Mock:
    """Starts the emulator on a free port and returns once it listens.

    ``seed``: of its deterministic ids (default 42); ``balance``: credits every company
    starts with (default 1000); ``time_scale``: multiplies emulated durations (an
    extraction takes 1.2 s at 1, the default; 0 finishes jobs at once).
    """
    args: List[str] = [sys.executable, "-m", "lasso", "mock", "--port", "0"]
    if seed is not None:
        args.append(f"--seed={seed}")
    if balance is not None:
        args.append(f"--balance={balance}")
    if time_scale is not None:
        args.append(f"--time-scale={time_scale}")
    process = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    first: List[str] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(start_timeout)
    line = first[0].strip() if first else ""
    if not line.startswith("listening on http://"):
        process.kill()
        _, err = process.communicate()
        if not first:
            why = f"did not listen within {start_timeout} s"
        elif not line:
            why = f"exited before listening (code {process.returncode})"
        else:
            why = f"printed {line!r}"
        raise RuntimeError(f"lasso mock {why}: {err.strip()}")
    # Drain both pipes so the emulator never blocks on a full one.
    for stream in (process.stdout, process.stderr):
        threading.Thread(target=stream.read, daemon=True).start()
    return Mock(process, line[len("listening on ") :])


try:
    import pytest
except ImportError:  # pragma: no cover - the fixtures need pytest, start_mock does not
    pass
else:

    @pytest.fixture(scope="session")
    def _lasso_mock_session() -> Iterator[Mock]:
        with start_mock() as mock:
            yield mock

    @pytest.fixture
    def lasso_mock(_lasso_mock_session: Mock) -> Mock:
        """The emulator, reset before the test."""
        _lasso_mock_session.reset()
        return _lasso_mock_session

    @pytest.fixture
    def lasso_client(lasso_mock: Mock) -> Iterator["LassoClient"]:
        """A ``LassoClient`` pointed at the emulator."""
        client = lasso_mock.client()
        try:
            yield client
        finally:
            close = getattr(client, "close", None)
            if callable(close):
                close()
