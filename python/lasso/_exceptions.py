"""The base of the Lasso SDK's exceptions.

Every error the SDK raises is a `LassoError`. The Rust core decides the kind
(from the body's `error_type`, then the HTTP status) and `_from_native` picks
the class from that kind. The subclasses, with their own fields, and the one
code → class table (`_BY_CODE`) are generated from crates/lasso-spec into
`_error_classes.py` (`./just codegen`).
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Optional, Type

__all__ = ["LassoError"]

_FIELDS = (
    "status_code",
    "error_type",
    "message",
    "request_id",
    "code",
    "current_updated_at",
    "attribute_id",
    "attribute_key",
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
    optional `code` (e.g. ``"stale_write"``), `current_updated_at` (with
    ``stale_write``: refetch, then retry), `attribute_id`, `attribute_key`,
    `retryable` and `details`, the parsed `body` (also `raw_payload`) and the
    `raw_body` text (capped at 4 KB). Fields the error does not have are
    ``None``.

    The positional signature matches the official ``lasso-ai`` package.
    """

    status_code: Optional[int]
    error_type: Optional[str]
    message: str
    request_id: Optional[str]
    code: Optional[str]
    current_updated_at: Optional[str]
    attribute_id: Optional[str]
    attribute_key: Optional[str]
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
        current_updated_at: Optional[str] = None,
        attribute_id: Optional[str] = None,
        attribute_key: Optional[str] = None,
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
        self.current_updated_at = current_updated_at
        self.attribute_id = attribute_id
        self.attribute_key = attribute_key
        self.retryable = retryable
        self.details = details
        self.raw_body = raw_body
        self.body = body
        self.retry_after = retry_after

    @property
    def raw_payload(self) -> Any:
        """The whole JSON body (`body`): the name the official SDK 0.2 gives it."""
        return self.body

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
        # keyword-only fields; rebuild from every field instead. A class made
        # to be caught as httpx's too (`_httpx_compatible`) pickles as ours.
        cls = type(self).__dict__.get("_pickles_as", type(self))
        return (_rebuild, (cls, {name: getattr(self, name, None) for name in _FIELDS}))


def _rebuild(cls: Type[LassoError], fields: Dict[str, Any]) -> LassoError:
    positional = [fields.pop(name, None) for name in ("status_code", "error_type", "message", "request_id")]
    positional[2] = positional[2] or ""
    return cls(*positional, **fields)


def _from_native(fields: Dict[str, Any]) -> LassoError:
    """Called by the Rust binding with `lasso_ai::Error::to_fields()`: the
    exception of the class for the error's kind, with every field set."""
    kind = fields.pop("kind", "")
    cls = _error_classes._BY_CODE.get(kind, LassoError)
    httpx = sys.modules.get("httpx")
    if httpx is None:
        return _rebuild(cls, fields)
    # An answer with an error status is also what httpx's `raise_for_status`
    # raised in 0.1.2 (it did for exports and for error bodies it could not read).
    peer = _HTTPX_PEERS.get(kind) or ("HTTPStatusError" if fields.get("status_code") else None)
    if peer is not None:
        cls = _httpx_compatible(cls, peer)
    error = _rebuild(cls, fields)
    if peer == "HTTPStatusError" and isinstance(error, getattr(httpx, "HTTPStatusError", ())):
        try:
            headers = [("x-request-id", error.request_id)] if error.request_id else []
            response = httpx.Response(error.status_code, headers=headers, content=(error.raw_body or "").encode())
            error.response = response  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - an httpx that builds responses differently: no `response`
            pass
    return error


def _os_error_fields(error: OSError, os_code: Optional[str], path: Optional[str]) -> None:
    """Makes a local-file error a real `OSError`: `errno` (the number of
    ``os_code``, e.g. ``ENOENT``), `strerror` and `filename` (the caller's path)."""
    import errno
    import os

    number = getattr(errno, os_code, None) if os_code else None
    error.errno = number
    error.strerror = os.strerror(number) if number is not None else None
    error.filename = path


#: Error codes raised where `lasso-ai` 0.1.2 (built on httpx) raised these httpx exceptions (and for
#: every error with an HTTP status, `httpx.HTTPStatusError`).
_HTTPX_PEERS = {"timeout": "TimeoutException", "connection": "ConnectError"}
_HTTPX_CLASSES: Dict[Type[LassoError], Type[LassoError]] = {}


def _httpx_compatible(cls: Type[LassoError], peer: str) -> Type[LassoError]:
    """``cls``, also an ``httpx.<peer>``, so that code written for `lasso-ai`
    0.1.2 (``except httpx.TimeoutException``) still catches it. Only when the
    program imported httpx (it must have, to name its exceptions), so that
    ``import lasso`` never loads it. Named, shown and pickled as ``cls``."""
    compatible = _HTTPX_CLASSES.get(cls)
    if compatible is None:
        base = getattr(sys.modules["httpx"], peer, None)
        if not (isinstance(base, type) and issubclass(base, Exception)):
            return cls
        namespace = {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
            "_pickles_as": cls,
        }
        if peer == "HTTPStatusError":
            # Its constructor requires the request and response: skipped (the
            # response is set after construction; `request` is not known).
            base = type("_StatusError", (base,), {"__init__": _status_error_init})
        try:
            compatible = type(cls.__name__, (cls, base), namespace)
        except TypeError:  # an httpx whose class cannot be combined
            return cls
        _HTTPX_CLASSES[cls] = compatible
    return compatible


def _status_error_init(self: Exception, message: str = "", *args: Any, **kwargs: Any) -> None:
    Exception.__init__(self, message)
    self._request = None  # type: ignore[attr-defined]  # httpx's `request` property then says it was not set


# Last: the generated subclasses import `LassoError` from this module.
from . import _error_classes  # noqa: E402
