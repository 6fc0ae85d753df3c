"""Spreadsheet-formula neutralising."""

import pytest

from engagement.exports.safe import neutralise, neutralise_row


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'],
)
def test_formula_triggers_get_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["hello", "", "1-2", "a=b", "希望", "مرحبا", " =x"])
def test_plain_text_is_unchanged(value):
    assert neutralise(value) == value


def test_numbers_and_none_pass_unchanged():
    assert neutralise_row([-3, 0, 2.5, None, "-x"]) == [-3, 0, 2.5, None, "'-x"]
