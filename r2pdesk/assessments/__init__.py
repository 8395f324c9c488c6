"""Risk assessments against a framework of risk factors and indicators."""
