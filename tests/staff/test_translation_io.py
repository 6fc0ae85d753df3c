"""The translator round trip: export a .po file, translate it, import it back."""

import io

from babel.messages.pofile import read_po, write_po

from engagement.extensions import db
from engagement.models import LoopAction, LoopActionText
from engagement.staff.services.texts import source_row
from engagement.staff.services.translation_io import completeness, export_po, import_po
from tests.factories import make_engagement


def translate_catalog(data: bytes, locale: str, translate, keep_fuzzy=False) -> bytes:
    """What a translator's tool does: fill msgstr (and clear fuzzy), save the file."""
    catalog = read_po(io.BytesIO(data), locale=locale)
    for message in catalog:
        if message.id and message.context:
            message.string = translate(message.context, message.id)
            if not keep_fuzzy:
                message.flags.discard("fuzzy")
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue()


def test_round_trip_into_portuguese_and_arabic(seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey", "es": "Encuesta"})
    action = LoopAction(engagement_id=eng.id)
    action.texts.append(LoopActionText(locale="en", heard="Late buses", did="New route"))
    db.session.add(action)
    db.session.commit()
    for locale, prefix in (("pt_BR", "PT "), ("ar", "ع ")):
        exported = export_po(eng, locale)
        catalog = read_po(io.BytesIO(exported))
        keys = {m.context for m in catalog if m.id}
        assert {
            "engagement:title",
            "question:news:text",
            "option:news:email:label",
            f"action:{action.id}:heard",
        } <= keys
        assert all(not m.string for m in catalog if m.id)
        translated = translate_catalog(exported, locale, lambda key, english, p=prefix: p + english)
        report = import_po(eng, locale, translated)
        assert not report.ignored
        status = completeness(eng, locale)
        assert status.done == status.total == len(report.updated)
        assert eng.title(locale) == prefix + "Family survey"
    # Export again: the translations are in the file and nothing is fuzzy.
    again = read_po(io.BytesIO(export_po(eng, "ar")))
    assert all(m.string.startswith("ع ") and not m.fuzzy for m in again if m.id)


def test_stale_strings_are_fuzzy_and_import_reports_what_it_ignored(seeded):
    eng = make_engagement(slug="rt")
    export_po(eng, "es")  # translations from the factory have no source hash yet: confirm
    data = translate_catalog(export_po(eng, "es"), "es", lambda key, english: f"ES {english}")
    import_po(eng, "es", data)
    assert completeness(eng, "es").stale == []
    question = next(q for q in eng.questions if q.code == "comments")
    source_row(question.texts).text = "Anything else to add?"
    db.session.commit()
    catalog = read_po(io.BytesIO(export_po(eng, "es")))
    fuzzy = [m.context for m in catalog if m.id and m.fuzzy]
    assert fuzzy == ["question:comments:text"]
    # An old file (English changed since), a still-fuzzy entry and an unknown key are ignored.
    report = import_po(eng, "es", data)
    assert ("question:comments:text", "english_changed") in report.ignored
    fresh = export_po(eng, "es")
    still_fuzzy = translate_catalog(fresh, "es", lambda k, e: f"ES2 {e}", keep_fuzzy=True)
    report = import_po(eng, "es", still_fuzzy)
    assert ("question:comments:text", "fuzzy") in report.ignored
    assert [s.key for s in completeness(eng, "es").stale] == ["question:comments:text"]
    catalog = read_po(io.BytesIO(fresh))
    catalog.add("x", "y", context="question:nope:text")
    out = io.BytesIO()
    write_po(out, catalog)
    report = import_po(eng, "es", out.getvalue())
    assert ("question:nope:text", "unknown") in report.ignored
    # The translator confirms the stale string by clearing fuzzy: it becomes current.
    report = import_po(eng, "es", translate_catalog(fresh, "es", lambda k, e: f"ES3 {e}"))
    assert completeness(eng, "es").stale == []
    assert "question:comments:text" in report.updated


def test_http_export_and_import(staff_client, seeded):
    eng = make_engagement(slug="rt", titles={"en": "Family survey"})
    response = staff_client.get("/staff/engagements/rt/translations/ht/export.po")
    assert response.status_code == 200
    assert 'filename="rt.ht.po"' in response.headers["Content-Disposition"]
    translated = translate_catalog(response.data, "ht", lambda k, e: "Kreyòl: " + e)
    page = staff_client.post(
        "/staff/engagements/rt/translations/ht/import",
        data={"po_file": (io.BytesIO(translated), "rt.ht.po")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "strings updated" in page
    assert eng.title("ht") == "Kreyòl: Family survey"
    # A file for another language, or not a .po file at all, changes nothing.
    spanish = translate_catalog(export_po(eng, "es"), "es", lambda k, e: "ES")
    page = staff_client.post(
        "/staff/engagements/rt/translations/ht/import",
        data={"po_file": (io.BytesIO(spanish), "rt.es.po")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Nothing was changed." in page
    assert eng.title("ht") == "Kreyòl: Family survey"
