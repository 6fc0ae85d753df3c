"""The family form: one WTForms class built per engagement from its questions.

Every message is a lazy catalog string, so errors appear in the visitor's language. Choice
fields do not use WTForms' own choice checks (their messages come from another catalog);
`ValidChoice` below does the same job with our wording.
"""

import re

from flask import current_app
from flask_babel import format_number
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from engagement import labels
from engagement.forms import FlaskForm
from engagement.i18n import _, _l, localized, localized_name
from engagement.models import Channel, GroupKind, QuestionKind, RaceEthnicity
from engagement.models.exchange import IDEA_QUESTION_CODE

# C0 control characters except tab and newline, plus DEL. Carriage returns go too: a
# textarea sends CRLF line breaks, and a line break should count as one character.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Channels a family form can be reached by: its address, a printed QR code and the tracked
# links of the distribution kit (engagement.invitations). Paper and staff entry are staff's.
FORM_CHANNELS = {
    Channel.WEB.value,
    Channel.QR.value,
    Channel.SMS.value,
    Channel.EMAIL.value,
    Channel.NEWSLETTER.value,
}
NAME_MAX, EMAIL_MAX, PHONE_MAX = 200, 254, 40


def clean_text(value):
    """Normalise line breaks, drop control characters, trim surrounding spaces."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARS.sub("", value).strip()


def clean_line(value):
    """Like clean_text, for one-line fields: line breaks and tabs become spaces."""
    value = clean_text(value)
    return re.sub(r"\s+", " ", value) if isinstance(value, str) else value


def is_empty(data) -> bool:
    """True for no answer: nothing, an empty string or an empty list."""
    return data is None or data == "" or data == []


class Required:
    """Stop with `message` when the field has no answer."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if is_empty(field.data):
            field.errors[:] = []
            raise StopValidation(self.message)


class Optional:
    """Skip the other checks when the field has no answer."""

    def __call__(self, form, field):
        if is_empty(field.data):
            field.errors[:] = []
            raise StopValidation()


class ValidChoice:
    """Every submitted code must be one of the field's choices (guards tampered forms).
    `what` names the question (its text) for the message; else the field's label."""

    def __init__(self, what=None):
        self.what = what

    def __call__(self, form, field):
        allowed = {choice.value for choice in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in allowed for value in values):
            what = self.what if self.what is not None else field.label.text
            raise ValidationError(_("Choose one of the answers shown for “%(what)s”", what=what))


class MaxLength:
    """Refuse text longer than `maximum` characters (code points, as the page's counter
    counts them), numbers written the locale's way."""

    def __init__(self, maximum, question):
        self.maximum = maximum
        self.question = question

    def __call__(self, form, field):
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(
                _(
                    "Shorten your answer to “%(question)s” to %(max)s characters or fewer "
                    "(it has %(count)s now). Your text is kept below.",
                    question=self.question,
                    max=format_number(self.maximum),
                    count=format_number(len(field.data)),
                )
            )


class ResponseForm(FlaskForm):
    """Fields every engagement form has: about you, follow-up contact and hidden fields."""

    # Flask-WTF's CSRF field (csrf_token) is kept. The view checks it through this form, so
    # that a failed check re-renders the form with the answers instead of an error page.

    # The server's one-time form token (engagement.public.tokens): the view issues and
    # checks it, the form only carries it.
    token = HiddenField(filters=[clean_text])
    channel = HiddenField(filters=[clean_text])
    # The school code of the tracked link followed (`?school=`); checked when stored.
    source = HiddenField(filters=[clean_text])
    # Honeypot: people never see or hear it (hidden from assistive technology too); simple
    # bots fill every field.
    homepage = StringField(_l("Leave this field empty"), filters=[clean_text])

    roles = SelectMultipleField(
        _l("I am a…"), validate_choice=False, validators=[Optional(), ValidChoice()]
    )
    councils = SelectMultipleField(
        _l("I am a member of…"), validate_choice=False, validators=[Optional(), ValidChoice()]
    )
    school = SelectField(
        _l("School"), validate_choice=False, validators=[Optional(), ValidChoice()]
    )
    race_ethnicity = RadioField(
        _l("Race or ethnicity"),
        choices=[SelectChoice(code.value, label) for code, label in labels.RACE_ETHNICITY.items()],
        validate_choice=False,
        validators=[Optional(), ValidChoice()],
    )

    contact_consent = BooleanField(
        _l("Yes, you may contact me about my answers. I understand this links my name to them.")
    )
    contact_name = StringField(_l("Name"), filters=[clean_line])
    contact_email = StringField(_l("E-mail address"), filters=[clean_line])
    contact_phone = StringField(_l("Phone number"), filters=[clean_line])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.channel.data not in FORM_CHANNELS:
            self.channel.data = Channel.WEB.value

    def validate_contact_name(self, field):
        if len(field.data or "") > NAME_MAX:
            raise ValidationError(
                _l("Shorten your name to %(max)s characters or fewer.", max=NAME_MAX)
            )

    def validate_contact_email(self, field):
        value = field.data or ""
        if value and (len(value) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(value)):
            raise ValidationError(
                _l("Enter an e-mail address like name@example.com, or leave it empty.")
            )

    def validate_contact_phone(self, field):
        value = field.data or ""
        if value and (len(value) > PHONE_MAX or not is_phone_number(value)):
            raise ValidationError(_l("Enter a phone number like 617-555-0123, or leave it empty."))

    def validate_contact_consent(self, field):
        has_contact = bool(self.contact_email.data or self.contact_phone.data)
        if field.data and not has_contact:
            raise ValidationError(_l("To be contacted, give an e-mail address or a phone number."))
        if not field.data and (has_contact or self.contact_name.data):
            raise ValidationError(
                _l(
                    "Tick the box if we may contact you, or clear your contact details. "
                    "We keep them only with your permission."
                )
            )

    # What the view needs from a validated form.

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.homepage.data or "").strip())

    @property
    def csrf_failed(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)

    def question_fields(self):
        """(question, field) pairs in the order the questions are shown."""
        return [(q, self[name]) for q, name in self._questions]

    def answers(self) -> dict[int, str | list[str]]:
        result = {}
        for question, field in self.question_fields():
            if not is_empty(field.data):
                result[question.id] = field.data
        return result

    def group_ids(self) -> list[int]:
        return [int(code) for code in (self.roles.data or []) + (self.councils.data or [])]

    def school_id(self) -> int | None:
        return int(self.school.data) if self.school.data else None

    def race(self) -> RaceEthnicity | None:
        return RaceEthnicity(self.race_ethnicity.data) if self.race_ethnicity.data else None

    def contact(self) -> dict | None:
        if not self.contact_consent.data:
            return None
        return {
            "name": self.contact_name.data or "",
            "email": self.contact_email.data or "",
            "phone": self.contact_phone.data or "",
        }

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for each field in error, in page order. Each message names
        its question in words, so it reads the same in the summary and beside the field.

        The CSRF field is not listed: the page explains it separately.
        """
        fields = [field for _question, field in self.question_fields()]
        fields += [self[name] for name in ABOUT_FIELDS]
        return [(anchor(field), field.errors[0]) for field in fields if field.errors]


def anchor(field) -> str:
    """The id the error summary links to: the question's fieldset (a group of options) or
    the box around a single field, so that its label, hint and error come into view."""
    return field.id if field.type in ("RadioField", "SelectMultipleField") else f"{field.id}-field"


# An extension at the end of a phone number: "ext 2", "x12", "ramal 3", "#4"...
PHONE_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|ramal|x|#|分机|转|تحويلة)\s*\d{1,6}$", re.I)
PHONE_CHARS = re.compile(r"[\d\s+()./-]+")


def is_phone_number(value: str) -> bool:
    """At least 7 digits, written with spaces, dots, dashes, slashes, brackets or a leading +,
    and an optional extension ("ext 2")."""
    number = PHONE_EXTENSION.sub("", value)
    return bool(PHONE_CHARS.fullmatch(number)) and sum(ch.isdigit() for ch in number) >= 7


# The optional fields in the order the page shows them.
ABOUT_FIELDS = (
    "roles",
    "councils",
    "school",
    "race_ethnicity",
    "contact_consent",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def field_name(question) -> str:
    """The form field name of a question: q_<id>."""
    return f"q_{question.id}"


def missing_message(question, text: str):
    """What a required question says when it has no answer, in words fit for its kind."""
    if question.kind == QuestionKind.OPEN_TEXT:
        return _l("Write an answer to “%(question)s”", question=text)
    if question.kind == QuestionKind.LIKERT5:
        return _l("Choose how much you agree with “%(question)s”", question=text)
    if question.kind == QuestionKind.RATING:
        return _l("Choose a rating from 1 to 5 for “%(question)s”", question=text)
    if question.kind == QuestionKind.MULTI_CHOICE:
        return _l("Choose at least one answer to “%(question)s”", question=text)
    return _l("Choose an answer to “%(question)s”", question=text)


def question_field(question) -> Field:
    """The WTForms field for one question, with its choices and checks."""
    max_length = current_app.config["OPEN_TEXT_MAX_LENGTH"]
    text = localized(question, "text").text
    first = Required(missing_message(question, text)) if question.required else Optional()
    if question.kind == QuestionKind.OPEN_TEXT:
        return TextAreaField(filters=[clean_text], validators=[first, MaxLength(max_length, text)])
    if question.kind == QuestionKind.LIKERT5:
        choices = [SelectChoice(code, label) for code, label in labels.LIKERT5.items()]
    elif question.kind == QuestionKind.RATING:
        choices = [SelectChoice(code, label) for code, label in labels.RATING.items()]
    else:
        choices = [
            SelectChoice(o.code, localized(o, "label")) for o in question.options if not o.hidden
        ]
    if question.kind == QuestionKind.MULTI_CHOICE:
        return SelectMultipleField(
            choices=choices, validate_choice=False, validators=[first, ValidChoice(text)]
        )
    return RadioField(choices=choices, validate_choice=False, validators=[first, ValidChoice(text)])


def build_form_class(engagement, groups, schools):
    """A ResponseForm subclass with one field per visible question of `engagement`."""
    attrs = {}
    order = []
    for question in engagement.visible_questions:
        if question.code == IDEA_QUESTION_CODE:
            continue  # answered on the exchange's Share page (engagement.exchanges)
        name = field_name(question)
        attrs[name] = question_field(question)
        order.append((question, name))
    attrs["_questions"] = order
    attrs["_groups"] = groups
    attrs["_schools"] = schools
    return type("EngagementForm", (ResponseForm,), attrs)


def make_form(engagement, groups, schools, memo: dict | None = None, **kwargs) -> ResponseForm:
    """The bound form for `engagement`, with the district's groups and schools as choices.

    `memo` keeps the form class and its choices between requests; give one dict per
    (engagement version, locale, district) (see engagement.public.services.CachedForm)."""
    parts = memo.get("form") if memo is not None else None
    if parts is None:
        parts = (
            build_form_class(engagement, groups, schools),
            [
                SelectChoice(str(g.id), localized_name(g))
                for g in groups
                if g.kind != GroupKind.COUNCIL
            ],
            [
                SelectChoice(str(g.id), localized_name(g))
                for g in groups
                if g.kind == GroupKind.COUNCIL
            ],
            [SelectChoice("", _l("Choose a school (optional)"))]
            + [SelectChoice(str(s.id), s.name) for s in schools],
        )
        if memo is not None:
            memo["form"] = parts
    form_class, roles, councils, school_choices = parts
    form = form_class(**kwargs)
    # The lists are shared between requests: fields only read them.
    form.roles.choices = roles
    form.councils.choices = councils
    form.school.choices = school_choices
    return form
