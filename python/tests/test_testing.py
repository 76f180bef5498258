"""``lasso.testing``: the bundled emulator (``lasso mock``) for users' own tests, through
``start_mock`` and the pytest fixtures the package registers as a plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lasso import APIConnectionError, LassoClient
from lasso.testing import MOCK_API_KEY, start_mock


def test_start_mock_serves_the_api_on_a_free_port_until_stopped() -> None:
    with start_mock(balance=25) as mock, start_mock() as other:
        assert mock.base_url.startswith("http://127.0.0.1:") and mock.base_url.endswith("/api/v1")
        assert mock.base_url != other.base_url
        assert mock.api_key == MOCK_API_KEY
        client = LassoClient(mock.api_key, base_url=mock.base_url, max_retries=0)
        assert client.credits.balance()["balance"] == 25
        assert other.client().credits.balance()["balance"] == 1000
    with pytest.raises(APIConnectionError):
        client.credits.balance()


def test_reset_forgets_what_the_test_created() -> None:
    with start_mock() as mock:
        client = mock.client()
        initial = len(client.schemas.list()["data"])
        client.schemas.create(name="s", columns=[{"key": "a", "label": "A", "type": "text"}])
        assert len(client.schemas.list()["data"]) == initial + 1
        mock.reset()
        assert len(client.schemas.list()["data"]) == initial


def test_a_bad_option_is_the_emulators_own_error() -> None:
    with pytest.raises(RuntimeError, match="--time-scale expects a non-negative number"):
        start_mock(time_scale=-1)


def test_the_fixtures_reach_a_users_test_suite_without_an_import(tmp_path: Path) -> None:
    # A user's suite: no conftest, no import of lasso.testing; the wheel's pytest11 entry point.
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            def test_first(lasso_client):
                lasso_client.schemas.create(name="x", columns=[{"key": "a", "label": "A", "type": "text"}])
                assert lasso_client.credits.balance()["balance"] == 1000

            def test_second_sees_a_reset_emulator(lasso_mock, lasso_client):
                names = [s["name"] for s in lasso_client.schemas.list()["data"]]
                assert "x" not in names
                assert lasso_mock.base_url.startswith("http://127.0.0.1:")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_user.py")],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
