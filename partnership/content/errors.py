from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the fixtures, located by file and field path."""

    file: str
    field: str
    message: str

    def __str__(self):
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The fixtures cannot be loaded. Carries every problem found, not just the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
