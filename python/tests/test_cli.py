"""The ``lasso`` console script of the wheel: the SDK's Rust command line run through
the native module (``lasso._native.run_cli``). The full command-line suite also runs
against this script (``LASSO_CLI=.venv/bin/lasso cargo test -p lasso-cli``, in ``just
test``); here: the script as installed, JSON out, exit codes, Ctrl-C, the GIL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

from conftest import KEY, Mock

SCRIPT = Path(sys.executable).parent / "lasso"


def lasso(mock: Mock, args: List[str], env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "LASSO_API_KEY": KEY, "LASSO_BASE_URL": mock.url, "LASSO_CONFIG": "/nonexistent/lasso.toml"}
    full.update(env or {})
    return subprocess.run([str(SCRIPT), *args], env=full, capture_output=True, text=True, timeout=60)


def test_the_console_script_is_installed_next_to_python(mock: Mock) -> None:
    assert SCRIPT.exists(), "pip install (or maturin develop) puts `lasso` on the PATH"
    done = lasso(mock, ["auth", "status"])
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["valid"] is True and status["api_key"] == "lasso_…" + KEY[-4:]
    assert KEY not in done.stdout + done.stderr


def test_python_dash_m_lasso(mock: Mock) -> None:
    done = subprocess.run([sys.executable, "-m", "lasso", "--version"], capture_output=True, text=True, check=True)
    import lasso as package

    assert done.stdout.strip() == f"lasso {package.__version__}"


def test_errors_exit_with_the_code_of_their_class(mock: Mock) -> None:
    done = lasso(mock, ["tables", "get", "tbl_missing"])
    assert done.returncode == 4
    assert done.stderr.startswith("error: NotFoundError: ")
    assert lasso(mock, ["tables", "frobnicate"]).returncode == 2
    assert lasso(mock, ["auth", "status"], {"LASSO_API_KEY": "lasso_nope"}).returncode == 3


def test_all_prints_ndjson(mock: Mock) -> None:
    done = lasso(mock, ["tables", "rows", "tbl_sample", "--all", "--limit", "1"])
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["row_sample_1", "row_sample_2", "row_sample_3"]


def test_ctrl_c_reaches_the_command_through_pythons_handler() -> None:
    proc = subprocess.Popen(
        [str(SCRIPT), "mock", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("listening on http://127.0.0.1:"), line
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0


def test_run_cli_releases_the_gil(mock: Mock) -> None:
    from lasso import _native

    ticks = []
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    thread = threading.Thread(target=tick)
    thread.start()
    env = {"LASSO_API_KEY": KEY, "LASSO_BASE_URL": mock.url, "LASSO_CONFIG": "/nonexistent/lasso.toml"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        started = len(ticks)
        # The emulator answers after 400 ms: the ticker runs meanwhile.
        mock.fault("GET /tables/{id}", 404, delay_ms=400)
        code = _native.run_cli(["lasso", "--quiet", "tables", "get", "tbl_sample"])
    finally:
        stop.set()
        thread.join()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert code == 4
    assert len(ticks) - started > 20
