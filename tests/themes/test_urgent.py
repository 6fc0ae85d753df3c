"""The urgent-comment rules (engagement.themes.urgent), language by language: hand-written
cases, not the blind evaluation set (bench/urgent_eval.py measures that one)."""

import pytest

from engagement.themes.pipeline import analyze
from engagement.themes.urgent import KINDS, LOCALES, detect, normalise, rules_for

URGENT = [
    # English
    ("en", "My son told me he wants to kill himself. Please help.", "self_harm"),
    (
        "en",
        "My daughter has been cutting herself and talks about not wanting to live.",
        "self_harm",
    ),
    (
        "en",
        "A boy in 7th grade said he is going to bring a gun to school on Friday.",
        "violence_threat",
    ),
    ("en", "Someone wrote a hit list in the bathroom with my son's name on it.", "violence_threat"),
    (
        "en",
        "My kid says the aide grabbed him and hits him when no one is looking.",
        "abuse_neglect",
    ),
    (
        "en",
        "The little girl next door comes to school hungry, there is no food at home.",
        "abuse_neglect",
    ),
    (
        "en",
        "My son is being bullied every day on the bus and is afraid to go to school.",
        "bullying_harm",
    ),
    ("en", "There is a gas leak smell in the basement near the cafeteria.", "hazard"),
    ("en", "A man in a van has been following kids at the Oak St bus stop.", "hazard"),
    ("en", "We were evicted last week and are living in our car with the kids.", "crisis"),
    # Spanish, with and without accents
    ("es", "Mi hija dice que se quiere quitar la vida, no sé qué hacer.", "self_harm"),
    ("es", "Mi hija dice que se quiere quitar la vida, no se que hacer.", "self_harm"),
    ("es", "Un estudiante amenazó con traer una pistola a la escuela.", "violence_threat"),
    ("es", "El padrastro de un niño le pega con el cinturón, tiene moretones.", "abuse_neglect"),
    (
        "es",
        "A mi hijo le hacen bullying todos los días y ya no quiere ir a la escuela.",
        "bullying_harm",
    ),
    (
        "es",
        "En la parada del autobús los carros pasan a toda velocidad, casi atropellan a mi hijo.",
        "hazard",
    ),
    ("es", "Nos desalojaron y estamos viviendo en un refugio.", "crisis"),
    # Brazilian Portuguese
    ("pt_BR", "Meu filho disse que quer morrer e não quer mais viver.", "self_harm"),
    ("pt_BR", "Um aluno ameaçou trazer uma faca para a escola.", "violence_threat"),
    ("pt_BR", "O padrasto bate nele com cinto, ele chega com hematomas.", "abuse_neglect"),
    (
        "pt_BR",
        "Minha filha sofre bullying todos os dias e tem medo de ir para a escola.",
        "bullying_harm",
    ),
    ("pt_BR", "Tem fios desencapados no banheiro do segundo andar.", "hazard"),
    ("pt_BR", "Fomos despejados e não temos onde morar.", "crisis"),
    # Haitian Creole (with short forms)
    ("ht", "Pitit mwen di li vle mouri, li pa vle viv ankò.", "self_harm"),
    ("ht", "Yon elèv di l ap pote yon zam lekòl la demen.", "violence_threat"),
    ("ht", "Bòpè a bat pitit la chak jou, li gen mak sou kò li.", "abuse_neglect"),
    ("ht", "Timoun yo toujou ap bat pitit mwen nan bis la, li pè ale lekòl.", "bullying_harm"),
    ("ht", "Gen sant gaz nan kizin lekòl la.", "hazard"),
    ("ht", "Yo mete nou deyò, nou pa gen kote pou nou dòmi.", "crisis"),
    # Simplified Chinese
    ("zh_Hans", "我女儿说她不想活了，我很害怕。", "self_harm"),
    ("zh_Hans", "有个学生说要带枪来学校。", "violence_threat"),
    ("zh_Hans", "邻居的孩子经常被继父打，身上有淤青。", "abuse_neglect"),
    ("zh_Hans", "我儿子每天在校车上被欺负，现在害怕上学。", "bullying_harm"),
    ("zh_Hans", "学校体育馆有燃气泄漏的味道。", "hazard"),
    ("zh_Hans", "我们被赶出公寓，现在无家可归。", "crisis"),
    # Arabic, with and without hamza forms
    ("ar", "ابني قال إنه يريد أن يموت.", "self_harm"),
    ("ar", "ابني قال انه يريد ان يموت.", "self_harm"),
    ("ar", "طالب هدد بإحضار سكين إلى المدرسة.", "violence_threat"),
    ("ar", "ابنتي تتعرض للتنمر كل يوم ولا تريد الذهاب إلى المدرسة.", "bullying_harm"),
    ("ar", "هناك تسرب غاز في المطبخ.", "hazard"),
    ("ar", "طردونا من الشقة ولا مكان لنا للعيش.", "crisis"),
]

ORDINARY = [
    ("en", "Please update the emergency contact form before the field trip."),
    ("en", "Someone should follow up with the principal about the schedule."),
    ("en", "Please help us get a crossing guard at Pleasant St, the line is long."),
    ("es", "Es urgente contratar más maestros de inglés."),
    ("es", "Lo molestan un poco los horarios del almuerzo."),
    ("pt_BR", "Eu tiro meu filho da escola mais cedo às sextas."),
    ("zh_Hans", "请学校更新紧急联系人信息。"),
    ("ar", "الموقع يحتاج إلى تحديث عاجل."),
    ("en", "This homework is killing me, there is too much of it."),
    ("en", "The fire drill on Tuesday was well organised."),
    ("en", "The lockdown drill scared my son a little but the teacher explained it well."),
    ("en", "My son was bullied last year, but the school handled it quickly and he is fine now."),
    ("en", "The bus was late again and nobody called us back."),
    ("en", "Please add more after-school clubs and a chess club."),
    ("en", "My mom will kill me if I forget the permission slip again."),
    ("en", "Teachers should get the flu shots early this year."),
    ("es", "Me muero de risa con las historias que cuenta la maestra."),
    ("es", "La tarea me está matando, es demasiado."),
    ("es", "El simulacro de incendio salió muy bien."),
    ("es", "El autobús llega tarde y no hay intérprete en las reuniones."),
    ("pt_BR", "Estou morrendo de rir com as histórias do professor."),
    ("pt_BR", "O ônibus atrasou e a escola não avisou ninguém."),
    ("pt_BR", "O simulado de incêndio foi bem organizado."),
    ("ht", "M ap mouri ri ak istwa pwofesè a."),
    ("ht", "Bis la toujou an reta, pèsonn pa rele nou."),
    ("zh_Hans", "笑死了，老师讲的故事太有意思了。"),
    ("zh_Hans", "校车总是迟到，老师也不回复我的邮件。"),
    ("zh_Hans", "消防演练组织得很好。"),
    ("ar", "أموت من الضحك على قصص المعلم."),
    ("ar", "تأخرت الحافلة مرة أخرى."),
    ("ar", "كان تدريب الإخلاء منظما جيدا."),
]


@pytest.mark.parametrize(("lang", "text", "kind"), URGENT)
def test_urgent_comments_are_flagged_with_their_kind(lang, text, kind):
    assert detect(text, lang).kind == kind


@pytest.mark.parametrize(("lang", "text"), ORDINARY)
def test_idioms_drills_resolved_and_ordinary_complaints_are_not_flagged(lang, text):
    assert detect(text, lang).kind is None


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Could someone please call me back about the IEP meeting?"),
        ("es", "Por favor llámenme, quiero hablar con alguien."),
        ("pt_BR", "Por favor me liguem, gostaria de falar com a diretora."),
        ("ht", "Tanpri rele m, mwen vle pale ak direktè a."),
        ("zh_Hans", "请给我打电话，谢谢。"),
        ("ar", "أرجو الاتصال بي، اتصلوا بي من فضلكم."),
    ],
)
def test_a_request_to_be_contacted_is_noticed(lang, text):
    flag = detect(text, lang)
    assert flag.asks_contact and flag.kind is None


def test_a_threat_in_english_on_a_spanish_form_is_still_found():
    assert detect("He said he will shoot up the school", "es").kind == "violence_threat"


def test_resolved_is_overridden_when_it_still_goes_on():
    text = "The bullying was addressed in March but it is still happening every day."
    assert detect(text, "en").kind == "bullying_harm"


def test_most_serious_kind_wins():
    text = "The bus stop is dangerous and my son says he wants to kill himself."
    assert detect(text, "en").kind == "self_harm"


def test_normalise_folds_case_accents_and_arabic_forms():
    assert normalise("SUICÍDIO  Llámenme") == "suicidio llamenme"
    assert normalise("أريد") == normalise("اريد")


def test_every_language_has_rules_for_every_kind():
    for locale in LOCALES:
        assert {kind for kind, _ in rules_for(locale).rules} == set(KINDS), locale


def test_the_pipeline_carries_the_flag():
    result = analyze("My son says he wants to kill himself.", "en")
    assert (result.urgent, result.asks_contact) == ("self_harm", False)
    assert set(result.to_json_dict()) == {"lang", "sentiment", "themes", "phrases"}
    assert analyze("The bus was late.", "en").urgent is None


def test_long_hostile_input_is_linear():
    # Bounded windows only: a long run of near-matches finishes (no catastrophic backtracking).
    text = "bring " * 20000 + "a"
    assert detect(text, "en").kind is None
