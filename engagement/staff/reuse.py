"""Reuse views (staff and admins): duplicate an engagement, and the question bank."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import ngettext

from engagement import labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, localized
from engagement.models import BankQuestion, Question
from engagement.staff import bp, confirm
from engagement.staff.access import child_or_404, engagement_for, may_author, requires
from engagement.staff.forms import ActionForm
from engagement.staff.reuse_forms import (
    BankPickForm,
    BankQuestionForm,
    DuplicateForm,
    bank_choices,
)
from engagement.staff.services import reuse as reuse_service
from engagement.staff.services import translation_io
from engagement.staff.services.authoring import AuthoringError
from engagement.staff.services.texts import source_row
from engagement.staff.translating import check_locale, render_translation_page, target_locales


def bank_or_404(bank_id: int) -> BankQuestion:
    entry = db.session.get(BankQuestion, bank_id)
    if entry is None:
        abort(404)
    return entry


# --- duplicate -----------------------------------------------------------------------------


@bp.route("/engagements/<slug>/duplicate", methods=["GET", "POST"])
@requires(may_author)
def engagement_duplicate(slug):
    engagement = engagement_for(slug)
    english = source_row(engagement.texts)
    form = DuplicateForm(
        data={
            "slug": reuse_service.suggested_slug(engagement),
            "title": english.title if english else "",
        }
    )
    if form.validate_on_submit():
        try:
            copy = reuse_service.duplicate_engagement(engagement, form.slug.data, form.title.data)
        except AuthoringError as error:
            form.slug.errors.append(str(error))
        else:
            flash(
                _(
                    "Copy made, as a draft with no answers. Set its dates, check its "
                    "translations, then open it."
                ),
                "success",
            )
            return redirect(url_for("staff.engagement_detail", slug=copy.slug))
    return render_template("staff/duplicate.html", form=form, engagement=engagement)


# --- the question bank ---------------------------------------------------------------------


@bp.route("/bank")
@requires(may_author)
def bank():
    entries = reuse_service.bank_questions()
    return render_template(
        "staff/bank.html",
        entries=entries,
        uses=reuse_service.bank_uses(),
        question_kinds=labels.QUESTION_KIND,
    )


@bp.route("/bank/<int:bank_id>/edit", methods=["GET", "POST"])
@requires(may_author)
def bank_edit(bank_id):
    entry = bank_or_404(bank_id)
    english = source_row(entry.texts)
    form = BankQuestionForm(
        data={
            "code": entry.code,
            "text": english.text if english else "",
            "help": english.help if english else "",
            "required": entry.required,
        }
    )
    used = reuse_service.has_answers(entry)
    if form.validate_on_submit():
        try:
            reuse_service.edit_bank_question(entry, form.data)
        except reuse_service.BankError as error:
            form.code.errors.append(str(error))
        else:
            flash(_("Bank question saved."), "success")
            return redirect(url_for("staff.bank") + f"#bank-{entry.id}")
    units = reuse_service.bank_units(entry)
    languages = [
        (
            code,
            LANGUAGE_NAMES.get(code, code),
            translation_io.Completeness(code, translation_io.string_states(units, code)),
        )
        for code in target_locales()
    ]
    return render_template(
        "staff/bank_form.html",
        form=form,
        entry=entry,
        used=used,
        languages=languages,
        question_kinds=labels.QUESTION_KIND,
        action_form=ActionForm(),
    )


@bp.route("/bank/<int:bank_id>/translations/<locale>", methods=["GET", "POST"])
@requires(may_author)
def bank_translate(bank_id, locale):
    entry = bank_or_404(bank_id)
    check_locale(locale)
    return render_translation_page(
        reuse_service.bank_units(entry),
        locale,
        localized(entry, "text", "en").text,
        url_for("staff.bank_edit", bank_id=entry.id),
    )


@bp.route("/bank/<int:bank_id>/remove", methods=["POST"])
@requires(may_author)
def bank_remove(bank_id):
    entry = bank_or_404(bank_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    code = entry.code
    if not confirm.is_confirmed():
        return confirm.ask(
            title=_("Take %(code)s out of the bank?", code=code),
            message=_(
                "Engagements that already use this question keep their own copy, with its "
                "answers. It can no longer be added to other engagements."
            ),
            button=_("Yes, take it out"),
            back=url_for("staff.bank_edit", bank_id=entry.id),
        )
    reuse_service.remove_bank_question(entry)
    flash(_("%(code)s was taken out of the bank.", code=code), "success")
    return redirect(url_for("staff.bank"))


@bp.route("/engagements/<slug>/questions/<int:question_id>/to-bank", methods=["POST"])
@requires(may_author)
def question_to_bank(slug, question_id):
    engagement = engagement_for(slug)
    question = child_or_404(Question, engagement, question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        reuse_service.save_to_bank(question)
    except reuse_service.BankError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "Question %(code)s is now in the question bank, with its options and translations.",
                code=question.code,
            ),
            "success",
        )
    return redirect(url_for("staff.engagement_detail", slug=slug) + f"#q-{question.id}")


@bp.route("/engagements/<slug>/from-bank", methods=["GET", "POST"])
@requires(may_author)
def engagement_from_bank(slug):
    engagement = engagement_for(slug)
    entries = reuse_service.bank_questions()
    taken = {q.code for q in engagement.questions}
    form = BankPickForm()
    form.bank_questions.choices = bank_choices(e for e in entries if e.code not in taken)
    if form.validate_on_submit():
        try:
            added = reuse_service.add_from_bank(
                engagement, reuse_service.bank_questions(form.bank_questions.data)
            )
        except reuse_service.BankError as error:
            form.bank_questions.errors.append(str(error))
        else:
            flash(
                ngettext(
                    "%(num)s question added from the bank.",
                    "%(num)s questions added from the bank.",
                    len(added),
                ),
                "success",
            )
            return redirect(url_for("staff.engagement_detail", slug=slug))
    return render_template(
        "staff/bank_pick.html",
        form=form,
        engagement=engagement,
        already=[e for e in entries if e.code in taken],
    )
