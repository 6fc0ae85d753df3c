"""The LibreTranslate adapter on its own: language codes, refusals, odd replies (HTTP is
mocked; nothing leaves the machine)."""

import io
import json

import pytest

from engagement.machine_translation import (
    MachineTranslationError,
    source_code,
    translate_to_english,
)


def test_language_codes_as_libretranslate_names_them():
    assert [source_code(c) for c in ("es", "pt_BR", "zh_Hans", "ht", "ar", None)] == [
        "es",
        "pt",
        "zh",
        "ht",
        "ar",
        "auto",
    ]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.test", "translate.test"])
def test_only_an_http_server_is_asked(url, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("nothing may be sent")

    monkeypatch.setattr("engagement.machine_translation.urllib.request.urlopen", never)
    with pytest.raises(MachineTranslationError):
        translate_to_english("hola", "es", url)


@pytest.mark.parametrize("reply", [{"error": "x"}, {"translatedText": "  "}, ["x"]])
def test_an_odd_reply_is_no_draft(reply, monkeypatch):
    def fake(request, timeout):
        class Reply(io.BytesIO):
            def __enter__(self):
                return self

        return Reply(json.dumps(reply).encode())

    monkeypatch.setattr("engagement.machine_translation.urllib.request.urlopen", fake)
    with pytest.raises(MachineTranslationError):
        translate_to_english("hola", "es", "https://translate.test", api_key="k")


def test_the_api_key_is_sent_when_set(monkeypatch):
    sent = []

    def fake(request, timeout):
        sent.append(json.loads(request.data))

        class Reply(io.BytesIO):
            def __enter__(self):
                return self

        return Reply(b'{"translatedText": " hello "}')

    monkeypatch.setattr("engagement.machine_translation.urllib.request.urlopen", fake)
    assert translate_to_english("hola", "es", "https://translate.test", api_key="k") == "hello"
    assert sent == [{"q": "hola", "source": "es", "target": "en", "format": "text", "api_key": "k"}]
