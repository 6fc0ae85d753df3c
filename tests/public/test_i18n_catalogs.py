"""Every catalog is complete, and every user-visible template string goes through gettext."""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# Attributes whose values people see or hear.
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-roledescription", "label"}
# Text that is deliberately not translated (none yet; language names come from a variable).
ALLOWED_TEXT: set[str] = set()


def catalog_problems(path: Path) -> list[str]:
    """Untranslated and fuzzy entries of one .po file."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {msgid!r}")
    return problems


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_is_complete_and_not_fuzzy(path):
    problems = catalog_problems(path)
    assert not problems, f"{path.parts[-3]}: {len(problems)} problems\n" + "\n".join(problems)


def test_the_catalog_check_finds_problems(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Done"\nmsgstr "Hecho"\n\n'
        'msgid "Open"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Closed"\nmsgstr "Cerrada"\n\n'
        'msgid "%(n)s answer"\nmsgid_plural "%(n)s answers"\n'
        'msgstr[0] "%(n)s respuesta"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    assert catalog_problems(po) == [
        "untranslated: 'Open'",
        "fuzzy: 'Closed'",
        "untranslated: '%(n)s answer'",
    ]


def test_every_language_has_a_catalog():
    from config import Config

    found = {p.parts[-3] for p in CATALOGS}
    assert set(Config.LANGUAGES) - {"en"} <= found


def strip_jinja(source: str) -> str:
    """The HTML of a template with Jinja comments, trans blocks, tags and expressions gone."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", "", source, flags=re.S)
    # Blocks that fill an attribute in the parent template (`{% block body_class %}`).
    source = re.sub(
        r"\{%-?\s*block\s+(\w*class)\s*-?%\}.*?\{%-?\s*endblock\b.*?%\}", "", source, flags=re.S
    )
    # `<{{ tag }} ...>` stays a tag for the HTML parser.
    source = re.sub(r"(</?)\{\{.*?\}\}", r"\1span", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", "", source, flags=re.S)
    return re.sub(r"\{\{.*?\}\}", "", source, flags=re.S)


# Macro output that is a run of attributes (` aria-describedby="..."`), or a URL path.
NOT_PROSE = re.compile(r'([\w:-]+="[^"]*"\s*)+|\S*/\S*')


def has_words(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


class VisibleText(HTMLParser):
    """Collects text nodes and visible attribute values, skipping script and style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES and has_words(value):
                self.found.append(f'{tag}[{name}="{value}"]')
        is_button = tag == "input" and attributes.get("type") in ("submit", "button", "reset")
        if is_button and has_words(attributes.get("value") or ""):
            self.found.append(f'input[value="{attributes["value"]}"]')

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if self._skip or text in ALLOWED_TEXT or NOT_PROSE.fullmatch(text):
            return
        if has_words(text):
            self.found.append(text)


def visible_strings(source: str) -> list[str]:
    parser = VisibleText()
    parser.feed(strip_jinja(source))
    parser.close()
    return parser.found


def test_the_scanner_finds_untranslated_text():
    assert visible_strings("<p>Hello {{ name }}</p>") == ["Hello"]
    assert visible_strings('<img alt="A chart">') == ['img[alt="A chart"]']
    assert visible_strings('<button aria-label="Close">×</button>') == [
        'button[aria-label="Close"]'
    ]
    assert visible_strings("<p>{{ _('Hello') }} – {{ n }} %</p>") == []
    assert visible_strings("{% trans %}Hello {{ x }}{% endtrans %}") == []
    assert visible_strings('<{{ tag }} class="x">{{ value }}</{{ tag }}>') == []
    assert visible_strings("{# a comment #}<script>var x = 'y';</script>") == []
    assert visible_strings("{% block body_class %}staff page{% endblock %}") == []
    assert visible_strings('{% if x %} aria-describedby="{{ x }}"{% endif %}') == []
    assert visible_strings("<code>/e/{{ slug }}</code>") == []
    assert visible_strings("{% block title %}Staff{% endblock %}") == ["Staff"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_has_no_untranslated_text(path):
    found = visible_strings(path.read_text(encoding="utf-8"))
    assert not found, f"wrap these in _() or {{% trans %}}: {found}"
