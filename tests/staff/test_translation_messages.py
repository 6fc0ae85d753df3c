"""What the translation pages say: a file for another language is named as such (also
without a Language header), and "saved" agrees with the page's own counter."""

import io
import re

import pytest

from engagement.staff.services import translation_io
from engagement.staff.services.translation_io import ImportFileError, export_po, import_po
from tests.factories import make_engagement
from tests.staff.test_translation_io import translate_catalog

SPANISH = {
    "engagement:title": "Encuesta para las familias sobre nuestras escuelas",
    "question:informed:text": "Me siento informado sobre lo que pasa en la escuela de mi hijo.",
    "question:news:text": "¿Cómo recibe usted las noticias de la escuela?",
    "question:help:text": "¿Qué le ayudaría a participar en las reuniones de la escuela?",
    "question:comments:text": "¿Hay algo más que quiera decirnos sobre la escuela?",
}
CREOLE = {
    "engagement:title": "Sondaj pou fanmi yo sou lekòl nou yo",
    "question:informed:text": "Mwen santi m enfòme sou sa k ap pase nan lekòl pitit mwen an.",
    "question:news:text": "Kijan ou resevwa nouvèl lekòl la?",
    "question:help:text": "Kisa ki ta ede w patisipe nan reyinyon lekòl yo?",
    "question:comments:text": "Èske gen lòt bagay ou vle di nou sou lekòl la?",
}


def headerless(data: bytes) -> bytes:
    """The file as some tools save it: without a Language header."""
    return re.sub(rb'"Language: [^"]*"\n', b"", data)


def translated(eng, locale, texts) -> bytes:
    return translate_catalog(export_po(eng, locale), locale, lambda k, e: texts.get(k, ""))


def upload(client, data, name, locale="ht"):
    return client.post(
        f"/staff/engagements/rt/translations/{locale}/import",
        data={"po_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    ).get_data(as_text=True)


def test_a_spanish_file_without_language_header_is_named_by_its_file_name(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    spanish = headerless(translated(eng, "es", {"engagement:title": "Encuesta"}))
    assert b"Language:" not in spanish
    page = upload(staff_client, spanish, "rt.es.po")
    assert "This file seems to be a translation into Español, not Kreyòl ayisyen" in page
    assert "could not be read" not in page
    assert eng.title("ht") == "Family survey"


def test_a_spanish_file_without_header_or_telling_name_is_named_by_its_text(seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    spanish = headerless(translated(eng, "es", SPANISH))
    with pytest.raises(ImportFileError) as raised:
        import_po(eng, "ht", spanish, filename="translations.po")
    assert (raised.value.reason, raised.value.file_locale) == ("looks_other_language", "es")
    assert eng.title("ht") == "Family survey"


def test_a_creole_file_without_header_is_imported(seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    creole = headerless(translated(eng, "ht", CREOLE))
    report = import_po(eng, "ht", creole, filename="translations.po")
    assert "engagement:title" in report.updated
    assert eng.title("ht") == CREOLE["engagement:title"]


def test_a_short_headerless_file_is_not_guessed(seeded):
    """Too few words to tell a language: the page's language is trusted."""
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    short = headerless(translated(eng, "ht", {"engagement:title": "Encuesta"}))
    import_po(eng, "ht", short, filename="translations.po")
    assert eng.title("ht") == "Encuesta"


def counter(page):
    """The page's "done/total strings" counter."""
    match = re.search(r"(\d+)/(\d+) strings", page)
    return int(match.group(1)), int(match.group(2))


def test_saved_strings_agree_with_the_counter(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    url = "/staff/engagements/rt/translations/ht"
    page = staff_client.get(url).get_data(as_text=True)
    done, total = counter(page)
    assert done == 0 and total == translation_io.completeness(eng, "ht").total
    # Two strings typed on the page: the title (unit 0) and the first question (unit 1).
    fields = dict(re.findall(r'name="(u\d+_[a-z]+)"[^>]*>([^<]*)<', page))
    data = {name: "" for name in fields}
    data.update({"u0_title": "Sondaj fanmi", "u1_text": "Mwen santi m enfòme."})
    response = staff_client.post(url, data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    missing = total - 2
    assert "2 strings saved." in page
    assert f"2 of {total} strings are now translated into Kreyòl ayisyen." in page
    assert f"{missing} strings are still missing." in page
    assert counter(page) == (2, total)


def test_import_page_says_what_is_still_missing(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    total = translation_io.completeness(eng, "ht").total
    page = upload(staff_client, translated(eng, "ht", CREOLE), "rt.ht.po")
    assert "5 strings updated, 0 unchanged" in page
    assert f"5 of {total} strings are now translated into Kreyòl ayisyen." in page
    assert f"{total - 5} strings are still missing." in page
