"""Spanish rules (accents are folded before matching: write them or not)."""

_HIJO = r"(?:mi|mis|nuestro|nuestra|nuestros|su|sus|el|la|los|las) (?:hijo|hija|hijos|hijas|nino|nina|ninos|ninas|nene|nena|bebe|estudiante|estudiantes|alumno|alumna|nieto|nieta|hermano|hermana)"
_ARMA = r"(?:armas?|pistolas?|revolver|cuchillos?|navajas?|bombas?|explosivos?|rifles?|escopetas?)"
_ADULTO = r"(?:maestro|maestra|profesor|profesora|chofer|conductor|entrenador|padre|papa|padrastro|madre|mama|madrastra|tio|tia|abuelo|novio|primo|vecino|senor|hombre|adulto|esposo|marido)"

RULES = [
    (
        "bullying_harm",
        r"\b(?:molestan|pegan|golpean|empujan|insultan|amenazan|se burlan de)\b.{0,40}\b(?:todos los dias|cada dia|siempre|todavia|otra vez|a diario)\b",
    ),
    ("self_harm", r"\bsuicid"),
    (
        "self_harm",
        r"\b(?:quitarse|quitarme|quitarte) la vida|\bse quiere quitar la vida|\bme quiero quitar la vida",
    ),
    (
        "self_harm",
        r"\b(?:quiere|quiero|queria|quieren|queremos|quisiera) (?:morir|morirse|morirme|matarse|matarme|desaparecer)\b",
    ),
    (
        "self_harm",
        r"\bno (?:quiere|quiero|quieren|queria) (?:seguir )?(?:vivir|viviendo|estar vivo|estar viva|despertar)",
    ),
    (
        "self_harm",
        r"\b(?:matarse|matarme|se va a matar|me voy a matar|se quiere matar|me quiero matar|se mata|me mato)\b",
    ),
    (
        "self_harm",
        r"\b(?:se corta|se cortaba|se corto|cortarse|se hace dano|se hizo dano|hacerse dano|hacerme dano|me hago dano|se lastima|lastimarse|lastimarme|autolesion|se autolesiona)",
    ),
    (
        "self_harm",
        r"\b(?:acabar con (?:mi|su) vida|mejor muert[oa]|no vale la pena vivir|ya no puede mas|ya no puedo mas|sobredosis)",
    ),
    (
        "violence_threat",
        r"\b(?:trajo|traer|trae|traia|tiene|tenia|llevaba|lleva|llevo|mostro|muestra|saco|sacar|escondia|esconde|con)\b.{0,40}\b"
        + _ARMA
        + r"\b",
    ),
    (
        "violence_threat",
        r"\b"
        + _ARMA
        + r"\b.{0,40}\b(?:a|en) (?:la )?(?:escuela|clase|el salon|el autobus|el bus|la mochila|su mochila|el recreo|el patio|el casillero)\b",
    ),
    ("violence_threat", r"\bamenaz(?:o|a|an|aron|aba|ando|as)\b"),
    (
        "violence_threat",
        r"\b(?:va|van|voy|vamos|iba|iban) a (?:matar|disparar|balacear|apunalar|acuchillar|golpear|pegar|atacar|volar|poner una bomba)\b",
    ),
    (
        "violence_threat",
        r"\b(?:lo|la|los|las|te|les|nos) (?:va|van|iba|iban) a (?:matar|disparar|apunalar|golpear|pegar|atacar)\b",
    ),
    (
        "violence_threat",
        r"\b(?:disparar|disparo|disparos|balacera|balacear|tiroteo|apunalar|apunalo|acuchillo|matar a|mato a|matarlo|matarla|matarlos)\b",
    ),
    ("abuse_neglect", r"\babus(?:o|a|an|aron|aba|ando|ador|ado|ada|ivo)\b"),
    ("abuse_neglect", r"\bmaltrat"),
    (
        "abuse_neglect",
        r"\b"
        + _ADULTO
        + r"\b.{0,40}\b(?:le pega|la pega|lo pega|les pega|le pego|le pegaba|la golpea|lo golpea|le golpea|les golpea|golpeo|golpeaba|la toca|lo toca|le toca|toco|tocaba|le grita y|lo encierra|la encierra|jalo|empujo|ahorco|quemo)",
    ),
    (
        "abuse_neglect",
        r"\b(?:le|la|lo|les|me) (?:pega|pegan|pego|pegaba|golpea|golpean|golpeo|golpeaba|quema|quemo) (?:con|todos|cada|mucho|muy|en la casa|en casa)",
    ),
    (
        "abuse_neglect",
        r"\b(?:tocamientos?|toco sus partes|partes intimas|partes privadas|manoseo|violacion|violaron|violo|violada|violado|acoso sexual|abuso sexual|agresion sexual)",
    ),
    (
        "abuse_neglect",
        r"\b(?:no (?:hay|tenemos|tiene|tienen) (?:nada de |que )?(?:comida|comer)|no (?:ha|han|he) comido|pasa(?:n|mos)? hambre|se (?:va|van) a dormir con hambre|llega con hambre)",
    ),
    (
        "abuse_neglect",
        r"\b(?:solo|sola|solos|solas) en (?:la )?casa\b.{0,40}\b(?:todo el dia|toda la noche|por dias|cada noche|horas|sin)\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:negligencia|descuidad[oa]s?|moretones|moretes|marcas en (?:su|el|la) (?:cuerpo|brazo|brazos|cara|espalda|cuello)|dcf)\b",
    ),
    (
        "abuse_neglect",
        r"\b(?:miedo|teme|temor) (?:de |a )?(?:ir|volver|regresar) a (?:la |su )?casa\b",
    ),
    (
        "bullying_harm",
        r"\b(?:bullying|bulin|buling|bulling|acoso|intimidacion)\b.{0,40}\b(?:todos los dias|cada dia|diario|todavia|sigue|siguen|otra vez|de nuevo|no para|constante|meses|semanas)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:todos los dias|cada dia|diario|todavia|sigue|siguen|otra vez|constantemente)\b.{0,40}\b(?:bullying|bulin|buling|bulling|acos|intimid|molest|pegan|golpean|empujan|insultan|burlan)",
    ),
    (
        "bullying_harm",
        r"\b(?:le|les|me|la|lo) (?:hacen|hace|hicieron|hacia|hacian) (?:bullying|bulin|buling|bulling|acoso)",
    ),
    (
        "bullying_harm",
        r"\b(?:sufre|sufrio|sufriendo|sufren|victima de) (?:de )?(?:bullying|bulin|buling|bulling|acoso|intimidacion)",
    ),
    (
        "bullying_harm",
        r"\b(?:es|esta|fue|ha sido|son|estan|siendo) (?:acosad[oa]s?|intimidad[oa]s?|golpead[oa]s?|hostigad[oa]s?)",
    ),
    ("bullying_harm", r"\b(?:acosan|acosaron|acosa|intimidan|hostigan|golpean|empujan) a " + _HIJO),
    (
        "bullying_harm",
        r"\b(?:ninos|ninas|companeros|estudiantes|alumnos|un nino|una nina|unos ninos|otros ninos|muchachos)\b.{0,40}\b(?:le|la|lo|les|me) (?:pegan|pega|pegaron|golpean|golpearon|empujan|empujaron|patean|patearon|ahorcaron|escupen|amenazan)\b",
    ),
    (
        "bullying_harm",
        r"\b(?:no quiere|tiene miedo de|le da miedo|tienen miedo de|se niega a|llora para no) (?:ir|volver|regresar|subir) (?:a la escuela|al autobus|al bus|a clase)",
    ),
    ("bullying_harm", r"\bciber ?acoso|\bciberbullying"),
    (
        "hazard",
        r"\b(?:fuga de gas|olor a gas|huele a gas|monoxido de carbono|cables? (?:expuestos|sueltos|pelados|electricos sueltos)|chispas)",
    ),
    (
        "hazard",
        r"\b(?:techo|pared|escalera|barandal|piso)\b.{0,30}\b(?:cayendo|se cae|se cayo|derrumb|a punto de caer)",
    ),
    (
        "hazard",
        r"\b(?:vidrios? rotos?|jeringas?|agujas?|asbesto|amianto|plomo en el agua|aguas negras)\b",
    ),
    (
        "hazard",
        r"\bsalidas? de emergencia (?:esta |estan )?(?:bloqueadas?|cerradas? con (?:llave|candado))",
    ),
    (
        "hazard",
        r"\b(?:casi|por poco) (?:lo |la |los |las |le |les |me |nos )?(?:atropell|choca|golpea|mata)",
    ),
    ("hazard", r"\batropell"),
    (
        "hazard",
        r"\b(?:carros?|coches?|autos?|conductores|choferes|camiones|trafico)\b.{0,40}\b(?:a toda velocidad|muy rapido|a exceso de velocidad|no (?:se )?(?:paran|detienen|respetan)|pasan el alto|se pasan)",
    ),
    (
        "hazard",
        r"\b(?:un hombre|una mujer|un extrano|una extrana|un desconocido|una desconocida|alguien|un carro|una camioneta|un senor)\b.{0,40}\b(?:sigu|persigu|se acerc|acercando|ofrec|intento (?:llevar|agarrar)|fotos)",
    ),
    (
        "hazard",
        r"\b(?:chofer|conductor)\b.{0,30}\b(?:borracho|tomado|ebrio|drogado|con el celular|en el celular|dormido|se duerme|huele a alcohol)",
    ),
    (
        "hazard",
        r"\b(?:peligro|peligroso|peligrosa|inseguro|insegura)\b.{0,40}\b(?:parada|cruce|calle|esquina|trafico|avenida|patio|escalera|estacionamiento)\b",
    ),
    (
        "hazard",
        r"\b(?:parada|cruce|calle|esquina|avenida|estacionamiento)\b.{0,40}\b(?:peligros[oa]|insegur[oa]|alguien va a salir herido|va a pasar una desgracia)",
    ),
    ("hazard", r"\b(?:incendio|se incendio|fuego en|humo en)\b"),
    (
        "crisis",
        r"\b(?:sin hogar|sin casa|sin techo|desalojo|desalojaron|desalojar|nos (?:van a )?(?:sacar|echar) de|vivimos en (?:el|un|nuestro) (?:carro|coche|auto|carro|refugio|albergue|motel)|refugio|albergue|no tenemos donde (?:vivir|dormir|quedarnos))",
    ),
    (
        "crisis",
        r"\b(?:violencia domestica|mi (?:esposo|marido|pareja|novio|ex)\b.{0,30}\b(?:pega|golpea|amenaza|maltrata|abusa))",
    ),
    (
        "crisis",
        r"\b(?:no se que (?:mas )?hacer|desesperad[oa]s?|crisis|ataques? de panico|no aguanto mas|ya no aguanto)\b",
    ),
    (
        "crisis",
        r"\b(?:inmigracion|la migra|ice)\b.{0,30}\b(?:se llevo|detuvo|arresto|agarro|deport)|\b(?:deportaron|deportado|deportada|detenido|detenida)\b",
    ),
    (
        "crisis",
        r"\b(?:ayuda(?:nos|me)? por favor|por favor ayuda|necesito ayuda urgente|ayuda urgente|(?<!de )(?<!caso de )emergencia)\b",
    ),
    (
        "crisis",
        r"\b(?:padre|madre|papa|mama|esposo|esposa|hermano|hermana|abuela|abuelo)\b (?:acaba de )?(?:murio|fallecio|fue asesinad)",
    ),
]

IDIOMS = [
    r"\bme (?:muero|mori|moria|estoy muriendo|estaba muriendo) de (?:risa|hambre|sueno|ganas|verguenza|calor|frio|aburrimiento|cansancio)",
    r"\bmuert[oa]s? de (?:risa|hambre|sueno|cansancio|calor|frio|aburrimiento|miedo)",
    r"\b(?:me|nos) (?:esta|estan) matando\b|\bme mata(?:n)?\b|\bme va a matar si\b|\bmi (?:mama|papa) me (?:va a )?mata",
    r"\bsimulacros?\b(?: de (?:incendio|evacuacion|emergencia|encierro|seguridad|tirador))?|\bpractica de (?:incendio|evacuacion|emergencia)",
    r"\b(?:prevencion|campana|programa|charla|politica) (?:del |de |contra el |contra la )?(?:suicidio|bullying|acoso|abuso)",
    r"\babuso de (?:drogas|alcohol|sustancias|poder)",
    r"\bnunca (?:ha sido|fue|han sido|ha sufrido|sufrio) (?:acosad|victima|bullying|intimidad)",
    r"\b(?:no hay|sin) (?:bullying|acoso)",
]

RESOLVED = [
    r"\b(?:ya )?se (?:resolvio|soluciono|arreglo|atendio|manejo)\b",
    r"\b(?:ya )?(?:esta|estan|quedo) (?:resuelto|solucionado|arreglado)\b|\bya (?:esta|estan) bien\b|\bahora (?:esta|estan|estamos) bien\b",
    r"\blo (?:resolvieron|solucionaron|manejaron|atendieron|arreglaron)\b",
    r"\bgracias por (?:resolver|atender|ayudar|manejar|solucionar)",
]

ONGOING = [
    r"\b(?:todavia|aun|sigue|siguen|seguimos|otra vez|de nuevo|cada dia|todos los dias|no (?:se )?(?:ha )?(?:resuelto|solucionado|hecho nada)|nadie (?:hizo|hace|ha hecho) nada)\b",
]

CONTACT = [
    r"\b(?:comuniquese conmigo|contactame|llamame|escribame|me devuelvan la llamada|devolverme la llamada)\b",
    r"\b(?:llamen|llameme|llamenme|llamarme|me llamen|me llame|contacten|contactarme|contactenme|me contacten|comuniquense conmigo|escribanme|me escriban|me pueden llamar|pueden llamarme|llamarnos|llamennos)\b",
    r"\bmi (?:numero|telefono|celular|correo)(?: electronico)? es\b",
    r"\b(?:quiero|quisiera|necesito|me gustaria) hablar con (?:alguien|alguno|una persona|ustedes|el director|la directora|la maestra|el maestro)",
]
