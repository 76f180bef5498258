"""`LassoClient`, the synchronous client, and `AsyncLassoClient`, its asyncio twin."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Type, TypeVar, Union

from . import _native
from ._base import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout, _seconds
from ._generated import _AsyncClientMethods, _ClientMethods, _ClientOptions
from ._native import NativeClient

if TYPE_CHECKING:
    from ._generated import AsyncRawClient, RawClient

_Client = TypeVar("_Client", bound="_Common")

_FRONT_DOOR = "lasso-python/{} {}/{}.{}".format(
    _native.__version__,
    {"cpython": "CPython", "pypy": "PyPy"}.get(sys.implementation.name, sys.implementation.name),
    *sys.version_info[:2],
)

#: `LASSO_LOG` values → `logging` levels.
_LOG_LEVELS = {"trace": 10, "debug": 10, "info": 20, "warn": 30, "warning": 30, "error": 40}
_log_configured = False


def _log_from_env() -> None:
    """``LASSO_LOG=debug|info|warn|error``, read once, when the first client is
    made: the ``"lasso"`` logger gets that level (unless it has one) and, when
    nothing handles its records yet, a handler printing them to stderr as
    ``lasso <level>: <line>``, as in Node and Rust."""
    global _log_configured
    if _log_configured:
        return
    _log_configured = True
    import logging

    logger = logging.getLogger("lasso")
    # A library's logger has a handler of its own (the logging HOWTO's rule),
    # so that its WARNING line for a failed call is not printed to stderr by
    # `logging.lastResort` in a program that configured no logging; records
    # still propagate to the handlers the program installs.
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    level = _LOG_LEVELS.get(os.environ.get("LASSO_LOG", "").strip().lower())
    if level is None:
        return
    if logger.level == logging.NOTSET:
        logger.setLevel(level)
    if not any(not isinstance(h, logging.NullHandler) for h in _handlers(logger)):

        class LowerCaseLevel(logging.Formatter):
            """``lasso debug: …``: the level in lower case, as Node and Rust print it."""

            def format(self, record: logging.LogRecord) -> str:
                line = super().format(record)
                return line.replace(record.levelname, _LEVEL_NAMES.get(record.levelno, record.levelname), 1)

        handler = logging.StreamHandler()
        handler.setFormatter(LowerCaseLevel("lasso %(levelname)s: %(message)s"))
        logger.addHandler(handler)


_LEVEL_NAMES = {10: "debug", 20: "info", 30: "warn", 40: "error"}


def _handlers(logger: Any) -> List[Any]:
    """The handlers a record of ``logger`` reaches (its own and its ancestors')."""
    found: List[Any] = []
    while logger is not None:
        found.extend(logger.handlers)
        logger = logger.parent if logger.propagate else None
    return found


class _Common(_ClientOptions):
    """What both clients share: construction, options, copies, repr and pickling."""

    _native: NativeClient
    #: Whether calls return `RawResponse` (the client of `with_raw_response`).
    _raw = False

    def _native_client(self, **options: Any) -> NativeClient:
        _log_from_env()
        return NativeClient(front_door=_FRONT_DOOR, **options)

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._native.base_url

    def _clone(self: _Client, native: NativeClient, raw: bool = False) -> _Client:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.__dict__.pop("_raw_copy", None)
        clone._native = native
        if raw:
            clone._raw = True
        clone._init_resources()
        return clone

    def _with_options(self: _Client, *args: Any) -> _Client:
        return self._clone(self._native.with_options(_seconds(args[0]), *args[1:]))

    def _raw_client(self) -> Any:
        raw = self.__dict__.get("_raw_copy")
        if raw is None:
            raw = self.__dict__["_raw_copy"] = self._clone(self._native, raw=True)
        return raw

    def __copy__(self: _Client) -> _Client:
        """A client sharing this one's connection pool and settings (like ``with_options()``)."""
        return self._clone(self._native.with_options())

    def __deepcopy__(self: _Client, memo: Dict[int, Any]) -> _Client:
        """A client with the same settings and a connection pool of its own."""
        return self._clone(self._native.rebuilt())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._native.base_url!r}, api_key={self._native.masked_key!r})"

    def __reduce__(self) -> Any:
        raise TypeError(
            f"{type(self).__name__} cannot be pickled (it holds open connections); create a new client in each "
            "process, or copy one with copy.copy() / copy.deepcopy()"
        )


class LassoClient(_ClientMethods, _Common):
    """Client for the Lasso API (its options: `LassoClient.__init__`).

    Use it as a context manager, or call `close()` when done::

        with LassoClient() as client:
            print(client.credits.balance())
    """

    def with_options(
        self,
        *,
        timeout: Timeout = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
    ) -> "LassoClient":
        """A client of the same class that shares this one's connection pool
        (and key, base URL and headers), whose calls default to these options.
        Options not given keep this client's value; a per-call option still wins::

            patient = client.with_options(timeout=300, max_retries=5)
            patient.tables.get(table_id)
        """
        return self._with_options(timeout, max_retries, extra_headers, extra_query, extra_body)

    @property
    def with_raw_response(self) -> "RawClient":
        """The same operations, each returning a `RawResponse`: the status,
        headers and request id of the response, and the result from ``parse()``::

            response = client.with_raw_response.tables.get(table_id)
            print(response.status_code, response.request_id)
            table = response.parse()
        """
        raw: RawClient = self._raw_client()
        return raw

    def close(self) -> None:
        """Release the client: later calls raise `ConfigurationError`; calls in
        flight finish, then the connection pool is freed (clients made with
        `with_options` share it and are closed too). Safe to call twice."""
        self._native.close()

    def __enter__(self) -> "LassoClient":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


class AsyncLassoClient(_AsyncClientMethods, _Common):
    """Asyncio client for the Lasso API: the methods of `LassoClient`, as coroutines.

    Takes the same arguments as `LassoClient`. Requests run on the SDK's own
    I/O threads (shared with every other client in the process), so the event
    loop is never blocked: progress callbacks run on the loop (an ``async def``
    one is awaited), and large exports are decoded off it. One client can be
    used from any number of event loops in turn (e.g. successive
    ``asyncio.run()`` calls). Cancelling a call (``task.cancel()``,
    ``asyncio.wait_for``…) abandons its request. It needs asyncio (anyio's
    asyncio backend works); under trio its calls raise a `RuntimeError` that
    says so.

    Use it as an async context manager, or ``await client.close()`` when done::

        async with AsyncLassoClient() as client:
            print(await client.credits.balance())
    """

    def with_options(
        self,
        *,
        timeout: Timeout = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
    ) -> "AsyncLassoClient":
        """A client of the same class that shares this one's connection pool
        (and key, base URL and headers), whose calls default to these options.
        Options not given keep this client's value; a per-call option still wins::

            patient = client.with_options(timeout=300, max_retries=5)
            await patient.tables.get(table_id)
        """
        return self._with_options(timeout, max_retries, extra_headers, extra_query, extra_body)

    @property
    def with_raw_response(self) -> "AsyncRawClient":
        """The same operations, each returning a `RawResponse` (status, headers,
        request id, and the result from ``parse()``)."""
        raw: AsyncRawClient = self._raw_client()
        return raw

    async def close(self) -> None:
        """Release the client: later calls raise `ConfigurationError`; calls in
        flight finish, then the connection pool is freed. Safe to call twice."""
        self._native.close()

    async def aclose(self) -> None:
        """Same as `close()`."""
        await self.close()

    async def __aenter__(self) -> "AsyncLassoClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.close()
