"""The speakers of a programme as delegates browse them: A–Z, letter ranges to jump to, each one's sessions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer.text import fold, words
from bot.programme.memo import per_programme
from bot.programme.model import Programme, Session, Speaker

OTHER_INITIAL = "#"  # names that start with a digit or a sign


@dataclass(frozen=True)
class LetterRange:
    """A run of the A–Z index: speakers whose names start with `first` … `last`, from index `start` on."""

    first: str
    last: str
    start: int
    count: int


def _sort_key(speaker: Speaker) -> tuple[str, str, str]:
    # Words of the folded name, so 'Émile' sorts with 'Emma' and a leading quote or dot does not come first.
    return (" ".join(words(fold(speaker.name))), speaker.name, speaker.id)


@per_programme  # sorted once per programme, not at every speaker page and card (a thousand names folded)
def speakers_index(programme: Programme) -> tuple[Speaker, ...]:
    """The speakers who have a session, A–Z by name as written (first name first, as the programme gives it)."""
    speaking = {sid for s in programme.sessions for sid in s.speaker_ids}
    return tuple(sorted((sp for sp in programme.speakers if sp.id in speaking), key=_sort_key))


def initial(speaker: Speaker) -> str:
    """The letter the speaker is filed under: 'É' under 'E'; digits and signs under '#'."""
    key = _sort_key(speaker)[0]
    return key[0].upper() if key and key[0].isalpha() else OTHER_INITIAL


def letter_ranges(index: tuple[Speaker, ...], most: int) -> list[LetterRange]:
    """At most `most` runs of whole initials, of roughly equal size, covering the index in order."""
    groups: list[LetterRange] = []
    for i, sp in enumerate(index):
        letter = initial(sp)
        if groups and groups[-1].last == letter:
            last = groups[-1]
            groups[-1] = LetterRange(last.first, letter, last.start, last.count + 1)
        else:
            groups.append(LetterRange(letter, letter, i, 1))
    # A run closes once it holds `target`: each closed run then holds at least that, so there are at most `most`.
    target = max(1, -(-len(index) // max(1, most)))
    ranges: list[LetterRange] = []
    for group in groups:
        if ranges and ranges[-1].count < target:
            run = ranges[-1]
            ranges[-1] = LetterRange(run.first, group.last, run.start, run.count + group.count)
        else:
            ranges.append(group)
    return ranges


def sessions_of(programme: Programme, speaker: Speaker) -> list[Session]:
    """Every session the speaker is named in, cancelled ones too, in time order."""
    return [s for s in programme.sessions if speaker.id in s.speaker_ids]
