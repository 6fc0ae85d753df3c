"""Plain functions behind the staff views, one module per feature: database writes and the
rules they keep, callable from views, the CLI and tests without HTTP.

- accounts.py        staff accounts and the password rule (web form and `flask users`)
- authoring.py       engagements, questions and options
- events.py          events and their comment cards
- loop.py            "you said, we did" notes
- responses.py       response counts for lists
- texts.py           the English source row of translatable content
- translation_io.py  translation state and the translator's .po round trip
"""
