"""``python -m lasso``: the ``lasso`` command line."""

from lasso._cli import main

main()
