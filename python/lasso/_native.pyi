"""Type stubs of the compiled core binding (``lasso._native``).

Checked against the compiled module by ``python -m mypy.stubtest lasso._native``
(``tests/test_typing.py``). Not a public API: use `lasso.LassoClient`.
"""

import asyncio
import os
from typing import IO, Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Union, final, overload

__all__ = [
    "NativeClient",
    "NativePager",
    "ProgressDone",
    "open_pager",
    "NativeTableBatches",
    "open_table_batches",
    "wait_for_job",
    "upload_file",
    "export_table",
    "closest_name",
    "progress_line",
    "__rows_decoded",
    "PROGRESS_CLEAR_LINE",
    "WAIT_INTERVAL",
    "WAIT_TIMEOUT",
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

_Opt = Any  # a per-call option as `lasso._base` passes it (NOT_GIVEN, a value, or None)

@final
class NativeClient:
    """The core client behind `lasso.LassoClient` and `lasso.AsyncLassoClient`."""

    def __new__(
        cls,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: _Opt = None,
        connect_timeout: Optional[float] = None,
        max_retries: _Opt = None,
        headers: Optional[Mapping[str, str]] = None,
        user_agent_suffix: Optional[str] = None,
        allow_nonstandard_key: bool = False,
        front_door: Optional[str] = None,
        proxy: Union[str, bool, None] = None,
        ca_bundle: Union[str, bytes, "os.PathLike[str]", None] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
    ) -> "NativeClient": ...
    def with_options(
        self,
        timeout: _Opt = None,
        max_retries: _Opt = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Optional[Mapping[str, object]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
    ) -> "NativeClient":
        """A client sharing this one's connection pool, whose calls default to these options."""
    def rebuilt(self) -> "NativeClient":
        """A client with the same settings and its own connection pool."""
    def call(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        timeout: _Opt = None,
        max_retries: _Opt = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Optional[Mapping[str, object]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
        opt_ins: Optional[List[str]] = None,
        raw: bool = False,
    ) -> Any:
        """Calls an API operation by id, blocking with the GIL released."""
    def call_async(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        timeout: _Opt = None,
        max_retries: _Opt = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        extra_query: Optional[Mapping[str, object]] = None,
        extra_body: Optional[Mapping[str, object]] = None,
        opt_ins: Optional[List[str]] = None,
        raw: bool = False,
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

@final
class ProgressDone:
    """Told by `lasso._helpers._on_loop` how a progress callback went."""

    def __call__(self, raised: Optional[BaseException]) -> None: ...

def open_pager(
    client: NativeClient,
    operation: str,
    args: Optional[Dict[str, Any]] = None,
    timeout: _Opt = None,
    max_retries: _Opt = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_query: Optional[Mapping[str, object]] = None,
    extra_body: Optional[Mapping[str, object]] = None,
) -> NativePager:
    """A pager over a list operation with these arguments."""

@final
class NativeTableBatches:
    """A table's rows as Arrow record batches (from `open_table_batches`)."""

    @property
    def column_names(self) -> List[str]: ...
    @overload
    def read_all(self, *, asynchronous: Literal[False] = False) -> None: ...
    @overload
    def read_all(self, *, asynchronous: Literal[True]) -> "asyncio.Future[None]": ...
    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def take_error(self) -> Optional[BaseException]: ...

@overload
def open_table_batches(
    client: NativeClient,
    table_id: str,
    *,
    timeout: _Opt = None,
    max_retries: _Opt = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_query: Optional[Mapping[str, object]] = None,
    asynchronous: Literal[False] = False,
) -> NativeTableBatches: ...
@overload
def open_table_batches(
    client: NativeClient,
    table_id: str,
    *,
    timeout: _Opt = None,
    max_retries: _Opt = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_query: Optional[Mapping[str, object]] = None,
    asynchronous: Literal[True],
) -> "asyncio.Future[NativeTableBatches]": ...
def wait_for_job(
    client: NativeClient,
    job: str,
    table_id: str,
    column_key: Optional[str],
    interval: float,
    timeout: float,
    on_progress: Optional[_OnProgress] = None,
    call_timeout: _Opt = None,
    max_retries: _Opt = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_query: Optional[Mapping[str, object]] = None,
    extra_body: Optional[Mapping[str, object]] = None,
    *,
    asynchronous: bool = False,
) -> Any:
    """Waits for a job ("extraction" or "enhancement"); awaitable with ``asynchronous=True``."""

def upload_file(
    client: NativeClient,
    source: Union[_Path, bytes, IO[bytes]],
    filename: Optional[str] = None,
    content_type: Optional[str] = None,
    timeout: _Opt = None,
    max_retries: _Opt = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_query: Optional[Mapping[str, object]] = None,
    extra_body: Optional[Mapping[str, object]] = None,
    *,
    asynchronous: bool = False,
) -> Any:
    """Uploads a file; awaitable with ``asynchronous=True``."""

def export_table(
    client: NativeClient,
    table_id: str,
    format: str,
    columns: Optional[str] = None,
    path: Optional[_Path] = None,
    total_timeout: Optional[float] = None,
    decode: str = "bytes",
    timeout: _Opt = None,
    max_retries: _Opt = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_query: Optional[Mapping[str, object]] = None,
    extra_body: Optional[Mapping[str, object]] = None,
    *,
    asynchronous: bool = False,
) -> Any:
    """Exports a table (decoded as ``decode`` says, or saved to ``path``); awaitable with ``asynchronous=True``."""

def closest_name(given: str, names: List[str]) -> Optional[str]:
    """The keyword among ``names`` that ``given`` most likely meant (the core's rule)."""

def progress_line(status: str, progress: Optional[float]) -> str:
    """The progress bar's line (the core's renderer)."""

def __rows_decoded() -> int:
    """Test hook: rows decoded from JSON exports so far in this process."""

PROGRESS_CLEAR_LINE: str
WAIT_INTERVAL: float
WAIT_TIMEOUT: float

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
