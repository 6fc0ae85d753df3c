"""The "you said, we did" notes: what the district heard and what it did, per engagement.

Staff may write these for every engagement, council leads for their councils' engagements
(engagement_for applies the scope). Families see them once the engagement has closed.
"""

import json
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from engagement import audit, labels, translation_io
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, current_locale
from engagement.models import ActionStatus, LoopAction, LoopActionText
from engagement.staff import bp, services
from engagement.staff.access import ALL_ROLES, engagement_for, roles_required
from engagement.staff.forms import LoopActionForm, as_choices
from engagement.staff.translating import check_locale, render_translation_page

CODEBOOK = Path(__file__).resolve().parent.parent / "themes" / "data" / "codebook.json"


@cache
def _themes() -> tuple:
    data = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    return tuple((t["code"], t.get("label", {})) for t in data.get("themes", []))


def theme_choices() -> list[tuple[str, str]]:
    """("", none) plus every codebook theme, labelled in the current language."""
    locale = current_locale()
    choices = [("", _("No particular theme"))]
    for code, names in _themes():
        choices.append((code, names.get(locale) or names.get("en") or code))
    return choices


def save_action(engagement, action: LoopAction | None, data: dict) -> LoopAction:
    """Create or update a note with its English text; translations go out of date on change."""
    if action is None:
        position = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(LoopAction.position), -1)).where(
                LoopAction.engagement_id == engagement.id
            )
        )
        action = LoopAction(
            engagement_id=engagement.id,
            position=position + 1,
            created_by_id=current_user.id,
        )
        db.session.add(action)
    action.status = ActionStatus(data["status"])
    action.theme_code = data.get("theme_code") or None
    services.set_source_text(action, LoopActionText, heard=data["heard"], did=data["did"])
    db.session.flush()
    audit.record(
        "loop_action.save",
        target=engagement.slug,
        details={"action_id": action.id, "status": action.status.value},
        commit=False,
    )
    db.session.commit()
    return action


def action_for(engagement, action_id) -> LoopAction:
    action = db.session.get(LoopAction, action_id)
    if action is None or action.engagement_id != engagement.id:
        abort(404)
    return action


def action_form(data=None) -> LoopActionForm:
    form = LoopActionForm(data=data)
    form.theme_code.choices = as_choices(theme_choices())
    return form


@bp.route("/engagements/<slug>/actions")
@roles_required(*ALL_ROLES)
def loop_actions(slug):
    engagement = engagement_for(slug)
    actions = translation_io.loop_actions(engagement)
    themes = dict(theme_choices())
    return render_template(
        "staff/loop_actions.html",
        engagement=engagement,
        actions=actions,
        themes=themes,
        status_labels=labels.ACTION_STATUS,
        languages=[(c, n) for c, n in LANGUAGE_NAMES.items() if c != "en"],
        units={a.id: translation_io.action_unit(a) for a in actions},
    )


@bp.route("/engagements/<slug>/actions/new", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def loop_action_new(slug):
    engagement = engagement_for(slug)
    form = action_form()
    if form.validate_on_submit():
        save_action(engagement, None, form.data)
        flash(_("Note saved. Translate it so every family can read it."), "success")
        return redirect(url_for("staff.loop_actions", slug=slug))
    return render_template(
        "staff/loop_action_form.html", engagement=engagement, form=form, action=None
    )


@bp.route("/engagements/<slug>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def loop_action_edit(slug, action_id):
    engagement = engagement_for(slug)
    action = action_for(engagement, action_id)
    english = services.source_row(action.texts)
    form = action_form(
        {
            "heard": english.heard if english else "",
            "did": english.did if english else "",
            "status": action.status.value,
            "theme_code": action.theme_code or "",
        }
    )
    if form.validate_on_submit():
        save_action(engagement, action, form.data)
        flash(_("Note saved."), "success")
        return redirect(url_for("staff.loop_actions", slug=slug))
    return render_template(
        "staff/loop_action_form.html", engagement=engagement, form=form, action=action
    )


@bp.route(
    "/engagements/<slug>/actions/<int:action_id>/translations/<locale>", methods=["GET", "POST"]
)
@roles_required(*ALL_ROLES)
def loop_action_translate(slug, action_id, locale):
    engagement = engagement_for(slug)
    action = action_for(engagement, action_id)
    check_locale(locale)
    return render_translation_page(
        [translation_io.action_unit(action)],
        locale,
        engagement.title("en"),
        url_for("staff.loop_actions", slug=slug),
    )
