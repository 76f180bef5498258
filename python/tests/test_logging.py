"""The core's log lines reach Python's standard logger ``"lasso"``: DEBUG per
attempt, INFO for a retry, WARNING for a call that failed for good."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import List

import pytest
from conftest import KEY, Mock

import lasso
from lasso import AsyncLassoClient, LassoClient, NotFoundError

ATTEMPT = re.compile(
    r"^(?P<method>[A-Z]+) (?P<path>/\S+) -> (?P<outcome>.+) in [0-9.]+ ms \(attempt (?P<attempt>\d+)(?:, request_id (?P<request_id>\S+))?\)$"
)


def lasso_lines(caplog: pytest.LogCaptureFixture) -> List[str]:
    return [r.getMessage() for r in caplog.records if r.name == "lasso"]


def attempts(caplog: pytest.LogCaptureFixture) -> List[re.Match[str]]:
    return [m for m in map(ATTEMPT.match, lasso_lines(caplog)) if m]


def test_a_retried_call_logs_each_attempt_without_the_key(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lasso")
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})
    LassoClient(KEY, base_url=mock.url).credits.balance()

    lines = attempts(caplog)
    assert [(m["method"], m["path"], m["outcome"], m["attempt"]) for m in lines] == [
        ("GET", "/api/v1/credits/balance", "429", "1"),
        ("GET", "/api/v1/credits/balance", "200", "2"),
    ]
    assert lines[0]["request_id"], "a failed attempt names its request id"
    records = [r for r in caplog.records if r.name == "lasso"]
    # Attempts at DEBUG, the retry between them at INFO.
    assert [r.levelname for r in records] == ["DEBUG", "INFO", "DEBUG"]
    assert records[1].getMessage().startswith("GET /api/v1/credits/balance: retrying in ")
    # Never the key: neither whole, nor its hex part.
    assert not any(KEY in line or KEY[len("lasso_") :] in line for line in lasso_lines(caplog))


def test_bodies_are_never_logged(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lasso")
    client = LassoClient(KEY, base_url=mock.url)
    created = client.glossary.create(term="body-marker-7f3a", type="do_not_translate")
    lines = lasso_lines(caplog)
    assert [(m["method"], m["path"]) for m in attempts(caplog)] == [("POST", "/api/v1/glossary")]
    assert not any("body-marker-7f3a" in line or created["id"] in line for line in lines)


def test_errors_and_async_calls_are_logged(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lasso")
    with pytest.raises(NotFoundError):
        LassoClient(KEY, base_url=mock.url).tables.get("tbl_missing")

    async def main() -> None:
        await AsyncLassoClient(KEY, base_url=mock.url).credits.balance()

    asyncio.run(main())
    assert [(m["path"], m["outcome"]) for m in attempts(caplog)] == [
        ("/api/v1/tables/tbl_missing", "404"),
        ("/api/v1/credits/balance", "200"),
    ]


def test_a_level_change_applies_from_the_next_call(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    # pyo3-log caches Python logger levels on the Rust side; each call checks
    # whether the "lasso" logger's level changed and drops the cache if so.
    client = LassoClient(KEY, base_url=mock.url)
    logger = logging.getLogger("lasso")
    caplog.set_level(logging.WARNING, logger="lasso")
    client.credits.balance()
    assert lasso_lines(caplog) == []

    caplog.set_level(logging.DEBUG, logger="lasso")
    client.credits.balance()
    assert len(attempts(caplog)) == 1

    logger.setLevel(logging.INFO)
    caplog.clear()
    client.credits.balance()
    assert lasso_lines(caplog) == []

    # The root logger's level counts when "lasso" has none of its own.
    logger.setLevel(logging.NOTSET)
    root_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        client.credits.balance()
    finally:
        logging.getLogger().setLevel(root_level)
    assert len(attempts(caplog)) == 1


def test_reset_log_cache_is_available() -> None:
    assert lasso._native.reset_log_cache() is None


# --- LASSO_LOG and a program without logging configured (child interpreters: logging is global) --


def _child(mock: Mock, code: str, **env: str) -> "subprocess.CompletedProcess[str]":  # noqa: F821 (imported inside)
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if not k.startswith("LASSO_")}
    environ.update(env)
    script = f"from lasso import LassoClient, LassoError\nc = LassoClient({KEY!r}, {mock.url!r})\n" + code
    return subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True, timeout=120)


def test_lasso_log_debug_prints_one_line_per_attempt_to_stderr(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 503, headers={"Retry-After": "0"})
    out = _child(mock, "c.credits.balance()\n", LASSO_LOG="debug")
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    tried = [line for line in lines if line.startswith("lasso debug: GET /api/v1/credits/balance -> ")]
    assert len(tried) == 2, lines
    assert "-> 503 " in tried[0] and "(attempt 1, request_id " in tried[0]
    assert "-> 200 " in tried[1] and "(attempt 2" in tried[1]  # lasso-mock sends no request id on a success
    assert any(line.startswith("lasso info: GET /api/v1/credits/balance: retrying in") for line in lines), lines
    assert KEY not in out.stderr and KEY[-8:] not in out.stderr
    assert '"balance"' not in out.stderr  # no body


def test_lasso_log_warn_shows_only_failures(mock: Mock) -> None:
    out = _child(
        mock,
        "try:\n    c.tables.get('tbl_missing')\nexcept LassoError:\n    pass\nc.credits.balance()\n",
        LASSO_LOG="warn",
    )
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lasso warn: GET /api/v1/tables/tbl_missing failed"), lines


def test_without_logging_configured_nothing_is_printed(mock: Mock) -> None:
    # The WARNING line of a failed call must not reach stderr through logging.lastResort.
    out = _child(mock, "try:\n    c.tables.get('tbl_missing')\nexcept LassoError:\n    pass\n")
    assert out.returncode == 0 and out.stderr == "", out.stderr
