"""Text in, analysis out: the theme pipeline, its codebook, stored analyses and human re-coding.

- `pipeline`: one open-text answer in, one `Analysis` out (language, sentiment, themes, key
  phrases); with `langdetect`, `text`, `pii` and the English analyzer in `english/`.
- `codebook`: the theme codebook, a JSON data file staff can edit.
- `store`: analyses saved in the database and re-applied when the codebook changes.
- `review`: reviewers' manual theme codes and hidden quotes.

The pipeline and codebook are plain Python with no Flask import; only `store` and `review`
touch the database. Nothing is imported here, so importing a light module (the codebook, PII
masking) does not load the language models: import from the modules themselves.
"""
