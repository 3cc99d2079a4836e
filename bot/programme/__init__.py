"""The conference programme: one domain model for every schedule format."""

from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue

__all__ = ["Programme", "Room", "Session", "SessionStatus", "Speaker", "Venue"]
