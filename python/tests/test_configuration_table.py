"""The Configuration table of the top README, Python column: every name in it is a
real parameter of this package (client, per-call option, wait, export, enrich) or
attribute of its errors, and its durations are seconds (the unit of every Python
duration)."""

import inspect
import logging
import re
from pathlib import Path
from typing import Dict, List, Set

import pytest
from conftest import KEY, Mock

from lasso import APITimeoutError, LassoClient, RateLimitError

README = Path(__file__).resolve().parents[2] / "README.md"


def rows() -> List[Dict[str, str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Configuration")
    section = text[start : text.index("\n## ", start + 1)]  # up to the next section
    out = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| Setting", "|---")):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 7, line
        out.append(dict(zip(["setting", "env", "rust", "python", "node", "kotlin", "unit"], cells)))
    return out


def parameters(*functions: object) -> Set[str]:
    return {name for f in functions for name in inspect.signature(f).parameters}  # type: ignore[arg-type]


def test_every_python_name_of_the_configuration_table_is_a_parameter_of_this_package(mock: Mock) -> None:
    table = rows()
    assert len(table) >= 15, len(table)
    c = LassoClient(KEY, mock.url)
    known = parameters(
        LassoClient.__init__,
        c.with_options,
        c.tables.wait_for_completion,
        c.export.json,
        c.enrich,
    )
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "3"})
    with pytest.raises(RateLimitError) as info:
        c.with_options(max_retries=0).credits.balance()
    attributes = set(vars(info.value))
    for row in table:
        names = re.findall(r"`([^`]+)`", row["python"])
        assert names, f"{row['setting']}: no Python name"
        for name in names:
            bare = re.sub(r"^client\.|\(.*$", "", name)
            if row["setting"] == "Logging" and bare in ("lasso", "logging"):
                continue  # the logger's name and the module, checked below
            assert bare in known or bare in attributes or callable(getattr(c, bare, None)), (
                f"{row['setting']}: `{name}` is not a parameter of lasso"
            )
    # "the `lasso` logger of `logging`": the SDK's lines go to that logger.
    assert "lasso" in logging.Logger.manager.loggerDict


def test_python_durations_are_seconds(mock: Mock) -> None:
    # Retry-After: 3 (seconds on the wire) is 3.0 here.
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "3"})
    with pytest.raises(RateLimitError) as info:
        LassoClient(KEY, mock.url, max_retries=0).credits.balance()
    assert info.value.retry_after == 3.0
    # A timeout of 0.05 (s) gives up on an answer 500 ms late; 60 (s) waits for it.
    mock.fault("GET /credits/balance", 200, delay_ms=500)
    with pytest.raises(APITimeoutError):
        LassoClient(KEY, mock.url, max_retries=0, timeout=0.05).credits.balance()
    mock.fault("GET /credits/balance", 200, delay_ms=500)
    LassoClient(KEY, mock.url, max_retries=0, timeout=60).credits.balance()  # answered, late
    assert mock.stats()["faulted"]["credits.balance"] == 3
