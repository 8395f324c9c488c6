"""The frozen app's entry point (`r2pdesk`): see r2pdesk.spec."""

from ui.app import run

run()
