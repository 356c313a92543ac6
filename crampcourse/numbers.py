"""One way to read a whole number from a request: every number a visitor can send (a page,
a question to go to, an ordering position, a sort column, a preview's seed) goes through
`bounded_int`, so no input can raise (Python refuses to read an int of over 4,300 digits, and
the database drivers one beyond 64 bits) and each is checked against its range.

Digits of any script are numbers (an Arabic keyboard sends Arabic-Indic digits, a Japanese one
full-width ones; the site is multilingual): `str.isdecimal` says which characters are digits,
and `int` reads them all.
An underscore, a sign, spaces inside or a decimal point make it not a number (`int("1_000")`
would have read a thousand).
"""

# More digits than any range here can need: refused before int() reads them.
MAX_DIGITS = 18
# The largest id a database row can have (a signed 64-bit column).
MAX_ID = 2**63 - 1


def bounded_int(value, *, low, high, default=None):
    """The whole number `value` says, if it is one between low and high; else default."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > MAX_DIGITS or not text.isdecimal():
        return default
    number = int(text)
    return number if low <= number <= high else default
