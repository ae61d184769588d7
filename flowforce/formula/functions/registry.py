"""The function table: name → arity and calling convention.

Calling conventions (`mode`):
- "value": the implementation receives evaluated arguments;
- "env": like "value" but the environment comes first (NOW, GETSESSIONID);
- "lazy": the environment and unevaluated argument closures (IF, CASE, AND, BLANKVALUE short-circuit);
- "reference": the environment and the *path* of each argument, which must be a field reference (ISCHANGED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from flowforce.formula.errors import FormulaRuntimeError

if TYPE_CHECKING:
    from flowforce.formula.environment import FormulaEnvironment

Mode = Literal["value", "env", "lazy", "reference"]
Thunk = Callable[["FormulaEnvironment"], Any]
ArityCheck = Callable[[int], str | None]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    impl: Callable[..., Any]
    mode: Mode = "value"
    extra_check: ArityCheck | None = None

    def arity_error(self, count: int) -> str | None:
        """Why `count` arguments are wrong for this function, or None when they are fine."""
        if count < self.min_args or (self.max_args is not None and count > self.max_args):
            return f"{self.name} expects {self._expected()}, received {count}"
        return self.extra_check(count) if self.extra_check else None

    def _expected(self) -> str:
        if self.max_args == self.min_args:
            return f"{self.min_args} argument{'s' if self.min_args != 1 else ''}"
        if self.max_args is None:
            return f"at least {self.min_args} argument{'s' if self.min_args != 1 else ''}"
        return f"{self.min_args} to {self.max_args} arguments"


FUNCTIONS: dict[str, FunctionSpec] = {}


def _null_propagating(impl: Callable[..., Any], mode: Mode) -> Callable[..., Any]:
    if mode == "env":

        def with_env(env: Any, *args: Any) -> Any:
            return None if any(arg is None for arg in args) else impl(env, *args)

        return with_env

    def propagating(*args: Any) -> Any:
        return None if any(arg is None for arg in args) else impl(*args)

    return propagating


def function(
    name: str,
    min_args: int,
    max_args: int | Literal["same"] | None = "same",
    *,
    mode: Mode = "value",
    nulls: bool = True,
    extra_check: ArityCheck | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a formula function.

    `nulls=True` (the default) makes any null argument give a null result without calling the
    implementation — the flow rule "a null operand gives null" (reference/flow-metadata.md §6).
    """

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = _null_propagating(impl, mode) if nulls and mode in ("value", "env") else impl
        upper = min_args if isinstance(max_args, str) else max_args
        FUNCTIONS[name] = FunctionSpec(name, min_args, upper, wrapped, mode, extra_check)
        return impl

    return register


def not_supported(name: str) -> FormulaRuntimeError:
    # reference/formula-functions.md "Flow-context specifics": parsed, but rejected when evaluated.
    return FormulaRuntimeError(f"{name} is not supported in flow formulas")
