"""`python -m r2pdesk`: the command line."""

from r2pdesk.cli import run

run()
