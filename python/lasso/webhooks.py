"""Verify the webhooks Lasso sends (no client or API key needed).

Lasso signs each delivery with ``X-Lasso-Signature: sha256=<hex>``, an
HMAC-SHA256 of the raw request body keyed with the endpoint's secret (the
``whsec_…`` value returned once by ``client.catalog.webhooks.create``). Verify
it over the body **exactly as received**, before parsing it; the comparison
runs in constant time in the Rust core.

Flask::

    import os

    from flask import Flask, request
    import lasso

    app = Flask(__name__)
    SECRET = os.environ["LASSO_WEBHOOK_SECRET"]

    @app.post("/lasso/webhook")
    def lasso_webhook():
        try:
            event = lasso.webhooks.construct_event(
                request.get_data(), request.headers.get("X-Lasso-Signature"), SECRET
            )
        except lasso.WebhookVerificationError as e:
            return {"error": e.reason}, 400
        handle(event["event"], event["data"])
        return "", 204

FastAPI::

    from fastapi import FastAPI, HTTPException, Request
    import lasso

    app = FastAPI()

    @app.post("/lasso/webhook", status_code=204)
    async def lasso_webhook(request: Request) -> None:
        try:
            event = lasso.webhooks.construct_event(
                await request.body(),
                request.headers.get("x-lasso-signature"),
                [NEW_SECRET, OLD_SECRET],  # several secrets while rotating
            )
        except lasso.WebhookVerificationError as e:
            raise HTTPException(400, e.reason)
        handle(event)

The signed material is the body only (no timestamp), so a captured delivery
can be replayed: deduplicate on the ``X-Lasso-Delivery-Id`` header if that
matters.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Union

from . import _native

__all__ = ["SIGNATURE_HEADER", "verify", "construct_event", "sign"]

#: The header carrying the signature.
SIGNATURE_HEADER = "X-Lasso-Signature"

Payload = Union[bytes, bytearray, memoryview, str]
Secrets = Union[str, Sequence[str]]


def verify(
    payload: Payload,
    signature_header: Optional[Union[str, bytes]],
    secret: Optional[Secrets],
    *,
    tolerance: Optional[float] = None,
) -> None:
    """Check that ``payload`` was signed by Lasso; return ``None`` or raise.

    :param payload: the raw request body, as ``bytes`` (or ``str``), exactly
        as received: ``request.get_data()`` (Flask), ``await request.body()``
        (FastAPI / Starlette), ``request.body`` (Django). A parsed ``dict`` or
        ``list`` is refused (reason ``"payload_not_raw"``): re-serializing
        JSON changes the bytes, so the signature could not match.
    :param signature_header: the value of the ``X-Lasso-Signature`` header
        (``None`` when absent). ``sha256=<hex>``; several comma-separated
        signatures are accepted.
    :param secret: the endpoint's signing secret, or a list of secrets while
        rotating (any one matching is enough). Surrounding white space (a
        trailing newline from an env file) is ignored.
    :param tolerance: seconds; when given, the event's ``timestamp`` (part of
        the signed body) must be within that long of now, so an old delivery
        replayed later is refused (reason ``"timestamp_outside_tolerance"``).
        Off by default: Lasso documents no window.
    :raises lasso.WebhookVerificationError: with ``reason`` one of
        ``"missing_header"``, ``"malformed_header"``, ``"no_matching_signature"``,
        ``"payload_not_raw"``, ``"no_secret"``, ``"timestamp_outside_tolerance"``,
        ``"missing_timestamp"``.

    >>> body = b'{"event": "webhook.test"}'
    >>> verify(body, sign(body, "whsec_test"), "whsec_test")
    """
    _native.verify_webhook(payload, signature_header, secret, tolerance)


def construct_event(
    payload: Payload,
    signature_header: Optional[Union[str, bytes]],
    secret: Optional[Secrets],
    *,
    tolerance: Optional[float] = None,
) -> Dict[str, Any]:
    """Verify like :func:`verify` (``tolerance`` included), then return the parsed event.

    The event looks like ``{"event": "product.updated", "timestamp": "…",
    "data": {…}}``. A correctly signed body that is not JSON raises
    :class:`lasso.ResponseDecodeError`.

    >>> body = b'{"event": "webhook.test", "data": {}}'
    >>> construct_event(body, sign(body, "whsec_test"), "whsec_test")["event"]
    'webhook.test'
    """
    return _native.construct_webhook_event(payload, signature_header, secret, tolerance)


def sign(payload: Payload, secret: str) -> str:
    """The ``X-Lasso-Signature`` value Lasso would send for ``payload``:
    ``"sha256=<lowercase hex>"``. Use it to test your webhook handler.

    >>> sign(b"what do ya want for nothing?", "Jefe")
    'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    """
    return _native.sign_webhook(payload, secret)
