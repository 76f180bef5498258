"""`LassoClient`, the synchronous client, and `AsyncLassoClient`, its asyncio twin."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any, Dict, Literal, Mapping, Optional, Type, TypeVar, Union

from . import _helpers, _native
from ._generated import _AsyncClientMethods, _ClientMethods

_Client = TypeVar("_Client", bound="_Common")
_Sync = TypeVar("_Sync", bound="LassoClient")
_Async = TypeVar("_Async", bound="AsyncLassoClient")

_FRONT_DOOR = "lasso-python/{} {}/{}.{}".format(
    _native.__version__,
    {"cpython": "CPython", "pypy": "PyPy"}.get(sys.implementation.name, sys.implementation.name),
    *sys.version_info[:2],
)


class _Common:
    """What both clients share: construction, options, repr and pickling."""

    _native: _native.NativeClient

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        connect_timeout: Optional[float] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        user_agent_suffix: Optional[str] = None,
        allow_nonstandard_key: bool = False,
        proxy: Union[str, Literal[False], None] = None,
        ca_bundle: Union[str, bytes, "os.PathLike[str]", None] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
    ) -> None:
        self._native = _native.NativeClient(
            api_key,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            headers=dict(default_headers) if default_headers else None,
            user_agent_suffix=user_agent_suffix,
            allow_nonstandard_key=allow_nonstandard_key,
            front_door=_FRONT_DOOR,
            proxy=proxy,
            ca_bundle=ca_bundle,
            max_connections=max_connections,
            max_response_bytes=max_response_bytes,
        )
        self._init_resources()

    def _init_resources(self) -> None:
        """Creates the resource namespaces (`client.tables`…): by the client classes."""
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._native.base_url

    def _with_options(self: _Client, timeout: Optional[float], max_retries: Optional[int]) -> _Client:
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._native = self._native.with_options(timeout=timeout, max_retries=max_retries)
        clone._init_resources()
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._native.base_url!r}, api_key={self._native.masked_key!r})"

    def __reduce__(self) -> Any:
        raise TypeError(f"{type(self).__name__} cannot be pickled; create a new client in each process")


class LassoClient(_ClientMethods, _Common):
    """Client for the Lasso API.

    Args:
        api_key: ``lasso_`` followed by 64 hex characters. Read from
            ``LASSO_API_KEY`` when omitted. Checked before any request:
            a malformed key raises `InvalidApiKeyError`.
        base_url: API root, default ``https://hub.banditshq.com/api/v1``
            (or ``LASSO_BASE_URL``). ``http://`` is accepted for loopback only.
        timeout: seconds allowed for each attempt, body included (default 60).
        max_retries: retries after a failed attempt (default 2); billed calls
            are only retried when the server cannot have acted on them.
        connect_timeout: seconds allowed to connect (default 10).
        default_headers: extra headers sent with every request.
        user_agent_suffix: appended to the ``User-Agent``.
        allow_nonstandard_key: accept keys of another length or alphabet.
        proxy: an ``http://host:port`` proxy for ``https://`` requests (CONNECT
            tunnels: TLS runs end to end); ``False`` for none. Default:
            ``HTTPS_PROXY`` / ``ALL_PROXY``, hosts in ``NO_PROXY`` excepted. A
            loopback ``http://`` base URL never uses a proxy.
        ca_bundle: extra certificate authorities to trust, as a PEM file path or
            PEM text (the system's store stays trusted; ``SSL_CERT_FILE`` and
            ``SSL_CERT_DIR`` replace it).
        max_connections: requests in flight at once (default 64); more calls
            wait for a free slot instead of opening more sockets.
        max_response_bytes: the largest body read into memory (default 256 MiB);
            larger answers raise `ResponseTooLargeError` (stream exports with ``path=``).

    Use it as a context manager, or call `close()` when done::

        with LassoClient() as client:
            print(client.credits.balance())
    """

    tables: _helpers.Tables
    files: _helpers.Files
    export: _helpers.Export

    def _init_resources(self) -> None:
        super()._init_resources()
        self.tables = _helpers.Tables(self)
        self.files = _helpers.Files(self)
        self.export = _helpers.Export(self)

    def with_options(self: _Sync, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> _Sync:
        """A client of the same class that shares this one's connection pool
        (and key, base URL and headers), whose calls default to these options.
        Options left as ``None`` keep this client's value; a per-call
        ``timeout=`` / ``max_retries=`` still wins::

            patient = client.with_options(timeout=300, max_retries=5)
            patient.tables.get(table_id)
        """
        return self._with_options(timeout, max_retries)

    def _request(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return self._native.call(operation, args, timeout=timeout, max_retries=max_retries)

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
    loop is never blocked, and one client can be used from any number of
    event loops in turn (e.g. successive ``asyncio.run()`` calls). Cancelling
    a call (``task.cancel()``, ``asyncio.wait_for``…) abandons its request.

    Use it as an async context manager, or ``await client.close()`` when done::

        async with AsyncLassoClient() as client:
            print(await client.credits.balance())
    """

    tables: _helpers.AsyncTables
    files: _helpers.AsyncFiles
    export: _helpers.AsyncExport

    def _init_resources(self) -> None:
        super()._init_resources()
        self.tables = _helpers.AsyncTables(self)
        self.files = _helpers.AsyncFiles(self)
        self.export = _helpers.AsyncExport(self)

    def with_options(self: _Async, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> _Async:
        """A client of the same class that shares this one's connection pool
        (and key, base URL and headers), whose calls default to these options.
        Options left as ``None`` keep this client's value; a per-call
        ``timeout=`` / ``max_retries=`` still wins::

            patient = client.with_options(timeout=300, max_retries=5)
            await patient.tables.get(table_id)
        """
        return self._with_options(timeout, max_retries)

    async def _request(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return await self._native.call_async(operation, args, timeout=timeout, max_retries=max_retries)

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
