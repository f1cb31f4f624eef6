"""Typographically right English for published text.

Translations arrive with French habits (« », a space before : ; ! ?) and with
whatever quotes a reviewer's keyboard makes. The fixes are regular expressions
kept as data in `data/typography_<lang>.toml`, so an editor can change house
style without touching code; a language without such a file is left as is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files

__all__ = ["Rule", "Dateline", "rules", "apply_typography", "dateline", "DateMatch"]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    replacement: str

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replacement, text)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    iso: str  # `2018-09-26` or `2018-09-26T15:47`, for <time datetime>


@dataclass(frozen=True)
class Dateline:
    bullet: re.Pattern[str]
    date: re.Pattern[str]
    months: dict[str, int]
    separator: str = "|"
    dangling: re.Pattern[str] = re.compile(r"^\s*-\s*|\s*-\s*$")

    def strip_bullet(self, line: str) -> str:
        return self.bullet.sub("", line.strip(), count=1)

    def rebuild(self, lines: list[str]) -> str:
        """The metadata lines as one dateline, without the export's empty slots:
        `25 Sep. 2012 -` `|` `Last updated: …` → `25 Sep. 2012 | Last updated: …`."""
        joined = " ".join(self.strip_bullet(line) for line in lines)
        parts = [self.dangling.sub("", part.strip()) for part in joined.split(self.separator)]
        return f" {self.separator} ".join(part for part in parts if part)

    def dates(self, text: str) -> list[DateMatch]:
        """Dates that really are dates: an unknown month or a 31 Feb. stays plain text."""
        found = []
        for match in self.date.finditer(text):
            day, month, year, hour, minute = match.groups()
            number = self.months.get(month.lower())
            if number is None:
                continue
            try:
                moment = datetime(int(year), number, int(day), int(hour or 0), int(minute or 0))
            except ValueError:
                continue
            iso = moment.strftime("%Y-%m-%dT%H:%M" if hour is not None else "%Y-%m-%d")
            found.append(DateMatch(match.start(), match.end(), iso))
        return found


@cache
def _data(lang: str) -> dict:
    """`typography_en_GB.toml` if there is one, else the base language's `typography_en.toml`."""
    for name in dict.fromkeys((lang.replace("-", "_"), re.split(r"[_-]", lang)[0])):
        resource = files("workflow") / "data" / f"typography_{name}.toml"
        if resource.is_file():
            return tomllib.loads(resource.read_text("utf-8"))
    return {}


@cache
def rules(lang: str = "en") -> tuple[Rule, ...]:
    return tuple(
        Rule(item["name"], re.compile(item["pattern"]), item["replacement"])
        for item in _data(lang).get("rules", [])
    )


def apply_typography(text: str, lang: str = "en") -> str:
    for rule in rules(lang):
        text = rule.apply(text)
    return text


@cache
def dateline(lang: str = "en") -> Dateline | None:
    data = _data(lang).get("dateline")
    if not data:
        return None
    return Dateline(
        re.compile(data["bullet"]),
        re.compile(data["date"]),
        {name.lower(): int(number) for name, number in data["months"].items()},
        data.get("separator", "|"),
        re.compile(data.get("dangling", r"^\s*-\s*|\s*-\s*$")),
    )
