"""What the generated helper methods (waits, uploads, exports, data frames;
see `_generated.py`) share besides the core's calls: shaping arguments and
results, the progress bar, and running progress callbacks on the event loop.
Nothing here is a sync or async twin: the generated methods are."""

from __future__ import annotations

import io
import os
import sys
from typing import IO, TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple, TypedDict, Union

from . import _native

if TYPE_CHECKING:
    import asyncio

# `asyncio`, `json`, `pathlib` and `importlib` are imported where they are
# used: they would add a third to the time of `import lasso`.

#: ``on_progress(status, progress)``: hears each change of a wait's status or
#: progress (0–100, ``None`` until the API reports one).
ProgressCallback = Callable[[str, Optional[float]], object]
#: ``on_progress`` of `AsyncLassoClient`'s waits: called on the event loop; an
#: ``async def`` callback is awaited before the wait goes on.
AsyncProgressCallback = Callable[[str, Optional[float]], object]
#: What ``files.upload`` reads: a path, bytes, or a binary file object.
FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes]]
#: Column keys: a list, or one comma-separated string.
Columns = Union[str, Sequence[str], None]
#: A local file path.
PathArg = Union[str, "os.PathLike[str]"]


class ExportedContent(TypedDict):
    """``export.download`` without a path: the body and what the server said of it."""

    #: The body.
    content: bytes
    #: The ``Content-Type`` the server sent.
    content_type: Optional[str]
    #: The file name from ``Content-Disposition``, when sent.
    filename: Optional[str]


class SavedExport(TypedDict):
    """``export.download`` with a path: where it was written and what the server said of it."""

    #: Where it was written (the path given).
    path: str
    #: Bytes written.
    size: int
    #: The ``Content-Type`` the server sent.
    content_type: Optional[str]
    #: The file name from ``Content-Disposition``, when sent.
    filename: Optional[str]


class ProgressReport:
    """A wait's progress: the caller's ``on_progress`` and, with ``progress=True``
    on a terminal, a one-line bar on stderr (drawn by the core's renderer). The
    bar's line is cleared before the callback runs, so what it prints starts on
    a line of its own; the bar is drawn again below it."""

    def __init__(self, on_progress: Optional[Callable[[str, Optional[float]], object]], progress: bool) -> None:
        self._on_progress = on_progress
        self._bar = bool(progress) and sys.stderr.isatty()
        self._drawn = False
        #: What the core calls, or ``None`` when nobody listens.
        self.callback = self._report if (on_progress is not None or self._bar) else None

    def _report(self, status: str, value: Optional[float]) -> object:
        if not self._bar:
            return self._on_progress(status, value) if self._on_progress is not None else None
        line = _native.progress_line(status, value)
        if self._on_progress is None:
            self._draw(line)
            return None
        if self._drawn:
            sys.stderr.write(_native.PROGRESS_CLEAR_LINE)
            sys.stderr.flush()
        result = self._on_progress(status, value)
        if hasattr(result, "__await__"):
            return self._draw_after(result, line)
        self._draw(line)
        return result

    async def _draw_after(self, awaitable: Any, line: str) -> None:
        await awaitable
        self._draw(line)

    def _draw(self, line: str) -> None:
        sys.stderr.write("\r" + line)
        sys.stderr.flush()
        self._drawn = True

    def close(self) -> None:
        """Ends the bar's line."""
        if self._drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._drawn = False


def _on_loop(
    callback: Callable[[str, Optional[float]], object], status: str, progress: Optional[float], done: Any
) -> None:
    """Run by the event loop for each report of an awaited wait (the core hands
    it over): calls ``callback`` on the loop, awaits what it returns if that is
    awaitable, then tells the core with ``done(None)`` or ``done(exception)``."""
    try:
        result = callback(status, progress)
        if not hasattr(result, "__await__"):
            done(None)
            return
        import asyncio

        task = asyncio.ensure_future(result)
    except BaseException as e:  # noqa: B036 - the core raises it in the waiting task
        done(e)
        return

    def finished(task: "asyncio.Future[object]") -> None:
        import asyncio

        done(asyncio.CancelledError() if task.cancelled() else task.exception())

    task.add_done_callback(finished)


def columns(value: Columns) -> Optional[str]:
    """Column keys as the API takes them: comma-separated."""
    if value is None or isinstance(value, str):
        return value
    return ",".join(value)


def upload_source(
    file: Optional[FileInput], filename: Optional[str], file_path: Optional[PathArg] = None
) -> Tuple[Union[str, bytes, IO[bytes]], Optional[str]]:
    """What the core uploads: a path (streamed from disk), bytes, or a binary
    file object (streamed by what its own ``read`` returns, from its current
    position; the file name defaults to the last part of its ``name``).
    ``file_path`` is the name `lasso-ai` 0.1.2 gave the path."""
    if file_path is not None:
        if file is not None:
            raise TypeError("files.upload() takes the file or file_path, not both")
        file = file_path
    if file is None:
        raise TypeError("files.upload() missing the file to upload: a path, bytes or a binary file object")
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
    raise TypeError(f"files.upload takes a path, bytes, or a binary file object, not {type(file).__name__}")


def pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import importlib

        return importlib.import_module("pandas")
    except ImportError as e:
        raise ImportError('results_as_dataframe needs pandas: pip install "lasso[pandas]"') from e


def dataframe(pd: Any, rows: List[Dict[str, Any]], columns: Optional[List[str]]) -> Any:
    """The frame of the rows' data; for no rows, an empty frame with the table's columns."""
    if rows:
        return pd.DataFrame(rows)
    return pd.DataFrame(columns=columns)


async def off_loop(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` on a worker thread, so that the event loop keeps running."""
    import asyncio
    import functools

    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args))
