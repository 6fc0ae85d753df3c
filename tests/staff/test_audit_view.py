"""The audit log reads as plain language: named actions, "old → new", filters that combine."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog, EngagementStatus, User
from engagement.staff.audit_view import ACTIONS, action_name, details
from tests.factories import make_engagement


def _strings(node) -> set[str]:
    """String constants an expression can evaluate to (both arms of `a if c else b`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def recorded_actions() -> set[str]:
    """Every action code the code base passes to `audit.record`, literally or through a
    variable named `action` or a mapping named `*_ACTIONS`."""
    found = set()
    for path in (Path(__file__).resolve().parents[2] / "engagement").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and node.args
            ):
                found |= _strings(node.args[0])
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if "action" in names:
                    found |= _strings(node.value)
                if any(name.endswith("_ACTIONS") for name in names) and isinstance(
                    node.value, ast.Dict
                ):
                    for value in node.value.values:
                        found |= _strings(value)
    return found


def test_every_recorded_action_has_a_translated_name():
    actions = recorded_actions()
    assert {"engagement.edit", "auth.login", "quote.approved", "held.release"} <= actions
    assert sorted(actions - set(ACTIONS)) == []


def test_details_read_as_changes_and_values():
    lines = details(
        {"slug": {"before": "fall", "after": "fall-2026"}, "series": {"before": None, "after": "x"}}
    )
    assert [(d.field, d.before, d.after) for d in lines] == [
        ("slug", "fall", "fall-2026"),
        ("series", "(empty)", "x"),
    ]
    status = details({"from": "draft", "to": "open"})
    assert [(d.field, d.before, d.after) for d in status] == [("", "draft", "open")]
    plain = details({"locked": True, "theme": "safety"})
    assert [(d.field, d.after) for d in plain] == [("locked", "yes"), ("theme", "safety")]
    assert action_name("engagement.edit") == "Engagement details changed"
    assert action_name("something.new") == "something.new"


def test_audit_page_shows_readable_details_and_filters_by_person_action_and_date(
    admin_client, admin_user
):
    draft = make_engagement(slug="forum", status=EngagementStatus.DRAFT)
    admin_client.post(
        "/staff/engagements/forum/edit",
        data={
            "kind": "forum",
            "slug": "fall-forum",
            "title": "Fall forum",
            "school_id": "",
            "council_id": "",
        },
    )
    old = AuditLog(action="user.create", actor="someone@example.org", target="old entry")
    old.at = datetime(2025, 1, 15, 15, 0, tzinfo=UTC)
    db.session.add(old)
    db.session.commit()
    page = admin_client.get("/staff/audit").get_data(as_text=True)
    assert ">Engagement details changed</td>" in page
    assert "<del>forum</del>" in page and "<ins>fall-forum</ins>" in page
    assert "&#39;before&#39;" not in page and "{'" not in page  # no Python reprs

    me = str(admin_user.id)
    mine = admin_client.get(f"/staff/audit?person={me}").get_data(as_text=True)
    assert ">Engagement details changed</td>" in mine and "old entry" not in mine
    dated = admin_client.get("/staff/audit?date_from=2025-01-15&date_to=2025-01-15")
    dated = dated.get_data(as_text=True)
    assert "old entry" in dated and ">Engagement details changed</td>" not in dated
    both = admin_client.get(
        f"/staff/audit?person={me}&action=engagement.edit&date_from=2025-01-01"
    ).get_data(as_text=True)
    assert ">Engagement details changed</td>" in both and "Signed in</td>" not in both
    backwards = admin_client.get("/staff/audit?date_from=2025-02-01&date_to=2025-01-01")
    assert "The end date must be on or after the start date." in backwards.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) >= 1
    assert draft.id
