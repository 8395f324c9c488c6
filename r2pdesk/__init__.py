"""r2pdesk core: the records of a national atrocity prevention mechanism, with no Qt."""

__version__ = "0.1.0"
