"""One-time form tokens, issued by the server for one engagement.

Every view of a family form carries a token the server made: the engagement's id, a random
nonce and the time it was issued, signed with SECRET_KEY (itsdangerous). A POST needs a
token that is signed by us, made for this engagement and younger than FORM_TOKEN_HOURS. The
nonce becomes the response's `idempotency_key`, which is unique: each token stores at most
one response, and a replayed token finds the response it already stored (a double tap
gets the same thank-you page).

Why a signed token and not a table of issued tokens:
- no write per page view: reading a form costs no database write, so a flood of GETs
  cannot fill the database or contend with families' answers for SQLite's write lock;
- nothing to purge: an old token simply stops being accepted;
- any worker on any machine checks a token with the shared SECRET_KEY alone;
- "used" is already recorded where it matters, by the unique idempotency key of the
  response the token stored, in the same transaction as the response.
What a table would add, revoking a token before it is used, nothing here needs. Changing
SECRET_KEY ends every token in circulation; families then get their form back with their
answers and a fresh token (see engagement.public.routes).

The issue time also tells how long the page was open: a form sent back faster than a
person can read it (FORM_MIN_SECONDS) is stored but held for review (engagement.holds).
"""

import enum
import secrets
import time
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

SALT = "engagement.form-token"
# A real token is about 100 characters; anything much longer is not worth decoding.
MAX_LENGTH = 200
# Tolerated clock difference between the machine that issued a token and the one reading it.
CLOCK_SKEW_SECONDS = 60


class TokenProblem(enum.StrEnum):
    MISSING = "missing"
    INVALID = "invalid"  # not ours, changed, or made for another engagement
    EXPIRED = "expired"


@dataclass(frozen=True)
class FormToken:
    """A checked token: its nonce and issue time, or what is wrong with it."""

    nonce: str | None = None
    issued_at: float | None = None  # seconds since the epoch
    problem: TokenProblem | None = None

    def seconds_open(self, now: float | None = None) -> float:
        """How long ago the token's page was served."""
        return (time.time() if now is None else now) - (self.issued_at or 0)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(engagement_id: int, now: float | None = None) -> str:
    """A new token for one view of the form of `engagement_id`."""
    issued_ms = int((time.time() if now is None else now) * 1000)
    return _serializer().dumps([engagement_id, secrets.token_urlsafe(24), issued_ms])


def read(token: str | None, engagement_id: int, now: float | None = None) -> FormToken:
    """Check `token` for the form of `engagement_id`."""
    if not token:
        return FormToken(problem=TokenProblem.MISSING)
    if len(token) > MAX_LENGTH:
        return FormToken(problem=TokenProblem.INVALID)
    try:
        data = _serializer().loads(token)
    except BadData:
        return FormToken(problem=TokenProblem.INVALID)
    if not (
        isinstance(data, list)
        and len(data) == 3
        and data[0] == engagement_id
        and isinstance(data[1], str)
        and isinstance(data[2], int)
    ):
        return FormToken(problem=TokenProblem.INVALID)
    issued_at = data[2] / 1000
    age = (time.time() if now is None else now) - issued_at
    if age < -CLOCK_SKEW_SECONDS:
        return FormToken(problem=TokenProblem.INVALID)
    if age > float(current_app.config["FORM_TOKEN_HOURS"]) * 3600:
        return FormToken(problem=TokenProblem.EXPIRED)
    return FormToken(nonce=data[1], issued_at=issued_at)
