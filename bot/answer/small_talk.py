"""Messages that are only small talk: thanks, a goodbye, a greeting, or a question about the bot itself.

They are recognised only when nothing else is said ('thanks, and where is lunch?' is a question), so the
programme search never sees 'good morning' as a request for the morning's sessions, nor 'what's your name'
as a search for 'name'. Folded words in English, Spanish, French, German and Italian.
"""

from __future__ import annotations

import itertools
import re
from enum import StrEnum

from bot.answer.lexicon import GREETINGS, word_set


class Social(StrEnum):
    THANKS = "thanks"
    GOODBYE = "goodbye"
    GREETING = "greeting"
    ABOUT_BOT = "about-bot"  # who or what it is, what it can do


THANKS = word_set("thanks thank thx ty cheers gracias merci danke dank grazie obrigado")
GOODBYE = word_set("bye goodbye byebye adios chao tschuss tschuess arrivederci revoir bientot luego bald")
HELLO = GREETINGS | word_set("bonsoir buonanotte")
# 'good morning', 'buenos días', 'guten Morgen', 'bonne soirée', 'buona sera': a greeting, not a time of day.
_GOOD = word_set("good buenos buenas guten gute bonne buona buon")
_TIME_OF_DAY = word_set(
    "morning afternoon evening day night dias tardes noches morgen tag abend nacht journee soiree giornata sera "
    "serata notte giorno"
)
# Spoken with a greeting or thanks and adding nothing: 'thank you very much', 'buenos días', 'bis bald'.
FILLER = word_set(
    "you u very much so a lot lots many ok okay great perfect nice cool good super awesome again for the your "
    "help answer info information all that this it bot dear my friend and have day see later soon night morning "
    "afternoon evening muchas muchisimas mil por todo tu su buenos buenas dias tardes noches hasta luego pronto "
    "manana vale perfecto genial estupendo bien beaucoup mille bonne journee soiree a bientot plus tard revoir "
    "au tres parfait super top vielen dank herzlichen sehr gut guten tag morgen abend gute nacht bis bald spater "
    "toll prima klasse tante mille molte buona giornata serata notte presto dopo perfetto ottimo bene there "
    "everyone everybody guys team folks"
)
# Questions about the bot, as folded word sequences.
ABOUT_BOT = tuple(
    tuple(phrase.split())
    for phrase in (
        "who are you",
        "what are you",
        "what is your name",
        "whats your name",
        "what s your name",
        "your name",
        "are you a bot",
        "are you human",
        "are you a robot",
        "are you real",
        "what can you do",
        "what do you do",
        "how do you work",
        "quien eres",
        "que eres",
        "como te llamas",
        "cual es tu nombre",
        "eres un bot",
        "eres humano",
        "eres un robot",
        "que puedes hacer",
        "que sabes hacer",
        "qui es tu",
        "qui etes vous",
        "tu es qui",
        "comment tu t appelles",
        "comment vous appelez vous",
        "tu es un bot",
        "es tu un robot",
        "que peux tu faire",
        "que pouvez vous faire",
        "wer bist du",
        "wer sind sie",
        "wie heisst du",
        "wie heissen sie",
        "bist du ein bot",
        "bist du ein mensch",
        "was kannst du",
        "was konnen sie",
        "chi sei",
        "chi e lei",
        "come ti chiami",
        "sei un bot",
        "sei un robot",
        "cosa sai fare",
        "cosa puoi fare",
        "che cosa sai fare",
    )
)
_ASKING = word_set("hi hello hey hola bonjour salut hallo ciao please por favor bitte")


def small_talk(tokens: list[str] | tuple[str, ...]) -> Social | None:
    """What small talk the whole message is, or None when it says anything else."""
    if not tokens:
        return None
    every = set(tokens)
    for phrase in ABOUT_BOT:
        at = _find(tokens, phrase)
        if at is not None:
            rest = set(tokens[:at]) | set(tokens[at + len(phrase) :])
            if rest <= _ASKING | FILLER | {"and", "y", "et", "und", "e"}:
                return Social.ABOUT_BOT
    social = THANKS | GOODBYE | HELLO
    greeted = bool(every & (HELLO - GOODBYE)) or _time_greeting(tokens)
    if not (every & social or greeted) or not every <= social | FILLER | _GOOD | _TIME_OF_DAY:
        return None
    if every & THANKS:
        return Social.THANKS
    if every & GOODBYE and not greeted:
        return Social.GOODBYE
    return Social.GREETING if greeted else None


def _time_greeting(tokens: list[str] | tuple[str, ...]) -> bool:
    return any(a in _GOOD and b in _TIME_OF_DAY for a, b in itertools.pairwise(tokens))


def _find(tokens: list[str] | tuple[str, ...], phrase: tuple[str, ...]) -> int | None:
    for at in range(len(tokens) - len(phrase) + 1):
        if tuple(tokens[at : at + len(phrase)]) == phrase:
            return at
    return None


_TIME_GREETING = re.compile(
    r"^\W*(?:" + "|".join(sorted(_GOOD)) + r")\s+(?:" + "|".join(sorted(_TIME_OF_DAY)) + r")\b[\s,.!]*"
)


def without_time_greeting(folded: str) -> str:
    """Folded text without an opening 'good morning' and its kin, which greet rather than name a time of day."""
    return _TIME_GREETING.sub("", folded, count=1)
