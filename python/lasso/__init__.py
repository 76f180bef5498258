"""Python SDK for the Lasso product-data API.

>>> from lasso import LassoClient
>>> client = LassoClient()            # reads LASSO_API_KEY
>>> client.credits.balance()          # doctest: +SKIP
{'balance': 1000.0, 'currency': 'credits'}
"""

from ._base import NOT_GIVEN, NotGiven
from ._client import AsyncLassoClient, LassoClient
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidApiKeyError,
    InvalidRequestError,
    JobFailedError,
    LassoError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    ServiceUnavailableError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from ._native import DEFAULT_BASE_URL
from ._native import __version__ as __version__
from . import webhooks

__all__ = [
    "DEFAULT_BASE_URL",
    "NOT_GIVEN",
    "NotGiven",
    "LassoClient",
    "AsyncLassoClient",
    "LassoError",
    "InvalidRequestError",
    "AuthenticationError",
    "InsufficientCreditsError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "ServiceUnavailableError",
    "APIConnectionError",
    "APITimeoutError",
    "InvalidApiKeyError",
    "ConfigurationError",
    "ResponseDecodeError",
    "JobFailedError",
    "WebhookVerificationError",
    "webhooks",
]
