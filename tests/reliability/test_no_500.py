"""No input makes a 500: every rule of app.url_map, anonymous and for each role, with hostile
query strings, path values and bodies.

The rules come from app.url_map and the forms from the pages themselves, so a view or field
added later is covered without a change here. Each test sends every payload of its family to
every rule for one role and collects the failures, so that one run names every (role, rule,
payload) that answered 500 or raised. Payloads are fixed lists and a seeded sample (no
randomness between runs): a failure reproduces with the URL it prints.
"""

import io
import random
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin

import pytest
from flask import url_for

from engagement.extensions import db
from engagement.models import Role
from tests.factories import make_user
from tests.staff import access_table
from tests.staff.conftest import sign_in

ROLES = ["anonymous", "council_lead", "staff", "admin"]
HUGE = "99999999999999999999"

# Query strings, by name. Several arguments of one kind go together so that a run stays short;
# a failure names the payload, and the message names the URL to try by hand. Each rule gets
# the CORE payloads and a sample of the others, the same sample on every run.
CORE = {
    "reserved url_for arguments": "_anchor=x&_method=x&_scheme=x&_external=1&endpoint=x",
    "huge page": f"page={HUGE}",
    "far future date_to": "date_to=9999-12-31",
    "far report period": "start=0001-01-01&end=9999-12-31",
    "NUL": "lang=%00&engagement=%00&theme=%00&next=%00&action=%00&locale=%00&channel=%00"
    "&kind=%00&date_to=%00&start=%00&show=%00&page=%00",
    "invalid UTF-8": "lang=%FF&engagement=%FF%FE&theme=%C3%28&next=%ED%A0%80&action=%FF"
    "&locale=%C0%AF&kind=%FF&start=%FF&%FF=%FE",
}
SAMPLED = {
    "reserved _anchor": "_anchor=x",
    "reserved _method": "_method=x",
    "reserved _scheme": "_scheme=x&_external=1",
    "reserved _external": "_external=1",
    "url_for argument names": "endpoint=x&values=x&_url_for=x",
    "negative page": "page=-3",
    "zero page": "page=0",
    "huge ids": f"id={HUGE}&group={HUGE}&question={HUGE}&saved={HUGE}&school={HUGE}&council={HUGE}",
    "negative ids": "group=-1&question=-1&saved=-1&school=-1&council=-1",
    "far past date_from": "date_from=0001-01-01",
    "five-digit year": "date_to=99999-1-1&date_from=99999-1-1",
    "report period five-digit year": "start=99999-1-1&end=99999-1-2",
    "bad enums": "kind=zzz&lang=xx&format=exe&channel=zzz&locale=zzz&theme=zzz&pii=zzz"
    "&language=zzz&subgroup=zzz&action=zzz&show=zzz",
    "repeated args": "lang=es&lang=ar&page=1&page=2&format=csv&format=pdf&show=es&show=ar"
    "&theme=a&theme=b&next=/staff/&next=//evil.example",
    "long value": "engagement=" + "a" * 5000 + "&theme=" + "b" * 5000,
}
SAMPLE_SIZE = 3


def query_payloads(role, rule, method):
    """The CORE payloads, one named like the rule's path arguments, and a fixed sample.

    A POST to a rule that also answers GET re-renders the same page, so it gets only the
    payloads that reach links built from the query (url_for)."""
    payloads = dict(CORE)
    if rule.arguments:
        # A query argument named like the rule's own path arguments (/e/<slug>?slug=x).
        name = "query arg named like a path argument"
        payloads[name] = "&".join(f"{arg}=x" for arg in sorted(rule.arguments))
    if method == "POST" and "GET" in rule.methods:
        return {k: v for k, v in payloads.items() if k.startswith(("reserved", "query arg"))}
    sample = random.Random(f"{role} {rule.endpoint} {method}").sample(sorted(SAMPLED), SAMPLE_SIZE)
    payloads.update((name, SAMPLED[name]) for name in sample)
    return payloads


def path_payloads(rule):
    """(name, {argument: raw path segment}) for each hostile value of the rule's arguments."""
    string_args = _args_of(rule, "UnicodeConverter", "PathConverter")
    int_args = _args_of(rule, "IntegerConverter")
    payloads = []
    for name, raw in (
        ("NUL in path", "%00"),
        ("invalid UTF-8 in path", "%FF%FE"),
        ("long path value", "x" * 3000),
    ):
        if string_args:
            payloads.append((name, dict.fromkeys(string_args, raw)))
    if int_args:
        payloads.append(("huge id in path", dict.fromkeys(int_args, HUGE)))
    return payloads


def _args_of(rule, *converters):
    """The rule's path arguments taken by one of these converter classes."""
    return {
        name
        for name, converter in rule._converters.items()  # noqa: SLF001  (no public accessor)
        if type(converter).__name__ in converters
    }


def _int_args(rule):
    return _args_of(rule, "IntegerConverter")


def client_for(app, role, ctx):
    """A test client signed in as `role` (none for anonymous) and the engagement it may see."""
    client = app.test_client()
    if role == "anonymous":
        return client, "B"
    email = f"{role}@example.org"
    if role == "council_lead":
        make_user(email, Role.COUNCIL_LEAD, councils=["sepac"])
    else:
        make_user(email, Role(role))
    assert sign_in(client, email).status_code == 302
    return client, "A" if role == "council_lead" else "B"


def rules(app):
    """Every rule, the sign-out last (it ends the session the others need)."""
    return sorted(
        app.url_map.iter_rules(),
        key=lambda r: (r.endpoint == "staff.logout", r.rule, r.endpoint),
    )


def methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def rule_url(app, rule, values, raw=None):
    """The rule's URL filled with the world's values; `raw` replaces some path segments."""
    raw = raw or {}
    args = {}
    for name in rule.arguments:
        if name in raw:
            args[name] = 7654321 if name in _int_args(rule) else f"RAW{name.upper()}RAW"
        elif name == "filename":
            with app.test_request_context():
                args[name] = app.jinja_env.globals["asset_url"]("app.css").rsplit("/", 1)[-1]
        elif name in values:
            args[name] = values[name]
        elif name in access_table.EXTRA_ARGS:
            extra = access_table.EXTRA_ARGS[name]
            args[name] = extra(values) if callable(extra) else extra
        else:
            pytest.fail(f"{rule.endpoint}: no test value for URL argument {name!r}")
    with app.test_request_context():
        url = url_for(rule.endpoint, **args)
    for name, segment in raw.items():
        placeholder = "7654321" if name in _int_args(rule) else f"RAW{name.upper()}RAW"
        url = url.replace(placeholder, segment)
    return url


def world_values(ctx, key):
    return dict(ctx[key], user_id=ctx["user_id"])


def send(client, problems, label, method, url, **kwargs):
    """One request; a 500 or an exception is added to `problems` with its label."""
    try:
        response = client.open(url, method=method, **kwargs)
    except Exception as error:  # noqa: BLE001  (any escaping exception is the finding)
        problems.append(f"{label}: {method} {url[:200]} raised {type(error).__name__}: {error}")
        status = None
    else:
        status = response.status_code
        response.close()
        if status >= 500:
            problems.append(f"{label}: {method} {url[:200]} -> {status}")
    # The test's app context outlives each request: start the next one from a clean session.
    db.session.rollback()
    db.session.expire_all()
    return status


def report(problems):
    assert not problems, f"{len(problems)} requests failed:\n" + "\n".join(problems)


class FormReader(HTMLParser):
    """The forms of a page: action, method and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            method = attrs.get("method", "get").upper()
            self.forms.append({"action": attrs.get("action", ""), "method": method, "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._field(attrs["name"], kind, None)
            else:
                self._field(attrs["name"], kind, attrs.get("value", "on"))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = self._field(attrs["name"], "textarea", "")
        elif tag == "select" and attrs.get("name"):
            self._select = self._field(attrs["name"], "select", None)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["value"] is None or "selected" in attrs:
                self._select["value"] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def _field(self, name, kind, value):
        field = {"name": name, "kind": kind, "value": value}
        self.forms[-1]["fields"].append(field)
        return field


def page_forms(html, page_url):
    """[(method, action URL, [(name, kind, value)])] of the forms on a page."""
    reader = FormReader()
    reader.feed(html)
    forms = []
    for form in reader.forms:
        action = urljoin(page_url, form["action"]) if form["action"] else page_url
        fields = [(f["name"], f["kind"], f["value"]) for f in form["fields"]]
        forms.append((form["method"], action, fields))
    return forms


TEXT_KINDS = {"text", "textarea", "email", "search", "password", "hidden", "tel", "url"}
DATE_VALUES = {"date": ("9999-12-31", "0001-01-01"), "datetime-local": ("9999-12-31T23:59",)}


def mutations(kind, value):
    """(name, hostile value) for one field of a form (test_hostile_bodies sends whole bodies
    of one kind; here the other fields keep their values, so validation gets further)."""
    # A huge number, negative so that it is no valid slug or code (it would rename things).
    found = [("huge negative number", f"-{HUGE}")]
    if kind in TEXT_KINDS:
        found += [("NUL appended", (value or "") + "\x00"), ("over-long text", "x" * 20_000)]
    if kind == "number":
        found.append(("huge number", HUGE))
    found += [("far date", day) for day in DATE_VALUES.get(kind, ())]
    return found


def body_payloads(names):
    """(name, request keyword arguments) for each hostile body."""
    weird = [5, [1, {}], {"a": None}, None, True, -(10**30), 1.5e308]
    json_mixed = {name: weird[i % len(weird)] for i, name in enumerate(names)}
    return [
        ("JSON non-string values", {"json": json_mixed}),
        ("JSON array body", {"json": [1, 2, {"q_1": 5}]}),
        ("malformed JSON", {"data": b'{"q_1": ', "content_type": "application/json"}),
        ("text/plain body", {"data": "q_1=x&email=a", "content_type": "text/plain"}),
        (
            "multipart with files in every field",
            {
                "data": {
                    name: (io.BytesIO(b"\xff\xfe\x00 not what you think"), "x.po") for name in names
                },
                "content_type": "multipart/form-data",
            },
        ),
        (
            "urlencoded garbage",
            {
                "data": b"%FF%FE=%00&&&=&q_1=%ZZ&a[b]=c;;&" + quote("\x00").encode() + b"=1",
                "content_type": "application/x-www-form-urlencoded",
            },
        ),
        (
            "urlencoded NUL and invalid UTF-8 in every field",
            {
                "data": "&".join(f"{quote(n)}=%00%FF%FE" for n in names).encode(),
                "content_type": "application/x-www-form-urlencoded",
            },
        ),
        (
            "urlencoded huge numbers in every field",
            {
                "data": "&".join(f"{quote(n)}={HUGE}" for n in names).encode(),
                "content_type": "application/x-www-form-urlencoded",
            },
        ),
    ]


def oversize_bodies(size):
    return [
        ("oversize form", {"data": {"text": "x" * size}}),
        (
            "oversize file",
            {
                "data": {"po_file": (io.BytesIO(b"x" * size), "big.po")},
                "content_type": "multipart/form-data",
            },
        ),
        ("oversize JSON", {"json": {"q_1": "x" * size}}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_hostile_urls(app, world, role):
    """Every rule with hostile query strings, then with hostile values in its path."""
    client, key = client_for(app, role, world)
    values = world_values(world, key)
    problems = []
    for rule in rules(app):
        url = rule_url(app, rule, values)
        for method in methods(rule):
            for name, query in query_payloads(role, rule, method).items():
                label = f"[{role}] {rule.endpoint} query {name!r}"
                send(client, problems, label, method, f"{url}?{query}")
        for name, raw in path_payloads(rule):
            hostile = rule_url(app, rule, values, raw)
            for method in methods(rule):
                send(client, problems, f"[{role}] {rule.endpoint} {name}", method, hostile)
    report(problems)


def scrape_pages(client, app, values):
    """The field names and the forms of every page this client can open.

    Returns (names, {(method, action, field names): [(name, kind, value)]}), without the
    sign-out form (sending it would end the session the test needs)."""
    names, forms = set(), {}
    for rule in rules(app):
        if "GET" not in rule.methods or rule.endpoint == "asset":
            continue
        url = rule_url(app, rule, values)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            names.update(re.findall(r'name="([^"]+)"', html))
            for method, action, fields in page_forms(html, url):
                if not action.endswith("/staff/logout"):
                    forms.setdefault((method, action, tuple(f[0] for f in fields)), fields)
        db.session.rollback()
    return sorted(names - {"csrf_token"}), forms


@pytest.mark.parametrize("role", ROLES)
def test_hostile_bodies(app, world, role):
    """Every form this role can see with one hostile field at a time; then every POST rule
    with hostile whole bodies; then every POST rule with a body over MAX_CONTENT_LENGTH."""
    client, key = client_for(app, role, world)
    values = world_values(world, key)
    names, forms = scrape_pages(client, app, values)
    problems = []
    # Forms first: the bodies below may close the engagement or hide its questions.
    send_forms_with_one_hostile_field(client, problems, role, forms)
    posts = [rule for rule in rules(app) if "POST" in rule.methods]
    for rule in posts:
        url = rule_url(app, rule, values)
        for name, kwargs in body_payloads(names):
            send(client, problems, f"[{role}] {rule.endpoint} body {name!r}", "POST", url, **kwargs)
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    for index, rule in enumerate(posts):
        url = rule_url(app, rule, values)
        # One kind of oversize body per rule, in turn: a form, a file, JSON.
        name, kwargs = oversize_bodies(size)[index % 3]
        label = f"[{role}] {rule.endpoint} body {name!r}"
        status = send(client, problems, label, "POST", url, **kwargs)
        # A view that reads the body says "too large"; one that refuses first (sign-in,
        # access, a closed engagement) may answer before reading it.
        if status not in (None, 413, 302, 403, 404, 405, 410):
            problems.append(f"{label}: POST {url} -> {status}, expected 413")
    report(problems)


def send_forms_with_one_hostile_field(client, problems, role, forms):
    """Each form sent with its own values but one field made hostile, each field in turn."""
    for (method, action, _names), fields in forms.items():
        seen = set()
        for index, (name, kind, value) in enumerate(fields):
            # Fields made from one template (u0_title, u1_title; group_3, group_4) alike.
            template = (re.sub(r"\d+", "N", name), kind)
            if template in seen:
                continue
            seen.add(template)
            for mutation, hostile in mutations(kind, value or ""):
                kept = (f for i, f in enumerate(fields) if i != index and f[2] is not None)
                data = [(n, v) for n, _kind, v in kept] + [(name, hostile)]
                label = f"[{role}] form {method} {action} field {name!r} {mutation}"
                if method == "GET":
                    send(client, problems, label, "GET", f"{action}?{urlencode(data)}")
                else:
                    body = urlencode(data).encode()
                    kwargs = {"data": body, "content_type": "application/x-www-form-urlencoded"}
                    send(client, problems, label, "POST", action, **kwargs)


def test_hostile_bodies_with_csrf_checks_on(app, world):
    """As in production: the CSRF check reads the body before any view (the tests above turn
    it off so that the views are reached); a refusal is a 400 or 413 page, never a 500."""
    client, key = client_for(app, "admin", world)
    app.config["WTF_CSRF_ENABLED"] = True
    values = world_values(world, key)
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    problems = []
    for rule in rules(app):
        if "POST" not in rule.methods:
            continue
        url = rule_url(app, rule, values)
        for name, kwargs in body_payloads(["title", "q_1", "email"]) + oversize_bodies(size):
            label = f"[admin, CSRF on] {rule.endpoint} body {name!r}"
            status = send(client, problems, label, "POST", url, **kwargs)
            if status not in (None, 400, 413):
                problems.append(f"{label}: POST {url} -> {status}, expected 400 or 413")
    report(problems)
