"""``python -m intentlens``: the same as the ``intentlens`` command."""

from intentlens.cli import main

main()
