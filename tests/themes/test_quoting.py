"""The "mask this" tool's words: masking by hand in every language, never the family's text."""

import pytest

from engagement.themes import quoting
from engagement.themes.quoting import MASK, as_quoted, mask_tokens, tokens


def pick(quote: str, *words: str) -> list[int]:
    """Token numbers of `words` in `quote` (as the checkboxes of the mask page send them)."""
    return [t.index for t in tokens(quote) if t.text in words]


@pytest.mark.parametrize(
    ("quote", "words", "masked"),
    [
        (
            "Call me about my son Jacob Miller in grade 3",
            ("Jacob", "Miller"),
            f"Call me about my son {MASK} in grade 3",
        ),
        ("Mi hija María llora cada mañana.", ("María",), f"Mi hija {MASK} llora cada mañana."),
        (
            "Meu filho João, da turma 2B, sofre.",
            ("João", "2B"),
            f"Meu filho {MASK}, da turma {MASK}, sofre.",
        ),
        ("我儿子王小明在三年级。", ("王", "小", "明"), f"我儿子{MASK}在三年级。"),
        ("Pitit gason m Jean pa gen liv.", ("Jean",), f"Pitit gason m {MASK} pa gen liv."),
        ("ابني أحمد في الصف الثالث.", ("أحمد",), f"ابني {MASK} في الصف الثالث."),
        ("Ms. Lee's class, call [phone]", ("Lee's",), f"Ms. {MASK} class, call [phone]"),
    ],
)
def test_ticked_words_are_masked_in_six_languages(quote, words, masked):
    assert mask_tokens(quote, pick(quote, *words)) == masked


def test_placeholders_cannot_be_unmasked_or_masked_again():
    quote = "Write to [email] or call [phone]"
    placeholders = [t for t in tokens(quote) if not t.maskable]
    assert [t.text for t in placeholders] == ["[email]", "[phone]"]
    assert mask_tokens(quote, [t.index for t in placeholders]) == quote


def test_unknown_word_numbers_change_nothing():
    assert mask_tokens("The bus is late", [99, -1]) == "The bus is late"


def test_as_quoted_prefers_the_hand_masked_text():
    assert as_quoted("Call 617-555-0134", None) == "Call [phone]"
    assert as_quoted("Call 617-555-0134 Maria", f"Call [phone] {MASK}") == f"Call [phone] {MASK}"


def test_an_english_rendering_keeps_every_mask_and_adds_no_detail():
    quote = "Mi hijo [name] tiene miedo, […] llame al [phone]"
    good = "My son [name] is afraid, […] call [phone]"
    assert quoting.rendering_problems(quote, good) == []
    assert quoting.rendering_problems(quote, "My son is afraid, […] call [phone]") == [
        quoting.MASKS
    ]
    assert quoting.rendering_problems(quote, f"{good} at 617-555-0199") == [quoting.DETAILS]
    assert quoting.rendering_problems(quote, "My son Jacob is afraid") == [
        quoting.DETAILS,
        quoting.MASKS,
    ]
    # more masks than the quote is fine: it can only hide more
    assert quoting.rendering_problems("Hola", "Hello […]") == []
    assert quoting.fingerprint(quote) != quoting.fingerprint(quote + " ")
    assert len(quoting.fingerprint(quote)) == 64
