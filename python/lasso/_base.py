"""What the generated resource methods build on."""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterator, Optional

from . import _native


class NotGiven:
    """The default of optional arguments: a `NOT_GIVEN` argument is not sent.
    ``False``, ``0``, ``""`` and ``[]`` given by the caller are. ``None`` is sent
    as ``null`` for the arguments the API takes ``null`` for (typed ``Optional``,
    e.g. ``tables.update(enhancement_context=None)`` clears it); for any other
    argument ``None`` means not given, as in the official ``lasso-ai`` package."""

    _instance: Optional["NotGiven"] = None

    def __new__(cls) -> "NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


def _args(declared: Dict[str, Any], extra: Dict[str, Any]) -> Dict[str, Any]:
    """The arguments to send: the declared ones that were given, plus any extra
    fields (for API fields newer than this SDK)."""
    args = {name: value for name, value in declared.items() if value is not NOT_GIVEN}
    args.update(extra)
    return args


class _Resource:
    """A resource namespace (``client.tables``, ``client.catalog.webhooks``…)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def _request(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return self._client._request(operation, args, timeout=timeout, max_retries=max_retries)

    def _paginate(
        self,
        operation: str,
        args: Dict[str, Any],
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Iterator[Any]:
        """Every item of a list operation; the core fetches the next page while
        this one is consumed. Items are plain dicts; the generated caller names
        their ``TypedDict``."""
        pager = _native.open_pager(self._client._native, operation, args, timeout=timeout, max_retries=max_retries)
        while True:
            page = pager.next_page()
            if page is None:
                return
            yield from page


class _AsyncResource:
    """A resource namespace of the async client (``client.tables``…): the same
    methods as `_Resource`, as coroutines."""

    def __init__(self, client: Any) -> None:
        self._client = client

    async def _request(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        return await self._client._request(operation, args, timeout=timeout, max_retries=max_retries)

    async def _paginate(
        self,
        operation: str,
        args: Dict[str, Any],
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> AsyncIterator[Any]:
        """Every item of a list operation, for ``async for`` (plain dicts, typed by the caller)."""
        pager = _native.open_pager(self._client._native, operation, args, timeout=timeout, max_retries=max_retries)
        while True:
            page = await pager.next_page(asynchronous=True)
            if page is None:
                return
            for item in page:
                yield item
