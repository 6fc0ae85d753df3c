"""How a comment reads as a quote: the automatic masking (engagement.themes.pii), or the
words staff masked by hand with the review page's "mask this" tool.

Plain Python, no database: the review page and the summary's quotes both call `as_quoted`,
so staff approve exactly the text that will be quoted. Masking by hand works on the quote
as it reads now, so it can only hide more; the family's own text is never changed.

An English rendering of a quote (models.QuoteEnglish) is written from the quote as masked,
and checked the same way before it is saved (`rendering_problems`): it keeps every masked
detail of the quote and holds nothing the automatic masking would hide. It is tied to the
quote it renders by `fingerprint`, so a quote masked again leaves the rendering to be
checked again before it is shown beside it.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from engagement.themes.pii import mask_pii

MASK = "[…]"

# Scripts written without spaces between words: each character is its own token, so that
# a name inside "我儿子王小明" can be masked without masking the sentence.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD = rf"(?:(?![{_UNSPACED}])\w)+"
_TOKEN_RE = re.compile(
    rf"(?P<placeholder>\[[^\]\s]{{1,20}}\])|[{_UNSPACED}]|{_WORD}(?:['’.@-]{_WORD})*"
)


@dataclass(frozen=True)
class Token:
    """A word (or one character of an unspaced script) of a quote, and where it is."""

    index: int
    start: int
    end: int
    text: str
    maskable: bool  # False for a placeholder already standing for masked details


def as_quoted(text: str, quote_text: str | None) -> str:
    """The quote as readers see it: staff's hand-masked text if any, else automatic masking."""
    return quote_text if quote_text is not None else mask_pii(text)


def tokens(quote: str) -> list[Token]:
    """The words of `quote`, in order (punctuation and spaces between them are not tokens)."""
    return [
        Token(i, m.start(), m.end(), m.group(0), m.group("placeholder") is None)
        for i, m in enumerate(_TOKEN_RE.finditer(quote))
    ]


def mask_tokens(quote: str, indexes) -> str:
    """`quote` with the tokens at `indexes` replaced by MASK; masked words next to each other
    (only spaces between) become one MASK, so the number of hidden words does not show."""
    chosen = {int(i) for i in indexes}
    out, position, last_masked = [], 0, False
    for token in tokens(quote):
        gap = quote[position : token.start]
        if token.index in chosen and token.maskable:
            if not (last_masked and not gap.strip()):
                out.append(gap + MASK)
            last_masked = True
        else:
            out.append(gap + token.text)
            last_masked = False
        position = token.end
    out.append(quote[position:])
    return "".join(out)


def fingerprint(quote: str) -> str:
    """A fixed-length mark of the quote an English rendering was written from."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()


def placeholders(text: str) -> Counter:
    """How many times each mark standing for hidden details ("[…]", "[phone]") is in `text`."""
    return Counter(m.group("placeholder") for m in _TOKEN_RE.finditer(text) if m["placeholder"])


# What `rendering_problems` can find; the views say each in the reader's language.
DETAILS = "details"  # a detail the automatic masking would hide
MASKS = "masks"  # a masked detail of the quote is missing from the rendering


def rendering_problems(quote: str, english: str) -> list[str]:
    """Why `english` cannot stand beside `quote` ([] when it can): it must keep each masked
    detail of the quote ("[…]", "[name]", ...) at least as often, and hold nothing that
    masking would hide (a name after "my son", a phone number, an e-mail, an address)."""
    problems = []
    if mask_pii(english) != english:
        problems.append(DETAILS)
    if placeholders(quote) - placeholders(english):
        problems.append(MASKS)
    return problems
