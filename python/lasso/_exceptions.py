"""The exceptions of the Lasso SDK.

Every error the SDK raises is a `LassoError`. The Rust core decides the kind
(from the body's `error_type`, then the HTTP status) and `_from_native` picks
the class from that kind: the mapping below is the only one.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "LassoError",
    "InvalidRequestError",
    "AuthenticationError",
    "InsufficientCreditsError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "ServiceUnavailableError",
    "APIConnectionError",
    "APITimeoutError",
    "InvalidApiKeyError",
    "ConfigurationError",
    "ResponseDecodeError",
    "WebhookVerificationError",
    "JobFailedError",
]

_FIELDS = (
    "status_code",
    "error_type",
    "message",
    "request_id",
    "code",
    "retryable",
    "details",
    "raw_body",
    "body",
    "retry_after",
)


class LassoError(Exception):
    """Base class of every error raised by the SDK.

    Attributes mirror the API's error envelope: `status_code`, `error_type`,
    `message` and `request_id` (quote it to Lasso support), plus the newer
    optional `code` (e.g. ``"stale_write"``), `retryable` and `details`, the
    parsed `body` and the `raw_body` text (capped at 4 KB). Fields the error
    does not have are ``None``.

    The positional signature matches the official ``lasso-ai`` package.
    """

    status_code: Optional[int]
    error_type: Optional[str]
    message: str
    request_id: Optional[str]
    code: Optional[str]
    retryable: Optional[bool]
    details: Any
    raw_body: Optional[str]
    body: Any
    retry_after: Optional[float]

    def __init__(
        self,
        status_code: Optional[int] = None,
        error_type: Optional[str] = None,
        message: str = "",
        request_id: Optional[str] = None,
        *,
        code: Optional[str] = None,
        retryable: Optional[bool] = None,
        details: Any = None,
        raw_body: Optional[str] = None,
        body: Any = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_type = error_type
        self.message = message
        self.request_id = request_id
        self.code = code
        self.retryable = retryable
        self.details = details
        self.raw_body = raw_body
        self.body = body
        self.retry_after = retry_after

    def __str__(self) -> str:
        extra = []
        if self.status_code is not None:
            extra.append(str(self.status_code) + (f" {self.error_type}" if self.error_type else ""))
        if self.request_id:
            extra.append(f"request_id {self.request_id}")
        return f"{self.message} ({', '.join(extra)})" if extra else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> Any:
        # Exceptions pickle through their args by default, which would lose the
        # keyword-only fields; rebuild from every field instead.
        return (_rebuild, (type(self), {name: getattr(self, name, None) for name in _FIELDS}))


def _rebuild(cls: Type[LassoError], fields: Dict[str, Any]) -> LassoError:
    positional = [fields.pop(name, None) for name in ("status_code", "error_type", "message", "request_id")]
    positional[2] = positional[2] or ""
    return cls(*positional, **fields)


class InvalidRequestError(LassoError):
    """400 `invalid_request`: malformed request or invalid query value."""


class AuthenticationError(LassoError):
    """401 `unauthenticated`: the key is missing, invalid or deactivated."""


class InsufficientCreditsError(LassoError):
    """402 `insufficient_credits`: the company has run out of credits."""


class PermissionDeniedError(LassoError):
    """403 `forbidden`: the key may not perform this action."""


class NotFoundError(LassoError):
    """404 `not_found`: no such resource (or it belongs to another company)."""


class ConflictError(LassoError):
    """409 `conflict`: locked or stale resource, or a resource still in use."""


class UnprocessableEntityError(LassoError):
    """422 `validation_error`: a field is missing or invalid (see `message`)."""


class RateLimitError(LassoError):
    """429 `rate_limited`: too many requests. `retry_after` is the server's wait, in seconds."""


class InternalServerError(LassoError):
    """500 `internal_error`, or another 5xx status."""


class ServiceUnavailableError(InternalServerError):
    """503 `service_unavailable`: a rollout or dependency failed; check `retryable`."""


class APIConnectionError(LassoError):
    """The connection failed or broke before a complete response arrived."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request did not complete within its timeout."""


class InvalidApiKeyError(LassoError, ValueError):
    """The API key is missing or malformed; raised before any request is sent."""


class ConfigurationError(LassoError, ValueError):
    """A client option (base URL, timeout, header…) is invalid."""


class ResponseDecodeError(LassoError):
    """A successful response whose body is not what the operation returns."""


class WebhookVerificationError(LassoError):
    """A webhook delivery failed signature verification (`lasso.webhooks`).

    `reason` says why: ``"missing_header"``, ``"malformed_header"``,
    ``"no_matching_signature"``, ``"payload_not_raw"`` (a parsed object was
    passed instead of the raw body) or ``"no_secret"``. Answer the delivery
    with a 4xx. The message never contains a secret.
    """

    reason: Optional[str]

    def __init__(self, *args: Any, reason: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason = reason

    def __reduce__(self) -> Any:
        rebuild, (cls, fields) = super().__reduce__()
        return (rebuild, (cls, {**fields, "reason": self.reason}))


class JobFailedError(LassoError):
    """A table's extraction ended ``failed``, ``error`` or ``cancelled`` while
    `wait_for_completion` waited for it. `status` is that status and `table`
    the table as last read (its ``error_message`` says why)."""

    status: Optional[str]
    table: Any

    def __init__(self, *args: Any, status: Optional[str] = None, job: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status = status
        self.table = job

    def __reduce__(self) -> Any:
        rebuild, (cls, fields) = super().__reduce__()
        return (rebuild, (cls, {**fields, "status": self.status, "job": self.table}))


_BY_CODE: Dict[str, Type[LassoError]] = {
    "invalid_request": InvalidRequestError,
    "unauthenticated": AuthenticationError,
    "insufficient_credits": InsufficientCreditsError,
    "forbidden": PermissionDeniedError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "validation_error": UnprocessableEntityError,
    "rate_limited": RateLimitError,
    "internal_error": InternalServerError,
    "service_unavailable": ServiceUnavailableError,
    "api_error": LassoError,
    "connection": APIConnectionError,
    "timeout": APITimeoutError,
    "invalid_api_key": InvalidApiKeyError,
    "configuration": ConfigurationError,
    "decode": ResponseDecodeError,
    "internal_sdk_error": LassoError,
    "job_failed": JobFailedError,
    "webhook_verification": WebhookVerificationError,
}


def _from_native(fields: Dict[str, Any]) -> LassoError:
    """Called by the Rust binding with `lasso_ai::Error::to_fields()`: the
    exception of the class for the error's kind, with every field set."""
    cls = _BY_CODE.get(fields.pop("kind", ""), LassoError)
    return _rebuild(cls, fields)
