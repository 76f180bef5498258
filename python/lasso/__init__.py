"""Python SDK for the Lasso product-data API.

>>> from lasso import LassoClient
>>> client = LassoClient()            # reads LASSO_API_KEY
>>> client.credits.balance()          # doctest: +SKIP
{'balance': 1000.0, 'currency': 'credits'}
"""

from ._base import NOT_GIVEN, NotGiven
from ._client import AsyncLassoClient, LassoClient
from ._error_classes import *  # noqa: F403 -- every subclass of LassoError (generated, see __all__)
from ._exceptions import LassoError
from ._native import DEFAULT_BASE_URL
from ._native import __version__ as __version__
from . import _error_classes, webhooks

__all__ = [
    "DEFAULT_BASE_URL",
    "NOT_GIVEN",
    "NotGiven",
    "LassoClient",
    "AsyncLassoClient",
    "LassoError",
]
# The error classes, generated from crates/lasso-spec (`./just codegen`).
__all__ += _error_classes.__all__
__all__ += ["webhooks"]
