"""The base of every form in the app: filled from an HTML form post, and nothing else.

Flask-WTF fills a form from a JSON body when one is sent, and gives an uploaded file to any
field of the same name. Families and staff only ever send HTML forms, and a text field that
receives a number, a list or a file fails with TypeError (an error 500). So a form here reads
the posted form fields, and uploaded files only in its file fields; any other body leaves
the form empty, and it is refused like an empty form. NUL characters are dropped: nobody
types one, and PostgreSQL refuses to store text that holds one.
"""

from flask import request
from flask_wtf import FlaskForm as _FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms.fields import FileField

SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class FlaskForm(_FlaskForm):
    """Flask-WTF's form, filled from request.form (and request.files for file fields)."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is None or hasattr(formdata, "getlist"):
                return formdata  # given by the view: request.args, or None for no data
            if request.method not in SUBMIT_METHODS:
                return None
            files = MultiDict(
                (field.name, upload)
                for field in form
                if isinstance(field, FileField)
                for upload in request.files.getlist(field.name)
            )
            posted = MultiDict(
                (name, value.replace("\x00", "")) for name, value in request.form.items(multi=True)
            )
            if files:
                return CombinedMultiDict((files, posted))
            return posted or None
