"""flowforce: a self-hostable, Salesforce-compatible flow server."""

__version__ = "0.1.0"
