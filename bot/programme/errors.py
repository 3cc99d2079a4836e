"""Problems found while reading a programme, each naming the file, the place and the reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    path: str  # e.g. "sessions[3].end" or "line 12"
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.reason}"


class ProgrammeError(Exception):
    """A programme could not be loaded; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: str, path: str, reason: str) -> ProgrammeError:
        return cls([Problem(file, path, reason)])
