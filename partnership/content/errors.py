from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the fixtures, located by file and field path."""

    file: str
    field: str
    message: str

    def __str__(self):
        # One problem, one line: a file name or value quoted in the message may hold line breaks.
        file, field, message = (" ".join(str(part).splitlines()) for part in (self.file, self.field, self.message))
        where = f"{file}: {field}" if field else file
        return f"{where}: {message}"


class ContentError(Exception):
    """The fixtures cannot be loaded. Carries every problem found, not just the first."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
