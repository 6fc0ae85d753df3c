"""Masking personal names that a kinship, self-introduction or title word introduces."""

import pytest

from engagement.themes.pii import mask_pii

CASES = {
    "en": [
        (
            "I am Maria Gonzalez, mother of Sofia in Ms. Lee's class",
            "I am [name], mother of [name] in Ms. [name]'s class",
        ),
        (
            "Call me about my son Jacob Miller in grade 3",
            "Call me about my son [name] in grade 3",
        ),
        ("my daughter Ana loves art", "my daughter [name] loves art"),
        ("My daughter, Ana, was bullied.", "My daughter, [name], was bullied."),
        ("my name is maria and I have 2 kids", "my name is [name] and I have 2 kids"),
        ("My name is Maria de la Cruz.", "My name is [name]."),
        ("I'm Rosa, Jacob's mom.", "I'm [name], [name]'s mom."),
        ("I’m Kevin O'Brien", "I’m [name]"),
        (
            "Mr. Smith, Mrs. Brown, Ms Lee, Dr. Patel, Miss Johnson and Coach Carter",
            "Mr. [name], Mrs. [name], Ms [name], Dr. [name], Miss [name] and Coach [name]",
        ),
        ("ask ms. lee about it", "ask ms. [name] about it"),
        ("Ms. Li and Mr. He and Mrs. An", "Ms. [name] and Mr. [name] and Mrs. [name]"),
        ("Mr. and Mrs. White came", "Mr. and Mrs. [name] came"),
        ("Principal Gomez never answered.", "Principal [name] never answered."),
        ("our kids Liam and Noah", "our kids [name] and Noah"),
        ("İlkokul: my son Jacob", "İlkokul: my son [name]"),
        ("MY SON JACOB IS SICK", "MY SON [name] IS SICK"),
        ("MY NAME IS MARIA GONZALEZ", "MY NAME IS [name]"),  # lower-casing İ adds a character
    ],
    "es": [
        ("mi hija María está feliz", "mi hija [name] está feliz"),
        ("Me llamo Ana Pérez y tengo dos hijos", "Me llamo [name] y tengo dos hijos"),
        ("me llamo ana", "me llamo [name]"),
        ("soy la mamá de Sofía", "soy la mamá de [name]"),
        ("la maestra López es muy buena", "la maestra [name] es muy buena"),
        ("Mi hijo se llama Juan Carlos Ramírez", "Mi hijo se llama [name]"),
        ("Mi nombre es Rosa", "Mi nombre es [name]"),
        ("Soy Carmen, mamá de Diego", "Soy [name], mamá de [name]"),
        ("gracias a la Sra. Gómez", "gracias a la Sra. [name]"),
    ],
    "pt_BR": [
        ("meu filho João gosta da escola", "meu filho [name] gosta da escola"),
        ("Me chamo Fernanda Souza", "Me chamo [name]"),
        ("sou a mãe da Ana", "sou a mãe da [name]"),
        ("a professora Silva é ótima", "a professora [name] é ótima"),
        ("A tia Carla cuida bem das crianças", "A tia [name] cuida bem das crianças"),
        ("Meu nome é Luiz Inácio da Silva", "Meu nome é [name]"),
        ("minha filha Beatriz está no 2º ano", "minha filha [name] está no 2º ano"),
        ("sou o pai do Pedro", "sou o pai do [name]"),
    ],
    "zh_Hans": [
        ("我儿子王小明在三年级", "我儿子[name]在三年级"),
        ("我女儿李华很喜欢画画", "我女儿[name]很喜欢画画"),
        ("我叫李华", "我叫[name]"),
        ("王老师很耐心", "[name]老师很耐心"),
        ("谢谢张伟老师", "谢谢[name]老师"),
        ("我是张伟的妈妈", "我是[name]的妈妈"),
        ("我女儿Emily在二年级", "我女儿[name]在二年级"),
        ("欧阳老师和Smith老师", "[name]老师和[name]老师"),
        ("王小明同学欺负我的孩子", "[name]同学欺负我的孩子"),
        ("孩子叫小明", "孩子叫[name]"),
        ("我姓陈", "我姓[name]"),
        ("我女儿，陈静怡，今年八岁", "我女儿，[name]，今年八岁"),
    ],
    "ht": [
        ("pitit gason m Jean renmen lekòl la", "pitit gason m [name] renmen lekòl la"),
        ("pitit fi m Rose nan twazyèm ane", "pitit fi m [name] nan twazyèm ane"),
        ("Mwen rele Marie Joseph", "Mwen rele [name]"),
        ("Mwen se manman Jean", "Mwen se manman [name]"),
        ("Non m se Pierre", "Non m se [name]"),
        ("pitit gason mwen Wilson", "pitit gason mwen [name]"),
        ("Mis Rose ede nou anpil", "Mis [name] ede nou anpil"),
    ],
    "ar": [
        ("ابني أحمد يحب المدرسة", "ابني [name] يحب المدرسة"),
        ("ابنتي فاطمة في الصف الثالث", "ابنتي [name] في الصف الثالث"),
        ("اسمي سارة", "اسمي [name]"),
        ("أنا أم سارة", "أنا أم [name]"),
        ("الأستاذ محمد ساعد ابني", "الأستاذ [name] ساعد ابني"),
        ("ابني أحمد محمد في الصف الثاني", "ابني [name] في الصف الثاني"),
        ("اسمي ليلى حسن وأنا أم لطفلين", "اسمي [name] وأنا أم لطفلين"),
        ("اسمي رغدة", "اسمي [name]"),
        ("وابنتي مريم تحب القراءة", "وابنتي [name] تحب القراءة"),
        ("الأستاذة هدى رائعة", "الأستاذة [name] رائعة"),
        ("ابني Adam في الروضة", "ابني [name] في الروضة"),
        ("ابنِي يُوسُف", "ابنِي [name]"),
    ],
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_introduced_names_are_masked(lang):
    for text, expected in CASES[lang]:
        assert mask_pii(text) == expected, text


def test_names_and_contacts_together():
    text = "Soy la mamá de Sofía, llámeme al 617-555-0199 o maria arroba gmail punto com."
    assert mask_pii(text) == "Soy la mamá de [name], llámeme al [phone] o [email]."
