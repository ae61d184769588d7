"""Column types that store Salesforce values exactly and identically on SQLite and PostgreSQL.

This is the one place where the two databases differ (sqlglot's "dialect layer" habit):

* Decimal fields (double, currency, percent) — PostgreSQL keeps them as ``NUMERIC(p, s)``. SQLite has no exact
  decimal, so :class:`ExactDecimal` stores the value scaled by ``10**scale`` as an INTEGER: comparisons,
  ordering, MIN/MAX/SUM stay numeric and exact in SQL. Any expression typed with the column's type (a bound
  literal in ``column > 5``, ``func.sum(column)``, ``func.max(column)``) is scaled/unscaled automatically. AVG
  and other functions that lose the type must be wrapped: ``type_coerce(func.avg(col), col.type)``
  (see :func:`flowforce.records.tables.typed_aggregate`).
* Datetimes — stored as naive UTC on both (``TIMESTAMP WITHOUT TIME ZONE`` / ISO text); read back as aware UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__()
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(max(self.precision, self.scale, 1), self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if dialect.name != "sqlite":
            return number
        scaled = number.scaleb(self.scale)
        # A literal with more decimals than the column (``Amount > 10.555``) must still compare correctly.
        return int(scaled) if scaled == scaled.to_integral_value() else float(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
            number = number.scaleb(-self.scale)
        else:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        # Stored values have exactly ``scale`` decimals; AVG results may carry more and are left unrounded.
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent <= self.scale:
            return number.quantize(Decimal(1).scaleb(-self.scale))
        return number.normalize()

    @property
    def python_type(self) -> type:
        return Decimal


class UtcDateTime(TypeDecorator[dt.datetime]):
    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text from an untyped expression
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)

    @property
    def python_type(self) -> type:
        return dt.datetime
