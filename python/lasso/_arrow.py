"""Tables as Arrow: the rows of a table decoded by the Rust core into Arrow
record batches, typed by the table's column definitions, and handed over
through the Arrow PyCapsule interface (no copy). pyarrow, pandas and polars
are optional extras, imported only here and only when asked for. The methods
(`client.tables.to_arrow`, `to_pandas`, `to_polars`) are generated in
`_generated.py`; this module is what they call."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, TypeVar

from . import _native
from ._base import NOT_GIVEN

T = TypeVar("T")


def _require(module: str, extra: str, what: str) -> Any:
    """`module`, or an ImportError naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f'{what} needs {module}: pip install "lasso[{extra}]"') from e


#: The modules each frame needs, with the extra that installs them.
_EXTRAS = {"pandas": ("pandas", "pyarrow"), "polars": ("polars",)}


def require_extra(extra: str, what: str) -> None:
    """Raises the ImportError naming `lasso[extra]` when a module it installs is missing."""
    for module in _EXTRAS[extra]:
        _require(module, extra, what)


class TableArrowStream:
    """A table's rows as Arrow record batches, from ``client.tables.to_arrow``.

    Any library that takes the Arrow PyCapsule interface reads it without a
    copy: ``pyarrow.table(stream)``, ``pyarrow.RecordBatchReader.from_stream(stream)``,
    ``polars.DataFrame(stream)``, ``duckdb.sql("select * from stream")``. The
    batches are read once: a second reader gets what the first left.
    From the sync client, pages are fetched as the reader asks for batches;
    from the async client, they were all fetched when ``to_arrow`` returned.
    """

    __slots__ = ("_native",)

    def __init__(self, native: "_native.NativeTableBatches") -> None:
        self._native = native

    @property
    def column_names(self) -> List[str]:
        """The table's column keys, in order."""
        return list(self._native.column_names)

    def __arrow_c_schema__(self) -> object:
        return self._native.__arrow_c_schema__()

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        return self._native.__arrow_c_stream__(requested_schema)

    def read_all(self) -> None:
        """Fetch and decode every remaining batch now (raises the page's `LassoError`)."""
        self._native.read_all()

    def _consume(self, read: Callable[["TableArrowStream"], T]) -> T:
        """`read(self)`, with a failed page raised as its own `LassoError`
        instead of the Arrow library's wrapper of it."""
        try:
            return read(self)
        except Exception as e:
            failure = self._native.take_error()
            if failure is not None:
                raise failure from e
            raise

    def to_pyarrow(self) -> Any:
        """A `pyarrow.Table` (``pip install "lasso[arrow]"``)."""
        pa = _require("pyarrow", "arrow", "to_pyarrow")
        # Not pa.table(s): that first checks for a pandas DataFrame, importing pandas.
        return self._consume(lambda s: pa.RecordBatchReader.from_stream(s).read_all())

    def __repr__(self) -> str:
        return f"TableArrowStream(columns={self.column_names!r})"


DTYPE_BACKENDS = (None, "numpy_nullable", "pyarrow")


def pandas_from(stream: TableArrowStream, what: str, dtype_backend: Optional[str] = None) -> Any:
    if dtype_backend not in DTYPE_BACKENDS:
        raise ValueError(f"{what}: dtype_backend must be None, 'numpy_nullable' or 'pyarrow', got {dtype_backend!r}")
    pd = _require("pandas", "pandas", what)
    pa = _require("pyarrow", "pandas", what)
    stream.read_all()
    table = stream._consume(lambda s: pa.table(s))
    if dtype_backend == "pyarrow":
        # Arrow-backed columns: the buffers are shared, nothing is converted.
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    mapper = (
        {
            pa.float64(): pd.Float64Dtype(),
            pa.bool_(): pd.BooleanDtype(),
            pa.string(): pd.StringDtype(),
        }.get
        if dtype_backend == "numpy_nullable"
        else None
    )
    # The Arrow buffers are released column by column as pandas takes them
    # over, so the table and the frame are not both held whole.
    return table.to_pandas(types_mapper=mapper, split_blocks=True, self_destruct=True)


def polars_from(stream: TableArrowStream, what: str) -> Any:
    pl = _require("polars", "polars", what)
    stream.read_all()
    return stream._consume(lambda s: pl.DataFrame(s))


def _like_dict_path(df: Any, stream_columns: List[str], list_columns: List[str]) -> Any:
    """The DataFrame `pd.DataFrame([row["data"], ...])` would give for the same
    rows: list cells as Python lists, whole-number float columns without nulls
    as int64 (as pandas infers from JSON integers)."""
    import numpy as np

    for name in list_columns:
        df[name] = [None if v is None else v.tolist() for v in df[name]]
    for name in stream_columns:
        column = df[name]
        if column.dtype == np.float64 and len(column) and not column.isna().any() and bool((column % 1 == 0).all()):
            df[name] = column.astype(np.int64)
    return df


def _list_columns(stream: TableArrowStream) -> List[str]:
    pa = _require("pyarrow", "pandas", "results_as_dataframe")
    schema = pa.schema(stream)
    return [f.name for f in schema if pa.types.is_list(f.type)]


def dataframe_like_rows(stream: TableArrowStream) -> Any:
    """The fast path of ``results_as_dataframe``: the frame its row-by-row path builds."""
    df = pandas_from(stream, "results_as_dataframe")
    return _like_dict_path(df, stream.column_names, _list_columns(stream))


def fast_path(timeout: object, max_retries: object, extra_headers: object, extra_query: object) -> bool:
    """Whether ``results_as_dataframe`` goes through Arrow: pyarrow is installed
    and no per-call option asks for what only the row-by-row path applies."""
    defaults = timeout is NOT_GIVEN and max_retries is NOT_GIVEN and not extra_headers and not extra_query
    return defaults and has_pyarrow()


def has_pyarrow() -> bool:
    """Whether pyarrow can be imported (without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec("pyarrow") is not None
    except (ImportError, ValueError):
        return False
