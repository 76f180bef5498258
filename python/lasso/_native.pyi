"""Type stubs of the compiled core binding (``lasso._native``).

Checked against the compiled module by ``python -m mypy.stubtest lasso._native``
(``tests/test_typing.py``). Not a public API: use `lasso.LassoClient`.
"""

import asyncio
import os
from typing import IO, Any, Callable, Dict, List, Literal, Optional, Sequence, Union, final, overload

__all__ = [
    "NativeClient",
    "NativePager",
    "open_pager",
    "wait_for_table",
    "upload_file",
    "export_table",
    "__version__",
    "DEFAULT_BASE_URL",
    "verify_webhook",
    "construct_webhook_event",
    "sign_webhook",
    "reset_log_cache",
    "run_cli",
    "__test_panic",
    "_shutdown",
]

__version__: str
DEFAULT_BASE_URL: str

_Payload = Union[bytes, bytearray, memoryview, str]
_Path = Union[str, "os.PathLike[str]"]
_OnProgress = Callable[[str, Optional[float]], object]

@final
class NativeClient:
    """The core client behind `lasso.LassoClient` and `lasso.AsyncLassoClient`."""

    def __new__(
        cls,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        headers: Optional[Dict[str, str]] = None,
        user_agent_suffix: Optional[str] = None,
        allow_nonstandard_key: bool = False,
        front_door: Optional[str] = None,
        proxy: Union[str, bool, None] = None,
        ca_bundle: Union[str, bytes, "os.PathLike[str]", None] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
    ) -> "NativeClient": ...
    def with_options(self, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> "NativeClient":
        """A client sharing this one's connection pool, whose calls default to these options."""
    def call(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Any:
        """Calls an API operation by id, blocking with the GIL released."""
    def call_async(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> "asyncio.Future[Any]":
        """Calls an API operation by id; an `asyncio.Future` of the running loop."""
    @property
    def base_url(self) -> str:
        """The base URL, without a trailing slash."""
    @property
    def masked_key(self) -> str:
        """``lasso_…`` plus the key's last four characters."""
    def close(self) -> None:
        """Later calls fail with a configuration error; calls in flight finish."""
    @property
    def closed(self) -> bool:
        """Whether `close()` was called."""

@final
class NativePager:
    """The pages of one list operation, fetched one step ahead (from `open_pager`)."""

    @overload
    def next_page(self, *, asynchronous: Literal[False] = False) -> Optional[List[Dict[str, Any]]]: ...
    @overload
    def next_page(self, *, asynchronous: Literal[True]) -> "asyncio.Future[Optional[List[Dict[str, Any]]]]": ...

def open_pager(
    client: NativeClient,
    operation: str,
    args: Optional[Dict[str, Any]] = None,
    *,
    timeout: Optional[float] = None,
    max_retries: Optional[int] = None,
) -> NativePager:
    """A pager over a list operation with these arguments."""

@overload
def wait_for_table(
    client: NativeClient,
    table_id: str,
    interval: float,
    timeout: float,
    on_progress: Optional[_OnProgress] = None,
    *,
    asynchronous: Literal[False] = False,
) -> Dict[str, Any]: ...
@overload
def wait_for_table(
    client: NativeClient,
    table_id: str,
    interval: float,
    timeout: float,
    on_progress: Optional[_OnProgress] = None,
    *,
    asynchronous: Literal[True],
) -> "asyncio.Future[Dict[str, Any]]": ...
@overload
def upload_file(
    client: NativeClient,
    source: Union[_Path, bytes, IO[bytes]],
    *,
    filename: Optional[str] = None,
    content_type: Optional[str] = None,
    timeout: Optional[float] = None,
    max_retries: Optional[int] = None,
    asynchronous: Literal[False] = False,
) -> Dict[str, Any]: ...
@overload
def upload_file(
    client: NativeClient,
    source: Union[_Path, bytes, IO[bytes]],
    *,
    filename: Optional[str] = None,
    content_type: Optional[str] = None,
    timeout: Optional[float] = None,
    max_retries: Optional[int] = None,
    asynchronous: Literal[True],
) -> "asyncio.Future[Dict[str, Any]]": ...
@overload
def export_table(
    client: NativeClient,
    table_id: str,
    format: str,
    *,
    columns: Optional[str] = None,
    path: Optional[_Path] = None,
    timeout: Optional[float] = None,
    max_retries: Optional[int] = None,
    total_timeout: Optional[float] = None,
    asynchronous: Literal[False] = False,
) -> Dict[str, Any]: ...
@overload
def export_table(
    client: NativeClient,
    table_id: str,
    format: str,
    *,
    columns: Optional[str] = None,
    path: Optional[_Path] = None,
    timeout: Optional[float] = None,
    max_retries: Optional[int] = None,
    total_timeout: Optional[float] = None,
    asynchronous: Literal[True],
) -> "asyncio.Future[Dict[str, Any]]": ...
def verify_webhook(
    payload: _Payload,
    signature: Optional[Union[str, bytes]],
    secrets: Optional[Union[str, Sequence[str]]],
    tolerance: Optional[float] = None,
) -> None:
    """Verifies the ``X-Lasso-Signature`` header against the raw body."""

def construct_webhook_event(
    payload: _Payload,
    signature: Optional[Union[str, bytes]],
    secrets: Optional[Union[str, Sequence[str]]],
    tolerance: Optional[float] = None,
) -> Dict[str, Any]:
    """Verifies like `verify_webhook`, then returns the parsed event."""

def sign_webhook(payload: _Payload, secret: Optional[str]) -> str:
    """The ``X-Lasso-Signature`` value for ``payload`` signed with ``secret``."""

def run_cli(argv: List[str]) -> int:
    """Runs the ``lasso`` command line with ``argv`` (program name first) and returns
    its exit code; Ctrl-C stops it cleanly (exit code 130)."""

def reset_log_cache() -> None:
    """Forgets the logging levels cached on the Rust side (applies a level change at once)."""

def __test_panic(mode: str) -> Any:
    """Test hook, not part of the API: panics on purpose in the blocking (``"sync"``)
    or asyncio (``"async"``, returns an awaitable) bridge, or (``"arm:NAME"``) at the
    start of the next call of entry point NAME (``"disarm"`` undoes it), to prove that
    a Rust panic reaches Python as `LassoError`."""

def _shutdown() -> None:
    """Registered with `atexit`: stops runtime threads from taking the GIL at exit."""
