"""Question words in English, Spanish, French, German and Italian, folded (no accents, lower case).

The programme text stays as published; these lists only say what a word in a *question* means.
"""

from __future__ import annotations


def word_set(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


# Filler words: they carry no topic. Time, day and intent words live in their own sets below.
STOPWORDS = word_set(
    # en
    "a an the is are was were be been being am do does did doing have has had having i me my we our us you your "
    "he she it its they them their this that these those there here what whats which whom whose why how can could "
    "would should will shall might must please tell show give gives giving find list know want wanna like about "
    "any anything anyone something some all of in on at to for from by with into onto over under up out off "
    "again than so too very just also only and or but not no yes s t d ll re ve m get got going happen happens "
    "held hold take takes taking place there one ones see look looking much many more most other else thing "
    "things kind sort do happening interesting good best cool nice recommend recommended there's ok okay near "
    "nearby located situated location find found going running playing showing scheduled planned comes "
    "still yet already ever someone somebody anybody everyone everything need needs able whats",
    # es
    "el la los las un una unos unas de del al a en y o u que quien quienes cual cuales como es son esta estan juntos "
    "hay sobre para por con sin mi mis tu tus su sus se lo le les me te nos algo alguna alguno algun ese esa "
    "este esto eso favor dime dame ver quiero saber puedo tiene tienen tiene habra sera van va pasa ocurre sucede "
    "encuentra encuentro celebra queda viene vienen sigue toca ahi aqui alli tambien ya todo todos toda todas "
    "cada alguien ha he hemos hace hacer ser estar voy vamos puede pueden podria tengo tenemos respecto cuanto "
    "cuantos cuanta cuantas",
    # fr
    "le la les un une des du de d l au aux en et ou qui que quoi quel quelle quels quelles comment est sont il "
    "elle ils elles y sur pour par avec sans je tu nous vous mon ma mes ce cet cette ces se s n ne pas plus c qu "
    "j m t a ont va vont quelque chose y'a svp passe trouve situe lieu vient dans chez fait faire ya voir peut "
    "peux puis dois faut ici alors donc aussi encore deja tout tous toute toutes quelqu avoir etre celui celle "
    "pres combien deroule deroulent",
    # de
    "der die das den dem des ein eine einer eines einem einen und oder wie was welche welcher welches welchen "
    "ist sind gibt es zu zum zur im in am an auf uber fur von mit ohne um bei ich du wir mir mich uns bitte "
    "etwas irgendwas irgendein irgendeine findet statt stattfindet kann konnen gehts geht los lauft laufen "
    "passiert befindet liegt kommt dort hier auch schon noch alle alles jede jeder jemand haben habe wird "
    "werden sein dann denn doch nur mal muss soll darf sehen als andere anderen anderes anderer lautet heisst "
    "beim vom ins ans macht machen sag sagt durch gesprochen geredet diskutiert behandelt lerne lernt nochmal "
    "nochmals daruber davon hierzu dafur darum damit dabei dran mitten inmitten zusammen gemeinsam einfach "
    "tagsuber gucken schauen angucken anschauen tun stehen steht wem wen wessen",
    # it
    "il lo la i gli le un uno una di del della dello dei degli delle a al alla allo agli da dal dalla dai in insieme "
    "quanto quanti quanta quante "
    "senza po svolgono cui "
    "nel nella nei su sul sulla per tra fra e o che cosa come quale quali c sono ci mi ti si ce qualcosa qualche "
    "vorrei sapere puoi succede trova trovo svolge tiene viene arriva ad ed dov cos sta stanno fa fare qua "
    "anche ancora gia tutto tutti tutte ogni qualcuno ha hanno ho abbiamo essere stato posso vedere sugli sulle "
    "sullo sui nei negli nelle nello agli alle allo ai dagli dalle dallo dai coi col dello degli sull dell all "
    "nell dall coll quest quell proposito",
    # function words of every language that say nothing of a topic ('Wärme aus Abwasser', 'juste avant')
    "between against toward towards during since via per each every "
    "aus seit gegen zwischen unter neben hinter ob wenn weil dass sich sie er ihr ihm ihn ihnen seine ihre "
    "unser dieser diese dieses diesem diesen man nicht kein keine keinen sehr ganz gerade eigentlich wieder "
    "mehr viel viele mein meine meinen meinem meiner dein deine seinen seinem seiner ihren ihrem ihrer unsere "
    "unseren unserem unserer "
    "muy bien entre contra hacia desde durante mas menos otro otra otros otras ella ellos ellas usted ustedes segun "
    "nuestro nuestra nuestros nuestras vuestro vuestra "
    "juste moi toi lui leur leurs notre votre nos vos on ca cela ceci tres bien peu beaucoup entre contre vers "
    "depuis pendant chaque dit dis dites sa ses tes "
    "molto bene contro verso durante piu meno altro altra altri altre lui lei loro noi voi nostro vostro non "
    "questo questa questi queste quello quella mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostri nostre "
    "vostri vostre "
    # spoken and chat forms, and 'quick question' ('heut', 'übern', 'smth', 'lì')
    "übern ubern ubers aufs furs ums durchs vors aufm smth sth li frage fragen kurze pregunta preguntita domanda "
    "domandina dazu dessus "
    "gibts welchem welches angegeben angezeigt stattfinden sag sagen "
    # presenting and discussing, in participles and nouns a question wraps a topic in
    "vorgestellt vorstellen prasentiert prasentieren gezeigt erklart besprochen thematisiert presentado "
    "presentada presentan presenta presente presentee presentes presentato presentata presentano",
)

# German forms of 'to be', 'to become' and 'to have' that are English words: stop words only in a German question.
GERMAN_VERBS = word_set("war waren wurde wurden bin hat hast")
# 'tre sindaci europei', 'drei Bürgermeister': how many, rarely what ('um drei' is a time, read before this).
SMALL_NUMBERS = word_set(
    "zwei drei vier funf sechs dos tres cuatro cinco seis deux trois quatre cinq due tre quattro cinque"
)

GREETINGS = word_set(
    "hi hello hey hiya howdy thanks thank thx cheers hola buenas gracias bonjour salut merci coucou "
    "hallo moin servus danke ciao buongiorno buonasera grazie salve"
)

# Everyday words that are never a speaker's name in a question ('will it rain?' is not about Lea Rain).
EVERYDAY = word_set(
    "weather rain raining rainy snow snowing sunny sunshine sun hot cold warm temperature temperatures forecast "
    "umbrella wetter regen regnet schnee sonne sonnig heiss kalt warm temperatur vorhersage lluvia llueve llover "
    "nieve sol calor frio pronostico paraguas meteo pluie pleut neige soleil chaud froid prevision parapluie "
    "pioggia piove neve caldo freddo previsioni ombrello "
    "cloudy overcast drizzle foggy raincoat bewolkt wolkig nieselregen neblig regenjacke regenschirm nublado "
    "nuboso llovizna niebla chubasquero nuageux bruine brouillard nuvoloso pioggerella nebbia impermeabile"
)

HELP = word_set("help hilfe ayuda aide aiuto commands befehle comandos commandes comandi")

# Words that name the kind of thing asked about rather than its topic: used only when nothing else is left.
SOFT = word_set(
    "talk talks gig gigs session sessions lecture lectures presentation presentations event events slot slots "
    "item items programme program programs programmes schedule schedules agenda timetable conference conferences "
    "room rooms hall halls stage stages track tracks venue venues "
    "vortrag vortrage vortrags sitzung sitzungen veranstaltung veranstaltungen programm zeitplan raum saal buhne "
    "veranstaltungsort tagungsort lugar sede recinto luogo "
    "charla charlas sesion sesiones ponencia ponencias evento eventos programa conferencia conferencias sala salas "
    "expose exposes seance seances intervention interventions programme evenement evenements conference salle "
    "intervento interventi sessione sessioni discorso programma conferenza conferenze konferenz kongress tagung",
    "raume aule stanze",
    # 'un incontro', 'ein Treffen', 'un encuentro', 'une rencontre': a session, whatever it is called.
    "incontro incontri treffen encuentro encuentros rencontre rencontres",
)

# A session's status: asked about a named session ('is the closing session cancelled?') it is no topic word.
STATUS = word_set(
    "cancelled canceled cancel cancelling cancellation abgesagt ausgefallen entfallt entfallen gestrichen "
    "cancelado cancelada cancelados canceladas anulado anulada suspendido suspendida annule annulee annules "
    "annulees annullato annullata annullati cancellato cancellata cancellati confirmed bestatigt confirmado "
    "confirmada confirme confirmee confermato confermata provisional vorlaufig provisoire provvisorio "
    "provvisoria tentative postponed verschoben aplazado reporte rinviato moved"
)

# Words that say the question is about sessions, not about a practical matter of the same name.
SESSION_WORDS = word_set(
    "talk talks session sessions lecture lectures presentation presentations workshop workshops keynote keynotes "
    "vortrag vortrage vortrags sitzung sitzungen charla charlas sesion sesiones ponencia ponencias taller "
    "talleres expose exposes seance seances atelier ateliers intervento interventi sessione sessioni "
    "presentazione presentazioni presentacion presentaciones prasentation relazione laboratorio laboratori"
)
# The event's own moments: as a title's label ('Closing: …') they name it, mid-title ('closing the gap') not.
CEREMONIES = word_set("opening closing welcome farewell")
# 'who closes the conference?': verbs of the closing group, which another thing does as well ('the beach closes')
CLOSING_VERBS = word_set("close closes chiude cierra clot schliesst")
# Formats that set a session apart from the talks: 'the keynote on X or the one on Y' asks for two keynotes.
FORMATS = word_set(
    "keynote keynotes workshop workshops taller talleres atelier ateliers laboratorio laboratori panel panels "
    "debate debates debatte diskussion debat debats dibattito tavola mesa redonda ronde"
)

# A session's type by the words naming it, to tell two sessions on one topic apart ('the talk', not the tour).
SESSION_TYPES = {
    "talk": word_set(
        "talk talks lecture presentation vortrag vortrags referat charla ponencia conferencia conference expose "
        "intervento relazione"
    ),
    "panel": word_set("panel podium podiumsdiskussion diskussion debatte mesa debate ronde debat tavola dibattito"),
    "workshop": word_set("workshop taller atelier laboratorio"),
    "keynote": word_set("keynote hauptvortrag magistral pleniere"),
    "excursion": word_set("excursion tour ausflug fuhrung exkursion visita visite gita escursione"),
}

# Words that ask for sessions on a topic ('anything about …'): a mention in a description answers them.
TOPIC_CUES = SESSION_WORDS | word_set(
    "about anything something topic topics regarding related sobre acerca tema temas algo uber thema themen "
    "etwas zum zur sur propos sujet sujets quelque argomento argomenti riguardo qualcosa"
)

# Chat fillers and greetings-in-passing: left out of a question that asks something else ('yo when is the
# closing session', 'was geht heute Abend'), never a topic of their own.
FILLERS = word_set(
    "yo hey hiya sup wassup whassup wazzup pls plz please thx ty lol btw hmm hm um uh ok okay cool dude guys folks "
    "mate mates gonna wanna gotta kinda anyway anyways actually basically quick quickly oi bro bruh fam innit "
    "reckon whaddya ya yall lemme gimme dunno literally honestly tbh imo whole shebang uhh uhm erm sorry soz umm "
    "ummm idk omg lmao rofl haha thingy thingie heyy heyyy wat",
    "hallo servus moin na eigentlich mal bitte danke geht gehts alter halt digga ey eh naja quasi irgendwie eben "
    "leute direkt ding kram ah ahm nen isn sorri aeh oh boah",
    "oye hola porfa bueno pues vale tio tia cuece tipo digamos osea mira venga hombre movida wey guey jaja jajaja "
    "jeje haha hahaha xfa porfis plis perdon perdona xd",
    "salut coucou bon alors euh bah stp svp merci wesh genre grave envie ben bref hein voila ouais truc machin "
    "coup directement dis dites bcp mdr ptdr vite fait dsl jsuis chuis jsp caille",
    "ciao ehi allora beh boh dai senti scusa raga ragazzi cioe insomma vabbe ecco praticamente roba subito cmq "
    "ehm mah tipo davvero veramente",
    "partecipa partecipano participa participan participe participent teilnimmt",
)
# A later sentence that starts with one of these is a remark, not part of the question ('… ? hope it's vegetarian').
REMARKS = word_set(
    "hope hopefully thanks thank cheers btw hoffentlich hoffe danke ojala espero gracias j espere merci spero "
    "speriamo grazie"
)
# 'What's up?' and its kin in every language: alone (with fillers), they ask what is on now.
WHATS_UP = word_set("up sup wassup whassup wazzup whatsup geht gehts los lauft cuece pasa passe neuf dice succede")
# 'What's after X in the same room': with a room word, the sessions that follow in the anchor's room only.
SAME = word_set("same selben selbem selber gleichen gleiche misma mismo meme stessa stesso")
# 'What's next in that room?': with a room word, the room the delegate last looked at.
THIS = word_set(
    "that this dieser diesem diesen diese jenem jenen esa esta ese este aquella aquel cette cet quella questa "
    "quel questo"
)
ROOM_WORDS = word_set("room rooms hall stage raum saal buhne sala salas salle aula stanza")
# 'What rooms are there?': every room, in five languages.
# 'Which room has no sessions?', 'welcher Raum ist leer?': the rooms list answers.
EMPTY = word_set(
    "no none empty unused kein keine keinen leer leere leeren ningun ninguna vacia vacio aucun aucune vide "
    "nessun nessuna vuota vuoto nothing nichts nada rien niente nulla"
)
ROOMS = word_set("rooms halls stages raume sale salas salles aule stanze")
# How many people a room holds ('capacity of the Iturbi room', 'wie viele Plätze hat …', 'aforo de la sala').
CAPACITY = word_set(
    "capacity seats seating big fit fits",
    "aforo capacidad plazas asientos butacas localidades caben cabe caber",
    "capacite places sieges accueillir contient tient",
    "kapazitat platze sitzplatze fassungsvermogen passen fasst",
    "capienza capacita posti entrano entra ospita contenere contiene",
)
# Words for the event itself: 'where is the conference' asks for the venue in every language.
EVENT = word_set(
    "conference conferences event congress camp festival summit meeting forum convention symposium edition "
    "konferenz kongress veranstaltung tagung treffen conferencia congreso evento encuentro cumbre jornada jornadas "
    "conference congres evenement rencontre colloque sommet conferenza congresso incontro vertice"
)
VENUE = word_set(
    "venue venues veranstaltungsort veranstaltungsorts tagungsort tagungsorts lugar sede recinto lieu luogo location"
)
# 'Which street is the venue on?', 'die Adresse?': the venue's address.
ADDRESS = word_set("address street adresse anschrift strasse direccion calle rue indirizzo")
PROGRAMME_WORDS = word_set(
    "programme program programm programa programma schedule zeitplan horario agenda timetable horaires calendario "
    "fahrplan ablaufplan cronograma"
)

HOW = word_set("how wie como comment come")
CAN_WE = word_set("puedo podemos posso possiamo peux pouvons puis")  # 'can I', without the pronoun
FIRST_PERSON = word_set("i me my we us ich wir mir mich uns yo nosotros mi je nous moi io noi") | CAN_WE
# 'Where can I …', 'wo kann ich …', '¿dónde puedo …?', 'où puis-je …', 'dove posso …': the asker's errand.
CAN_I = word_set("can could kann konnte podria potrei") | CAN_WE
# '… where can I learn about heat pumps?' asks for a session after all.
LEARN = word_set(
    "learn hear see listen watch attend lernen horen sehen gucken schauen aprender escuchar ver apprendre ecouter voir "
    "imparare ascoltare vedere seguire"
)
# Infinitive endings: 'où boire une bonne stout ?', '¿dónde comprar pan?', 'dove mangiare stasera?' ask for an errand.
INFINITIVE_ENDINGS = {"fr": ("er", "ir", "re"), "es": ("ar", "er", "ir"), "it": ("are", "ere", "ire")}
# Finding or attending a session after a where-word is no errand ('où trouver l'atelier ?', 'dove seguire il panel?').
FINDING = word_set(
    "trouver encontrar trovare assister asistir assistere suivre seguir entrar entrer entrare ir aller andare"
)
# 'Where's the nearest baker?' asks about the surroundings, not the programme.
# 'Is there …?', 'gibt es …?', '¿hay …?' ('c'è', 'ci sono', 'il y a' are told by their word pairs, in query.py).
# A question opening with a verb asks yes or no ('is it going to snow?', 'Ist der Wanderweg heute offen?'): about
# the world, unless it names a session ('is there a talk on …').
YES_NO_OPENINGS = word_set(
    "is are will would does do did should ist sind wird werden hat haben esta estan sera est sont"
)
# 'quanto costa un mazzo di fiori?', 'how much is a taxi?': the price of a thing, which no session states.
PRICE = word_set(
    "cost costs price prices costa costano cuesta cuestan precio coute coutent prix kostet kosten preis prezzo"
)
# With a price word, asks a price: 'quanto costa un taxi …?', 'wie viel kostet …', 'ça coûte combien …'.
HOW_MUCH = word_set("quanto quanta cuanto cuanta combien viel much")
THERE_IS = word_set("there any hay gibt gibts existe existen")
# Words that make 'is there …?' ask for a session after all: 'gibt es was zu …', 'c'è un incontro sulla …'.
ON_A_TOPIC = word_set("was da das dazu zu su sul sulla sui sugli sulle sullo incontro incontri treffen something")
NEARBY = word_set("nearest closest nearby nachstgelegene nachstgelegenen cercano cercana proche proches vicino vicina")
WHEN = word_set(
    "when time times wann uhrzeit uhrzeiten zeit zeiten cuando hora horas horario quand heure heures horaire quando "
    "ora orario orari"
)
# 'When' that also joins a clause ('… quand il fait une chaleur à crever'); 'wann' and 'cuándo' only ask.
WHEN_JOINING = word_set("when quand cuando quando")
# 'When does it start / end?': the question is when; these words are not its topic.
BOUNDS = word_set(
    "start starts begin begins beginning end ends finish finishes ending anfangen fangt beginnt beginn endet "
    "ende empieza comienza empiezan comienzan termina terminan acaba acaban commence commencent finit "
    "finissent termine terminent inizia iniziano comincia cominciano finisce finiscono"
)
WHERE = word_set("where wo wohin donde dnd ou dove dov location")  # dov: Italian "dov'è"
WHO = word_set("who whos wer quien quienes qui chi")
# Cues that a name in the question is a person asked about.
# After these a question names its topic: 'talks about change' is not about Mr Chang.
ABOUT = word_set("about regarding concerning uber zum thema sobre acerca concernant propos riguardo")

SPEAKER_CUES = word_set(
    "who speak speaks speaking speaker speakers spoke presents presenting presenter host hosts hosting moderates "
    "moderator by wer spricht sprechen redet referent referentin vortragende von quien habla hablan ponente orador "
    "oradora presenta qui parle parlent intervenant intervenante intervient par chi parla parlano relatore "
    "relatrice interviene talks halt halten labert"
)

NOW = word_set(
    "now rn grad currently current happening moment jetzt gerade aktuell momentan ahora actualmente maintenant "
    "actuellement adesso attualmente"
)
# 'What comes now?': with 'now', a coming verb asks what is next.
COMES = word_set("comes viene vienen kommt kommen vient viennent")
NEXT = word_set(
    "next upcoming coming afterwards later nachste nachster nachstes nachsten danach demnachst gleich "
    "proximo proxima proximos siguiente siguientes luego prochain prochaine prochains suivant suivante ensuite "
    "prossimo prossima prossimi successivo successiva poi"
)
# 'during the sessions': a time, not what is asked for.
DURING = word_set("during durante wahrend pendant")
# 'where is my own polling station?': with a place, the asker's own ('mi' is also Italian 'me', so not here).
MY = word_set("my mein meine meinen meiner mis mon ma mes mio mia miei mie")
# 'a good hill near the venue': with a place, the surroundings.
NEAR = word_set("near nahe cerca pres vicino")
# 'Wo ist der nächste Geldautomat?', 'where's the next pharmacy?': with a place and a thing, the nearest.
NEAREST = word_set("next nachste nachster nachstes nachsten proximo proxima prochain prochaine prossimo prossima")
LAST = word_set(
    "last latest letzte letzter letztes letzten ultimo ultima ultimos ultimas dernier derniere derniers ultimi"
)
FIRST = word_set("first erste erster erstes ersten primero primera primer premier premiere primo")
AFTER = word_set(
    "after nach despues tras apres dopo since ab desde depuis dalle dalla from follows folgt sigue suit segue"
)
# 'After' and 'before' themselves, in a title ('Drinking water safety after floods'; not 'From 2020 to 2121').
SEQUENCE = word_set("after before nach vor despues antes apres avant dopo prima")
BEFORE = word_set("before vor antes avant prima until till bis hasta jusqu fino")
BARE_NEXT = word_set("despues apres dopo")  # "after" words that alone mean "next"
# Before a session's name: what comes before it ('vor' only with an article: see DATIVE_ARTICLES).
PRECEDING = word_set("before antes avant prima precede precedes preceding")
# Before a session's name: what comes after it.
FOLLOWING = word_set("after afterwards despues tras apres dopo follows folgt sigue suit segue")
# Before a thing, not a person: 'a butler who can carry my suitcase', 'ein Fischer', 'une rose'.
INDEFINITE_ARTICLES = word_set("a an ein eine einen einem einer eines un une uno una")
DATIVE_ARTICLES = word_set("dem der den einem einer")  # 'nach dem Vortrag' (not 'nach Berlin')
# 'direkt nach X', 'kurz vor X', 'right after X', 'juste avant X': an adverb that makes the next word a time.
IMMEDIATELY = word_set("direkt gleich kurz unmittelbar right just immediately straight juste justo subito appena")

TODAY = word_set("today tonight heute heut hoy aujourd oggi stasera")
TOMORROW = word_set("tomorrow tmrw tmr tomoz 2moro morgen manana demain domani")
YESTERDAY = word_set("yesterday gestern ayer ieri")
DAY_AFTER_TOMORROW = word_set("ubermorgen dopodomani")
DAY_WORDS = word_set("day days tag tage tages dia dias jour jours journee giorno giorni giornata")
# What 'first' may come before and still ask for the programme's first session ('the first talk', 'first thing').
FIRST_OF = (
    word_set("thing things one cosa cose chose choses ding sache event evento evenement veranstaltung punto")
    | SESSION_WORDS
    | FORMATS
    | PROGRAMME_WORDS
    | DAY_WORDS
)
# 'la primera vez', 'das erste Mal', 'the first time': a first in a life, never the first session.
OCCASIONS = word_set("time vez volta fois mal")
# 'la prima sessione': after these, Italian 'prima' is 'first', not 'before'.
ITALIAN_FEMININE_ARTICLES = word_set("la le una")
# 'prima della chiusura', 'prima del panel': Italian 'prima' before a session named comes with 'di'.
ITALIAN_OF = word_set("di del della dello dei degli delle dell")
# 'Day 4' is the fourth day; '4 days' and 'la settimana di 4 giorni' are a length, never a day of the event.
DAYS = word_set("days tage dias jours giorni")

# No English plurals: they are topics more often than times ('Keynote: winter nights and a roof').
MORNING = word_set("morning vormittag vormittags morgens fruh matin matinee mattina mattinata")
# Past tenses that ask what already ran ('what happened this morning'): only forms no language uses for the
# present or for a topic ('was' is German for 'what', 'se passe' French for 'is on', so neither is here).
PAST = word_set(
    "happened earlier already ran",
    "hubo paso pasaron",
    "eu",
    "lief liefen gab",
    "era erano successo",
)
AFTERNOON = word_set("arvo aprem afternoon nachmittag nachmittags tarde pomeriggio")
EVENING = word_set("evening tonight abend abends noche soir soiree serata stasera serale serali")
NIGHT = word_set("night nacht nachts nuit notte late")
PARTS_OF_DAY = MORNING | AFTERNOON | EVENING | NIGHT  # each a span of hours


def part_of_day_in_english(word: str) -> str | None:
    """'soir' → 'evening', 'Nacht' → 'night': the English a programme's title would use for a part of the day."""
    for english, group in (("morning", MORNING), ("afternoon", AFTERNOON), ("evening", EVENING), ("night", NIGHT)):
        if word in group:
            return english
    return None


LUNCH = word_set("lunch lunchtime mittag mittagessen mittagspause almuerzo comida dejeuner dej pranzo comer")
NOON = word_set("noon midday mediodia midi mezzogiorno")

WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("monday", "montag", "lunes", "lundi", "lunedi"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues", "dienstag", "martes", "mardi", "martedi"), 1),
    **dict.fromkeys(("wednesday", "wed", "mittwoch", "miercoles", "mercredi", "mercoledi"), 2),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs", "donnerstag", "jueves", "jeudi", "giovedi"), 3),
    **dict.fromkeys(("friday", "fri", "freitag", "viernes", "vendredi", "venerdi"), 4),
    **dict.fromkeys(("saturday", "sat", "samstag", "sonnabend", "sabado", "samedi", "sabato"), 5),
    **dict.fromkeys(("sunday", "sonntag", "domingo", "dimanche", "domenica"), 6),
}

MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "january jan januar enero janvier gennaio",
        "february feb februar febrero fevrier febbraio",
        "march mar marz marzo mars",
        "april apr abril avril aprile",
        "may mai mayo maggio",
        "june jun juni junio juin giugno",
        "july jul juli julio juillet luglio",
        "august aug agosto aout",
        "september sep sept septiembre septembre settembre",
        "october oct oktober octubre octobre ottobre",
        "november nov noviembre novembre",
        "december dec dezember diciembre decembre dicembre",
    ),
    start=1,
):
    MONTHS.update(dict.fromkeys(word_set(_names), _n))

ORDINALS: dict[str, int] = {
    **dict.fromkeys(word_set("1 1st one first erste erster ersten primero primer primera premier premiere primo"), 1),
    **dict.fromkeys(word_set("2 2nd two second zweite zweiter zweiten segundo segunda deuxieme seconde secondo"), 2),
    **dict.fromkeys(word_set("3 3rd three third dritte dritter dritten tercero tercer tercera troisieme terzo"), 3),
    **dict.fromkeys(word_set("4 4th four fourth vierte vierter vierten cuarto cuarta quatrieme quarto"), 4),
    **dict.fromkeys(word_set("5 5th five fifth funfte funfter quinto quinta cinquieme"), 5),
}

# Endings of inflected German and Romance words ('urbanen', 'urbana'): a word found nowhere is tried without them.
INFLECTION_ENDINGS = ("en", "er", "es", "em", "as", "os", "e", "a", "o", "i")
# Prefixes that are never split off a compound (too short to mean anything alone).
MIN_COMPOUND_PART = 5
