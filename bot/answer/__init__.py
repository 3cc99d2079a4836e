"""Answering delegates' questions in their own words, offline: parse, search the programme, pick the answer.

Pure domain code (no Telegram): `engine.answer` decides what answers a question; `bot.views.answer` renders it.
"""

from bot.answer.engine import Answer, Frame, Kind, answer
from bot.answer.faq import Faq, load_faq

__all__ = ["Answer", "Faq", "Frame", "Kind", "answer", "load_faq"]
