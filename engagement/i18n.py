"""Locale selection, language names, and content-translation helpers for templates."""

from datetime import date, datetime, time
from typing import NamedTuple
from urllib.parse import urlencode

import flask_babel
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import format_number, get_locale, gettext, lazy_gettext, refresh
from markupsafe import Markup

from engagement.models.content import SOURCE_LOCALE

_ = gettext
_l = lazy_gettext

LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
# Set once the "Not your language?" box has been shown, so that it shows on the first visit
# only (a flag, nothing else: it names no language and no person).
LANG_OFFERED_COOKIE = "picker_shown"

# Each language in its own name, for the switcher (never translated).
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "zh_Hans": "简体中文",
    "ht": "Kreyòl ayisyen",
    "ar": "العربية",
}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}

# Browser languages that stand for another supported language. Many Haitian families set
# their phones to French, the other official language of Haiti; Kreyòl is closer to them
# than English. Only Accept-Language is read this way, never an explicit ?lang= choice.
ACCEPT_ALIASES = {"fr": "ht"}
# Traditional Chinese readers get Simplified Chinese, with a note saying so.
TRADITIONAL_CHINESE = {"zh_tw", "zh_hk", "zh_mo", "zh_hant"}


def supported() -> list[str]:
    return current_app.config["LANGUAGES"]


def match_locale(tag: str | None) -> str | None:
    """Map a language tag ('pt-BR', 'zh-CN', 'es-419', 'pt_BR') to a supported locale."""
    if not tag:
        return None
    wanted = tag.strip().replace("-", "_").lower()
    languages = supported()
    for code in languages:
        if code.lower() == wanted:
            return code
    primary = wanted.split("_")[0]
    for code in languages:
        if code.split("_")[0].lower() == primary:
            return code
    return None


def match_browser_locale(tag: str) -> tuple[str | None, str | None]:
    """(locale, note) for one Accept-Language tag: `note` is "traditional_chinese" when a
    Traditional Chinese reader is offered Simplified Chinese, else None."""
    wanted = tag.strip().replace("-", "_").lower()
    if any(wanted.startswith(prefix) for prefix in TRADITIONAL_CHINESE):
        chosen = match_locale("zh_Hans")
        return chosen, "traditional_chinese" if chosen else None
    chosen = match_locale(tag)
    if chosen is None:
        alias = ACCEPT_ALIASES.get(wanted.split("_")[0])
        chosen = match_locale(alias) if alias else None
    return chosen, None


def select_locale() -> str:
    """?lang= (remembered in a cookie) > cookie > Accept-Language > English.

    A language guessed from the browser (no ?lang=, no cookie) sets `g.locale_guessed`, so
    that the page offers the other languages ("Not your language?")."""
    if "locale" in g:
        return g.locale
    if not has_request_context():
        # CLI commands and workers (reports, exports) use force_locale or the default.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = match_locale(request.args.get("lang")) or match_locale(
        request.cookies.get(LANG_COOKIE)
    )
    g.locale_guessed = chosen is None
    g.locale_note = None
    if chosen is None:
        for tag, _quality in request.accept_languages:
            chosen, g.locale_note = match_browser_locale(tag)
            if chosen:
                break
    g.locale = chosen or current_app.config["BABEL_DEFAULT_LOCALE"]
    return g.locale


def reset_locale():
    """before_request: choose the locale afresh for every request.

    The choice is cached on `g`, which lives on the app context; when that context outlives
    one request (tests, CLI tools driving the test client) the next request must not
    inherit the previous one's language.
    """
    for key in ("locale", "locale_guessed", "locale_note", "languages_offered", "requested_locale"):
        g.pop(key, None)
    refresh()


def best_offered(offered: list[str], requested: str) -> str:
    """The language to show a page offered only in `offered`: `requested` if offered, else
    the first offered language the browser accepts, else English."""
    if requested in offered:
        return requested
    if has_request_context():
        for tag, _quality in request.accept_languages:
            chosen, _note = match_browser_locale(tag)
            if chosen in offered:
                return chosen
    return SOURCE_LOCALE


def use_offered(offered: list[str]) -> str | None:
    """Show this request's page in one of the `offered` languages. When the family's own
    language is not among them, the page switches to the best offered one and the family's
    language is returned (kept as `g.requested_locale`, for a notice written in it)."""
    requested = current_locale()
    shown = best_offered(offered, requested)
    if shown == requested:
        return None
    g.locale = shown
    g.requested_locale = requested
    g.locale_note = None
    refresh()
    return requested


def offered_notice(offered: list[str]) -> Markup | None:
    """A short notice, in the family's own language, naming the languages a page is offered
    in (None when the page is in the family's language)."""
    requested = g.get("requested_locale") if has_request_context() else None
    if not requested:
        return None
    names = ", ".join(LANGUAGE_NAMES.get(code, code) for code in offered)
    with flask_babel.force_locale(requested):
        text = gettext(
            "This form is not offered in your language. It is offered in: %(languages)s.",
            languages=names,
        )
    return Markup('<p class="language-notice" lang="%s" dir="%s">%s</p>') % (
        html_lang(requested),
        text_direction(requested),
        text,
    )


def offer_languages() -> bool:
    """Whether a family page shows the "Not your language?" box: the language was guessed
    from the browser and the box was not shown to this browser before. Called by the page
    that shows it, which then remembers (in a cookie) that it did."""
    if not has_request_context():
        return False
    offer = bool(g.get("locale_guessed")) and not request.cookies.get(LANG_OFFERED_COOKIE)
    if offer:
        g.languages_offered = True
    return offer


def remember_locale(response):
    """after_request: store an explicit ?lang= choice in a cookie, and remember that the
    other languages were offered."""
    if g.get("languages_offered"):
        response.set_cookie(
            LANG_OFFERED_COOKIE,
            "1",
            max_age=LANG_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
        )
    chosen = match_locale(request.args.get("lang"))
    if chosen and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=LANG_COOKIE_MAX_AGE,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
        )
    return response


def current_locale() -> str:
    return str(get_locale() or "en")


def html_lang(locale: str) -> str:
    """BCP 47 tag for the lang attribute: 'pt_BR' -> 'pt-BR'."""
    return locale.replace("_", "-")


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"


# Dates written by hand where Babel's data is missing: Babel has no month names or date
# patterns for Haitian Creole and falls back to "2026 M12 28".
HT_MONTHS = (
    "janvye", "fevriye", "mas", "avril", "me", "jen",
    "jiyè", "out", "septanm", "oktòb", "novanm", "desanm",
)  # fmt: skip
HT_WEEKDAYS = ("lendi", "madi", "mèkredi", "jedi", "vandredi", "samdi", "dimanch")


def _ht_date(value: date, format: str) -> str:
    if format == "short":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    text = f"{value.day} {HT_MONTHS[value.month - 1]} {value.year}"
    if format == "full":
        return f"{HT_WEEKDAYS[value.weekday()]} {text}"
    return text


def _ht_time(value: time, format: str) -> str:
    return f"{value.hour}:{value.minute:02d}"


HAND_DATES = {"ht": _ht_date}
HAND_TIMES = {"ht": _ht_time}


def format_date(value: date | datetime, format: str = "long") -> str:
    """A date in the current language ("short", "medium", "long" or "full"); a datetime is
    first moved to the district's time zone."""
    hand = HAND_DATES.get(current_locale())
    if hand is None:
        return flask_babel.format_date(value, format)
    if isinstance(value, datetime):
        value = flask_babel.to_user_timezone(value).date()
    return hand(value, format)


def format_time(value: time | datetime, format: str = "short") -> str:
    """A time of day in the current language; a datetime is first moved to the district's
    time zone."""
    hand = HAND_TIMES.get(current_locale())
    if hand is None:
        return flask_babel.format_time(value, format)
    if isinstance(value, datetime):
        value = flask_babel.to_user_timezone(value).time()
    return hand(value, format)


def format_datetime(value: datetime, format: str = "medium") -> str:
    """A date and time of day in the current language, in the district's time zone."""
    if current_locale() not in HAND_DATES:
        return flask_babel.format_datetime(value, format)
    return f"{format_date(value, format)}, {format_time(value, 'short')}"


class LocalizedText(NamedTuple):
    text: str
    lang: str
    fallback: bool

    def __str__(self):
        return self.text


def localized(obj, field: str, locale: str | None = None) -> LocalizedText:
    """`field` of the translation row of `obj` in the current locale, falling back to English."""
    locale = locale or current_locale()
    row, used = obj.text(locale)
    value = getattr(row, field, "") if row is not None else ""
    return LocalizedText(value or "", used, used != locale)


def localized_detail(obj, field: str, locale: str | None = None) -> LocalizedText:
    """`field` in the current locale, or in English when that one field is not translated
    yet (an optional field such as an event's place may be missing from a translated row)."""
    value = localized(obj, field, locale)
    if value.text or value.lang == SOURCE_LOCALE:
        return value
    return localized(obj, field, SOURCE_LOCALE)._replace(fallback=True)


def localized_name(obj, locale: str | None = None) -> LocalizedText:
    """Name of a seeded object (group, priority) from its `names` dict, English fallback."""
    locale = locale or current_locale()
    names = obj.names or {}
    if names.get(locale):
        return LocalizedText(names[locale], locale, False)
    return LocalizedText(names.get("en", ""), "en", locale != "en")


def lang_attr(value) -> Markup:
    """` lang="en"` on an element whose text fell back to another language, else nothing."""
    if isinstance(value, LocalizedText) and value.fallback:
        return Markup(' lang="%s"') % html_lang(value.lang)
    return Markup("")


def lang_url(code: str, query_only: bool = False) -> str:
    """The current page in another language (other query arguments kept); with
    `query_only`, only "?lang=…" and the other arguments, which a browser resolves against
    the page's own path (a few bytes less for each language button of the form page).

    The query arguments are never passed to url_for as keywords: a visitor's `?_method=`,
    `?_anchor=`, `?endpoint=` or `?slug=` would otherwise be read as url_for's own options or
    clash with the page's path arguments.
    """
    rule = request.url_rule
    if not (request.endpoint and rule is not None and "GET" in (rule.methods or ())):
        return url_for("public.home", lang=code)
    query, replaced = [], False
    for key, value in request.args.items(multi=True):
        if key == "lang":
            if not replaced:
                query.append((key, code))
            replaced = True
        else:
            query.append((key, value))
    if not replaced:
        query.append(("lang", code))
    if query_only:
        return "?" + urlencode(query)
    return url_for(request.endpoint, **(request.view_args or {})) + "?" + urlencode(query)


def district_name(locale: str | None = None) -> str:
    """The district's name in the current language where it has one, else DISTRICT_NAME."""
    config = current_app.config
    name = config["DISTRICT_NAME"]
    names = config.get("DISTRICT_NAMES") or {}
    if names.get("en", name) != name:
        return name
    return names.get(locale or current_locale()) or name


def template_globals() -> dict:
    locale = current_locale()
    return {
        "district_name": district_name(locale),
        "current_locale": locale,
        "html_lang": html_lang(locale),
        "text_dir": text_direction(locale),
        "language_names": [(code, LANGUAGE_NAMES.get(code, code)) for code in supported()],
        "html_lang_of": html_lang,
        "localized": localized,
        "localized_name": localized_name,
        "localized_detail": localized_detail,
        "lang_attr": lang_attr,
        "lang_url": lang_url,
        "format_date": format_date,
        "format_time": format_time,
        "format_number": format_number,
        "offer_languages": offer_languages,
        "locale_note": g.get("locale_note") if has_request_context() else None,
    }
