"""SOQL: text → AST (parser) → bound query (resolver) → SQLAlchemy Core (translator) → records (results).

The REST `query` route and the engine's Get Records both go through `compile_query`; Get Records
builds `ast.Query` objects directly instead of formatting SOQL strings.
"""

from flowforce.soql import ast
from flowforce.soql.errors import (
    InvalidFieldError,
    InvalidQueryFilterOperatorError,
    InvalidTypeError,
    MalformedQueryError,
    NumberOutsideValidRangeError,
    SoqlError,
)
from flowforce.soql.execution import CompiledQuery, QueryCache, compile_query, run_soql
from flowforce.soql.parser import parse_soql
from flowforce.soql.results import ChildResult, QueryRecord, QueryResult

__all__ = [
    "ChildResult",
    "CompiledQuery",
    "InvalidFieldError",
    "InvalidQueryFilterOperatorError",
    "InvalidTypeError",
    "MalformedQueryError",
    "NumberOutsideValidRangeError",
    "QueryCache",
    "QueryRecord",
    "QueryResult",
    "SoqlError",
    "ast",
    "compile_query",
    "parse_soql",
    "run_soql",
]
