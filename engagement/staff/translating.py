"""Translation views: completeness per language, side-by-side editing, .po export/import."""

from flask import abort, current_app, flash, render_template, request, url_for
from flask import redirect as redirect_to
from flask_babel import ngettext

from engagement.i18n import LANGUAGE_NAMES, _, _l, match_locale
from engagement.models import SOURCE_LOCALE
from engagement.staff import bp
from engagement.staff.access import engagement_for, may_author, requires
from engagement.staff.forms import ImportForm, translation_form
from engagement.staff.services import translation_io
from engagement.staff.services.texts import MAX_LENGTHS

FIELD_LABELS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "text": _l("Question"),
    "help": _l("Help text"),
    "label": _l("Option"),
    "heard": _l("What we heard"),
    "did": _l("What we will do or did"),
    "place": _l("Place"),
    "childcare": _l("Childcare"),
    "interpreters": _l("Interpreters"),
}


def target_locales() -> list[str]:
    return [code for code in current_app.config["LANGUAGES"] if code != SOURCE_LOCALE]


def check_locale(locale: str) -> str:
    if locale not in target_locales():
        abort(404)
    return locale


def progress_message(status: translation_io.Completeness) -> str:
    """Where a language stands, in the same strings as the page's counter."""
    language = LANGUAGE_NAMES.get(status.locale, status.locale)
    message = _(
        "%(done)s of %(total)s strings are now translated into %(language)s.",
        done=status.done,
        total=status.total,
        language=language,
    )
    if status.missing:
        message += " " + ngettext(
            "%(num)s string is still missing.",
            "%(num)s strings are still missing.",
            len(status.missing),
        )
    if status.stale:
        message += " " + ngettext(
            "%(num)s string is out of date: its English changed.",
            "%(num)s strings are out of date: their English changed.",
            len(status.stale),
        )
    return message


def saved_message(saved: translation_io.SaveReport, status) -> str:
    """What a save wrote, then where the language stands (so the two numbers agree)."""
    parts = [
        ngettext("%(num)s string saved.", "%(num)s strings saved.", saved.saved),
    ]
    if saved.confirmed:
        parts.append(
            ngettext(
                "%(num)s string confirmed still correct.",
                "%(num)s strings confirmed still correct.",
                saved.confirmed,
            )
        )
    parts.append(progress_message(status))
    return " ".join(parts)


def render_translation_page(units, locale, title, back_url, import_form=None):
    """GET/POST handling shared by the engagement and the "you said, we did" pages."""
    form, rows = translation_form(units, locale)
    if form.validate_on_submit():
        saved = translation_io.save_translations(form.posted(rows), locale)
        status = translation_io.Completeness(locale, translation_io.string_states(units, locale))
        flash(saved_message(saved, status), "success")
        # A relative address: request.url would be built on the Host header.
        return redirect_to(request.full_path.rstrip("?"))
    states = translation_io.string_states(units, locale)
    return render_template(
        "staff/translate.html",
        form=form,
        rows=rows,
        locale=locale,
        language=LANGUAGE_NAMES.get(locale, locale),
        title=title,
        back_url=back_url,
        status=translation_io.Completeness(locale, states),
        import_form=import_form,
        field_labels=FIELD_LABELS,
    )


@bp.route("/engagements/<slug>/translations")
@requires(may_author)
def translations(slug):
    engagement = engagement_for(slug)
    overview = [
        (code, LANGUAGE_NAMES.get(code, code), translation_io.completeness(engagement, code))
        for code in target_locales()
    ]
    return render_template("staff/translations.html", engagement=engagement, overview=overview)


@bp.route("/engagements/<slug>/translations/<locale>", methods=["GET", "POST"])
@requires(may_author)
def translate(slug, locale):
    engagement = engagement_for(slug)
    check_locale(locale)
    return render_translation_page(
        translation_io.units(engagement),
        locale,
        engagement.title("en"),
        url_for("staff.translations", slug=slug),
        import_form=ImportForm(formdata=None),
    )


@bp.route("/engagements/<slug>/translations/<locale>/export.po")
@requires(may_author)
def translations_export(slug, locale):
    engagement = engagement_for(slug)
    check_locale(locale)
    data = translation_io.export_po(engagement, locale)
    response = current_app.response_class(data, mimetype="text/x-gettext-translation")
    filename = f"{engagement.slug}.{locale}.po"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


IGNORED_REASONS = {
    "unknown": _l("not a string of this engagement"),
    "english_changed": _l("the English text has changed since the file was made"),
    "fuzzy": _l("still marked as needing review (fuzzy)"),
    "empty": _l("no translation in the file"),
    "plural": _l("plural entries are not used here; skipped"),
}


def ignored_reason(key: str, reason: str) -> str:
    """Why the entry `key` of an imported file was left out, in the reader's language."""
    if reason == "too_long":
        limit = MAX_LENGTHS[translation_io.field_of(key)]
        return _("longer than the %(n)s characters this field allows; skipped", n=limit)
    return str(IGNORED_REASONS[reason])


def file_error(error: translation_io.ImportFileError, locale: str) -> str:
    """What is wrong with an uploaded file as a whole (nothing was imported)."""
    language = LANGUAGE_NAMES.get(locale, locale)
    if error.reason == "other_language":
        code = error.file_locale
        return _(
            "This file is a translation into %(file_language)s, not %(language)s (its "
            "Language header says %(code)s). Nothing was changed.",
            file_language=LANGUAGE_NAMES.get(match_locale(code) or code, code),
            language=language,
            code=code,
        )
    if error.reason == "looks_other_language":
        return _(
            "This file seems to be a translation into %(file_language)s, not %(language)s: "
            "it has no Language header, and its name or its text is in %(file_language)s. "
            "Check that you chose the right file. Nothing was changed.",
            file_language=LANGUAGE_NAMES.get(error.file_locale, error.file_locale),
            language=language,
        )
    if error.reason == "too_large":
        return _(
            "This file is larger than %(size)s KB, far more than one engagement needs. "
            "Check that you chose the right file. Nothing was changed.",
            size=translation_io.MAX_PO_BYTES // 1024,
        )
    if error.reason == "too_many_entries":
        return _(
            "This file has more than %(n)s entries, far more than one engagement needs. "
            "Check that you chose the right file. Nothing was changed.",
            n=translation_io.MAX_PO_ENTRIES,
        )
    return _(
        "This file could not be read as a .po file for %(language)s. Nothing was changed.",
        language=language,
    )


@bp.route("/engagements/<slug>/translations/<locale>/import", methods=["POST"])
@requires(may_author)
def translations_import(slug, locale):
    engagement = engagement_for(slug)
    check_locale(locale)
    form = ImportForm()
    report, error = None, None
    if form.validate_on_submit():
        # One byte more than the limit is enough to know the file is too large.
        data = form.po_file.data.read(translation_io.MAX_PO_BYTES + 1)
        try:
            report = translation_io.import_po(
                engagement, locale, data, filename=form.po_file.data.filename
            )
        except translation_io.ImportFileError as failure:
            error = file_error(failure, locale)
    return render_template(
        "staff/translations_import.html",
        engagement=engagement,
        locale=locale,
        language=LANGUAGE_NAMES.get(locale, locale),
        form=form,
        report=report,
        progress=progress_message(translation_io.completeness(engagement, locale))
        if report
        else "",
        error=error,
        ignored=[(key, ignored_reason(key, reason)) for key, reason in report.ignored]
        if report
        else [],
    )
