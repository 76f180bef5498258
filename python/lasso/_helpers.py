"""Hand-written helpers that are not plain calls: waiting for a table,
auto-pagination, uploads and exports. The work itself happens in the Rust
core (``lasso._native``); these classes shape arguments and results."""

from __future__ import annotations

import io
import os
import sys
from typing import IO, TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union, overload

from . import _generated, _native
from ._arrow import AsyncTablesArrow, TablesArrow, has_pyarrow
from ._base import _AsyncResource, _Resource

if TYPE_CHECKING:
    from pathlib import Path

# `json`, `pathlib` and `importlib` are imported where they are used: they
# would add a third to the time of `import lasso`.

ProgressCallback = Callable[[str, Optional[float]], None]
FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes]]
Columns = Union[str, List[str], None]
PathArg = Union[str, "os.PathLike[str]"]


def _path(saved: Dict[str, Any]) -> "Path":
    """The `pathlib.Path` of a file an export saved."""
    from pathlib import Path

    return Path(saved["path"])


class _ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, status: str, progress: Optional[float]) -> None:
        if not self.enabled:
            return
        done = int(progress or 0)
        bar = "#" * (done // 5) + "-" * (20 - done // 5)
        sys.stderr.write(f"\r[{bar}] {done:3d}% {status:<24}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _progress_callback(on_progress: Optional[ProgressCallback], progress: bool) -> "tuple[Optional[ProgressCallback], Optional[_ProgressBar]]":
    bar = _ProgressBar() if progress else None
    if bar is None:
        return on_progress, None

    def both(status: str, value: Optional[float]) -> None:
        bar(status, value)
        if on_progress is not None:
            on_progress(status, value)

    return both, bar


def _columns(columns: Columns) -> Optional[str]:
    return ",".join(columns) if isinstance(columns, list) else columns


def _upload_source(file: FileInput, filename: Optional[str]) -> "tuple[Union[str, bytes, IO[bytes]], Optional[str]]":
    """What the core uploads: a path (streamed from disk), bytes, or a binary
    file object (streamed by what its own ``read`` returns, from its current
    position; the file name defaults to the last part of its ``name``)."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        return bytes(file), filename
    if isinstance(file, (str, os.PathLike)):
        return os.fspath(file), filename
    if hasattr(file, "read"):
        if isinstance(file, io.TextIOBase):
            raise TypeError("files.upload needs a binary file object: open the file in binary mode ('rb')")
        name = getattr(file, "name", None)
        if filename is None and isinstance(name, str) and name and not name.startswith("<"):
            filename = os.path.basename(name)
        return file, filename
    raise TypeError("files.upload takes a path, bytes, or a binary file object")


def _pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import importlib

        return importlib.import_module("pandas")
    except ImportError as e:
        raise ImportError('results_as_dataframe needs pandas: pip install "lasso[pandas]"') from e


class Tables(TablesArrow, _generated.Tables):
    """`client.tables`: tables and rows, plus waiting and iterating helpers."""

    def wait_for_completion(
        self,
        table_id: str,
        *,
        interval_s: float = 3.0,
        timeout_s: float = 300.0,
        on_progress: Optional[ProgressCallback] = None,
        progress: bool = False,
    ) -> Dict[str, Any]:
        """Poll the table until extraction finishes and return it.

        Raises `JobFailedError` (with ``.table``) when it ends ``failed``,
        ``error`` or ``cancelled``, and `APITimeoutError` naming the last
        status and progress after ``timeout_s`` seconds. ``on_progress(status,
        progress)`` hears each change; ``progress=True`` draws a bar on stderr
        when it is a terminal.
        """
        callback, bar = _progress_callback(on_progress, progress)
        try:
            return _native.wait_for_table(self._client._native, table_id, interval_s, timeout_s, callback)
        finally:
            if bar is not None:
                bar.close()

    def results_as_dataframe(self, table_id: str) -> Any:
        """All rows' ``data`` as a pandas DataFrame (``pip install "lasso[pandas]"``):
        through Arrow when pyarrow is installed, the same frame as from the rows' dicts."""
        pd = _pandas()
        if has_pyarrow():
            return self._dataframe_via_arrow(table_id)
        return pd.DataFrame([row["data"] for row in self.iter_rows(table_id)])


class Files(_generated.Files):
    """`client.files`: uploads and the file list."""

    def upload(
        self,
        file: FileInput,
        filename: Optional[str] = None,
        *,
        content_type: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Upload a file: a path (streamed from disk), bytes, or a binary file
        object (streamed from its current position by its own ``read``;
        rewound for a retry when it is seekable). The filename and content
        type are inferred from the path or the object's ``name`` unless given."""
        source, name = _upload_source(file, filename)
        return _native.upload_file(
            self._client._native, source, filename=name, content_type=content_type, timeout=timeout, max_retries=max_retries
        )


class Export(_Resource):
    """`client.export`: a table's rows as JSON, CSV, an XLSX workbook or a ZIP of images.

    ``csv``, ``xlsx`` and ``images`` return the content, or with ``path=`` stream
    it to that file (through a temporary file renamed at the end, so a failure
    leaves no partial file) and return the `pathlib.Path`.

    ``timeout`` bounds each attempt (a streamed download fails when no data
    arrives for that long); ``total_timeout`` (seconds) bounds the whole
    export, retries and a slow trickle of data included, and raises
    `APITimeoutError` when it runs out.
    """

    def _export(self, table_id: str, format: str, columns: Columns, path: Optional[PathArg], timeout: Optional[float], max_retries: Optional[int], total_timeout: Optional[float]) -> Dict[str, Any]:
        return _native.export_table(
            self._client._native, table_id, format, columns=_columns(columns), path=path, timeout=timeout, max_retries=max_retries, total_timeout=total_timeout
        )

    def download(self, table_id: str, format: str, *, columns: Columns = None, path: Union[str, "os.PathLike[str]", None] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Dict[str, Any]:
        """Any export format with its metadata: ``{"content", "content_type", "filename"}``
        (``filename`` from the server's ``Content-Disposition``), or with ``path``
        ``{"path", "size", "content_type", "filename"}``."""
        return self._export(table_id, format, columns, path, timeout, max_retries, total_timeout)

    def json(self, table_id: str, *, columns: Columns = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> List[Dict[str, Any]]:
        """The rows as a list of ``{column_key: value}`` objects."""
        import json

        out: List[Dict[str, Any]] = json.loads(self._export(table_id, "json", columns, None, timeout, max_retries, total_timeout)["content"])
        return out

    @overload
    def csv(self, table_id: str, *, columns: Columns = None, path: None = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> str: ...
    @overload
    def csv(self, table_id: str, *, columns: Columns = None, path: PathArg, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Path: ...
    def csv(self, table_id: str, *, columns: Columns = None, path: Optional[PathArg] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Union[str, Path]:
        """The CSV text (semicolon-delimited), or with ``path`` the path it was written to."""
        out = self._export(table_id, "csv", columns, path, timeout, max_retries, total_timeout)
        return _path(out) if path is not None else out["content"].decode("utf-8")

    @overload
    def xlsx(self, table_id: str, *, columns: Columns = None, path: None = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> bytes: ...
    @overload
    def xlsx(self, table_id: str, *, columns: Columns = None, path: PathArg, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Path: ...
    def xlsx(self, table_id: str, *, columns: Columns = None, path: Optional[PathArg] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Union[bytes, Path]:
        """The XLSX workbook's bytes, or with ``path`` the path it was streamed to."""
        out = self._export(table_id, "xlsx", columns, path, timeout, max_retries, total_timeout)
        return _path(out) if path is not None else bytes(out["content"])

    @overload
    def images(self, table_id: str, *, path: None = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> bytes: ...
    @overload
    def images(self, table_id: str, *, path: PathArg, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Path: ...
    def images(self, table_id: str, *, path: Optional[PathArg] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Union[bytes, Path]:
        """A ZIP of the images in image columns: its bytes, or with ``path`` the path it was streamed to."""
        out = self._export(table_id, "images", None, path, timeout, max_retries, total_timeout)
        return _path(out) if path is not None else bytes(out["content"])


class AsyncTables(AsyncTablesArrow, _generated.AsyncTables):
    """`client.tables` of `AsyncLassoClient`, plus waiting and iterating helpers."""

    async def wait_for_completion(
        self,
        table_id: str,
        *,
        interval_s: float = 3.0,
        timeout_s: float = 300.0,
        on_progress: Optional[ProgressCallback] = None,
        progress: bool = False,
    ) -> Dict[str, Any]:
        """Like `LassoClient.tables.wait_for_completion`, awaitable."""
        callback, bar = _progress_callback(on_progress, progress)
        try:
            return await _native.wait_for_table(self._client._native, table_id, interval_s, timeout_s, callback, asynchronous=True)
        finally:
            if bar is not None:
                bar.close()

    async def results_as_dataframe(self, table_id: str) -> Any:
        """All rows' ``data`` as a pandas DataFrame (``pip install "lasso[pandas]"``):
        through Arrow when pyarrow is installed, the same frame as from the rows' dicts."""
        pd = _pandas()
        if has_pyarrow():
            return await self._dataframe_via_arrow(table_id)
        return pd.DataFrame([row["data"] async for row in self.iter_rows(table_id)])


class AsyncFiles(_generated.AsyncFiles):
    """`client.files` of `AsyncLassoClient`, with uploads."""

    async def upload(
        self,
        file: FileInput,
        filename: Optional[str] = None,
        *,
        content_type: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Like `LassoClient.files.upload`, awaitable."""
        source, name = _upload_source(file, filename)
        return await _native.upload_file(
            self._client._native, source, filename=name, content_type=content_type, timeout=timeout, max_retries=max_retries, asynchronous=True
        )


class AsyncExport(_AsyncResource):
    """`client.export` of `AsyncLassoClient`: the methods of `Export`, as coroutines."""

    async def _export(self, table_id: str, format: str, columns: Columns, path: Optional[PathArg], timeout: Optional[float], max_retries: Optional[int], total_timeout: Optional[float]) -> Dict[str, Any]:
        return await _native.export_table(
            self._client._native, table_id, format, columns=_columns(columns), path=path, timeout=timeout, max_retries=max_retries, total_timeout=total_timeout, asynchronous=True
        )

    async def download(self, table_id: str, format: str, *, columns: Columns = None, path: Union[str, "os.PathLike[str]", None] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Dict[str, Any]:
        """Like `LassoClient.export.download`, awaitable."""
        return await self._export(table_id, format, columns, path, timeout, max_retries, total_timeout)

    async def json(self, table_id: str, *, columns: Columns = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> List[Dict[str, Any]]:
        """The rows as a list of ``{column_key: value}`` objects."""
        import json

        out: List[Dict[str, Any]] = json.loads((await self._export(table_id, "json", columns, None, timeout, max_retries, total_timeout))["content"])
        return out

    @overload
    async def csv(self, table_id: str, *, columns: Columns = None, path: None = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> str: ...
    @overload
    async def csv(self, table_id: str, *, columns: Columns = None, path: PathArg, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Path: ...
    async def csv(self, table_id: str, *, columns: Columns = None, path: Optional[PathArg] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Union[str, Path]:
        """The CSV text, or with ``path`` the path it was written to."""
        out = await self._export(table_id, "csv", columns, path, timeout, max_retries, total_timeout)
        return _path(out) if path is not None else out["content"].decode("utf-8")

    @overload
    async def xlsx(self, table_id: str, *, columns: Columns = None, path: None = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> bytes: ...
    @overload
    async def xlsx(self, table_id: str, *, columns: Columns = None, path: PathArg, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Path: ...
    async def xlsx(self, table_id: str, *, columns: Columns = None, path: Optional[PathArg] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Union[bytes, Path]:
        """The XLSX bytes, or with ``path`` the path it was streamed to."""
        out = await self._export(table_id, "xlsx", columns, path, timeout, max_retries, total_timeout)
        return _path(out) if path is not None else bytes(out["content"])

    @overload
    async def images(self, table_id: str, *, path: None = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> bytes: ...
    @overload
    async def images(self, table_id: str, *, path: PathArg, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Path: ...
    async def images(self, table_id: str, *, path: Optional[PathArg] = None, timeout: Optional[float] = None, max_retries: Optional[int] = None, total_timeout: Optional[float] = None) -> Union[bytes, Path]:
        """The images ZIP's bytes, or with ``path`` the path it was streamed to."""
        out = await self._export(table_id, "images", None, path, timeout, max_retries, total_timeout)
        return _path(out) if path is not None else bytes(out["content"])
