"""Reference data, fonts and icons shipped with r2pdesk, read through importlib.resources."""
