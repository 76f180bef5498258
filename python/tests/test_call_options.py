"""The escape hatches and the errors that name the right thing (issue 16), over
real HTTP against lasso-mock: per-call options on every method (typed, never
mixed into the parameters), unknown keywords, `with_raw_response`, a timeout of
``None``, bad option values, keys of other services, copies of a client, the
enrich guard's opt-in and local files that cannot be read or written."""

from __future__ import annotations

import copy
import errno
import inspect
import pickle
import re
from pathlib import Path
from typing import Any, Callable, Dict, List
from urllib.parse import parse_qsl

import pytest
from conftest import KEY, Mock

import lasso
from lasso import (
    AsyncLassoClient,
    ConfigurationError,
    InvalidApiKeyError,
    LassoClient,
    LocalFileError,
    LocalFileNotFoundError,
    RawResponse,
)


def client(mock: Mock, **kw: Any) -> LassoClient:
    return LassoClient(KEY, mock.url, **kw)


def last_request(mock: Mock) -> Dict[str, Any]:
    requests = mock.requests()
    assert requests, "no request reached the server"
    return requests[-1]


def query_of(entry: Dict[str, Any]) -> List[Any]:
    return parse_qsl(entry["query"] or "", keep_blank_values=True)


# --- per-call options ---------------------------------------------------------------------


def test_extra_headers_and_extra_query_reach_the_server(mock: Mock) -> None:
    client(mock).credits.balance(
        extra_headers={"X-Trace": "t-1"}, extra_query={"debug": True, "tag": ["a", "b"], "n": 3}
    )
    sent = last_request(mock)
    assert sent["headers"]["x-trace"] == "t-1"
    assert query_of(sent) == [("debug", "true"), ("tag", "a"), ("tag", "b"), ("n", "3")]


def test_extra_body_is_merged_into_the_json_body(mock: Mock) -> None:
    c = client(mock)
    renamed = c.tables.update("tbl_sample", extra_body={"name": "After"})
    assert renamed["name"] == "After" == c.tables.get("tbl_sample")["name"]


def test_options_are_never_sent_as_parameters(mock: Mock) -> None:
    c = client(mock)
    c.tables.list(limit=5, max_retries=0, timeout=30)
    assert query_of(last_request(mock)) == [("limit", "5")]
    list(c.tables.iter(limit=2, max_retries=0, extra_query={"search": "zzz"}))
    assert ("max_retries", "0") not in query_of(last_request(mock))
    assert ("search", "zzz") in query_of(last_request(mock))


def test_every_method_takes_the_per_call_options() -> None:
    options = {"timeout", "max_retries", "extra_headers", "extra_query"}
    c = LassoClient(KEY, "http://127.0.0.1:9/api/v1")
    ac = AsyncLassoClient(KEY, "http://127.0.0.1:9/api/v1")
    checked = 0
    for root in (c, ac):
        stack = [root]
        while stack:
            obj = stack.pop()
            for name in dir(obj):
                if name.startswith("_") or name in ("with_options", "with_raw_response", "close", "aclose", "base_url"):
                    continue
                member = getattr(obj, name)
                if isinstance(member, lasso._base._KeywordChecked):
                    stack.append(member)
                elif callable(member):
                    params = set(inspect.signature(member).parameters)
                    assert options <= params, f"{type(obj).__name__}.{name} lacks {options - params}"
                    assert not any(p.kind == p.VAR_KEYWORD for p in inspect.signature(member).parameters.values()), name
                    checked += 1
    assert checked > 150


def test_with_options_carries_extra_headers_and_query(mock: Mock) -> None:
    tagged = client(mock).with_options(extra_headers={"X-Team": "data"}, extra_query={"via": "sdk"})
    tagged.credits.balance(extra_headers={"X-Call": "1"})
    sent = last_request(mock)
    assert (sent["headers"]["x-team"], sent["headers"]["x-call"]) == ("data", "1")
    assert ("via", "sdk") in query_of(sent)


def test_an_options_value_of_the_wrong_shape_is_a_type_error(mock: Mock) -> None:
    c = client(mock)
    with pytest.raises(TypeError, match="extra_headers"):
        c.credits.balance(extra_headers=["X-Trace"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="extra_query"):
        c.credits.balance(extra_query={"when": object()})
    assert mock.requests() == []


# --- unknown keywords ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "typo", "meant"),
    [
        (lambda c: c.search(query="q", max_result=3), "max_result", "max_results"),
        (lambda c: c.tables.get("tbl_sample", timeot=3), "timeot", "timeout"),
        (lambda c: c.tables.wait_for_completion("tbl_sample", interval=1), "interval", "interval_s"),
        (lambda c: c.export.csv("tbl_sample", colums=["a"]), "colums", "columns"),
        (lambda c: c.catalog.webhooks.list(extra_header={}), "extra_header", "extra_headers"),
        (lambda c: c.with_options(max_retry=1), "max_retry", "max_retries"),
    ],
)
def test_an_unknown_keyword_is_a_type_error_naming_the_close_match(
    mock: Mock, call: Callable[[LassoClient], Any], typo: str, meant: str
) -> None:
    with pytest.raises(TypeError, match=rf"unexpected keyword argument '{typo}'; did you mean '{meant}'\?"):
        call(client(mock))
    assert mock.requests() == []


def test_an_unknown_keyword_of_the_constructor_and_of_async_methods(mock: Mock) -> None:
    import asyncio

    with pytest.raises(TypeError, match="did you mean 'base_url'"):
        LassoClient(KEY, base_ur=mock.url)  # type: ignore[call-arg]
    # Named as the user called it, not as the base class that defines `__init__`.
    for cls in (LassoClient, AsyncLassoClient):
        expected = rf"^{cls.__name__}\(\) got an unexpected keyword argument 'conect_timeout'; did you mean 'connect_timeout'\?$"
        with pytest.raises(TypeError, match=expected):
            cls(KEY, mock.url, conect_timeout=3)  # type: ignore[call-arg]

    async def main() -> None:
        async with AsyncLassoClient(KEY, mock.url) as c:
            with pytest.raises(TypeError, match="did you mean 'max_results'"):
                await c.search(query="q", max_result=3)  # type: ignore[call-arg]

    asyncio.run(main())
    assert mock.requests() == []


def test_a_type_error_raised_inside_a_method_is_not_rewritten(mock: Mock) -> None:
    with pytest.raises(TypeError, match="binary"):
        client(mock).files.upload(__import__("io").StringIO("text"))  # type: ignore[arg-type]


# --- the response behind a result ---------------------------------------------------------


SAMPLE = '{"id": "tbl_sample", "status": "completed", "name": "Sample"}'


def test_with_raw_response_gives_status_headers_request_id_and_the_result(mock: Mock) -> None:
    c = client(mock)
    # The API documents no request id header on success; a server that sends one is heard.
    rid = "5f0c2d3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    mock.fault("GET /tables/tbl_sample", 200, headers={"X-Request-Id": rid, "X-Extra": "1"}, body=SAMPLE)
    raw = c.with_raw_response.tables.get("tbl_sample")
    assert isinstance(raw, RawResponse)
    assert (raw.status_code, raw.request_id) == (200, rid)
    assert raw.headers["X-Request-Id"] == rid and raw.headers.get("x-extra") == "1"
    assert raw.parse()["id"] == "tbl_sample"
    plain = c.with_raw_response.tables.get("tbl_sample")
    assert plain.request_id is None and plain.headers["content-type"].startswith("application/json")
    balance = c.with_raw_response.credits.balance()
    assert balance.parse()["currency"] == "credits"
    found = c.with_raw_response.search(query="mug", max_results=1)
    assert found.status_code == 200 and found.parse()["results"]
    # The client itself still returns plain results.
    assert c.tables.get("tbl_sample")["id"] == "tbl_sample"


def test_with_raw_response_of_the_async_client(mock: Mock) -> None:
    import asyncio

    async def main() -> RawResponse[Any]:
        async with AsyncLassoClient(KEY, mock.url) as c:
            return await c.with_raw_response.tables.get("tbl_sample")

    mock.fault("GET /tables/tbl_sample", 200, headers={"X-Request-Id": "r-1"}, body=SAMPLE)
    raw = asyncio.run(main())
    assert (raw.status_code, raw.request_id, raw.parse()["id"]) == (200, "r-1", "tbl_sample")


# --- timeouts ------------------------------------------------------------------------------


def test_timeout_none_disables_the_timeout(mock: Mock) -> None:
    mock.fault("GET /credits/balance", 200, delay_ms=400, body='{"balance": 1, "currency": "credits"}', times=3)
    with pytest.raises(lasso.APITimeoutError):
        client(mock, timeout=0.1, max_retries=0).credits.balance()
    assert client(mock, timeout=0.1).credits.balance(timeout=None)["balance"] == 1
    assert client(mock, timeout=None).credits.balance()["balance"] == 1
    assert client(mock, timeout=float("inf")).with_options(timeout=0.2).credits.balance(timeout=float("inf"))


# --- errors that name the right thing ------------------------------------------------------


def test_max_retries_below_zero_is_a_configuration_error_naming_it(mock: Mock) -> None:
    for make in (lambda: client(mock, max_retries=-1), lambda: client(mock).credits.balance(max_retries=-1)):
        with pytest.raises(ConfigurationError, match="max_retries") as info:
            make()
        assert isinstance(info.value, ValueError)
    assert mock.requests() == []


def test_a_timeout_of_the_wrong_type_is_a_type_error_naming_it(mock: Mock) -> None:
    for make in (
        lambda: client(mock, timeout="5"),
        lambda: client(mock).credits.balance(timeout="5"),
        lambda: client(mock).with_options(timeout="5"),
    ):
        with pytest.raises(TypeError, match=r"^timeout must be a number of seconds \(int or float\), not str$"):
            make()
    with pytest.raises(TypeError, match="max_retries must be an int, not str"):
        client(mock, max_retries="2")  # type: ignore[arg-type]


def test_option_values_are_checked_by_the_core_in_seconds_with_its_words(mock: Mock) -> None:
    # The core checks what Node and Kotlin send too; Python's errors name seconds.
    refused = [
        (lambda: client(mock, max_connections=0), r"^max_connections must be a whole number of at least 1, got 0$"),
        (lambda: client(mock, max_retries=-1), r"^max_retries must be a whole number from 0 \(no retries\) to "),
        (lambda: client(mock).credits.balance(max_retries=2**40), r"^max_retries must be a whole number from 0 "),
        (lambda: client(mock, connect_timeout=0), r"^connect_timeout must be a positive number of seconds, got 0$"),
        (
            lambda: client(mock).credits.balance(timeout=-1.5),
            r"^timeout must be a positive number of seconds, got -1.5$",
        ),
    ]
    for make, message in refused:
        with pytest.raises(ConfigurationError, match=message):
            make()
    assert mock.requests() == []
    # Longer than a century is no timeout, as in the other languages; a byte
    # limit past 2**53 is no limit.
    assert client(mock, timeout=1e300, max_response_bytes=2**64).credits.balance(timeout=1e300)["balance"] >= 0


def test_a_key_or_url_of_the_wrong_type_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="^api_key must be a str, not int$"):
        LassoClient(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^base_url must be a str, not int$"):
        LassoClient(KEY, 8080)  # type: ignore[arg-type]


def test_a_key_of_another_service_is_not_shown_as_a_lasso_key() -> None:
    with pytest.raises(InvalidApiKeyError) as info:
        LassoClient("sk_" + "a1" * 20)
    message = str(info.value)
    assert "lasso_…" not in message and "…a1a1" in message, message
    assert "a1" * 20 not in message


def test_a_base_url_error_keeps_the_port() -> None:
    with pytest.raises(ConfigurationError, match=re.escape('"http://example.com:8443/api/v1"')):
        LassoClient(KEY, "http://example.com:8443/api/v1")


# --- copies ----------------------------------------------------------------------------------


def test_copy_shares_the_pool_and_deepcopy_makes_an_independent_client(mock: Mock) -> None:
    c = client(mock, max_retries=0)
    shallow = copy.copy(c)
    deep = copy.deepcopy(c)
    assert type(shallow) is type(deep) is LassoClient
    assert shallow.credits.balance()["currency"] == deep.credits.balance()["currency"] == "credits"
    assert repr(deep) == repr(c)
    deep.close()
    assert c.credits.balance()["currency"] == "credits"  # deepcopy has a pool of its own
    shallow.close()  # copy.copy shares the pool, as with_options does
    with pytest.raises(ConfigurationError, match="closed"):
        c.credits.balance()


def test_pickling_a_client_says_what_to_do_instead(mock: Mock) -> None:
    with pytest.raises(TypeError, match=r"cannot be pickled.*copy\.copy\(\)"):
        pickle.dumps(client(mock))


# --- the enrich guard ------------------------------------------------------------------------


def items(n: int) -> List[Dict[str, Any]]:
    return [{"data": {"name": f"Product {i}"}} for i in range(n)]


def test_enrich_of_six_items_without_a_webhook_is_refused_unless_allowed(mock: Mock) -> None:
    c = client(mock)
    with pytest.raises(ConfigurationError, match="webhook_url") as info:
        c.enrich(items=items(6))
    assert "allow_enrich_without_webhook" in str(info.value)
    assert mock.requests() == []
    c.enrich(items=items(6), allow_enrich_without_webhook=True)
    assert last_request(mock)["operation"] == "enrich"
    assert "allow_enrich_without_webhook" not in (last_request(mock)["query"] or "")
    assert c.enrich(items=items(5))["items"]


# --- local files -----------------------------------------------------------------------------


def test_a_missing_upload_is_a_real_file_not_found_error(mock: Mock, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "catalogue.pdf"
    with pytest.raises(FileNotFoundError) as info:
        client(mock).files.upload(missing)
    e = info.value
    assert isinstance(e, LocalFileNotFoundError) and isinstance(e, LocalFileError)
    assert (e.errno, e.strerror, e.filename) == (errno.ENOENT, "No such file or directory", str(missing))
    assert e.os_code == "ENOENT" and e.path == str(missing)
    assert str(missing) in str(e) and str(missing) in repr(e)
    assert repr(e).startswith("LocalFileNotFoundError('cannot upload ")
    assert pickle.loads(pickle.dumps(e)).errno == errno.ENOENT
    assert mock.requests() == []


def test_a_missing_export_directory_names_the_path_without_the_temporary_file(mock: Mock, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "rows.csv"
    with pytest.raises(FileNotFoundError) as info:
        client(mock).export.csv("tbl_sample", path=target)
    e = info.value
    assert isinstance(e, LocalFileNotFoundError)
    assert e.filename == str(target) and e.errno == errno.ENOENT
    assert str(target) in str(e) and ".part" not in str(e) and ".part" not in repr(e)
