"""Masking personal details in quotes."""

import pytest

from engagement.themes.pii import mask_pii, strip_pii


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email me at jane.doe+school@example.org thanks", "Email me at [email] thanks"),
        ("my mail: JOSE_P@correo.com.br.", "my mail: [email]."),
        ("Call 617-555-0134 after 5", "Call [phone] after 5"),
        ("Call (617) 555-0134.", "Call [phone]."),
        ("call 617.555.0134", "call [phone]"),
        ("Tel +1 617 555 0134", "Tel [phone]"),
        ("WhatsApp +55 11 98765-4321", "WhatsApp [phone]"),
        ("ligue (11) 98765-4321", "ligue [phone]"),
        ("rele m +509 3412 3456", "rele m [phone]"),
        ("هاتفي +20 10 1234 5678", "هاتفي [phone]"),
        ("my student ID is 20231187", "my student ID is [number]"),
        ("电话13812345678", "电话[number]"),
        ("We live at 12 Oak Street near the park", "We live at [address] near the park"),
        ("45 Main St. Apt 3", "[address]"),
        ("at 1200 Commonwealth Ave, Boston", "at [address], Boston"),
        ("moro na Rua das Flores, 123", "moro na [address]"),
        ("vivo en Calle Olmo 45", "vivo en [address]"),
    ],
)
def test_masks(text, expected):
    assert mask_pii(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The bus comes at 7:15 and school starts at 8:00.",
        "My kids are in grades 3 and 5.",
        "Room 204 is cold.",
        "On 2024-03-15 the meeting was cancelled.",
        "She walked 2 blocks down the street alone.",
        "Tenho 2 filhos na escola.",
        "",
    ],
)
def test_leaves_ordinary_text(text):
    assert mask_pii(text) == text


def test_strip_for_analysis():
    assert "email" not in strip_pii("write to a@b.co")
