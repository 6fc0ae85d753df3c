"""A translator's .po file keeps the web forms' rules: field lengths, no plural entries, a
sensible size, and the page's own language; each refusal says why."""

import io

import pytest
from babel.messages.pofile import read_po, write_po

from engagement.extensions import db
from engagement.staff.services import translation_io
from engagement.staff.services.texts import MAX_LENGTHS
from engagement.staff.services.translation_io import ImportFileError, export_po, import_po
from tests.factories import make_engagement
from tests.staff.test_translation_io import translate_catalog


def po_bytes(catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue()


def too_long(key, english):
    """A translation one character over the field's limit for the title, fine elsewhere."""
    if key == "engagement:title":
        return "T" * (MAX_LENGTHS["title"] + 1)
    if key == "option:news:email:label":
        return "L" * (MAX_LENGTHS["label"] + 1)
    return "HT " + english


def upload(client, data, locale="ht", name="file.po"):
    return client.post(
        f"/staff/engagements/rt/translations/{locale}/import",
        data={"po_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_forms_and_the_import_share_their_limits():
    from engagement.staff.forms import EngagementForm, OptionForm, QuestionForm

    def max_length(field):
        return next(v.max for v in field.kwargs["validators"] if hasattr(v, "max"))

    assert max_length(EngagementForm.title) == MAX_LENGTHS["title"] == 300
    assert max_length(QuestionForm.text) == MAX_LENGTHS["text"]
    assert max_length(OptionForm.label) == MAX_LENGTHS["label"] == 300


def test_over_long_entries_are_left_out_and_the_rest_imported(seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    report = import_po(eng, "ht", translate_catalog(export_po(eng, "ht"), "ht", too_long))
    db.session.expire_all()  # what the database holds, on either engine
    assert ("engagement:title", "too_long") in report.ignored
    assert ("option:news:email:label", "too_long") in report.ignored
    assert "question:news:text" in report.updated
    assert eng.text("ht")[1] == "en"  # no Haitian Creole title was stored
    news = next(q for q in eng.questions if q.code == "news")
    assert news.text("ht")[0].text == "HT How do you get news?"


def test_a_translation_exactly_at_the_limit_is_imported(seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    exact = "T" * MAX_LENGTHS["title"]
    data = translate_catalog(
        export_po(eng, "ht"), "ht", lambda k, e: exact if k == "engagement:title" else e
    )
    assert "engagement:title" in import_po(eng, "ht", data).updated
    assert eng.title("ht") == exact


def test_plural_entries_are_skipped_with_a_reason(seeded):
    eng = make_engagement(slug="rt")
    catalog = read_po(io.BytesIO(export_po(eng, "ht")), locale="ht")
    catalog.add(
        ("One answer", "%(n)s answers"), ("Yon repons", "%(n)s repons"), context="question:x:text"
    )
    catalog.add(("Apple", "Apples"), ("Pòm", "Pòm yo"))
    report = import_po(eng, "ht", po_bytes(catalog))
    assert ("question:x:text", "plural") in report.ignored
    assert ("Apple", "plural") in report.ignored


def test_nul_characters_in_a_translation_are_dropped(seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    data = translate_catalog(export_po(eng, "ht"), "ht", lambda k, e: "Sondaj\x00 fanmi")
    import_po(eng, "ht", data)
    db.session.expire_all()
    assert eng.title("ht") == "Sondaj fanmi"


def test_a_file_too_large_or_with_too_many_entries_changes_nothing(seeded, monkeypatch):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    data = translate_catalog(export_po(eng, "ht"), "ht", lambda k, e: "HT " + e)
    with pytest.raises(ImportFileError) as raised:
        import_po(eng, "ht", data + b"#" * translation_io.MAX_PO_BYTES)
    assert raised.value.reason == "too_large"
    monkeypatch.setattr(translation_io, "MAX_PO_ENTRIES", 3)
    with pytest.raises(ImportFileError) as raised:
        import_po(eng, "ht", data)
    assert raised.value.reason == "too_many_entries"
    assert eng.title("ht") == "Family survey"


@pytest.mark.parametrize("header", ["pt_BR", "pt-BR", "pt"])
def test_language_header_variants_of_the_page_language_are_accepted(seeded, header):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    data = translate_catalog(export_po(eng, "pt_BR"), "pt_BR", lambda k, e: "PT " + e)
    data = data.replace(b"Language: pt_BR", f"Language: {header}".encode())
    import_po(eng, "pt_BR", data)
    assert eng.title("pt_BR") == "PT Family survey"


def test_a_file_for_another_language_says_so(seeded):
    eng = make_engagement(slug="rt")
    spanish = translate_catalog(export_po(eng, "es"), "es", lambda k, e: "ES")
    with pytest.raises(ImportFileError) as raised:
        import_po(eng, "ht", spanish)
    assert (raised.value.reason, raised.value.file_locale) == ("other_language", "es")


# --- the import page -----------------------------------------------------------------------


def test_page_names_each_entry_left_out_and_why(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    catalog = read_po(io.BytesIO(translate_catalog(export_po(eng, "ht"), "ht", too_long)))
    catalog.add(("One", "Many"), ("En", "Anpil"), context="question:x:text")
    response = upload(staff_client, po_bytes(catalog))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "longer than the 300 characters this field allows; skipped" in page
    assert "plural entries are not used here; skipped" in page
    assert "<code>question:news:text</code>" in page  # imported
    assert eng.title("ht") == "Family survey"


def test_page_says_plainly_that_a_spanish_file_is_not_haitian_creole(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    spanish = translate_catalog(export_po(eng, "es"), "es", lambda k, e: "ES")
    page = upload(staff_client, spanish, name="rt.es.po").get_data(as_text=True)
    assert "This file is a translation into Español, not Kreyòl ayisyen" in page
    assert "could not be read" not in page
    assert eng.title("ht") == "Family survey"


def test_page_refuses_a_file_too_large(staff_client, seeded):
    make_engagement(slug="rt")
    response = upload(staff_client, b"#" * (translation_io.MAX_PO_BYTES + 10))
    assert response.status_code == 200
    assert "This file is larger than 200 KB" in response.get_data(as_text=True)


def test_page_in_spanish_explains_in_spanish(staff_client, seeded):
    eng = make_engagement(slug="rt")
    spanish = translate_catalog(export_po(eng, "es"), "es", lambda k, e: "ES")
    page = staff_client.post(
        "/staff/engagements/rt/translations/ht/import?lang=es",
        data={"po_file": (io.BytesIO(spanish), "rt.es.po")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Este archivo es una traducción al idioma Español, no al idioma Kreyòl ayisyen" in page


def test_translation_page_refuses_what_the_authoring_form_refuses(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    page = staff_client.get("/staff/engagements/rt/translations/ht").get_data(as_text=True)
    assert 'name="u0_title"' in page
    response = staff_client.post(
        "/staff/engagements/rt/translations/ht", data={"u0_title": "T" * 301}
    )
    assert response.status_code == 200  # the page again, with the error
    assert eng.title("ht") == "Family survey"
