"""Who may use each staff endpoint. tests/staff/test_access_matrix.py tries every URL of the
staff blueprint for every role and FAILS on an endpoint missing here, so that no view can be
added without an access decision. Add your endpoint with one of the levels below.

Levels:
- PUBLIC     anyone (the sign-in pages, set-password links).
- SIGNED_IN  any signed-in account (home page, sign-out, own Account page).
- SCOPED     staff, admins, and council leads for engagements of their own councils
             (a lead asking for another council's engagement gets 404).
- STAFF      staff and admins (council leads get 403 or 404).
- ADMIN      admins only (staff and council leads get 403 or 404).
"""

PUBLIC, SIGNED_IN, SCOPED, STAFF, ADMIN = "public", "signed_in", "scoped", "staff", "admin"

ACCESS = {
    # auth and home
    "staff.login": PUBLIC,
    "staff.login_code": PUBLIC,
    "staff.set_password": PUBLIC,
    "staff.logout": SIGNED_IN,
    "staff.dashboard": SIGNED_IN,
    # own account: password, two-step sign-in
    "staff.account": SIGNED_IN,
    "staff.two_step_setup": SIGNED_IN,
    "staff.two_step_off": SIGNED_IN,
    # admin
    "staff.users": ADMIN,
    "staff.user_new": ADMIN,
    "staff.user_edit": ADMIN,
    "staff.user_password_link": ADMIN,
    "staff.user_two_step_off": ADMIN,
    "staff.audit_log": ADMIN,
    # authoring
    "staff.engagements": STAFF,
    "staff.engagement_new": STAFF,
    "staff.engagement_detail": STAFF,
    "staff.engagement_edit": STAFF,
    "staff.engagement_open": STAFF,
    "staff.engagement_close": STAFF,
    "staff.engagement_archive": STAFF,
    "staff.engagement_unarchive": STAFF,
    "staff.engagement_delete": STAFF,
    "staff.results_publish": STAFF,
    "staff.results_unpublish": STAFF,
    "staff.question_new": STAFF,
    "staff.question_edit": STAFF,
    "staff.question_move": STAFF,
    "staff.question_remove": STAFF,
    "staff.question_show": STAFF,
    "staff.option_new": STAFF,
    "staff.option_edit": STAFF,
    "staff.option_move": STAFF,
    "staff.option_remove": STAFF,
    "staff.option_show": STAFF,
    # reuse: duplicate, the question bank
    "staff.engagement_duplicate": STAFF,
    "staff.engagement_from_bank": STAFF,
    "staff.question_to_bank": STAFF,
    "staff.bank": STAFF,
    "staff.bank_edit": STAFF,
    "staff.bank_translate": STAFF,
    "staff.bank_remove": STAFF,
    # preview and its test answers
    "staff.preview": STAFF,
    "staff.test_answers_remove": STAFF,
    # translations
    "staff.translations": STAFF,
    "staff.translate": STAFF,
    "staff.translations_export": STAFF,
    "staff.translations_import": STAFF,
    # in-person channels
    "staff.flyer": STAFF,
    "staff.invite": STAFF,
    "staff.invite_sheet": STAFF,
    "staff.paper_form": STAFF,
    "staff.paper_entry": STAFF,
    "staff.events": STAFF,
    "staff.event_cards": STAFF,
    "staff.event_edit": STAFF,
    "staff.event_delete": STAFF,
    # corrections: void, restore or correct a response (staff only: a response's answers)
    "staff.response_detail": STAFF,
    "staff.response_void": STAFF,
    "staff.response_restore": STAFF,
    "staff.response_edit": STAFF,
    # you said, we did
    "staff.loop_action_list": SCOPED,
    "staff.loop_action_new": SCOPED,
    "staff.loop_action_edit": SCOPED,
    "staff.loop_action_delete": STAFF,
    # a council lead's note is a draft (a proposal); translating publishes, so staff only
    "staff.loop_action_translate": STAFF,
    # exports and the Commitment 4 report
    "staff.exports": SIGNED_IN,
    "staff.engagement_exports": SCOPED,
    "staff.export_summary": SIGNED_IN,
    "staff.export_responses": STAFF,
    "staff.export_dictionary": STAFF,
    "staff.export_report": STAFF,
    "staff.report_css": STAFF,
    # answers held for review
    "staff.held": STAFF,
    "staff.held_decide": STAFF,
    # the "needs follow-up" queue: staff only, council leads never see it
    "staff.follow_up": STAFF,
    "staff.follow_up_take": STAFF,
    "staff.follow_up_update": STAFF,
    # theme summaries; a lead's suggestion on a shown quote waits for staff (staff's applies)
    "staff.summary_index": SIGNED_IN,
    "staff.summary_across": STAFF,
    "staff.summary": SCOPED,
    "staff.council_summary": SCOPED,
    "staff.summary_suggest": SCOPED,
    # the review of written comments as written, quote approval and masking: staff only
    "staff.review_answers": STAFF,
    "staff.review_codes_bulk": STAFF,
    "staff.review_codes": STAFF,
    "staff.review_quotes": STAFF,
    "staff.review_mask": STAFF,
    "staff.review_english": STAFF,
    "staff.review_english_draft": STAFF,
    # exchange mode (issue 18): phase, moderation, live results and projector are staff's;
    # council leads get exchange results through snapshots only
    "staff.exchange": STAFF,
    "staff.exchange_phase": STAFF,
    "staff.exchange_ideas": STAFF,
    "staff.exchange_decide": STAFF,
    "staff.exchange_translate": STAFF,
    "staff.exchange_results_page": STAFF,
    "staff.exchange_projector": STAFF,
    # council leads' proposals, decided by staff
    "staff.proposals": STAFF,
    "staff.proposal_decide": STAFF,
}


def _set_password_token(ctx):
    """A live set-password link of the matrix's other account (a made-up one is a 404)."""
    from engagement.extensions import db
    from engagement.models import User
    from engagement.staff.services.accounts import issue_password_link

    return issue_password_link(db.session.get(User, ctx["user_id"])).token


# Values for URL arguments other than the ones the matrix fills in itself (slug, ids of the
# engagement's question/option/event/action, user_id, locale, direction). Keyed by argument
# name; a callable receives the matrix's context dict.
EXTRA_ARGS: dict = {
    "token": _set_password_token,
    # The short invitation link /i/<number>/<letter>/<lang>[/<school>] (public): an
    # engagement id, a channel letter, a language and a school id.
    "number": 1,
    "letter": "s",
    "lang": "es",
    "school": 1,
}
