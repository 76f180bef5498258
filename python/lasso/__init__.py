"""Python SDK for the Lasso product-data API.

>>> from lasso import LassoClient
>>> client = LassoClient()            # reads LASSO_API_KEY
>>> client.credits.balance()          # doctest: +SKIP
{'balance': 1000.0, 'currency': 'credits'}
"""

from typing import Any

from . import _error_classes, webhooks
from ._base import NOT_GIVEN, NotGiven, RawResponse
from ._client import AsyncLassoClient, LassoClient
from ._error_classes import *  # noqa: F403 -- every subclass of LassoError (generated, see __all__)
from ._exceptions import LassoError
from ._native import DEFAULT_BASE_URL, reset_log_cache
from ._native import __version__ as __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "NOT_GIVEN",
    "NotGiven",
    "LassoClient",
    "AsyncLassoClient",
    "LassoError",
    "RawResponse",
    "reset_log_cache",
]
# The error classes, generated from crates/lasso-spec (`./just codegen`).
__all__ += _error_classes.__all__
__all__ += ["webhooks"]


def __getattr__(name: str) -> Any:
    # `lasso.types` after a plain `import lasso`, loaded on first use (it is
    # large, and `import lasso` stays quick).
    if name == "types":
        import importlib

        return importlib.import_module(".types", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
