"""Haitian Creole rules. Short forms are common ("m ap", "m'ap", "l"), so pronouns are
written as alternations; accents are folded before matching ("tèt" and "tet" alike)."""

_MWEN = r"(?:mwen|m|nou|n)"
_LI = r"(?:li|l|yo|y)"
_ZAM = r"(?:zam|revolve|pistole|kouto|bonm|fizi|eksplozif)"

RULES = [
    ("self_harm", r"\b(?:swisid|suisid|suicid)"),
    ("self_harm", r"\btouye tet\b|\btouye ko (?:li|l|mwen|m)\b"),
    ("self_harm", r"\b(?:vle|te vle|ta vle|anvi|pral|ap) mouri\b"),
    ("self_harm", r"\bpa (?:vle|anvi) (?:viv|rete vivan) (?:anko)?|\bpa vle viv\b"),
    (
        "self_harm",
        r"\b(?:fe|fè|blese|koupe) (?:tet|ko) (?:li|l|mwen|m)\b|\bfe tet (?:li|l|mwen|m) mal",
    ),
    (
        "violence_threat",
        r"\b(?:pote|te pote|genyen|gen|montre|rale|kache|ak)\b.{0,40}\b" + _ZAM + r"\b",
    ),
    ("violence_threat", r"\b" + _ZAM + r"\b.{0,40}\b(?:lekol|klas|bis|sak (?:li|l|do))\b"),
    ("violence_threat", r"\bmenas(?:e)?\b|\bmenase\b"),
    (
        "violence_threat",
        r"\b(?:pral|prale|ap|pe|va|vle|di (?:li|l|yo) (?:pral|ap|va)) (?:touye|tire sou|tire|kout kouto|kraze|atake|eksploze)\b",
    ),
    ("violence_threat", r"\btouye (?:yo|li|l|nou|ou|tout|pitit|moun|pwofese|elev)\b|\btire sou\b"),
    ("abuse_neglect", r"\b(?:abi|abize|abizif|maltrete|maltrate|maltretman)\b"),
    (
        "abuse_neglect",
        r"\b(?:pwofese|met|papa|manman|bope|bel manman|tonton|matant|gran|granpapa|kouzen|vwazen|nonm|chofe|mari)\b.{0,40}\b(?:bat|frape|kale|manyen|pouse|boule|fèmen|fèmen (?:li|l)|trangle|toufe)\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:manyen|touche)\b.{0,20}\b(?:kote|pati|pati prive|pati entim)|\b(?:kadejak|vyole|vyol|abi seksyel|seksyel)\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:pa (?:gen|genyen) (?:anyen pou (?:yo |nou |n |li |l )?)?manje|pa (?:gen|genyen) manje|grangou|pa manje (?:depi|pandan))",
    ),
    (
        "abuse_neglect",
        r"\b(?:pou kont (?:li|l|yo) (?:lakay|nan kay)|pou kont (?:li|l|yo)\b.{0,30}\b(?:tout jounen|tout lannwit|plizye jou))",
    ),
    (
        "abuse_neglect",
        r"\b(?:neglijans|mak (?:sou|nan) (?:ko|figi|bra|do|kou) (?:li|l)|mak ble|pe (?:pou )?(?:ale|al|retounen) lakay)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:entimidasyon|intimidasyon|entimide|intimide|bullying|bouli|pesekite|pesekisyon|anmède|anmede|takinen|chikannen|chikane)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:toujou|chak jou|chak jou yo|anko)\b.{0,40}\b(?:bat|frape|pouse|joure|ri|takinen|anmede|menase)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:timoun|elev|ti moun|ti gason|ti fi|lot timoun)\b.{0,40}\b(?:bat|frape|pouse|joure|krache|menase) "
        + _LI
        + r"\b",
    ),
    (
        "bullying_harm",
        r"\b(?:pa vle|pe|refize|kriye pou (?:li|l) pa) (?:ale|al|retounen|monte) (?:lekol|nan bis|bis)\b",
    ),
    (
        "hazard",
        r"\b(?:gaz ap koule|fwit gaz|sant gaz|gen sant gaz|fil (?:elektrik )?(?:dekouvri|kase|ate|pandye)|etensel)",
    ),
    (
        "hazard",
        r"\b(?:plafon|twa|mi|eskalye|planche)\b.{0,30}\b(?:ap tonbe|prèt pou tonbe|pret pou tonbe|tonbe|kraze)",
    ),
    ("hazard", r"\b(?:vit kase|ve kase|sereng|zegwi|amyant)\b"),
    ("hazard", r"\b(?:soti|pot) (?:dijans|ijans)\b.{0,20}\b(?:bloke|fèmen|femen|kadna)"),
    (
        "hazard",
        r"\b(?:manke|preske|prèske|te manke|te preske)\b.{0,15}\b(?:frape|kraze|touye|pran (?:li|l) (?:anba|nan) machin)|\bmachin (?:frape|kraze|pase sou)\b",
    ),
    (
        "hazard",
        r"\b(?:machin|chofe|kamyon)\b.{0,40}\b(?:kouri vit|kouri two vit|twò vit|two vit|pa kanpe|pa rete|pa respekte|pase limye wouj)",
    ),
    (
        "hazard",
        r"\b(?:yon nonm|yon fanm|yon moun|yon etranje|yon moun nou pa konnen|yon machin|yon kamyonet)\b.{0,40}\b(?:swiv|pwoche|apwoche|ofri|eseye pran|pran foto)",
    ),
    ("hazard", r"\bchofe\b.{0,30}\b(?:sou|bwe|ap bwe|sou telefon|nan telefon|ap domi|dòmi|domi)"),
    (
        "hazard",
        r"\b(?:danje|danjere|pa an sekirite)\b.{0,40}\b(?:are|estasyon|kwen|lari|wout|travèse|travese|pakin|eskalye|lakou)\b",
    ),
    (
        "hazard",
        r"\b(?:are bis|estasyon bis|kwen|lari|wout|travese|pakin)\b.{0,40}\b(?:danjere|danje|pa an sekirite)",
    ),
    ("hazard", r"\b(?:dife|lafimen|pran dife)\b"),
    (
        "crisis",
        r"\b(?:san kay|pa gen kote pou (?:nou|n|mwen|m) (?:rete|domi|dòmi|viv)|mete (?:nou|n|mwen|m) deyo|degèpi|degepi|nou nan lari|n nan lari|ap viv nan machin|nan yon abri|abri)\b",
    ),
    (
        "crisis",
        r"\b(?:vyolans (?:nan fanmi|domestik|nan kay)|mari (?:mwen|m)\b.{0,30}\b(?:bat|frape|menase|maltrete))",
    ),
    (
        "crisis",
        r"\b(?:(?:mwen|m|nou|n) pa konn (?:sa|kisa|ki sa) pou (?:mwen|m|nou|n) fe|dezespere|dezespwa|kriz|pa ka sipòte|pa ka sipote|pa kapab anko)\b",
    ),
    (
        "crisis",
        r"\b(?:imigrasyon|ice)\b.{0,30}\b(?:pran|arete|kenbe|depote)|\b(?:depote|depòte|depotasyon|arete pa imigrasyon)\b",
    ),
    (
        "crisis",
        r"\b(?:tanpri ede|souple ede|ede (?:mwen|m|nou|n) (?:tanpri|souple)|mwen bezwen ed kounye a|(?<!soti )(?<!pot )(?<!soti d)(?<!pot d)(?:ijans|dijans))\b",
    ),
    (
        "crisis",
        r"\b(?:papa|manman|mari|madanm|frè|fre|se|granmoun) (?:mwen|m|li|l|nou)\b (?:fenk |sot )?mouri\b",
    ),
]

IDIOMS = [
    r"\b(?:mouri ri|ap mouri ri|m ap mouri ri|map mouri ri)\b",
    r"\b(?:egzesis|egzèsis|pratik|simulasyon) (?:dife|evakyasyon|sekirite|ijans|dijans)\b|\begzesis\b",
    r"\b(?:pwogram|kanpay|prevansyon) (?:kont |pou )?(?:swisid|entimidasyon|intimidasyon|abi|bullying)",
    r"\bpa (?:gen|genyen|janm gen) (?:entimidasyon|intimidasyon|bullying)",
    r"\b(?:devwa|travay|lekol) (?:sa a |la )?ap touye (?:mwen|m)\b",
]

RESOLVED = [
    r"\b(?:te |deja |yo )?(?:rezoud|regle|ranje)\b",
    r"\b(?:li|l|tout bagay|nou|pitit mwen) (?:byen|anfom|an sekirite) (?:kounye a|konnye a|kounya)",
    r"\bmesi\b.{0,30}\b(?:rezoud|regle|okipe)",
]

ONGOING = [
    r"\b(?:toujou|anko|chak jou|pesonn pa fe anyen|pèsonn pa fè anyen|poko rezoud|pa janm rezoud|pa rezoud)\b",
]

CONTACT = [
    r"(?<!pa )(?<!pat )\b(?:rele (?:mwen|m|nou)|relem|ekri (?:mwen|m)|kontakte (?:mwen|m)|voye mesaj ba(?:y)? (?:mwen|m)|pale ak (?:mwen|m))\b",
    r"\b(?:nimewo|telefon|imel) (?:mwen|m) se\b",
    r"\b(?:mwen|m) (?:vle|ta renmen|bezwen) pale ak (?:yon moun|direkte|direktris|pwofese)",
]
