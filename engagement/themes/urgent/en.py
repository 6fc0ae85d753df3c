"""English rules (also run on every comment: families mix languages)."""

_CHILD = r"(?:my|our|his|her|their|the) (?:son|daughter|child|kid|kids|children|boy|girl|baby|student|students|grandson|granddaughter|nephew|niece|brother|sister)"
_WEAPON = r"(?:guns?|pistols?|rifles?|firearms?|knife|knives|blades?|weapons?|bombs?|explosives?|box ?cutters?)"
_ADULT = r"(?:teacher|teachers|aide|para|coach|driver|bus driver|principal|staff|father|dad|stepfather|stepdad|step-dad|mother|mom|stepmother|uncle|aunt|boyfriend|grandfather|grandpa|cousin|babysitter|neighbor|parents?|husband|man|adult)"

RULES = [
    (
        "self_harm",
        r"\b(?:thoughts|thinking|talks?|talking|talked) (?:of|about) (?:hurting|harming|killing) (?:him|her|my|them)sel",
    ),
    (
        "self_harm",
        r"\b(?:no point (?:in )?(?:living|being alive|going on)|feels? hopeless|(?:wants?|wanted) to disappear|not worth living)\b",
    ),
    (
        "violence_threat",
        r"\b(?:posted|wrote|sent|made|received|got|left) (?:a |some |another )?(?:threat|threats)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:a kid|another kid|another student|another boy|another girl|older boys|older girls)\b.{0,40}\b(?:hit|hits|beat|beats|punch|punched|kick|kicked|push|pushed|shove|shoved|trip|tripped|spit|spits|choke|choked|jumped)\b (?:him|her|them|me|my|our)\b",
    ),
    (
        "crisis",
        r"\b(?:can't|cannot|can not|couldn't) (?:afford|pay for|buy) (?:food|groceries|rent|the rent)\b",
    ),
    # self-harm and suicide
    ("self_harm", r"\bsuicid"),
    (
        "self_harm",
        r"\b(?:kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|cuts|hang|hanging|starve|starving) (?:him|her|my|them|your|our)?sel(?:f|ves)\b",
    ),
    ("self_harm", r"\bself[- ]?(?:harm|injur|mutilat)"),
    (
        "self_harm",
        r"\b(?:wants?|wanted|wanting|wanna|going|ready|tried|trying|plans?) to (?:die|end it all|disappear forever)\b",
    ),
    ("self_harm", r"\bwish(?:es|ed)? (?:i|he|she|they) (?:was|were) (?:dead|never born)"),
    (
        "self_harm",
        r"\b(?:don't|doesn't|do not|does not|didn't|no longer) want(?:s)? to (?:live|be alive|be here anymore|wake up)",
    ),
    ("self_harm", r"\b(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?li(?:fe|ves)\b"),
    (
        "self_harm",
        r"\b(?:no reason to live|better off dead|better off without (?:me|him|her)|can't go on|cannot go on|overdos)",
    ),
    (
        "self_harm",
        r"\b(?:thoughts|thinking|talks?|talking|talked) (?:of|about) (?:dying|death|suicide|killing)",
    ),
    # threats of violence
    (
        "violence_threat",
        r"\b(?:bring|brings|brought|bringing|carry|carries|carrying|carried|has|had|have|having|showed|shows|showing|pulled|pulls|hides|hid|hiding|with|found|waving)\b.{0,40}\b"
        + _WEAPON
        + r"\b",
    ),
    (
        "violence_threat",
        r"\b"
        + _WEAPON
        + r"\b.{0,40}\b(?:at|to|in|into|on) (?:school|class|the classroom|the bus|his backpack|her backpack|a backpack|his bag|her bag|the locker|his locker|recess|the playground)\b",
    ),
    (
        "violence_threat",
        r"\b(?:going to|gonna|will|would|'ll|threaten(?:ed|s|ing)? to|wants? to|said (?:he|she|they)(?:'d| would| will| was going to)) (?:kill|shoot|stab|murder|hurt|beat up|attack|blow up|bomb|jump|get)\b(?! me\b)",
    ),
    ("violence_threat", r"\bthreaten(?:ed|s|ing)?\b"),
    (
        "violence_threat",
        r"\b(?:death threats?|made (?:a |some )?threats?|threats? (?:against|to kill|to hurt|to shoot)|hit ?list|kill ?list|shoot (?:up )?(?:the|this|our) school|shoot ?(?:up|everyone|everybody|people|them all)|shooting up)",
    ),
    (
        "violence_threat",
        r"\b(?:kill|killed|killing|murder|stab|stabbed|shoot|shot)\b (?:him|her|them|you|us|everyone|everybody|people|someone|somebody|the kids|kids|students|teachers?|the teacher|my|his|her|their|a student|a kid|a teacher)\b",
    ),
    # abuse and neglect
    ("abuse_neglect", r"\b(?:abuse|abused|abusing|abusive|abuser)\b"),
    (
        "abuse_neglect",
        r"\b(?:molest(?:ed|ing|er|ers|ation|s)?\b|grop(?:e|ed|es|ing)\b|rape|raped|sexual(?:ly)? (?:abus|assault|touch|harass)|inappropriate(?:ly)? touch|touch(?:ed|es|ing)? (?:him|her|them|my|his|her)\b.{0,30}\binappropriate|private parts)",
    ),
    (
        "abuse_neglect",
        r"\b"
        + _ADULT
        + r"\b.{0,40}\b(?:hit|hits|hitting|beat|beats|beating|beaten|slap|slaps|slapped|punch|punched|punches|kick|kicked|kicks|chok|grabbed|shoves|shoved|burn|burned|whip|whipped|strangl|touch|touched|touches|touching|drags|dragged|locks? (?:him|her|them) (?:in|out))\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:hits|beats|slaps|whips|chokes|burns) (?:him|her|them|me|" + _CHILD + r")\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:bruises?|welts|burn marks|marks on (?:his|her|their) (?:body|arms?|legs?|face|back|neck))\b",
    ),
    ("abuse_neglect", r"\b(?:neglect|neglected|neglecting|dcf|child protective|cps)\b"),
    (
        "abuse_neglect",
        r"\b(?:no food (?:at home|in the house|for (?:the|my) kids)|nothing to eat|(?:hasn't|haven't|has not|have not|hadn't|didn't|did not) eaten|goes? to (?:bed|school) hungry|go hungry|starving at home)",
    ),
    (
        "abuse_neglect",
        r"\b(?:left alone|home alone|alone at home)\b.{0,40}\b(?:all day|all night|for days|every night|for hours|overnight|with no|without)\b",
    ),
    ("abuse_neglect", r"\b(?:afraid|scared|terrified) (?:to go|of going) home\b"),
    (
        "abuse_neglect",
        r"\b(?:nobody|no one|no-one) (?:feeds|takes care of|looks after|picks up) (?:him|her|them)\b",
    ),
    # bullying with ongoing harm
    (
        "bullying_harm",
        r"\b(?:is|are|was|were|been|being|gets|getting|got|keeps? getting|still) (?:constantly |always |badly |relentlessly )?(?:bullied|harassed|picked on|beaten up|jumped|tormented|targeted)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:bully|bullies|bullying|bullied|harass|harasses|harassing|torment|torments|tormenting) (?:him|her|them|me|"
        + _CHILD
        + r")\b",
    ),
    (
        "bullying_harm",
        r"\bbull(?:y|ies|ied|ying)\b.{0,40}\b(?:every day|everyday|daily|every week|still|again|keeps?|continu|won't stop|doesn't stop|nonstop|non-stop|all the time|for months|for weeks)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:every day|everyday|daily|all the time|keeps?|still|again)\b.{0,40}\bbull(?:y|ies|ied|ying)\b",
    ),
    ("bullying_harm", r"\bcyber ?bull"),
    (
        "bullying_harm",
        r"\b(?:kids|boys|girls|students|classmates|older kids|other kids|a boy|a girl|a student|some kids|a group)\b.{0,40}\b(?:hit|hits|beat|beats|punch|punched|kick|kicked|push|pushed|shove|shoved|trip|tripped|spit|spits|choke|choked|jumped)\b (?:him|her|them|me|my|our)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:afraid|scared|terrified|refuses|refusing|begs not|cries) (?:to go|of going|to ride|of riding|going) (?:to )?(?:school|the bus|on the bus)\b",
    ),
    ("bullying_harm", r"\b(?:cries|crying|cried) (?:every|each) (?:day|morning|night)\b"),
    # immediate safety hazards
    (
        "hazard",
        r"\b(?:gas leak|smells? (?:of|like) gas|smelled (?:of|like) gas|carbon monoxide|exposed (?:wires?|wiring)|live wires?|downed (?:power )?lines?|sparking)",
    ),
    (
        "hazard",
        r"\b(?:ceiling|roof|wall|stairs?|railing|floor)\b.{0,30}\b(?:falling|collapsing|caving|collapsed|caved|fell|about to fall|gave way)",
    ),
    ("hazard", r"\b(?:broken glass|needles?|syringes?|asbestos|lead in the water|sewage)\b"),
    (
        "hazard",
        r"\b(?:fire )?exits? (?:are |is |were |was )?(?:blocked|locked|chained)|(?:blocked|locked|chained) (?:fire )?exits?",
    ),
    (
        "hazard",
        r"\b(?:almost|nearly|just about) (?:got |get |was |were |been )?(?:hit|run over|struck|killed|hurt)\b",
    ),
    (
        "hazard",
        r"\b(?:cars?|drivers?|trucks?|traffic)\b.{0,40}\b(?:speed|speeding|race|racing|runs? (?:the|a) (?:red|stop)|run red|don't stop|do not stop|never stop|doesn't stop|pass(?:es)? the (?:stopped )?bus|ignore the (?:stop|bus))",
    ),
    (
        "hazard",
        r"\b(?:stranger|strangers|a man|a woman|someone|somebody|an adult|a car|a van|a truck|a guy)\b.{0,40}\b(?:follow(?:ed|ing|s)?\b(?! up)|approached (?:my|our|the|kids|children|students|him|her|them)|approaching (?:my|our|the|kids|children|students)|lur|offer(?:s|ed|ing)? (?:candy|rides?|them)|tried to (?:take|grab|pick up|get)|took pictures|photograph|exposed himself)",
    ),
    (
        "hazard",
        r"\b(?:bus )?drivers?\b.{0,30}\b(?:drunk|drinking|high|texting|on (?:his|her) phone|asleep|falling asleep|dozing|smell(?:s|ed)? (?:of|like) (?:alcohol|booze|weed))",
    ),
    (
        "hazard",
        r"\b(?:danger|dangerous|unsafe|hazard|hazardous|death trap)\b.{0,40}\b(?:bus stop|crosswalk|crossing|intersection|street|road|corner|traffic|playground|stairs?|parking lot|drop[- ]off|pick[- ]?up)\b",
    ),
    (
        "hazard",
        r"\b(?:bus stop|crosswalk|crossing|intersection|street|road|corner|playground|stairs?|parking lot|drop[- ]off|pick[- ]?up)\b.{0,40}\b(?:dangerous|unsafe|hazard|death trap|someone will get hurt|someone is going to get (?:hurt|killed)|accident waiting)",
    ),
    (
        "hazard",
        r"\b(?:on fire|caught fire|started a fire|set (?:a )?fire|fire in the|smoke coming|smoke pouring)\b",
    ),
    # a family or student in crisis
    (
        "crisis",
        r"\b(?:homeless|evicted|eviction|being kicked out|kicked us out|lost (?:our|my) (?:home|house|apartment|housing)|losing (?:our|my) (?:home|house|apartment)|living in (?:a|our|my|the) (?:car|shelter|motel)|no place to (?:live|stay|sleep)|nowhere to (?:live|stay|sleep|go))",
    ),
    (
        "crisis",
        r"\b(?:domestic violence|my (?:husband|partner|boyfriend|ex|wife)\b.{0,30}\b(?:hits|beats|hurts|threaten|chok|abus))",
    ),
    (
        "crisis",
        r"\b(?:don't|do not|dont) know what (?:else )?to do\b|\bdesperate\b|\bin crisis\b|\bmental health crisis\b|\b(?:nervous|mental|emotional) breakdown\b|\bhaving a breakdown\b|\bpanic attacks?\b|\bcan't (?:cope|take it anymore|take this anymore)",
    ),
    (
        "crisis",
        r"\b(?:(?:i|we) (?:am|are|'m|'re|feel) (?:in danger|not safe|unsafe)|(?:not|don't feel|doesn't feel) safe at home)\b",
    ),
    (
        "crisis",
        r"\b(?:ice|immigration)\b.{0,30}\b(?:took|detained|arrested|picked up|deport)|\bdeport(?:ed|ation)\b|\bdetained\b",
    ),
    (
        "crisis",
        r"\b(?:please help (?:me|us)\b(?! (?:with|understand|get|find|by|to))|help us please|help me please|need help (?:now|urgently|immediately|asap|right away)|urgent(?:ly)? (?:help|need help))\b|(?<!of )(?<!of an )\bemergency\b(?! (?:contacts?|cards?|forms?|plans?|procedures?|notifications?|alerts?|dismissal|info|information|numbers?|kits?|exits?|drills?|system|line|protocols?|closings?|messages?|calls? system))",
    ),
    (
        "crisis",
        r"\b(?:father|mother|dad|mom|husband|wife|brother|sister|parent)\b (?:just )?(?:died|passed away|was killed)",
    ),
]

IDIOMS = [
    r"\b(?:is|are|was|'s|'re|it's|its) (?:literally |slowly |really )?killing (?:me|us|him|her|my|our)\b",
    r"\b(?:kills|killed) me\b",
    r"\b(?:will|would|gonna|going to|'ll) kill (?:me|us)\b(?: if)?",
    r"\bdying (?:to|for|of laughter|laughing)\b|\bdie laughing\b|\bto die for\b|\b(?:bored|scared|worried|tired) to death\b",
    r"\b(?:dead tired|dead end|deadline|killer app|killing it|kill time|killed it)\b",
    r"\b(?:flu|booster|covid|vaccine) shots?\b|\bgive it a shot\b|\bshoot (?:me )?(?:an? )?(?:email|message|text|note)\b|\bphoto ?shoot\b|\bshot (?:him|her|them|me|us) an? (?:email|message|text|note)\b",
    r"\bbomb(?:ed)? (?:the|a|my|his|her|that) (?:test|exam|quiz)\b",
    r"\b(?:fire|lockdown|evacuation|active shooter|shooter|safety|emergency|shelter[- ]in[- ]place|bus|tornado|alice) (?:drills?|practice|training)\b|\bdrills?\b",
    r"\bfire (?:the|that|this|a) (?:principal|teacher|superintendent|driver|coach|company)\b",
    r"\b(?:suicide|bullying|abuse|violence) (?:prevention|awareness|training|program|curriculum|policy|lessons?)\b",
    r"\b(?:substance|drug|alcohol) abuse\b",
    r"\b(?:never|not|no longer|wasn't|hasn't been|have not been|has not been|never been) (?:been |being )?bullied\b",
    r"\bbeat (?:the|us|them) (?:traffic|heat|deadline|in|at)\b",
    r"\b(?:no|zero|anti-?) ?bullying\b",
]

RESOLVED = [
    r"\b(?:was|were|has been|have been|got|is|been|all) (?:quickly |already |fully )?(?:resolved|handled|taken care of|addressed|fixed|dealt with|sorted(?: out)?)\b",
    r"\b(?:it's|its|it is|everything is|all is|he is|she is|he's|she's|they are|we are|things are) (?:fine|ok|okay|better|good|safe) now\b",
    r"\bthank(?:s| you) for (?:handling|resolving|taking care|dealing|fixing|addressing)",
]

ONGOING = [
    r"\b(?:still|again|keeps?|continu|every day|everyday|daily|not (?:been )?(?:resolved|handled|fixed|addressed)|never (?:resolved|handled|fixed|addressed)|nothing (?:was|has been) done|no one did anything|nobody did anything|won't stop|doesn't stop)",
]

CONTACT = [
    r"\b(?:reach out to|follow up with|get in touch with|talk to|speak with|speak to) me\b",
    r"(?<!n't )(?<!not )(?<!never )(?<!one )(?<!nobody )\b(?:please )?(?:call|text|email|e-mail|contact|reach|phone) (?:me|us)\b",
    r"\b(?:call|get) (?:me )?back to me\b|\bcall me back\b|\bget back to me\b|\bgive me a call\b",
    r"\b(?:i'd|i would|we'd|we would) (?:like|love|appreciate) (?:someone|somebody|a call|to talk|to speak|a callback|a call back|a phone call)",
    r"\b(?:can|could|would|will) (?:someone|somebody|anyone|you) (?:please )?(?:call|contact|reach|email|text)",
    r"\bmy (?:number|phone|cell|phone number|email|e-mail) is\b|\breach me at\b|\bi want to (?:talk|speak) (?:to|with) (?:someone|somebody)",
]
