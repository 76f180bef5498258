"""Type stubs of the compiled core binding (``lasso._native``)."""

from typing import Any, Dict, Optional

__version__: str
DEFAULT_BASE_URL: str

class NativeClient:
    def __init__(
        self,
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
    ) -> None: ...
    def call(
        self,
        operation: str,
        args: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Any: ...
    @property
    def base_url(self) -> str: ...
    @property
    def masked_key(self) -> str: ...
