"""Webhook verification (`lasso.webhooks`): no client, no API key, no network."""

from __future__ import annotations

import copy
import http.server
import json
import pickle
import queue
import random
import threading
import urllib.request
from typing import Any, Dict, Tuple

import pytest
from conftest import KEY, Mock

import lasso
from lasso import LassoError, ResponseDecodeError, WebhookVerificationError, webhooks

SECRET = "whsec_" + "5e1d0c3b2a49f8e7" * 4
BODY = b'{"event":"webhook.test","timestamp":"2025-03-12T14:30:00.000Z","data":{"webhook_id":"wh_1"}}'


def reason_of(excinfo: pytest.ExceptionInfo[WebhookVerificationError]) -> str:
    assert isinstance(excinfo.value, LassoError)
    assert SECRET not in str(excinfo.value) and SECRET not in repr(excinfo.value)
    return excinfo.value.reason  # type: ignore[return-value]


def test_sign_matches_rfc_4231_and_the_documented_format() -> None:
    assert webhooks.sign(b"what do ya want for nothing?", "Jefe") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
    header = webhooks.sign(BODY, SECRET)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert header[7:] == header[7:].lower()
    assert webhooks.sign(BODY.decode(), SECRET) == header
    assert webhooks.sign(bytearray(BODY), SECRET) == header
    assert webhooks.sign(memoryview(BODY), SECRET) == header


def test_valid_signature_from_bytes_str_bytearray_and_memoryview() -> None:
    header = webhooks.sign(BODY, SECRET)
    for payload in (BODY, BODY.decode(), bytearray(BODY), memoryview(BODY)):
        assert webhooks.verify(payload, header, SECRET) is None
    # Upper-case hex, surrounding white space, header given as bytes (raw ASGI).
    assert webhooks.verify(BODY, f"  sha256={header[7:].upper()} ", SECRET) is None
    assert webhooks.verify(BODY, header.encode(), SECRET) is None


def test_construct_event_returns_the_parsed_event() -> None:
    event = webhooks.construct_event(BODY, webhooks.sign(BODY, SECRET), SECRET)
    assert event == json.loads(BODY)
    assert lasso.webhooks.construct_event is webhooks.construct_event


def test_tampered_body() -> None:
    header = webhooks.sign(BODY, SECRET)
    tampered = BODY.replace(b"wh_1", b"wh_2")
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(tampered, header, SECRET)
    assert reason_of(e) == "no_matching_signature"
    assert "raw request body" in str(e.value)
    # construct_event verifies before parsing.
    with pytest.raises(WebhookVerificationError):
        webhooks.construct_event(tampered, header, SECRET)
    # Re-serialized JSON is not the same bytes.
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(json.dumps(json.loads(BODY)), header, SECRET)


def test_tampered_signature() -> None:
    header = webhooks.sign(BODY, SECRET)
    flipped = header[:-1] + ("0" if header[-1] != "0" else "1")
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(BODY, flipped, SECRET)
    assert reason_of(e) == "no_matching_signature"
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(BODY, webhooks.sign(BODY, "whsec_someone_else"), SECRET)
    assert reason_of(e) == "no_matching_signature"


def test_rotated_secrets() -> None:
    old, new = "whsec_old_" + "a" * 20, "whsec_new_" + "b" * 20
    header = webhooks.sign(BODY, new)
    webhooks.verify(BODY, header, [old, new])
    webhooks.verify(BODY, header, (new, old))
    assert webhooks.construct_event(BODY, header, [old, new])["event"] == "webhook.test"
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(BODY, header, [old, SECRET])
    assert reason_of(e) == "no_matching_signature"
    assert "2 given secrets" in str(e.value)
    # Several signatures in one header: any may match.
    webhooks.verify(BODY, f"{webhooks.sign(BODY, old)}, {webhooks.sign(BODY, SECRET)}", SECRET)


def test_missing_header() -> None:
    for header in (None, "", "   "):
        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(BODY, header, SECRET)
        assert reason_of(e) == "missing_header"
        assert "X-Lasso-Signature" in str(e.value)


@pytest.mark.parametrize(
    "make_header",
    [
        lambda h: h[7:],  # no sha256= prefix
        lambda h: "sha1=" + h[7:],
        lambda h: "sha256=" + h[7:-2] + "zz",  # not hex
        lambda h: h[:-1],  # 63 hex characters
        lambda h: h + "00",  # 66 hex characters
        lambda h: "sha256=",
    ],
    ids=["no-prefix", "other-scheme", "non-hex", "too-short", "too-long", "empty-value"],
)
def test_malformed_headers(make_header) -> None:  # type: ignore[no-untyped-def]
    header = webhooks.sign(BODY, SECRET)
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(BODY, make_header(header), SECRET)
    assert reason_of(e) == "malformed_header"
    assert "sha256=" in str(e.value)
    assert header[7:] not in str(e.value)


@pytest.mark.parametrize("payload", [json.loads(BODY), [1, 2], None, 42], ids=["dict", "list", "None", "int"])
def test_parsed_payload_is_refused(payload: object) -> None:
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(payload, webhooks.sign(BODY, SECRET), SECRET)  # type: ignore[arg-type]
    assert reason_of(e) == "payload_not_raw"
    message = str(e.value)
    assert "raw request body" in message
    assert "await request.body()" in message and "request.get_data()" in message
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.construct_event(payload, webhooks.sign(BODY, SECRET), SECRET)  # type: ignore[arg-type]
    assert reason_of(e) == "payload_not_raw"


def test_dict_payload_message_names_the_type() -> None:
    with pytest.raises(WebhookVerificationError, match="got a dict"):
        webhooks.verify({"event": "x"}, "sha256=00", SECRET)  # type: ignore[arg-type]


@pytest.mark.parametrize("secret", ["", "  ", [], [SECRET, ""], None])
def test_empty_secret(secret: object) -> None:
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(BODY, webhooks.sign(BODY, SECRET), secret)  # type: ignore[arg-type]
    assert reason_of(e) == "no_secret"
    assert "whsec_" in str(e.value)  # says what a secret looks like
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.sign(BODY, "")
    assert reason_of(e) == "no_secret"


def test_wrongly_typed_secrets_are_type_errors() -> None:
    header = webhooks.sign(BODY, SECRET)
    with pytest.raises(TypeError, match="secret"):
        webhooks.verify(BODY, header, SECRET.encode())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"secret\[1\]"):
        webhooks.verify(BODY, header, [SECRET, 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="secret"):
        webhooks.verify(BODY, header, 3)  # type: ignore[arg-type]


def test_messages_never_contain_the_secret_or_the_expected_signature() -> None:
    expected = webhooks.sign(BODY, SECRET)
    attempts = [
        (BODY, None, SECRET),
        (BODY, "garbage", SECRET),
        (BODY, webhooks.sign(BODY, "whsec_wrong"), SECRET),
        (b"other body", expected, SECRET),
        (b"other body", expected, [SECRET, "whsec_second_" + "c" * 30]),
        ({"a": 1}, expected, SECRET),
    ]
    for payload, header, secret in attempts:
        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(payload, header, secret)  # type: ignore[arg-type]
        err = e.value
        texts = [str(err), repr(err), err.message, str(err.args), str(vars(err))]
        for text in texts:
            assert SECRET not in text
            assert SECRET[6:20] not in text
            assert expected[7:] not in text


def test_not_json_is_a_decode_error_after_verification() -> None:
    body = b"<html>not json</html>"
    with pytest.raises(ResponseDecodeError) as e:
        webhooks.construct_event(body, webhooks.sign(body, SECRET), SECRET)
    assert e.value.status_code is None
    assert e.value.raw_body == "<html>not json</html>"
    assert "not valid JSON" in e.value.message


def test_error_class_fields_and_pickling() -> None:
    with pytest.raises(WebhookVerificationError) as e:
        webhooks.verify(BODY, None, SECRET)
    err = e.value
    assert type(err) is WebhookVerificationError
    assert err.reason == "missing_header"
    assert err.status_code is None and err.request_id is None
    for clone in (pickle.loads(pickle.dumps(err)), copy.deepcopy(err), copy.copy(err)):
        assert type(clone) is WebhookVerificationError
        assert clone.reason == "missing_header"
        assert clone.message == err.message
        assert str(clone) == str(err)
    # Constructible by users (e.g. in their own tests), reason defaulting to None.
    assert WebhookVerificationError(message="x").reason is None
    assert WebhookVerificationError(None, None, "x", reason="no_secret").reason == "no_secret"
    assert "WebhookVerificationError" in lasso.__all__ and "webhooks" in lasso.__all__


def test_random_bodies_round_trip_and_tampering_fails() -> None:
    rng = random.Random(0x1A55)
    for i in range(200):
        body = bytes(rng.getrandbits(8) for _ in range(0 if i % 40 == 0 else rng.randrange(1, 1500)))
        secret = "whsec_" + "".join(rng.choice("0123456789abcdef") for _ in range(rng.randrange(1, 64)))
        header = webhooks.sign(body, secret)
        webhooks.verify(body, header, secret)
        webhooks.verify(body, header, ["whsec_decoy", secret])
        tampered = bytearray(body + b"x")
        if body:
            tampered = bytearray(body)
            at = rng.randrange(len(body))
            tampered[at] ^= 1 << rng.randrange(8)
        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(bytes(tampered), header, secret)
        assert e.value.reason == "no_matching_signature"


# --- Against real deliveries from lasso-mock ------------------------------------------


class _Receiver:
    """A tiny webhook endpoint on 127.0.0.1 that records each request's raw body and headers."""

    def __init__(self) -> None:
        self.received: "queue.Queue[Tuple[bytes, Dict[str, str]]]" = queue.Queue()
        received = self.received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.put((body, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lasso/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _api(mock: Mock, method: str, path: str, body: object) -> Dict[str, Any]:
    """A raw API call to the emulator (the endpoint setup is not what is under test here)."""
    req = urllib.request.Request(
        mock.url + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"authorization": f"Bearer {KEY}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())  # type: ignore[no-any-return]


def test_real_test_delivery_from_the_mock_verifies(mock: Mock) -> None:
    """`POST /catalog/webhooks/{id}` `{"action": "test"}` delivers a signed `webhook.test`
    event to a receiver on 127.0.0.1; its raw body and header verify with the secret
    returned at creation, and only with it."""
    receiver = _Receiver()
    try:
        created = _api(mock, "POST", "/catalog/webhooks", {"url": receiver.url, "events": ["product.created"]})
        secret = created["secret"]
        assert secret.startswith("whsec_")

        answer = _api(mock, "POST", f"/catalog/webhooks/{created['id']}", {"action": "test"})
        assert answer["delivery"]["status_code"] == 204, answer
        body, headers = receiver.received.get(timeout=10)

        header = headers["x-lasso-signature"]
        assert headers["x-lasso-event"] == "webhook.test"
        webhooks.verify(body, header, secret)
        webhooks.verify(body.decode(), header, [SECRET, secret])  # rotation: the second secret matches
        event = webhooks.construct_event(body, header, secret)
        assert event["event"] == "webhook.test"
        assert event["data"]["endpoint_id"] == created["id"]
        assert webhooks.sign(body, secret) == header

        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(body, header, SECRET)
        assert e.value.reason == "no_matching_signature"
        assert secret not in str(e.value)
        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(body.replace(b"webhook.test", b"webhook.fake"), header, secret)
        assert e.value.reason == "no_matching_signature"
        with pytest.raises(WebhookVerificationError) as e:
            webhooks.verify(json.loads(body), header, secret)  # type: ignore[arg-type]
        assert e.value.reason == "payload_not_raw"
    finally:
        receiver.close()
