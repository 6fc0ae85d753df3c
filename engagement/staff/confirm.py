"""A second step before actions that cannot be taken back lightly (close, remove, void,
deactivate, archive, delete).

The first press of the button shows a page that says what will happen, with the action's
button again and a way back; only the second press, which carries `confirm=yes`, acts. It
works without JavaScript and keeps the action a POST with its CSRF token. With
`keep_form=True`, what was typed (a reason, an account's fields) goes along as hidden fields,
so nothing typed is lost.
"""

from flask import render_template, request

from engagement.staff.forms import ActionForm

CONFIRM_FIELD = "confirm"


def is_confirmed() -> bool:
    return request.form.get(CONFIRM_FIELD) == "yes"


def ask(*, title: str, message: str, button: str, back: str, keep_form: bool = False):
    """The confirmation page for the POST being handled (its action: the same address)."""
    kept = []
    if keep_form:
        kept = [
            (name, value)
            for name, value in request.form.items(multi=True)
            if name not in (CONFIRM_FIELD, "csrf_token", "submit")
        ]
    return render_template(
        "staff/confirm.html",
        title=title,
        message=message,
        button=button,
        back=back,
        action=request.full_path if request.query_string else request.path,
        form=ActionForm(),
        confirm_field=CONFIRM_FIELD,
        kept=kept,
    )
