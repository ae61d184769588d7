"""The flow interpreter: a plain library (it never imports the API layer)."""
