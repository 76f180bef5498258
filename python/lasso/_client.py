"""`LassoClient`: the synchronous client."""

from __future__ import annotations

import platform
from types import TracebackType
from typing import Any, Dict, Mapping, Optional, Type

from . import _native
from ._generated import _ClientMethods

_FRONT_DOOR = "lasso-python/{} {}/{}.{}".format(
    _native.__version__,
    platform.python_implementation(),
    *platform.python_version_tuple()[:2],
)


class LassoClient(_ClientMethods):
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

    Use it as a context manager, or call `close()` when done::

        with LassoClient() as client:
            print(client.credits.balance())
    """

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
        )
        self._init_resources()

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._native.base_url

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
        """Release the client. Idle connections are closed when the last user goes away."""

    def __enter__(self) -> "LassoClient":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LassoClient(base_url={self._native.base_url!r}, api_key={self._native.masked_key!r})"

    def __reduce__(self) -> Any:
        raise TypeError("LassoClient cannot be pickled; create a new client in each process")
