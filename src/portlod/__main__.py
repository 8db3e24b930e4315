"""``python -m portlod`` runs the command line."""

from .cli import main

main()
