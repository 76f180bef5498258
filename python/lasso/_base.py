"""What the generated methods build on: `NOT_GIVEN`, the per-call option types,
keyword checking, and the calls into the core (`lasso._native`)."""

from __future__ import annotations

import functools
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Dict,
    Generic,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from . import _native


class NotGiven:
    """The default of optional arguments: a `NOT_GIVEN` argument is not sent
    (and a `NOT_GIVEN` option keeps the client's setting). ``False``, ``0``,
    ``""`` and ``[]`` given by the caller are sent. ``None`` is sent as ``null``
    only for the arguments the API takes ``null`` for (typed ``Optional``, e.g.
    ``tables.update(enhancement_context=None)`` clears it); for any other
    argument ``None`` means not given and nothing is sent, as in the official
    ``lasso-ai`` package."""

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

#: A per-call ``timeout``: seconds per attempt, ``None`` for none, `NOT_GIVEN` for the client's.
Timeout = Union[float, None, NotGiven]
#: ``extra_headers``: sent with the call, replacing the client's header of the same name.
Headers = Mapping[str, str]
#: ``extra_query``: query parameters added to the call (a value, or a list of values, per name).
Query = Mapping[str, object]
#: ``extra_body``: fields merged into the call's JSON body (for API fields newer than this SDK).
Body = Mapping[str, object]

_INF = float("inf")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _seconds(value: Any) -> Any:
    """A timeout as the core takes it: ``None`` (no timeout) is infinity."""
    return _INF if value is None else value


def _args(declared: Dict[str, Any]) -> Dict[str, Any]:
    """The arguments to send: the declared ones that were given."""
    return {name: value for name, value in declared.items() if value is not NOT_GIVEN}


def _unexpected_keyword(fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[TypeError]:
    """The `TypeError` for a keyword `fn` does not take, naming the closest one it does."""
    import inspect

    parameters = inspect.signature(fn).parameters
    names = [p for p, v in parameters.items() if v.kind in (v.KEYWORD_ONLY, v.POSITIONAL_OR_KEYWORD)]
    names = [n for n in names if n != "self"]
    for given in kwargs:
        if given not in parameters:
            close = _native.closest_name(given, names)
            hint = f"; did you mean {close!r}?" if close else f"; it takes {', '.join(names)}"
            # A constructor is named as it was called: `LassoClient()`, not the base class defining it.
            called = type(args[0]).__name__ if fn.__name__ == "__init__" and args else fn.__qualname__
            return TypeError(f"{called}() got an unexpected keyword argument {given!r}{hint}")
    return None


def _checked(fn: F) -> F:
    """`fn`, whose unknown keyword arguments raise a `TypeError` naming the
    closest parameter (Python's own says only which keyword was unexpected)."""

    def better(e: TypeError, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[TypeError]:
        # Raised by the call itself (its arguments did not bind), not by `fn`'s body.
        if e.__traceback__ is not None and e.__traceback__.tb_next is None and kwargs:
            return _unexpected_keyword(fn, args, kwargs)
        return None

    if fn.__code__.co_flags & _COROUTINE:

        @functools.wraps(fn)
        async def checked_async(*args: Any, **kwargs: Any) -> Any:
            try:
                coroutine = fn(*args, **kwargs)
            except TypeError as e:
                raise (better(e, args, kwargs) or e) from None
            return await coroutine

        return checked_async  # type: ignore[return-value]

    @functools.wraps(fn)
    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TypeError as e:
            replacement = better(e, args, kwargs)
            if replacement is not None:
                raise replacement from None
            raise

    return checked  # type: ignore[return-value]


#: `inspect.CO_COROUTINE`, without importing `inspect` at `import lasso`.
_COROUTINE = 0x80


class _KeywordChecked:
    """Classes whose public methods (and ``__init__``) check their keywords
    (see `_checked`): the resources and the clients."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if callable(value) and (not name.startswith("_") or name == "__init__") and hasattr(value, "__code__"):
                setattr(cls, name, _checked(value))


class ResponseHeaders(Mapping[str, str]):
    """The headers of a response: names case-insensitive; a repeated header's
    values joined with ``", "`` (`get_list` gives each)."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Tuple[str, str]]) -> None:
        self._items = [(name.lower(), value) for name, value in items]

    def get_list(self, name: str) -> List[str]:
        """Every value of header ``name``, in the order received."""
        key = name.lower()
        return [value for n, value in self._items if n == key]

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(name for name, _ in self._items))

    def __len__(self) -> int:
        return len(dict.fromkeys(name for name, _ in self._items))

    def __repr__(self) -> str:
        return f"ResponseHeaders({dict(self.items())!r})"


class RawResponse(Generic[T]):
    """A successful call's response (from ``client.with_raw_response``): its
    `status_code`, `headers` and `request_id` (quote it to Lasso support),
    and the result the call returns, from `parse()`."""

    __slots__ = ("status_code", "headers", "request_id", "_parsed")

    def __init__(self, status_code: int, headers: Sequence[Tuple[str, str]], request_id: Optional[str], parsed: T):
        self.status_code = status_code
        self.headers = ResponseHeaders(headers)
        self.request_id = request_id
        self._parsed = parsed

    def parse(self) -> T:
        """The call's result, as the method without ``with_raw_response`` returns it."""
        return self._parsed

    def __repr__(self) -> str:
        return f"RawResponse(status_code={self.status_code}, request_id={self.request_id!r})"


class _Calls(_KeywordChecked):
    """The calls of the sync client's methods, into the core (`_client` is the client).

    Every method ends with the per-call options: ``timeout`` (seconds per
    attempt; ``None`` for none), ``max_retries``, ``extra_headers``,
    ``extra_query`` and, where a JSON body is sent, ``extra_body``."""

    #: The client (itself, for the client's own methods).
    _client: Any

    def _request(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        timeout: Any = NOT_GIVEN,
        max_retries: Any = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
        opt_ins: Optional[List[str]] = None,
    ) -> Any:
        client = self._client
        out = client._native.call(
            operation,
            args,
            _seconds(timeout),
            max_retries,
            extra_headers,
            extra_query,
            extra_body,
            opt_ins,
            client._raw,
        )
        return RawResponse(*out) if client._raw else out

    def _paginate(
        self,
        operation: str,
        args: Dict[str, Any],
        timeout: Any = NOT_GIVEN,
        max_retries: Any = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
    ) -> Iterator[Any]:
        """Every item of a list operation; the core fetches the next page while
        this one is consumed. Items are plain dicts; the generated caller names
        their ``TypedDict``."""
        pager = _native.open_pager(
            self._client._native,
            operation,
            args,
            _seconds(timeout),
            max_retries,
            extra_headers,
            extra_query,
            extra_body,
        )
        while True:
            page = pager.next_page()
            if page is None:
                return
            yield from page


class _AsyncCalls(_KeywordChecked):
    """The calls of the async client's methods: those of `_Calls`, as coroutines."""

    #: The client (itself, for the client's own methods).
    _client: Any

    async def _request(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        timeout: Any = NOT_GIVEN,
        max_retries: Any = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
        opt_ins: Optional[List[str]] = None,
    ) -> Any:
        client = self._client
        out = await client._native.call_async(
            operation,
            args,
            _seconds(timeout),
            max_retries,
            extra_headers,
            extra_query,
            extra_body,
            opt_ins,
            client._raw,
        )
        return RawResponse(*out) if client._raw else out

    async def _paginate(
        self,
        operation: str,
        args: Dict[str, Any],
        timeout: Any = NOT_GIVEN,
        max_retries: Any = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
    ) -> AsyncIterator[Any]:
        """Every item of a list operation, for ``async for`` (plain dicts, typed by the caller)."""
        pager = _native.open_pager(
            self._client._native,
            operation,
            args,
            _seconds(timeout),
            max_retries,
            extra_headers,
            extra_query,
            extra_body,
        )
        while True:
            page = await pager.next_page(asynchronous=True)
            if page is None:
                return
            for item in page:
                yield item


class _Resource(_Calls):
    """A resource namespace (``client.tables``, ``client.catalog.webhooks``…)."""

    def __init__(self, client: Any) -> None:
        self._client = client


class _AsyncResource(_AsyncCalls):
    """A resource namespace of the async client: the methods of `_Resource`, as coroutines."""

    def __init__(self, client: Any) -> None:
        self._client = client
