"""The frozen command line's entry point (`r2pdesk-cli`): see r2pdesk.spec."""

from r2pdesk.cli import run

run()
