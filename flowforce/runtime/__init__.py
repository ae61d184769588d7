"""The runtime: the one composition root (`Org`) that every entry point builds, and where flows run in a
transaction."""

from flowforce.runtime.org import FlowRun, Org, RunAs, build_auth_service, open_project

__all__ = ["FlowRun", "Org", "RunAs", "build_auth_service", "open_project"]
