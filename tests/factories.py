"""Small factory functions for tests (call them inside an app context)."""

from datetime import timedelta

import pyotp
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Engagement,
    EngagementStatus,
    EngagementText,
    OptionText,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionText,
    Role,
    School,
    StakeholderGroup,
    User,
    utcnow,
)
from engagement.staff.services.accounts_totp import VALID_WINDOW, current_step

PASSWORD = "correct horse battery staple"
# The two-step sign-in secret of administrators made by make_user (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_engagement(
    slug="test-survey",
    kind="survey",
    status=EngagementStatus.OPEN,
    titles=None,
    questions=None,
    council=None,
    school=None,
    **extra,
):
    """An engagement with translated titles and, by default, one question of each kind.

    `questions` is a list of dicts: {"code", "kind", "required", "texts": {locale: text},
    "options": [(code, {locale: label})]}.
    """
    titles = titles or {"en": "Test survey", "es": "Encuesta de prueba"}
    if questions is None:
        questions = default_questions()
    engagement = Engagement(
        slug=slug,
        kind=kind,
        status=status,
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=30),
        council=council,
        school=school,
        **extra,
    )
    for locale, title in titles.items():
        engagement.texts.append(EngagementText(locale=locale, title=title, description=""))
    for position, spec in enumerate(questions):
        question = Question(
            code=spec["code"],
            kind=spec["kind"],
            required=spec.get("required", False),
            position=position,
        )
        for locale, text in spec["texts"].items():
            question.texts.append(QuestionText(locale=locale, text=text, help=""))
        for opt_position, (code, labels) in enumerate(spec.get("options", [])):
            option = QuestionOption(code=code, position=opt_position)
            for locale, label in labels.items():
                option.texts.append(OptionText(locale=locale, label=label))
            question.options.append(option)
        engagement.questions.append(question)
    db.session.add(engagement)
    db.session.commit()
    return engagement


def default_questions():
    return [
        {
            "code": "informed",
            "kind": QuestionKind.LIKERT5,
            "required": True,
            "texts": {"en": "I feel informed.", "es": "Me siento informado."},
        },
        {
            "code": "news",
            "kind": QuestionKind.SINGLE_CHOICE,
            "texts": {"en": "How do you get news?", "es": "¿Cómo recibe noticias?"},
            "options": [
                ("email", {"en": "E-mail", "es": "Correo electrónico"}),
                ("text", {"en": "Text message", "es": "Mensaje de texto"}),
            ],
        },
        {
            "code": "help",
            "kind": QuestionKind.MULTI_CHOICE,
            "texts": {"en": "What would help?", "es": "¿Qué le ayudaría?"},
            "options": [
                ("childcare", {"en": "Childcare", "es": "Cuidado de niños"}),
                ("interpreter", {"en": "Interpreter", "es": "Intérprete"}),
                ("evening", {"en": "Evening meetings", "es": "Reuniones por la noche"}),
            ],
        },
        {
            "code": "rating",
            "kind": QuestionKind.RATING,
            "texts": {"en": "Rate communication.", "es": "Califique la comunicación."},
        },
        {
            "code": "comments",
            "kind": QuestionKind.OPEN_TEXT,
            "texts": {"en": "Anything else?", "es": "¿Algo más?"},
        },
    ]


def group(code):
    return db.session.scalar(sa.select(StakeholderGroup).where(StakeholderGroup.code == code))


def school(code):
    return db.session.scalar(sa.select(School).where(School.code == code))


def make_user(
    email="staff@example.org", role=Role.STAFF, councils=(), password=PASSWORD, two_step=None
):
    """An account; administrators have two-step sign-in on (TOTP_SECRET) unless two_step=False,
    as they must to use the workspace."""
    user = User(email=email, role=role, councils=[group(c) for c in councils])
    user.set_password(password)
    if two_step if two_step is not None else role == Role.ADMIN:
        user.totp_secret = TOTP_SECRET
        user.totp_enabled_at = utcnow()
    db.session.add(user)
    db.session.commit()
    return user


def totp_code(email: str) -> str:
    """A TOTP code the server will accept for `email` now: each code works once, so this is
    the code of the first step of the accepted window (the step before, now, the step after)
    not used yet. Tests may sign in more often than every 30 seconds; when the window is used
    up, the account's last used step is moved back, as if time had passed."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    db.session.refresh(user)
    now = current_step()
    step = now - VALID_WINDOW
    if user.totp_last_step is not None:
        step = max(step, user.totp_last_step + 1)
    if step > now + VALID_WINDOW:
        user.totp_last_step = None
        db.session.commit()
        step = now - VALID_WINDOW
    return pyotp.TOTP(user.totp_secret).generate_otp(step)
