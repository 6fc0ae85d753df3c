"""Brazilian Portuguese rules (accents are folded before matching)."""

_FILHO = r"(?:meu|minha|meus|minhas|nosso|nossa|seu|sua|o|a|os|as) (?:filho|filha|filhos|filhas|crianca|criancas|menino|menina|bebe|aluno|aluna|alunos|neto|neta|irmao|irma)"
_ARMA = r"(?:armas?|revolver|pistolas?|facas?|canivetes?|bombas?|explosivos?|espingarda)"
_ADULTO = r"(?:professor|professora|motorista|treinador|pai|padrasto|mae|madrasta|tio|tia|avo|namorado|primo|vizinho|homem|adulto|marido|esposo|monitor|monitora)"

RULES = [
    ("self_harm", r"\bsuicid"),
    (
        "self_harm",
        r"\b(?:se matar|me matar|vai se matar|vou me matar|quer se matar|quero me matar|se mata|me mato)\b",
    ),
    ("self_harm", r"\b(?:quer|quero|queria|querem|queremos) (?:morrer|sumir|desaparecer)\b"),
    (
        "self_harm",
        r"\bnao (?:quer|quero|querem|queria) mais (?:viver|estar vivo|estar viva|acordar)|\bnao (?:quer|quero) (?:viver|continuar vivendo)",
    ),
    (
        "self_harm",
        r"\b(?:tirar a (?:propria )?vida|tirar sua vida|acabar com a (?:minha|sua|propria) vida|melhor mort[oa]|overdose)",
    ),
    (
        "self_harm",
        r"\b(?:se corta|se cortou|se cortando|se cortar|se machuca|se machucar|se machucando|se machucou de proposito|automutila|autolesao|auto-lesao|auto lesao|se ferir|se fere)",
    ),
    (
        "violence_threat",
        r"\b(?:trouxe|trazer|traz|trazia|tem|tinha|levou|leva|levava|mostrou|mostra|puxou|escondeu|esconde|com)\b.{0,40}\b"
        + _ARMA
        + r"\b",
    ),
    (
        "violence_threat",
        r"\b"
        + _ARMA
        + r"\b.{0,40}\b(?:na|para a|pra) (?:escola|sala|aula|mochila)|\b"
        + _ARMA
        + r"\b.{0,40}\bno (?:onibus|recreio|armario|patio)",
    ),
    ("violence_threat", r"\bameac(?:a|ou|am|aram|ava|ando|as)\b|\bameaca(?:s)?\b"),
    (
        "violence_threat",
        r"\b(?:vai|vou|vao|vamos|ia|iam) (?:matar|atirar|esfaquear|bater|espancar|atacar|explodir|por uma bomba)\b",
    ),
    (
        "violence_threat",
        r"\b(?:atirar|tiros|tiroteio|esfaquear|esfaqueou|matar o|matar a|matar os|matar todos|matar alguem|matar voce|mata-lo|mata-la|matou)\b",
    ),
    ("abuse_neglect", r"\babus(?:o|a|am|ou|aram|ava|ando|ador|ado|ada|ivo)\b"),
    ("abuse_neglect", r"\bmaltrat"),
    (
        "abuse_neglect",
        r"\b"
        + _ADULTO
        + r"\b.{0,40}\b(?:bate|bateu|batia|espanca|espancou|espancava|machuca|machucou|empurrou|puxou|tocou|toca|tocava|passou a mao|trancou|tranca|queimou|enforcou)",
    ),
    (
        "abuse_neglect",
        r"\b(?:bate|bateu|batia|batem|espanca|espancou|espancava) (?:nele|nela|neles|em mim|no meu|na minha|nos meus|nas minhas|muito|com cinto|todo dia|todos os dias)",
    ),
    (
        "abuse_neglect",
        r"\b(?:partes intimas|partes intimas|toques inapropriados|tocou de forma inapropriada|estupr|assedio sexual|abuso sexual|violencia sexual)",
    ),
    (
        "abuse_neglect",
        r"\b(?:nao (?:tem|temos|ha|tinha) (?:nada )?(?:comida|o que comer)|nao (?:comeu|comem|come) (?:nada|ha dias)|passa(?:m|mos|ndo)? fome|dorme com fome|vai com fome)",
    ),
    (
        "abuse_neglect",
        r"\b(?:sozinho|sozinha|sozinhos|sozinhas) em casa\b.{0,40}\b(?:o dia todo|a noite toda|por dias|toda noite|horas|sem)\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:negligencia|negligenciad|hematomas?|manchas roxas|roxos? no (?:corpo|braco|rosto)|marcas no (?:corpo|braco|rosto|pescoco)|conselho tutelar|dcf)",
    ),
    ("abuse_neglect", r"\b(?:medo|teme) de (?:ir|voltar) (?:para|pra) casa\b"),
    (
        "bullying_harm",
        r"\b(?:bullying|assedio|intimidacao)\b.{0,40}\b(?:todo dia|todos os dias|diariamente|ainda|continua|de novo|outra vez|nao para|constante|meses|semanas)",
    ),
    (
        "bullying_harm",
        r"\b(?:todo dia|todos os dias|diariamente|ainda|continua|continuam|de novo|outra vez|sempre)\b.{0,40}\b(?:bullying|zoam|xingam|batem|empurram|ameacam|humilham|perseguem)",
    ),
    (
        "bullying_harm",
        r"\b(?:sofre|sofreu|sofrendo|sofrem|vitima de) (?:de )?(?:bullying|assedio|intimidacao)",
    ),
    ("bullying_harm", r"\b(?:fazem|faz|fizeram|fazendo|fazia) bullying (?:com|contra)"),
    (
        "bullying_harm",
        r"\b(?:e|esta|foi|tem sido|sao|estao|sendo) (?:intimidad|perseguid|agredid|espancad)",
    ),
    (
        "bullying_harm",
        r"\b(?:batem|bateram|empurram|empurraram|xingam|chutam|chutaram|perseguem|humilham|ameacam) (?:nele|nela|neles|no meu|na minha|o meu|a minha|"
        + _FILHO
        + r")",
    ),
    (
        "bullying_harm",
        r"\b(?:nao quer|tem medo de|com medo de|se recusa a|chora para nao) (?:ir|voltar) (?:para|pra|a) (?:escola|aula)|\b(?:nao quer|tem medo de) (?:pegar|andar de) onibus",
    ),
    ("bullying_harm", r"\bcyberbullying|\bciberbullying"),
    (
        "hazard",
        r"\b(?:vazamento de gas|cheiro de gas|cheirando a gas|monoxido de carbono|fios? (?:expostos|soltos|desencapados)|faiscas)",
    ),
    (
        "hazard",
        r"\b(?:teto|telhado|parede|escada|corrimao|piso)\b.{0,30}\b(?:caindo|desabando|desabou|caiu|prestes a cair)",
    ),
    (
        "hazard",
        r"\b(?:vidros? quebrados?|cacos de vidro|seringas?|agulhas?|amianto|chumbo na agua|esgoto)\b",
    ),
    (
        "hazard",
        r"\bsaidas? de emergencia (?:esta |estao )?(?:bloqueadas?|trancadas?|fechadas? com cadeado)",
    ),
    (
        "hazard",
        r"\b(?:quase|por pouco) (?:foi |foram |fui |fomos )?(?:atropelad|atingid|pego por um carro|morreu)",
    ),
    ("hazard", r"\batropel"),
    (
        "hazard",
        r"\b(?:carros?|motoristas|caminhoes|transito)\b.{0,40}\b(?:alta velocidade|muito rapido|correndo|nao param|nao respeitam|furam o sinal|passam o sinal|ultrapassam o onibus)",
    ),
    (
        "hazard",
        r"\b(?:um homem|uma mulher|um estranho|uma estranha|um desconhecido|uma desconhecida|alguem|um carro|uma van|um cara)\b.{0,40}\b(?:seguiu|seguindo|segue|abord|se aproxim|aproximando|ofereceu|oferecendo|tentou (?:levar|pegar|agarrar)|fotos)",
    ),
    (
        "hazard",
        r"\bmotorista\b.{0,30}\b(?:bebado|bebendo|embriagado|drogado|no celular|mexendo no celular|dormindo|cochilando|cheirando a alcool)",
    ),
    (
        "hazard",
        r"\b(?:perigo|perigoso|perigosa|inseguro|insegura)\b.{0,40}\b(?:ponto|parada|travessia|rua|esquina|faixa|transito|avenida|parquinho|escada|estacionamento)\b",
    ),
    (
        "hazard",
        r"\b(?:ponto de onibus|parada|travessia|rua|esquina|faixa|avenida|estacionamento)\b.{0,40}\b(?:perigos[oa]|insegur[oa]|alguem vai se machucar|vai acontecer uma tragedia)",
    ),
    (
        "hazard",
        r"\b(?:incendio|pegou fogo|pegando fogo|fogo na|fumaca na|fumaca no)\b",
    ),
    (
        "crisis",
        r"\b(?:sem (?:casa|teto|moradia|lugar para (?:morar|dormir|ficar))|despejo|despejad[oa]s?|vamos ser despejados|morando (?:no|num|em um) (?:carro|abrigo|motel)|abrigo|nao temos onde (?:morar|dormir|ficar))",
    ),
    (
        "crisis",
        r"\b(?:violencia domestica|meu (?:marido|esposo|companheiro|namorado|ex)\b.{0,30}\b(?:bate|agride|ameaca|espanca|abusa))",
    ),
    (
        "crisis",
        r"\b(?:nao sei (?:mais )?o que fazer|desesperad[oa]s?|crise|ataques? de panico|nao aguento mais)\b",
    ),
    (
        "crisis",
        r"\b(?:imigracao|ice)\b.{0,30}\b(?:levou|prendeu|deteve|pegou|deport)|\b(?:deportad[oa]|detid[oa]|preso pela imigracao)\b",
    ),
    (
        "crisis",
        r"\b(?:socorro|me ajudem por favor|nos ajudem por favor|por favor (?:me|nos) ajud|preciso de ajuda urgente|ajuda urgente|(?<!de )emergencia)\b",
    ),
    (
        "crisis",
        r"\b(?:pai|mae|marido|esposa|irmao|irma|avo)\b (?:acabou de )?(?:morreu|faleceu|foi assassinad)",
    ),
]

IDIOMS = [
    r"\b(?:estou|to|tou|estava|ta|esta) morrendo de (?:rir|fome|sono|vontade|saudade|calor|frio|cansaco|tedio|vergonha)",
    r"\bmorr(?:i|endo|o|emos) de (?:rir|fome|sono|vontade|saudade|calor|frio|cansaco|tedio|vergonha)",
    r"\b(?:esta|estao|ta) me matando\b|\bme mata(?:m)?\b|\bminha mae vai me matar\b|\bmeu pai vai me matar\b",
    r"\b(?:simulad[oa]s?|simulacao|simulacro|treinamento|treino|exercicio) de (?:incendio|evacuacao|emergencia|seguranca|atirador|tiroteio)|\bsimulacao\b|\bsimulado\b",
    r"\b(?:prevencao|campanha|programa|palestra|politica) (?:ao |do |de |contra o |contra a )?(?:suicidio|bullying|assedio|abuso)",
    r"\babuso de (?:drogas|alcool|substancias|poder)",
    r"\bnunca (?:sofreu|sofri|foi vitima de|teve) (?:bullying|assedio)",
    r"\b(?:nao ha|sem) (?:bullying|assedio)",
]

RESOLVED = [
    r"\b(?:foi|ja foi|esta|ficou|ja esta|ja ta) (?:resolvid|solucionad|tratad)",
    r"\b(?:resolveram|solucionaram|cuidaram disso|trataram disso)\b|\bagora (?:esta|estao|estamos|ta) (?:bem|tudo bem|seguro)",
    r"\bobrigad[oa] por (?:resolver|cuidar|ajudar|tratar)",
]

ONGOING = [
    r"\b(?:ainda|continua|continuam|de novo|outra vez|todo dia|todos os dias|nada foi feito|ninguem fez nada|nao foi resolvid)",
]

CONTACT = [
    r"\b(?:me retorne|me retornem|retornem a ligacao|retornar a ligacao)\b",
    r"\b(?:me liguem|me ligue|me liga|liguem para mim|liguem pra mim|ligar para mim|me ligar|entrem em contato|entre em contato comigo|me contat|me procur|me mandem mensagem|me escrevam)",
    r"\bmeu (?:numero|telefone|celular|email|e-mail|zap|whatsapp) (?:e|eh)\b",
    r"\b(?:quero|queria|gostaria de|preciso) falar com (?:alguem|alguma pessoa|voces|o diretor|a diretora|a professora|o professor)",
]
