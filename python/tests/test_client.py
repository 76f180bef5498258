"""The Python front door against lasso-mock: success, typed errors, retries, keys, secrets."""

from __future__ import annotations

import pickle
import re
import threading
import time

import pytest
from conftest import KEY, REVOKED_KEY, Mock

import lasso
from lasso import (
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InvalidApiKeyError,
    LassoClient,
    LassoError,
    NotFoundError,
    RateLimitError,
)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def client(mock: Mock, key: str = KEY, **kw) -> LassoClient:
    return LassoClient(api_key=key, base_url=mock.url, **kw)


def test_balance_returns_a_dict(mock: Mock) -> None:
    balance = client(mock).credits.balance()
    assert isinstance(balance, dict)
    assert isinstance(balance["balance"], float)
    assert balance["currency"] == "credits"


def test_get_table(mock: Mock) -> None:
    table = client(mock).tables.get("tbl_sample")
    assert table["id"] == "tbl_sample"
    assert table["status"] == "completed"
    assert table["progress"] == 100


def test_not_found_is_typed_with_request_id(mock: Mock) -> None:
    with pytest.raises(NotFoundError) as info:
        client(mock).tables.get("tbl_nope")
    e = info.value
    assert isinstance(e, LassoError)
    assert e.status_code == 404
    assert e.error_type == "not_found"
    assert "tbl_nope" in e.message
    assert UUID.match(e.request_id or ""), e.request_id
    assert e.request_id in str(e)


def test_unknown_key_is_an_authentication_error(mock: Mock) -> None:
    with pytest.raises(AuthenticationError) as info:
        client(mock, key=REVOKED_KEY).credits.balance()
    assert info.value.status_code == 401
    assert info.value.error_type == "unauthenticated"
    assert UUID.match(info.value.request_id or "")
    assert mock.stats()["executed"].get("credits.balance", 0) == 0


def test_rate_limit_is_retried_then_succeeds(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "0"})
    assert client(mock).credits.balance()["currency"] == "credits"
    stats = mock.stats()
    assert stats["received"]["credits.balance"] == 2
    assert stats["executed"]["credits.balance"] == 1


def test_rate_limit_without_retries_raises_with_retry_after(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 429, headers={"Retry-After": "3"})
    with pytest.raises(RateLimitError) as info:
        client(mock, max_retries=0).credits.balance()
    assert info.value.retry_after == 3.0
    assert info.value.status_code == 429


@pytest.mark.parametrize(
    "bad",
    [
        "lasso_abc",  # too short
        "sk_" + "a" * 67,  # wrong prefix
        "",  # empty
        "lasso_" + "é" * 64,  # not ASCII
        "   ",  # white space only
    ],
)
def test_invalid_keys_fail_before_any_request(mock: Mock, bad: str) -> None:
    with pytest.raises(InvalidApiKeyError) as info:
        client(mock, key=bad)
    assert isinstance(info.value, ValueError)
    if len(bad.strip()) > 12:
        assert bad.strip()[6:-4] not in str(info.value)
    assert sum(mock.stats()["received"].values()) == 0


def test_missing_key_mentions_the_environment_variable(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LASSO_API_KEY", raising=False)
    with pytest.raises(InvalidApiKeyError, match="LASSO_API_KEY"):
        LassoClient(base_url=mock.url)


def test_key_and_base_url_from_the_environment(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASSO_API_KEY", KEY + "\n")
    monkeypatch.setenv("LASSO_BASE_URL", mock.url)
    c = LassoClient()
    assert c.base_url == mock.url
    assert c.credits.balance()["currency"] == "credits"


def test_plain_http_to_another_host_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="unencrypted"):
        LassoClient(api_key=KEY, base_url="http://example.com/api/v1")


def test_repr_and_errors_never_show_the_key(mock: Mock) -> None:
    c = client(mock)
    text = repr(c) + str(c)
    assert KEY not in text and KEY[6:] not in text
    assert "lasso_…cdef" in repr(c)
    assert mock.url in repr(c)
    with pytest.raises(NotFoundError) as info:
        c.tables.get("missing")
    for shown in (str(info.value), repr(info.value), str(info.value.__dict__)):
        assert KEY[6:40] not in shown


def test_timeout_raises_api_timeout_error(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=2000)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        client(mock, timeout=0.2, max_retries=0).credits.balance()
    assert time.monotonic() - started < 1.5
    assert isinstance(info.value, TimeoutError)


def test_per_call_timeout_overrides_the_client(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=2000)
    with pytest.raises(APITimeoutError):
        client(mock, timeout=30).credits.balance(timeout=0.2, max_retries=0)


def test_the_gil_is_released_while_waiting(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=400)
    ticks = 0
    done = threading.Event()

    def call() -> None:
        client(mock).credits.balance()
        done.set()

    t = threading.Thread(target=call)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    assert ticks > 50, ticks


def test_context_manager_and_close(mock: Mock) -> None:
    with client(mock) as c:
        assert c.credits.balance()["currency"] == "credits"
    c.close()


def test_errors_pickle_with_their_fields(mock: Mock) -> None:
    with pytest.raises(NotFoundError) as info:
        client(mock).tables.get("tbl_nope")
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is NotFoundError
    assert again.__dict__ == info.value.__dict__
    assert str(again) == str(info.value)


def test_lasso_ai_positional_constructor_still_works() -> None:
    e = LassoError(404, "not_found", "Table not found", "req_1")
    assert (e.status_code, e.error_type, e.message, e.request_id) == (404, "not_found", "Table not found", "req_1")
    assert e.args[0] == "Table not found"


def test_version_comes_from_cargo() -> None:
    assert re.match(r"^\d+\.\d+\.\d+", lasso.__version__)


def test_requests_carry_the_sdk_headers(mock: Mock) -> None:
    client(mock, user_agent_suffix="my-app/1.0", default_headers={"X-Trace": "t1"}).credits.balance()
    (sent,) = mock.requests()
    headers = sent["headers"]
    assert headers["user-agent"].startswith("lasso-python/" + lasso.__version__ + " CPython/3.")
    assert headers["user-agent"].endswith(" my-app/1.0")
    assert headers["accept"] == "application/json"
    assert headers["x-trace"] == "t1"
    assert headers["authorization"] == "Bearer lasso_…cdef"


def test_bad_arguments_are_clear_errors_before_any_request(mock: Mock) -> None:
    c = client(mock)
    with pytest.raises(ConfigurationError, match="missing required argument `table_id`"):
        c.tables.get(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"arguments\['extra'\]\[1\]: a value of type object"):
        c._request("tables.get", {"table_id": "tbl_sample", "extra": (1, object())})
    with pytest.raises(ValueError, match="NaN"):
        c._request("tables.get", {"table_id": "tbl_sample", "x": float("nan")})
    assert sum(mock.stats()["received"].values()) == 0


def test_a_closed_client_refuses_calls_but_still_shows_itself(mock: Mock) -> None:
    c = client(mock)
    derived = c.with_options(max_retries=0)
    c.close()
    c.close()
    with pytest.raises(ConfigurationError, match="closed"):
        c.credits.balance()
    with pytest.raises(ConfigurationError, match="closed"):
        derived.credits.balance()
    assert "lasso_…cdef" in repr(c)
    assert sum(mock.stats()["received"].values()) == 0


def test_a_stale_write_carries_when_the_resource_last_changed(mock: Mock) -> None:
    body = {"code": "stale_write", "current_updated_at": "2026-01-02T03:04:05Z", "attribute_key": "color"}
    mock._control("POST", "/__mock/faults", {"route": "GET /credits/balance", "status": 409, "body": body})
    with pytest.raises(lasso.ConflictError) as info:
        LassoClient(KEY, base_url=mock.url).credits.balance()
    e = info.value
    assert (e.code, e.current_updated_at, e.attribute_key, e.attribute_id) == (
        "stale_write",
        "2026-01-02T03:04:05Z",
        "color",
        None,
    )
    assert e.raw_payload == body
    assert pickle.loads(pickle.dumps(e)).current_updated_at == "2026-01-02T03:04:05Z"
