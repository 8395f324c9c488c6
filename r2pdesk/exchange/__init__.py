"""Exchanging data with other programs: Excel workbooks in and out."""
