"""Masking contact details in quotes: e-mails, phone numbers, student ids, addresses.

Names are in test_pii_names.py; ordinary comments that must come out unchanged in
test_pii_ordinary.py.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.themes.pii import mask_pii, strip_pii


def check(cases):
    for text, expected in cases:
        assert mask_pii(text) == expected, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email me at jane.doe+school@example.org thanks", "Email me at [email] thanks"),
        ("my mail: JOSE_P@correo.com.br.", "my mail: [email]."),
        ("电话maria@gmail.com", "电话[email]"),
        ("Call 617-555-0134 after 5", "Call [phone] after 5"),
        ("Call (617) 555-0134.", "Call [phone]."),
        ("call 617.555.0134", "call [phone]"),
        ("Tel +1 617 555 0134", "Tel [phone]"),
        ("WhatsApp +55 11 98765-4321", "WhatsApp [phone]"),
        ("ligue (11) 98765-4321", "ligue [phone]"),
        ("rele m +509 3412 3456", "rele m [phone]"),
        ("هاتفي +20 10 1234 5678", "هاتفي [phone]"),
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


def test_phone_with_any_separator():
    check(
        [
            ("617/555/0199", "[phone]"),
            ("617_555_0199", "[phone]"),
            ("617·555·0199", "[phone]"),
            ("tel 617 - 555 - 0199", "tel [phone]"),
            ("tel:617 – 555 – 0199.", "tel:[phone]."),
            ("call 617-555-0199 ext 23 today", "call [phone] today"),
            ("call 617.555.0199 x12", "call [phone]"),
            ("+1 (617) 555-0199", "[phone]"),
            ("(617)5550199", "[phone]"),
            ("6 1 7 5 5 5 0 1 9 9", "[phone]"),
            ("grade 3 617 555 0199", "grade 3 [phone]"),
            ("اتصلوا بي على ٠١٠ ١٢٣٤ ٥٦٧٨", "اتصلوا بي على [phone]"),
            ("رقمي ٦١٧-٥٥٥-٠١٩٩", "رقمي [phone]"),
            ("电话：１３８-１２３４-５６７８", "电话：[phone]"),
        ]
    )


SEPARATORS = ["-", ".", "/", "_", "·", " ", " - ", " – ", " / ", ". "]
AROUND = ["call me at", "mi número es", "meu telefone:", "rele m nan", "电话", "هاتفي", ""]


@settings(max_examples=300, deadline=None)
@given(
    groups=st.tuples(st.integers(200, 999), st.integers(200, 999), st.integers(0, 9999)),
    seps=st.tuples(st.sampled_from(SEPARATORS), st.sampled_from(SEPARATORS)),
    before=st.sampled_from(AROUND),
    after=st.sampled_from(["", " thanks", ", gracias.", "。", " ext 12"]),
    plus=st.sampled_from(["", "+1 ", "+1-", "(", "tel "]),
)
def test_any_us_phone_with_any_separators_is_masked(groups, seps, before, after, plus):
    area, exchange, line = groups
    head = f"({area})" if plus == "(" else f"{plus}{area}"
    phone = f"{head}{seps[0]}{exchange}{seps[1]}{line:04d}"
    masked = mask_pii(f"{before} {phone}{after}")
    assert str(exchange) not in masked and f"{line:04d}" not in masked, masked


def test_phone_spelled_out_in_each_language():
    check(
        [
            ("call six one seven five five five zero one nine nine", "call [phone]"),
            ("it's six one seven, five five five, oh one nine nine.", "it's [phone]."),
            ("llame al seis uno siete cinco cinco cinco cero uno nueve nueve", "llame al [phone]"),
            ("ligue seis um sete cinco cinco cinco zero um nove nove", "ligue [phone]"),
            ("meu número é nove nove oito sete meia cinco quatro", "meu número é [phone]"),
            ("rele m sis en sèt senk senk senk zewo en nèf nèf", "rele m [phone]"),
            ("我的电话是一三八一二三四五六七八", "我的电话是[phone]"),
            ("电话幺三八 一二三四 五六七八", "电话[phone]"),
            ("رقمي صفر واحد اثنان ثلاثة أربعة خمسة ستة سبعة", "رقمي [phone]"),
        ]
    )


def test_email_written_out_in_each_language():
    check(
        [
            ("write to maria dot gonzalez at gmail dot com", "write to [email]"),
            ("maria(at)gmail.com", "[email]"),
            ("maria [at] gmail [dot] com please", "[email] please"),
            ("maria at gmail", "[email]"),
            ("jo.lee at bps.org", "[email]"),
            ("MARIA AT YAHOO DOT COM", "[email]"),
            ("escríbame a maria arroba gmail punto com", "escríbame a [email]"),
            ("meu e-mail: maria arroba gmail ponto com", "meu e-mail: [email]"),
            ("imel mwen: marie arobaz gmail pwen com", "imel mwen: [email]"),
            ("邮箱maria艾特gmail点com", "邮箱[email]"),
            ("بريدي maria آت gmail نقطة com", "بريدي [email]"),
        ]
    )


def test_student_ids_in_each_language():
    check(
        [
            ("my student ID is 20231187", "my student ID is [id]"),
            ("student ID 123456", "student ID [id]"),
            ("ID# 44-1234", "ID# [id]"),
            ("SASID 1234567890 on the form", "SASID [id] on the form"),
            ("student number: A1234567", "student number: [id]"),
            ("número de estudiante 1234567", "número de estudiante [id]"),
            ("matrícula 20231187", "matrícula [id]"),
            ("número do aluno é 123456", "número do aluno é [id]"),
            ("RA 12345678", "RA [id]"),
            ("nimewo elèv li se 123456", "nimewo elèv li se [id]"),
            ("学号：20231187", "学号：[id]"),
            ("رقم الطالب ١٢٣٤٥٦", "رقم الطالب [id]"),
        ]
    )


def test_short_numbers_after_id_words_stay():
    check(
        [
            ("ID 12 was wrong", "ID 12 was wrong"),
            ("I paid 1200 dollars", "I paid 1200 dollars"),
            ("ra 1234", "ra 1234"),  # only "RA" in capitals is the Brazilian student number
        ]
    )


def test_strip_for_analysis():
    assert "email" not in strip_pii("write to a@b.co")
    assert strip_pii("my son Jacob, ID 123456, 617-555-0199") == "my son  ; , ID  ; ,  ; "
    assert "[" not in strip_pii("maria arroba gmail punto com, mi hija Ana")


# Each string is 2,000 characters built to make a backtracking regex take exponential time:
# long runs that almost match (digits and separators, dotted words, name-like words, digit
# words) and then fail at the very end.
ADVERSARIAL = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, ".")
    from engagement.themes.pii import mask_pii, strip_pii
    N = 2000
    units = [
        "1-", "1 ", "12 ", "12-", "1.", "+1", "(1", "a.", "a@", "a dot ", "a at ", "a (at) ",
        "my son ", "Ms. ", "I am ", "Maria ", "de ", "one ", "un ", "一", "儿子", "王", "老师",
        "ابني ", "اسمي ", "أحمد ", "ID ", "12 Oak ", "Rua ", "x", " ", "\\t", "é", "@.", "-",
    ]
    for unit in units:
        for tail in ("", "!", "a", "1", "@", " street", " dot com", "老师"):
            text = (unit * N)[: N - len(tail)] + tail
            strip_pii(text)
            mask_pii(text)
    print("done")
    """
)


def test_adversarial_input_finishes():
    # A generous limit: the run takes well under a second; a catastrophic pattern takes hours.
    result = subprocess.run(
        [sys.executable, "-c", ADVERSARIAL],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
