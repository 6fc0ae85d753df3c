"""The audit log as people read it: translated action names and "field: old → new" details.

Actions are stored as stable codes (`engagement.edit`); each known code has a translated
name here. A code without one (a new action not named yet) is shown as it is stored, so no
entry is ever hidden. Details are stored as JSON: a change, `{"before": x, "after": y}`
(or a whole entry `{"from": x, "to": y}`), reads "x → y"; anything else reads as its value.
"""

from dataclasses import dataclass

from engagement.i18n import _, _l

ACTIONS = {
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.login_locked": _l("Sign-in locked after failed tries"),
    "auth.logout": _l("Signed out"),
    "auth.recovery_code_used": _l("Used a recovery code"),
    "auth.totp_disabled": _l("Two-step sign-in turned off"),
    "auth.totp_enabled": _l("Two-step sign-in turned on"),
    "auth.totp_failed": _l("Wrong two-step code"),
    "bank.edit": _l("Bank question changed"),
    "bank.remove": _l("Question taken out of the bank"),
    "bank.save": _l("Question saved to the bank"),
    "bank.use": _l("Questions added from the bank"),
    "demo.remove": _l("Demo data removed"),
    "engagement.create": _l("Engagement created"),
    "engagement.edit": _l("Engagement details changed"),
    "engagement.open": _l("Engagement opened"),
    "engagement.close": _l("Engagement closed"),
    "engagement.reopen": _l("Engagement reopened"),
    "engagement.duplicate": _l("Engagement duplicated"),
    "event.card": _l("Comment card entered"),
    "response.paper_entered": _l("Paper form typed in"),
    "event.create": _l("Event recorded"),
    "event.edit": _l("Event corrected"),
    "event.delete": _l("Event deleted"),
    "exchange.enable": _l("Exchange mode turned on"),
    "exchange.phase": _l("Exchange phase switched"),
    "exchange.idea.approved": _l("Idea approved for rating"),
    "exchange.idea.rejected": _l("Idea kept out of rating"),
    "exchange.idea.pending": _l("Idea sent back to wait for a decision"),
    "exchange.idea.translate": _l("Idea translation saved"),
    "follow_up.assign": _l("Follow-up taken on"),
    "follow_up.update": _l("Follow-up updated"),
    "export.responses": _l("Responses exported"),
    "export.responses_with_contacts": _l("Responses with contact details exported"),
    "export.summary": _l("Summary exported"),
    "export.report": _l("Commitment 4 report exported"),
    "held.release": _l("Held response counted"),
    "held.set_aside": _l("Held response set aside"),
    "loop_action.save": _l("“You said, we did” note saved"),
    "proposal.made": _l("Change suggested by a council lead"),
    "proposal.approved": _l("Suggested change accepted"),
    "proposal.rejected": _l("Suggested change declined"),
    "quote.approved": _l("Comment approved for quoting"),
    "quote.rejected": _l("Comment kept out of quotes"),
    "quote.masked": _l("Words hidden in a comment"),
    "quote.mask_cleared": _l("Hidden words shown again"),
    "quotes.unmasked_view": _l("Viewed comments without masking"),
    "responses.purge": _l("Old responses deleted"),
    "theme_added": _l("Theme added to a comment"),
    "theme_removed": _l("Theme removed from a comment"),
    "user.create": _l("Account created"),
    "user.deactivate": _l("Account deactivated"),
    "user.password_change": _l("Password changed"),
    "user.password_link": _l("Password link sent"),
    "user.password_set": _l("Password set"),
    "user.role_change": _l("Role or councils changed"),
}

ARROW = "→"


def action_name(code: str) -> str:
    """The translated name of an action, or its code when it has none."""
    name = ACTIONS.get(code)
    return str(name) if name is not None else code


def _plain(value) -> str:
    if value is None or value == "" or value == []:
        return _("(empty)")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


@dataclass(frozen=True)
class Detail:
    field: str
    before: str | None  # None: not a change, just a value
    after: str


def _is_change(value) -> bool:
    return isinstance(value, dict) and set(value) == {"before", "after"}


def details(data: dict | None) -> list[Detail]:
    """The entry's details as readable lines, in the order they were recorded."""
    data = data or {}
    if set(data) == {"from", "to"}:
        return [Detail("", _plain(data["from"]), _plain(data["to"]))]
    lines = []
    for key, value in data.items():
        label = str(key).replace("_", " ")
        if _is_change(value):
            lines.append(Detail(label, _plain(value["before"]), _plain(value["after"])))
        else:
            lines.append(Detail(label, None, _plain(value)))
    return lines
