"""Cross-language conformance: runs every scenario of tests/conformance/*.json
against lasso-mock. The Rust (crates/lasso-ai/tests/conformance.rs) and Node
(node/test/conformance.test.mjs) runners mirror this file; the format is
described in tests/conformance/README.md. Results go to
target/conformance/python.json for `just conformance`."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qsl

import pytest
from conftest import KEY, ROOT, Mock, running_mock

from lasso import LassoClient
from lasso._base import _Resource

SCENARIOS = ROOT / "tests" / "conformance"
CLASSES: Dict[str, str] = json.loads((SCENARIOS / "error_classes.json").read_text())["classes"]
RESULTS: Dict[str, Optional[str]] = {}


def load() -> List[Dict[str, Any]]:
    out = []
    for path in sorted(SCENARIOS.glob("*.json")):
        if path.name != "error_classes.json":
            out.extend(json.loads(path.read_text())["scenarios"])
    return out


ALL = load()


class Failed(Exception):
    pass


# --- the interpretation: identical in every runner -------------------------------------

VAR = re.compile(r"\$\{([^}]+)\}")


def lookup(value: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise Failed(f"nothing at `{path}`")
    return value


def substitute(value: Any, env: Dict[str, Any]) -> Any:
    """`${name.path}` in strings: a whole-string reference keeps the saved value's type."""
    if isinstance(value, dict):
        return {k: substitute(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def resolve(ref: str) -> Any:
        name, _, path = ref.partition(".")
        if name not in env:
            raise Failed(f"unknown variable `{name}`")
        return lookup(env[name], path)

    whole = VAR.fullmatch(value)
    if whole:
        return resolve(whole.group(1))
    return VAR.sub(lambda m: (lambda v: v if isinstance(v, str) else json.dumps(v))(resolve(m.group(1))), value)


def kind_of(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(v)]


def match(expected: Any, actual: Any, where: str) -> None:
    """Subset match: objects may have more keys, `null` means null or absent,
    arrays must have the same length, numbers compare by value."""
    if expected is None:
        if actual is not None:
            raise Failed(f"{where}: expected null, got {json.dumps(actual)[:200]}")
    elif kind_of(expected) != kind_of(actual):
        raise Failed(f"{where}: expected {json.dumps(expected)[:200]}, got {json.dumps(actual)[:200]}")
    elif isinstance(expected, dict):
        for key, value in expected.items():
            match(value, actual.get(key), f"{where}.{key}")
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            raise Failed(f"{where}: expected {len(expected)} items, got {len(actual)}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            match(e, a, f"{where}[{i}]")
    elif expected != actual:
        raise Failed(f"{where}: expected {json.dumps(expected)}, got {json.dumps(actual)}")


def check_outcome(expect: Dict[str, Any], result: Any, error: Optional[Dict[str, Any]]) -> None:
    if "error" in expect:
        if error is None:
            raise Failed(f"expected an error, got {json.dumps(result)[:200]}")
        wanted = dict(expect["error"])
        wanted["class"] = CLASSES[wanted.pop("kind")]
        match(wanted, error, "error")
        return
    if error is not None:
        raise Failed(f"unexpected {error['class']}: {error.get('message')}")
    if "result" in expect:
        match(expect["result"], result, "result")
    if "count" in expect:
        match(expect["count"], len(result), "count")


def request_view(entry: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The last request the mock received, with its query string as an object."""
    if entry is None:
        return None
    query: Dict[str, Any] = {}
    for k, v in parse_qsl(entry.get("query") or "", keep_blank_values=True):
        query[k] = v if k not in query else (query[k] if isinstance(query[k], list) else [query[k]]) + [v]
    return {**entry, "query": query}


# --- the SDK and the mock, as this language reaches them ----------------------------------


def error_view(e: Exception) -> Dict[str, Any]:
    g = lambda name: getattr(e, name, None)  # noqa: E731
    return {
        "class": type(e).__name__,
        "status": g("status_code"),
        "error_type": g("error_type"),
        "code": g("code"),
        "message": g("message") if hasattr(e, "message") else str(e),
        "request_id": g("request_id"),
        "retryable": g("retryable"),
        "retry_after": g("retry_after"),
        "details": g("details"),
        "body": g("body"),
        "raw_body": g("raw_body"),
    }


def make_client(mock: Mock, spec: Dict[str, Any]) -> LassoClient:
    kw: Dict[str, Any] = {"base_url": spec.get("base_url", mock.url)}
    for name in ("timeout", "max_retries", "allow_nonstandard_key"):
        if name in spec:
            kw[name] = spec[name]
    return LassoClient(spec.get("api_key", KEY), **kw)


def call(client: LassoClient, step: Dict[str, Any]) -> Any:
    op, args = step["call"], step.get("args", {})
    opts = {k: v for k, v in step.get("options", {}).items() if k in ("timeout", "max_retries")}
    if step.get("iterate"):
        return list(_Resource(client)._paginate(op, args, **opts))
    if op == "files.upload":
        source = args["content"].encode()
        return client.files.upload(source, args["filename"], content_type=args.get("content_type"), **opts)
    if op == "tables.wait_for_completion":
        return client.tables.wait_for_completion(
            args["table_id"], interval_s=args["interval"], timeout_s=args["timeout"]
        )
    if op == "enhance.wait_for_completion":
        return client.enhance.wait_for_completion(
            args["table_id"], column_key=args.get("column_key"), interval_s=args["interval"], timeout_s=args["timeout"]
        )
    if op == "tables.export":
        out = client.export.download(args["table_id"], args["format"], columns=args.get("columns"), **opts)
        text = out["content"].decode() if args["format"] in ("csv", "json") else None
        return {
            "content_type": out["content_type"],
            "filename": out["filename"],
            "size": len(out["content"]),
            "text": text,
        }
    return client._request(op, args, **opts)


def run(mock: Mock, scenario: Dict[str, Any]) -> None:
    env: Dict[str, Any] = {}
    default = make_client(mock, {})
    for n, raw in enumerate(scenario["steps"], 1):
        step = substitute({k: v for k, v in raw.items() if k != "save"}, env)
        try:
            if "fault" in step:
                mock._control("POST", "/__mock/faults", step["fault"])  # posted as-is (tests/conformance/README.md)
                continue
            result, error = None, None
            try:
                client = make_client(mock, step["client"]) if "client" in step else default
                result = call(client, step)
            except Exception as e:  # noqa: BLE001 - every failure is compared as data
                error = error_view(e)
            check_outcome(step.get("expect", {}), result, error)
            for name, path in raw.get("save", {}).items():
                env[name] = lookup(result, path)
            if "request" in step:
                requests = mock.requests()
                match(step["request"], request_view(requests[-1] if requests else None), "request")
            if "stats" in step:
                match(step["stats"], mock.stats(), "stats")
        except Failed as e:
            raise Failed(f"step {n} ({raw.get('call', 'fault')}): {e}") from None


@pytest.fixture(scope="module")
def conformance_mock() -> Iterator[Mock]:
    with running_mock("--time-scale", "0") as mock:
        yield mock
    out = ROOT / "target" / "conformance"
    out.mkdir(parents=True, exist_ok=True)
    results = [
        {"id": s["id"], "ok": RESULTS.get(s["id"], "not run") is None, "error": RESULTS.get(s["id"], "not run")}
        for s in ALL
    ]
    (out / "python.json").write_text(json.dumps({"language": "python", "results": results}, indent=1))


@pytest.mark.parametrize("scenario", ALL, ids=[s["id"] for s in ALL])
def test_scenario(conformance_mock: Mock, scenario: Dict[str, Any]) -> None:
    conformance_mock.reset()
    try:
        run(conformance_mock, scenario)
        RESULTS[scenario["id"]] = None
    except Exception as e:  # noqa: BLE001 - a runner error fails the scenario too
        RESULTS[scenario["id"]] = str(e) if isinstance(e, Failed) else f"{type(e).__name__}: {e}"
    if RESULTS[scenario["id"]] is not None:
        pytest.fail(RESULTS[scenario["id"]], pytrace=False)


def test_scenario_ids_are_unique() -> None:
    ids = [s["id"] for s in ALL]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
