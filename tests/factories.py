"""Small factory functions for tests (call them inside an app context)."""

from datetime import timedelta

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
    StakeholderGroup,
    User,
    utcnow,
)

PASSWORD = "correct horse battery staple"


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


def make_user(email="staff@example.org", role=Role.STAFF, councils=(), password=PASSWORD):
    user = User(email=email, role=role, councils=[group(c) for c in councils])
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
