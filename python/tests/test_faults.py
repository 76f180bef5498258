"""The fault matrix (tests/faults/matrix.json) through the Python sync client.

Every operation × fault case runs once, the four operations concurrently (each
in its own thread, with its own key, so its own company in the emulator), in a
module fixture; each case is then one pytest test that checks its outcome,
elapsed time and the emulator's counters. The Rust (crates/lasso-ai/tests/faults.rs)
and Node (node/test/faults.test.mjs) runners read the same table.
"""

from __future__ import annotations

import email.utils
import json
import os
import threading
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import ROOT, Mock, running_mock

import lasso
from lasso import LassoClient

MATRIX = json.loads((ROOT / "tests" / "faults" / "matrix.json").read_text())
CLASSES: Dict[str, str] = json.loads((ROOT / "tests" / "conformance" / "error_classes.json").read_text())["classes"]
OPERATIONS: List[Dict[str, Any]] = MATRIX["operations"]
FAULTS: List[Dict[str, Any]] = MATRIX["faults"]
COUNTERS = ("received", "executed")
FD_ALLOWANCE = 16


def expectation(fault: Dict[str, Any], op: Dict[str, Any]) -> Dict[str, Any]:
    return fault.get(op["name"]) or fault["billed" if op["billed"] else "idempotent"]


def fault_spec(fault: Dict[str, Any], op: Dict[str, Any]) -> Dict[str, Any]:
    spec = {**fault["fault"], **expectation(fault, op).get("fault", {}), "route": op["route"], "times": 1}
    headers = {}
    for name, value in spec.get("headers", {}).items():
        if value.startswith("@http-date+") and value.endswith("s"):
            value = email.utils.formatdate(time.time() + float(value[len("@http-date+") : -1]), usegmt=True)
        headers[name] = value
    if headers:
        spec["headers"] = headers
    return spec


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class Outcome:
    def __init__(self) -> None:
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.elapsed = 0.0
        self.counts: Dict[str, int] = {}


def run_operation(mock: Mock, op: Dict[str, Any], out: Dict[Tuple[str, str], Outcome]) -> None:
    client = LassoClient(
        op["key"],
        base_url=mock.url,
        timeout=MATRIX["client"]["timeout_ms"] / 1000,
        max_retries=MATRIX["client"]["max_retries"],
    )
    for fault in FAULTS:
        outcome = Outcome()
        out[(op["name"], fault["id"])] = outcome
        before = mock.stats()
        mock._control("POST", "/__mock/faults", fault_spec(fault, op))
        started = time.monotonic()
        try:
            outcome.result = client._request(op["call"], dict(op["args"]))
        except BaseException as e:  # noqa: BLE001 - the check decides what was acceptable
            outcome.error = e
        outcome.elapsed = time.monotonic() - started
        after = mock.stats()
        outcome.counts = {c: after[c][op["call"]] - before[c][op["call"]] for c in COUNTERS}


@pytest.fixture(scope="module")
def matrix() -> Iterator[Tuple[Dict[Tuple[str, str], Outcome], int, int]]:
    with running_mock(*MATRIX["mock_args"]) as mock:
        results: Dict[Tuple[str, str], Outcome] = {}
        crashed: List[BaseException] = []

        def guarded(op: Dict[str, Any]) -> None:
            try:
                run_operation(mock, op, results)
            except BaseException as e:  # noqa: BLE001 - reported below
                crashed.append(e)

        fds_before = open_fds()
        threads = [threading.Thread(target=guarded, args=(op,)) for op in OPERATIONS]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "a matrix thread hangs"
        assert not crashed, f"the matrix runner failed: {crashed!r}"
        yield results, fds_before, open_fds()


CASES = [(op["name"], fault["id"]) for fault in FAULTS for op in OPERATIONS]


@pytest.mark.parametrize("op_name,fault_id", CASES, ids=[f"{o}-{f}" for o, f in CASES])
def test_fault(matrix: Any, op_name: str, fault_id: str) -> None:
    results, _, _ = matrix
    op = next(o for o in OPERATIONS if o["name"] == op_name)
    fault = next(f for f in FAULTS if f["id"] == fault_id)
    want = expectation(fault, op)
    got = results[(op_name, fault_id)]
    where = f"{op['call']} × {fault_id}"

    if want.get("ok"):
        assert got.error is None, f"{where}: expected success, got {type(got.error).__name__}: {got.error}"
        if want.get("result_null") or op.get("empty"):
            assert got.result is None, f"{where}: expected None, got {got.result!r}"
        else:
            assert isinstance(got.result, dict), f"{where}: {got.result!r}"
    else:
        e = got.error
        assert e is not None, f"{where}: expected {want['error']}, got {got.result!r}"
        assert isinstance(e, lasso.LassoError), f"{where}: not a LassoError: {e!r}"
        assert type(e).__name__ == CLASSES[want["error"]], f"{where}: {type(e).__name__}: {e}"
        if "status" in want:
            assert e.status_code == want["status"], f"{where}: status {e.status_code}"
        if "retry_after" in want:
            assert e.retry_after == pytest.approx(want["retry_after"]), f"{where}: retry_after {e.retry_after}"
        if "raw_body_max" in want:
            assert e.raw_body is not None and len(e.raw_body.encode()) <= want["raw_body_max"], where
    assert got.elapsed <= want["max_s"], f"{where}: took {got.elapsed:.2f} s > {want['max_s']} s"
    assert got.elapsed >= want.get("min_s", 0), f"{where}: took {got.elapsed:.2f} s < {want['min_s']} s"
    expected = {c: want[c] for c in COUNTERS}
    assert got.counts == expected, f"{where}: mock counters {got.counts}, expected {expected}"
    if op["billed"]:
        assert got.counts["executed"] <= 1, f"{where}: a billed call ran {got.counts['executed']} times"


def test_no_connection_leaks(matrix: Any) -> None:
    _, before, after = matrix
    assert after <= before + FD_ALLOWANCE, f"open file descriptors grew from {before} to {after}"


def test_the_matrix_covers_every_class_and_fault() -> None:
    assert {op["billed"] for op in OPERATIONS} == {True, False}
    methods = {op["route"].split()[0] for op in OPERATIONS}
    assert methods == {"GET", "PUT", "DELETE", "POST"}
    assert len(CASES) == len(OPERATIONS) * len(FAULTS) >= 80
