"""Spreadsheet-formula neutralising for exported cells (CSV injection, OWASP).

A family's written answer such as `=HYPERLINK("http://evil", "click")` would otherwise run as
a formula when staff open the export in Excel or LibreOffice. Text cells that start with a
formula trigger get a leading apostrophe, which spreadsheets show as plain text.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(row):
    """Every cell of `row` neutralised (numbers and dates pass unchanged)."""
    return [neutralise(value) for value in row]
