"""Folding and tokenising text so that questions and programme text compare alike, whatever the accents."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# Anything longer is not a question; the tail is ignored rather than searched.
MAX_QUESTION_CHARS = 500
# Tokens longer than this are noise (pasted hashes, keyboard mashing); they are never fuzzy-matched.
MAX_TOKEN_CHARS = 40

_WORD = re.compile(r"[^\W_]+")
# Markup pasted or typed into a question is not its topic: scripts and styles go whole, other tags leave their text.
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]{0,300}>")
# SQL typed to probe the bot ('SELECT * FROM sessions; DROP TABLE users;--') is not a topic either; only text with
# SQL's punctuation is looked at, so 'which talks can I select from on Tuesday' stays a question.
# What only SQL has: a statement's end, a comment, 'SELECT *', an injected "' OR", a WHERE clause's test.
_SQL_PUNCTUATION = re.compile(r";|--|\*|'\s*(or|and)\b|\bwhere\s+\w+\s*(=|like\b)", re.IGNORECASE)
_SQL = re.compile(
    r"\b(select\b[^;]{0,200}?\bfrom|insert\s+into|drop\s+(table|database)|delete\s+from|union\s+(all\s+)?select"
    r"|update\s+\w+\s+set)\b[^;]*;?|'\s*(or|and)\s+'?\w+'?\s*=\s*'?\w+'?|--+"
    r"|\bwhere\s+\w+\s+like\s+'[^']*'",
    re.IGNORECASE,
)
_PUNCT = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "–": "-", "—": "-", "‐": "-", "¿": " ", "¡": " "})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accent-free text: 'Über Café' → 'uber cafe' (ß → ss)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCT))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


# A letter typed three times or more draws a chat word out: at a word's end ('holaaa', 'heyyy'), or a vowel
# but 'e' anywhere ('loool', 'sooo good'); German compounds keep their three ('Schifffahrt', 'Kaffeeersatz').
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}\b|([aiouy])\2{2,}")


def unstretched(folded: str) -> str:
    """Folded text with drawn-out letters typed once ('holaaa' → 'hola', 'loool' → 'lol')."""
    return _STRETCHED.sub(lambda m: m.group(1) or m.group(2), folded)


def words(folded: str) -> list[str]:
    """The letter/digit runs of already folded text."""
    return _WORD.findall(folded)


def clean_question(text: str) -> str:
    """The question as a bounded string without control characters, markup or SQL."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    if "<" in text or "&" in text:
        text = _TAG.sub(" ", _SCRIPT.sub(" ", html.unescape(text[: MAX_QUESTION_CHARS * 4])))
    if _SQL_PUNCTUATION.search(text):
        text = _SQL.sub(" ", text[: MAX_QUESTION_CHARS * 4])
    return " ".join(text[: MAX_QUESTION_CHARS * 2].split())[:MAX_QUESTION_CHARS]


def is_probe(text: str) -> bool:
    """Whether the text is markup or SQL typed to probe the bot rather than a question."""
    return "<" in text or bool(_SQL_PUNCTUATION.search(text) and _SQL.search(text))


def other_forms(word: str) -> tuple[str, ...]:
    """The word's likely singular or base form(s) in the five languages, most likely first: 'bicis' → 'bici',
    'investimenti' → 'investimento', 'dächern' → 'dach', 'réseaux' → 'reseau', 'luces' → 'luz', 'parchi' →
    'parco', 'negozi' → 'negozio'. Only ever looked up (in a dictionary or the topic groups), so a wrong guess
    finds nothing."""
    if len(word) < 4 or " " in word:
        return ()
    forms = [word[:-1]] if word.endswith(("s", "n", "x")) else []
    for ending, base in (("es", ""), ("ces", "z"), ("aux", "al"), ("ern", ""), ("en", ""), ("er", ""), ("e", "")):
        if word.endswith(ending) and len(word) - len(ending) + len(base) >= 3:
            forms.append(word[: -len(ending)] + base)
    # 'banche'/'banca', 'parchi'/'parco', and an adjective's feminine plural: 'scolastiche'/'scolastico'
    for ending, base in (("che", "ca"), ("chi", "co"), ("ghe", "ga"), ("ghi", "go"), ("che", "co"), ("ghe", "go")):
        if word.endswith(ending):
            forms.append(word[: -len(ending)] + base)
    if word[-1] in "aeio":  # Italian and Spanish endings: 'biciclette'/'bicicletta', 'investimenti'/'-o'
        forms += [word[:-1] + v for v in "aeio" if v != word[-1]]
    if word.endswith(("as", "os")):  # Spanish plurals of both genders: 'seguras'/'seguro', 'nuevos'/'nueva'
        forms += [word[:-2] + v for v in "oa" if v != word[-2]]
    # A verb's present tense by its infinitive, the dictionaries' headword: 'funzionano' → funzionare,
    # 'funcionan' → funcionar, 'fonctionnent' → fonctionner.
    for ending, bases in (("ano", ("are",)), ("ono", ("ere", "ire")), ("ent", ("er",)), ("an", ("ar",))):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            forms += [word[: -len(ending)] + base for base in bases]
    if word.endswith("i") and not word.endswith("ii"):  # 'negozi'/'negozio', 'orari'/'orario'
        forms.append(word + "o")
    return tuple(dict.fromkeys(f for f in forms if f != word))
