"""Shared column helpers for the models."""

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

# The largest id an integer primary key holds on every engine (PostgreSQL INTEGER).
MAX_ID = 2**31 - 1


def utcnow():
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def to_minute(moment: datetime) -> datetime:
    """`moment` without its seconds and microseconds.

    Responses are stored to the minute: a time to the second or finer could match a
    response to an entry in a proxy's or a school Wi-Fi's log, and so to a device.
    """
    return moment.replace(second=0, microsecond=0)


def utcnow_minute():
    """The current UTC time to the minute (see `to_minute`)."""
    return to_minute(utcnow())


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite has no time zones; PostgreSQL gets `timestamp with time zone`.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint on both SQLite and PostgreSQL."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )
