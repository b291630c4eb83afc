"""numeric's input and output functions on text (numeric_in, numeric_out): what a decimal
literal is printed as once PostgreSQL has read it as a numeric, in a constant or a jsonb value.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation

__all__ = ["DECIMAL_TEXT", "numeric_out"]

_MAX_EXPONENT = 1000  # beyond it, pgdrift does not print the number

#: A decimal number as numeric_in and float8in read it, blanks around it allowed.
DECIMAL_TEXT = re.compile(r"\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*\Z")


def numeric_out(text: str) -> str | None:
    """numeric_in then numeric_out: the scale is kept (``1.50``), an exponent is applied, and
    zero has no sign (numeric has no negative zero); None for what is not a decimal (NaN,
    Infinity...).

    >>> numeric_out("1.50"), numeric_out("1e2"), numeric_out("1.50e-1"), numeric_out("-0.0")
    ('1.50', '100', '0.150', '0.0')
    >>> numeric_out("1e30")
    '1000000000000000000000000000000'
    """
    if not DECIMAL_TEXT.match(text):
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        if exponent > _MAX_EXPONENT:
            return None  # not followed (numeric_in's range ends not far beyond)
        # Enough digits for the integer it is (the default context keeps 28 only).
        value = value.quantize(Decimal(1), context=Context(prec=len(value.as_tuple().digits)
                                                          + exponent + 1))  # fmt: skip
    if value.is_zero():
        value = abs(value)
    out = format(value, "f")
    return out[1:] if out.startswith("+") else out
