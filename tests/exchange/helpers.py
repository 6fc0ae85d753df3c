"""Small helpers for exchange tests (call them inside an app context)."""

import secrets

from engagement import exchanges
from engagement.extensions import db
from engagement.models import ExchangeParticipant, IdeaState
from tests.factories import group, make_engagement


def make_exchange(slug="spring-forum", kind="forum", sample_size=8):
    """An open forum with exchange mode on, in its Share phase."""
    engagement = make_engagement(
        slug=slug,
        kind=kind,
        titles={"en": "Spring forum", "es": "Foro de primavera"},
        questions=[],
    )
    return exchanges.enable(engagement, sample_size)


def participant(exchange, locale="en", groups=()):
    """A new participant, in `groups` (codes)."""
    person = exchanges.new_participant(exchange, locale)
    if groups:
        person.groups = [group(code) for code in groups]
        db.session.commit()
    return person


def share(exchange, text, locale="en", person=None, groups=()):
    """An idea shared by `person` (a new participant by default)."""
    person = person or participant(exchange, locale)
    return exchanges.share_idea(
        exchange, person, text, locale, secrets.token_urlsafe(16), group_ids=groups
    )


def approve_all(exchange):
    for idea, _answer, _counted in exchanges.ideas_for_moderation(exchange):
        if idea.state == IdeaState.PENDING:
            exchanges.decide(exchange, idea.id, IdeaState.APPROVED)


def get_participant(participant_id):
    return db.session.get(ExchangeParticipant, participant_id)
