"""The codebook data file: complete in every locale, validated, versioned."""

import hashlib
import json

import pytest

from engagement.themes.codebook import (
    SEED_CODES,
    Codebook,
    CodebookError,
    default_path,
    get_codebook,
)
from engagement.themes.text import LOCALES


def raw():
    return default_path().read_bytes()


def test_every_seed_code_complete_in_all_locales():
    codebook = get_codebook()
    assert set(SEED_CODES) <= set(codebook.codes)
    for theme in codebook.themes.values():
        for locale in LOCALES:
            assert theme.label[locale].strip()
            assert theme.description[locale].strip()
            assert theme.keywords[locale]
            assert all(k.strip() for k in theme.keywords[locale])


def test_descriptions_are_one_line():
    for theme in get_codebook().themes.values():
        assert all("\n" not in d for d in theme.description.values())


def test_version_is_hash_of_file():
    assert get_codebook().version == hashlib.sha1(raw()).hexdigest()
    assert len(get_codebook().version) == 40


def test_version_changes_with_content():
    data = json.loads(raw())
    data["themes"][0]["keywords"]["en"].append("bulletin")
    other = Codebook(json.dumps(data, ensure_ascii=False).encode())
    assert other.version != get_codebook().version
    assert "communication" in other.match("en", "The weekly bulletin is useful.")


def test_label_fallback():
    theme = get_codebook().themes["safety"]
    assert theme.label_for("es") == "Seguridad"
    assert theme.label_for("fr") == "Safety"


def _mutated(fn):
    data = json.loads(raw())
    fn(data)
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["themes"][0]["label"].pop("ht"), "label missing for locale ht"),
        (lambda d: d["themes"][1]["description"].update(ar=" "), "description missing"),
        (lambda d: d["themes"][2]["keywords"].update(zh_Hans=[]), "no keywords for locale zh_Hans"),
        (lambda d: d["themes"][2]["keywords"].update(xx=["a"]), "unknown locales"),
        (lambda d: d["themes"].pop(), "seed theme codes missing: scheduling"),
        (lambda d: d["themes"].append(dict(d["themes"][0])), "duplicate code"),
        (lambda d: d["themes"][0].update(code="Bad Code"), "lower_snake_case"),
    ],
)
def test_validation_rejects(mutate, message):
    with pytest.raises(CodebookError, match=message):
        Codebook(_mutated(mutate))


def test_not_json():
    with pytest.raises(CodebookError):
        Codebook(b"{not json")


def test_prefix_keywords():
    data = json.loads(raw())
    data["themes"][0]["keywords"]["ht"].append("kominik*")
    codebook = Codebook(json.dumps(data, ensure_ascii=False).encode())
    assert "communication" in codebook.match("ht", "kominikatif yo")


def test_matching_is_accent_and_inflection_insensitive():
    codebook = get_codebook()
    assert "communication" in codebook.match("es", "la comunicacion es mala")
    assert "staffing" in codebook.match("pt_BR", "os PROFESSORES faltam")
    assert "safety" in codebook.match("en", "kids were bullied")


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Kids at recess told my son to go back to his country."),
        ("es", "En el recreo le dicen ilegal a mi hijo."),
        ("pt_BR", "Chamaram minha filha de macaco na sala."),
        ("zh_Hans", "黑人学生受到的处分总是更重。"),
        ("ht", "Yo sispann pitit mwen paske li nwa."),
        ("ar", "بعض الطلاب بينادوا ابني ارهابي."),
    ],
)
def test_slurs_and_unequal_discipline_are_equity(lang, text):
    assert "equity_inclusion" in get_codebook().match(lang, text)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "My son's teacher is wonderful."),
        ("es", "La maestra de mi hijo es maravillosa."),
        ("pt_BR", "A professora do meu filho é ótima."),
        ("zh_Hans", "孩子的老师很好。"),
        ("ht", "Pwofesè pitit mwen an bon anpil."),
        ("ar", "معلمة ابني ممتازة."),
    ],
)
def test_a_teacher_alone_is_not_staffing(lang, text):
    assert "staffing" not in get_codebook().match(lang, text)
