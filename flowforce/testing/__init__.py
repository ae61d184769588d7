"""Test flows like code: an in-process org per test (`TestOrg`), the pytest plugin that provides it, and
assertions whose failure messages show the interview's path."""

from flowforce.testing.assertions import assert_finished, assert_outputs, assert_visited
from flowforce.testing.org import InvokeResult, MockAction, TestOrg

__all__ = ["InvokeResult", "MockAction", "TestOrg", "assert_finished", "assert_outputs", "assert_visited"]
