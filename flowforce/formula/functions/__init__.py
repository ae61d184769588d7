"""The formula function table, filled by importing each category module."""

from flowforce.formula.functions import dates, logical, math, text, unsupported
from flowforce.formula.functions.registry import FUNCTIONS, FunctionSpec

__all__ = ["FUNCTIONS", "FunctionSpec", "dates", "logical", "math", "text", "unsupported"]
