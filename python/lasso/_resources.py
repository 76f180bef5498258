"""Resource namespaces of the client: ``client.credits``, ``client.tables``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    from ._client import LassoClient


class _Resource:
    def __init__(self, client: "LassoClient") -> None:
        self._client = client


class Credits(_Resource):
    """Credits of the company that owns the key."""

    def balance(self, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> Dict[str, Any]:
        """``GET /credits/balance``: ``{"balance": float, "currency": "credits"}``."""
        return self._client._request("credits.balance", None, timeout=timeout, max_retries=max_retries)


class Tables(_Resource):
    """Tables: extraction jobs and their rows."""

    def get(self, table_id: str, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> Dict[str, Any]:
        """``GET /tables/{table_id}``: the table with its ``status`` and ``progress``.

        Raises `NotFoundError` when the table does not exist or belongs to
        another company.
        """
        return self._client._request("tables.get", {"table_id": table_id}, timeout=timeout, max_retries=max_retries)
