"""The Salesforce formula language: compile once, evaluate against a `FormulaEnvironment`.

Used by flow formulas and text templates (reference/flow-metadata.md §4.5, §6) and, later, by custom-object
formula fields (bare field names resolve the same way as `{!merge}` fields).
"""

from flowforce.formula.environment import FormulaEnvironment, SimpleEnvironment
from flowforce.formula.errors import FormulaError, FormulaRuntimeError, FormulaSyntaxError
from flowforce.formula.formula import Formula, compile_formula
from flowforce.formula.template import Template, parse_template
from flowforce.formula.values import Location, format_merge_value

__all__ = [
    "Formula",
    "FormulaEnvironment",
    "FormulaError",
    "FormulaRuntimeError",
    "FormulaSyntaxError",
    "Location",
    "SimpleEnvironment",
    "Template",
    "compile_formula",
    "format_merge_value",
    "parse_template",
]
