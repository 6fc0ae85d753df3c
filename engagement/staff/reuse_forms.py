"""Forms for reusing work: duplicating an engagement, the question bank."""

from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from engagement import labels
from engagement.forms import FlaskForm
from engagement.i18n import _l, localized
from engagement.staff.forms import (
    CODE_MESSAGE,
    CODE_RE,
    SLUG_RE,
    EngagementForm,
    MultiCheckboxField,
    as_choices,
)
from engagement.staff.services.texts import MAX_LENGTHS


def bank_choices(entries) -> list:
    """Checkbox choices for bank questions: code, English question and kind."""
    return as_choices(
        (
            e.id,
            f"{e.code} – {localized(e, 'text', 'en').text} ({labels.QUESTION_KIND[e.kind]})",
        )
        for e in entries
    )


class DuplicateForm(FlaskForm):
    slug = StringField(
        _l("Web address name of the copy"),
        description=_l("Lowercase letters, digits and dashes, e.g. fall-family-survey."),
        validators=[
            DataRequired(),
            Regexp(SLUG_RE, message=_l("Use lowercase letters, digits and dashes only.")),
        ],
    )
    title = StringField(
        _l("Title of the copy (English)"),
        description=_l("Translations of the title are marked out of date when you change it here."),
        validators=[DataRequired(), Length(max=MAX_LENGTHS["title"])],
    )
    submit = SubmitField(_l("Make the copy"))


class NewEngagementForm(EngagementForm):
    """A new engagement, optionally with questions picked from the bank."""

    bank_questions = MultiCheckboxField(_l("Questions from the bank"), coerce=int, choices=[])


class BankPickForm(FlaskForm):
    bank_questions = MultiCheckboxField(
        _l("Questions from the bank"),
        coerce=int,
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one question."))],
    )
    submit = SubmitField(_l("Add the chosen questions"))


class BankQuestionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "The same in every engagement that uses this question, so that answers line up "
            "across a series. A new code is given to those engagements too; it cannot "
            "change once the question has answers."
        ),
        validators=[Optional(), Regexp(CODE_RE, message=CODE_MESSAGE)],
    )
    text = TextAreaField(
        _l("Question (English)"), validators=[DataRequired(), Length(max=MAX_LENGTHS["text"])]
    )
    help = TextAreaField(
        _l("Help text (English)"), validators=[Optional(), Length(max=MAX_LENGTHS["help"])]
    )
    required = BooleanField(_l("An answer is required"))
    submit = SubmitField(_l("Save the bank question"))
