"""Functions that parse but cannot run in a flow (reference/formula-functions.md "Flow-context specifics").

They accept any arguments so that the formula compiles; evaluating one raises a clear runtime error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowforce.formula.functions.registry import function, not_supported

UNSUPPORTED = (
    "GETRECORDIDS",
    "IMAGE",
    "IMAGEPROXYURL",
    "INCLUDE",
    "JUNCTIONIDLIST",
    "LINKTO",
    "PARENTGROUPVAL",
    "PREDICT",
    "PREVGROUPVAL",
    "REQUIRESCRIPT",
    "URLFOR",
    "VLOOKUP",
)


def _rejecting(name: str) -> Callable[..., Any]:
    def reject(*_args: Any) -> Any:
        raise not_supported(name)

    return reject


for _name in UNSUPPORTED:
    function(_name, 0, None, mode="lazy")(_rejecting(_name))
