"""Ordinary comments come out of the masking unchanged.

Praise and complaints that mention a son or a teacher, dates, times, grades, counts, years,
money and number ranges that look a little like phone numbers, in the six languages. Masking
errs on the side of hiding, but a quote that loses its meaning is no use to a council.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.themes.pii import mask_pii

ORDINARY = {
    "en": [
        "My son loves his teacher and the after-school program.",
        "The teacher called me on Monday about my daughter's reading.",
        "The bus comes at 7:15 and school ends at 3:15.",
        "My kids are in grade 3 and grade 5, and there are 25 students in each class.",
        "The 2024-2025 calendar had too many early release days.",
        "Field trips cost $40 and not every family can pay that.",
        "I am very happy with the school this year.",
        "I'm a single mom and I work until 6 pm.",
        "My daughter, who is in 4th grade, was bullied on the bus.",
        "Conferences on 3/15 were only 10 minutes long.",
        "We waited 45 minutes at the stop on 03/15/2026.",
        "My son and I read together every night for 20 minutes.",
        "Room 204 is too cold and the heater has been broken since January.",
        "I AM VERY UPSET ABOUT THE BUS.",
        "MY SON NEEDS MORE HELP IN MATH AND MY DAUGHTER LOVES ART.",
        "I am Haitian and I want more Kreyòl at meetings.",
        "The school year 2025-26 started well.",
        "Thanks to the teachers at Lincoln for a great year!",
        "Please send notes home by 8 am; I check email at night.",
        "Class sizes went from 22 to 31 students between 2019 and 2024.",
        "Pick-up at 2:45 - 3:00 is chaotic.",
        "My child's teacher Is amazing",
        "Our kids need 2 or 3 more hours of tutoring a week.",
        "I'm Black and my son is often the only Black student in his class.",
        "In 2024 2025 and 2026 the budget went down.",
        "I am SO excited for the spring concert!",
        "I'm LOVING the new reading program.",
        "You can sign up at parentsquare.com or call the office.",
        "The 2026-03-15 10:30 meeting was moved.",
    ],
    "es": [
        "Mi hijo está muy contento con su maestra.",
        "La maestra de mi hija es muy paciente y amable.",
        "Mi hija está en tercer grado y tiene 25 compañeros.",
        "El autobús llega a las 7:15 y a veces a las 7:40.",
        "Soy madre soltera y trabajo hasta las 6.",
        "El calendario 2024-2025 no tenía días para padres.",
        "La excursión costó $40 y no todos pueden pagar.",
        "Me llamó la maestra el lunes para hablar de mi hijo.",
        "Me llamo la atención que nadie contestó.",
        "Mis hijos van a la escuela desde 2022.",
        "Soy de Guatemala y mi esposo no habla inglés.",
        "La reunión fue el 15/03/2026 a las 3:15.",
        "Gracias a la directora por escucharnos.",
        "El distrito gastó $1.500.000 en computadoras.",
        "Soy Latina y quiero más información en español.",
        "Mi hija Quiere participar en más actividades.",
        "Mis hijos Disfrutan mucho el programa de verano.",
        "La maestra Nos mandó la tarea por WhatsApp.",
    ],
    "pt_BR": [
        "Meu filho adora a professora dele.",
        "A professora da minha filha manda fotos pelo aplicativo.",
        "Minha filha está no 3º ano e a turma tem 25 alunos.",
        "O ônibus chega às 7:15 e às vezes atrasa 20 minutos.",
        "Sou mãe de três crianças e trabalho até as 18h.",
        "O calendário 2024-2025 teve poucas reuniões.",
        "A excursão custou R$ 40 e nem todos podem pagar.",
        "O meu nome está na lista de espera desde 2025.",
        "Meus filhos estudam nessa escola desde 2021.",
        "A reunião foi no dia 15/03/2026 às 15:15.",
        "Obrigada à diretora e a toda a equipe.",
        "Sou brasileira e gostaria de mais informações em português.",
        "Meu filho Gosta muito da escola.",
    ],
    "zh_Hans": [
        "我儿子很喜欢他的老师。",
        "我女儿周末去图书馆看书。",
        "我儿子马上就要上初中了。",
        "孩子高兴极了，谢谢老师。",
        "数学老师每周都发邮件。",
        "班主任老师很负责。",
        "校车早上7:15到，下午3:15回来。",
        "我女儿三年级，班上有25个学生。",
        "2024-2025学年的家长会太少了。",
        "课外活动要交40美元。",
        "我是三年级学生的家长。",
        "孩子的安全最重要。",
        "我儿子和同学相处得很好。",
        "历史老师讲得很好。",
        "我孩子常常说想念以前的老师。",
        "中文老师很有耐心。",
        "我女儿高中毕业后想上大学。",
        "感谢所有老师和高年级同学的帮助。",
        "星期一二三四五都有课后班。",
        "家长会在2026.03.15，学费是１２００元。",
    ],
    "ht": [
        "Pitit gason m renmen pwofesè li anpil.",
        "Pitit fi m nan twazyèm ane, e gen 25 elèv nan klas la.",
        "Bis la rive a 7:15 epi lekòl la fini a 3:15.",
        "Mwen rele lekòl la twa fwa e pèsonn pa reponn.",
        "Manman m pa konn li angle.",
        "Kalandriye 2024-2025 la pa t bon.",
        "Vwayaj la te koute $40.",
        "Mwen se yon manman ki travay anpil.",
        "Pwofesè a toujou voye mesaj ban mwen.",
        "Nou bezwen plis entèprèt kreyòl nan reyinyon yo.",
        "Mete reyinyon yo sou Zoom pou paran ki pa ka deplase.",
        "Pitit mwen an fè pwogrè depi mwa Janvye.",
        "Papa yo pa t kapab vini nan reyinyon an.",
    ],
    "ar": [
        "ابني يحب حصص العلوم كثيرا.",
        "ابنتي تتحسن بسرعة في القراءة.",
        "المعلمة تتواصل معي كل أسبوع.",
        "الأستاذ لطيف جدا مع الأطفال.",
        "الحافلة تصل الساعة 7:15 صباحا.",
        "في صف ابني 25 طالبا.",
        "العام الدراسي 2024-2025 كان صعبا.",
        "الرحلة تكلف 40 دولارا.",
        "أنا سعيدة جدا بالمدرسة هذا العام.",
        "أنا أم لثلاثة أطفال وأعمل طوال اليوم.",
        "أنا أم عاملة ولا أستطيع الحضور صباحا.",
        "ابني في الصف الثالث.",
        "اجتماع أولياء الأمور كان يوم 15/03/2026.",
        "ابنتي سعيدة في المدرسة.",
        "ابني وحيد في الصف ولا يتكلم مع أحد.",
        "ابني يتعرض للتنمر بسبب اسمه، وعندما أبلغت المدرسة لم يتابع أحد الموضوع.",
        "اسمي مكتوب خطأ في القائمة.",
        "العام الدراسي ٢٠٢٤-٢٠٢٥ كان أفضل، والاجتماع يوم ١٥/٠٣/٢٠٢٦.",
    ],
}
ALL = [(lang, text) for lang, texts in ORDINARY.items() for text in texts]
IDS = [f"{lang}-{i}" for i, (lang, _) in enumerate(ALL)]


def test_the_set_is_large_and_covers_every_language():
    assert len(ALL) >= 60
    assert all(len(texts) >= 10 for texts in ORDINARY.values())


@pytest.mark.parametrize(("lang", "text"), ALL, ids=IDS)
def test_ordinary_comment_is_unchanged(lang, text):
    assert mask_pii(text) == text


# Numbers families write that are not personal details, built at random.
YEARS = st.integers(1990, 2035)
NUMBERS = st.one_of(
    st.builds("{}:{:02d}".format, st.integers(1, 12), st.integers(0, 59)),  # 3:15
    st.builds("{}/{}/{}".format, st.integers(1, 12), st.integers(1, 31), YEARS),  # 3/15/2026
    st.builds("{}-{:02d}-{:02d}".format, YEARS, st.integers(1, 12), st.integers(1, 31)),
    st.builds("{}.{:02d}.{}".format, st.integers(1, 31), st.integers(1, 12), YEARS),
    st.builds(lambda y, sep: f"{y}{sep}{y + 1}", YEARS, st.sampled_from(["-", "/", " - ", "–"])),
    st.builds(lambda y: f"{y}-{(y + 1) % 100:02d}", YEARS),  # 2025-26
    st.builds("${}".format, st.integers(0, 9999)),
    st.builds("{} students".format, st.integers(0, 999)),
    st.builds("grade {}".format, st.integers(1, 12)),
    st.builds("room {}".format, st.integers(1, 999)),
    YEARS.map(str),
)


@settings(max_examples=300, deadline=None)
@given(
    numbers=st.lists(NUMBERS, min_size=1, max_size=4),
    joiner=st.sampled_from([" and ", ", ", " on ", "; ", " y ", " e ", " ak ", "，"]),
)
def test_dates_times_years_money_and_counts_are_unchanged(numbers, joiner):
    text = "My son: " + joiner.join(numbers) + "."
    assert mask_pii(text) == text
