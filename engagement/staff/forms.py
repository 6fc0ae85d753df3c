"""WTForms forms of the staff workspace. Labels are lazy (_l): evaluated per request."""

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from engagement import labels
from engagement.i18n import _l
from engagement.models import ActionStatus, Channel, EngagementKind, QuestionKind, Role

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
CODE_MESSAGE = _l("Use lowercase letters, digits and _ only, starting with a letter.")
# A light check; whether the address works is the administrator's to know.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.STAFF: _l("District staff"),
    Role.COUNCIL_LEAD: _l("Council lead"),
}


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (one per choice) instead of a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def as_choices(pairs) -> list[SelectChoice]:
    """SelectChoice objects from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _coerce_optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=512)])
    submit = SubmitField(_l("Sign in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class ActionForm(FlaskForm):
    """An empty form: a CSRF-protected button (open, close, move, hide...)."""


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(EMAIL_RE, message=_l("Enter an e-mail address like name@example.org.")),
        ],
    )
    role = SelectField(_l("Role"), choices=as_choices([(r.value, ROLE_LABELS[r]) for r in Role]))
    councils = MultiCheckboxField(_l("Councils (council leads only)"), coerce=int, choices=[])
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. Leave empty to keep the current password."),
        validators=[Optional(), Length(min=12, max=512)],
    )
    submit = SubmitField(_l("Save account"))

    def validate_councils(self, field):
        if self.role.data == Role.COUNCIL_LEAD and not field.data:
            raise ValidationError(_l("Choose at least one council for a council lead."))
        if self.role.data != Role.COUNCIL_LEAD and field.data:
            raise ValidationError(_l("Only council leads are tied to councils."))


class EngagementForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=as_choices([(k.value, labels.KIND[k]) for k in EngagementKind])
    )
    slug = StringField(
        _l("Web address name"),
        description=_l("Lowercase letters, digits and dashes, e.g. fall-family-survey."),
        validators=[
            DataRequired(),
            Regexp(SLUG_RE, message=_l("Use lowercase letters, digits and dashes only.")),
        ],
    )
    title = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(
        _l("Description (English)"), validators=[Optional(), Length(max=5000)]
    )
    school_id = SelectField(_l("School"), coerce=_coerce_optional_int, choices=[])
    council_id = SelectField(_l("Council"), coerce=_coerce_optional_int, choices=[])
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    priorities = MultiCheckboxField(_l("Strategic priorities"), coerce=int, choices=[])
    series = StringField(
        _l("Series"),
        description=_l("Engagements repeated over time share a series name."),
        validators=[Optional(), Length(max=80)],
    )
    submit = SubmitField(_l("Save engagement"))

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time."))


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Kind of question"),
        choices=as_choices([(k.value, labels.QUESTION_KIND[k]) for k in QuestionKind]),
    )
    code = StringField(
        _l("Code"),
        description=_l("A short stable name used in exports, e.g. school_news."),
        validators=[DataRequired(), Regexp(CODE_RE, message=CODE_MESSAGE)],
    )
    text = TextAreaField(_l("Question (English)"), validators=[DataRequired(), Length(max=2000)])
    help = TextAreaField(_l("Help text (English)"), validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("An answer is required"))
    submit = SubmitField(_l("Save question"))


class OptionForm(FlaskForm):
    code = StringField(
        _l("Code"), validators=[DataRequired(), Regexp(CODE_RE, message=CODE_MESSAGE)]
    )
    label = StringField(_l("Label (English)"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Save option"))


class EventForm(FlaskForm):
    held_on = DateField(_l("Date held"), validators=[InputRequired()])
    attendance = IntegerField(
        _l("Number of people who attended"),
        validators=[InputRequired(), NumberRange(min=0, max=100000)],
    )
    languages = MultiCheckboxField(_l("Languages interpreted"), choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save event"))


class CardForm(FlaskForm):
    token = HiddenField()
    text = TextAreaField(
        _l("Comment card text"),
        validators=[DataRequired(message=_l("Type the comment from the card.")), Length(max=2000)],
    )
    locale = SelectField(_l("Language of the card"), choices=[])
    group_id = SelectField(_l("Who wrote it"), coerce=_coerce_optional_int, choices=[])
    channel = SelectField(
        _l("How it was collected"),
        choices=as_choices(
            [(c.value, labels.CHANNEL[c]) for c in (Channel.PAPER, Channel.STAFF_ENTRY)]
        ),
    )
    question_id = SelectField(_l("Question it answers"), coerce=int, choices=[])
    submit = SubmitField(_l("Save card and enter the next"))


class LoopActionForm(FlaskForm):
    heard = TextAreaField(
        _l("What we heard (English)"), validators=[DataRequired(), Length(max=3000)]
    )
    did = TextAreaField(
        _l("What we will do or did (English)"), validators=[DataRequired(), Length(max=3000)]
    )
    status = SelectField(
        _l("Status"), choices=as_choices([(s.value, labels.ACTION_STATUS[s]) for s in ActionStatus])
    )
    theme_code = SelectField(_l("Theme (optional)"), choices=[])
    submit = SubmitField(_l("Save note"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validators=[Optional()])


class HeldDecisionForm(FlaskForm):
    """Release or set aside answers held for review (one, or the ones ticked)."""

    response_ids = SelectMultipleField(coerce=int, validate_choice=False)
    decision = SelectField(
        choices=as_choices([("released", _l("Release")), ("set_aside", _l("Set aside"))]),
        validators=[InputRequired()],
    )

    def validate_response_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Tick at least one answer first."))
