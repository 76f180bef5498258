"""The ``lasso`` console script: the SDK's command line (``crates/lasso-cli``), run
through the native module, so the wheel needs no second binary.

``lasso --help`` lists the commands; ``python -m lasso`` runs it too.
"""

from __future__ import annotations

import sys
from typing import List, NoReturn, Optional


def main(argv: Optional[List[str]] = None) -> NoReturn:
    """Runs ``lasso`` with ``argv`` (default: the process's arguments) and exits with its code."""
    from lasso import _native

    args = sys.argv[1:] if argv is None else argv
    # What Python buffered goes out before the command writes to the same streams.
    sys.stdout.flush()
    sys.stderr.flush()
    code = _native.run_cli(["lasso", *args])
    raise SystemExit(code)


if __name__ == "__main__":
    main()
