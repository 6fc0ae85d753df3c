"""An optional adapter to a LibreTranslate server the district runs itself, for machine
drafts of quotes' English renderings.

Nothing is sent anywhere unless LIBRETRANSLATE_URL is set (it is unset by default). Even
then only the quote as masked (never the family's text as written) is sent, one quote at a
time, when a staff member asks for a draft on the quote's page. A draft is marked "machine
draft" and shown nowhere but the review pages until a person checks and saves it
(engagement.themes.review.store_machine_draft, set_english).
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10

# The project's language codes (analysis and Babel) as LibreTranslate spells them.
LIBRETRANSLATE_CODES = {"pt_BR": "pt", "zh_Hans": "zh", "zh": "zh", "pt": "pt"}


class MachineTranslationError(Exception):
    """The translation server could not give a draft (unreachable, refused, or odd reply)."""


def source_code(lang: str | None) -> str:
    """`lang` as LibreTranslate names it; "auto" when the language is not known."""
    if not lang:
        return "auto"
    return LIBRETRANSLATE_CODES.get(lang, lang.split("_")[0])


def translate_to_english(text: str, lang: str | None, url: str, api_key: str | None = None) -> str:
    """`text` (in `lang`) translated to English by the LibreTranslate server at `url`.
    Raises MachineTranslationError on any failure; never logs the text."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise MachineTranslationError("LIBRETRANSLATE_URL must be an http(s) address")
    body = {"q": text, "source": source_code(lang), "target": "en", "format": "text"}
    if api_key:
        body["api_key"] = api_key
    request = urllib.request.Request(
        url.rstrip("/") + "/translate",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        # The scheme is checked above: only http(s) to the configured server (bandit B310).
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # nosec B310
            reply = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        log.warning("machine translation failed: %s", type(error).__name__)
        raise MachineTranslationError(type(error).__name__) from error
    draft = reply.get("translatedText") if isinstance(reply, dict) else None
    if not isinstance(draft, str) or not draft.strip():
        raise MachineTranslationError("no translatedText in the reply")
    return draft.strip()
