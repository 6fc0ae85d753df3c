"""Views of the family-facing blueprint."""

from flask import render_template

from engagement import labels
from engagement.public import bp, services


@bp.route("/")
def home():
    return render_template(
        "public/home.html",
        engagements=services.open_engagements(),
        closed=services.closed_with_actions(),
        kind_labels=labels.KIND,
    )
