"""House spelling everywhere: British (defence, programme, centre, honour, analyse), with the
-ise/-ize choice per organisation (NATO mixes both; the UN writes -ize: style_notes.md §1).

The word lists come from SCOWL (Kevin Atkinson's Spell-Checker Oriented Word Lists, Debian
package `scowl`), which sorts every word by spelling: common to all Englishes, American only,
British (-ise) or British with -ize (Oxford). Unlike a list of American→British pairs, it knows
that "program", "license" (verb), "practice" (noun) and "meter" are British too. The table
`data/spelling_en.tsv` is generated from it (`python -m workflow.qa.spelling --build
/usr/share/dict/scowl`), so the check needs no Debian package at run time; tests rebuild it when
SCOWL is installed and compare.

Names keep their owner's spelling ("World Trade Center", "U.S. Department of Defense"): a word
the French source has too, or a capitalised word in the name of something American, is left alone.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules

# Categories in the table.
AMERICAN, IZE, ISE = "american", "ize", "ise"
# SCOWL sizes up to this one: 70 is SCOWL's "large" (what spell checkers ship); bigger sizes
# hold rare words and variants.
SCOWL_MAX_SIZE = 70
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class _Entry:
    category: str
    suggestion: str


@cache
def _table() -> dict[str, _Entry]:
    table = {}
    for line in (files("workflow") / "data" / "spelling_en.tsv").read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, category, suggestion = (line.split("\t") + ["", ""])[:3]
        table[word] = _Entry(category, suggestion)
    return table


@cache
def _settings() -> dict:
    return qa_rules().spelling


def ize_choice(organisation: str | None, override: str | None = None) -> str:
    """"ise", "ize" or "either" for an organisation (workflow.toml [qa.spelling] first)."""
    if override:
        return override
    return _settings()["ize_by_organisation"].get(organisation or "", _settings()["ize_default"])


def _american_name(target: str, start: int) -> bool:
    """A capitalised word inside the name of something American ("U.S. Department of Defense")."""
    before = target[max(0, start - 60): start]
    return re.search(_settings()["american_name_before"], before) is not None


def check_spelling(source: str, target: str, organisation: str | None = None, choice: str | None = None) -> list[Issue]:
    table = _table()
    ize = ize_choice(organisation, choice)
    keep = {w.lower() for w in _WORD.findall(source)}
    american: list[str] = []
    wrong_ize: list[str] = []
    for m in _WORD.finditer(target):
        word = re.sub(r"['’]s$", "", m.group())
        entry = table.get(word.lower())
        if entry is None or word.lower() in keep or (word[:1].isupper() and _american_name(target, m.start())):
            continue
        shown = f"“{word}”" + (f" (→ {_same_case(word, entry.suggestion)})" if entry.suggestion else "")
        if entry.category == AMERICAN:
            if shown not in american:
                american.append(shown)
        elif (entry.category == IZE and ize == ISE) or (entry.category == ISE and ize == IZE):
            if shown not in wrong_ize:
                wrong_ize.append(shown)
    issues = []
    if american:
        issues.append(issue("spelling.american", "American spelling: " + ", ".join(american) + "; house style is British"))
    if wrong_ize:
        issues.append(issue("spelling.ise-ize", f"house style for this organisation is -{ize}: " + ", ".join(wrong_ize)))
    return issues


def _same_case(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


# ---------------------------------------------------------------------------------------------
# Building the table from SCOWL.


def _scowl_words(folder: Path, category: str) -> set[str]:
    words: set[str] = set()
    for path in folder.glob(f"{category}-words.*"):
        size = path.suffix.lstrip(".")
        if size.isdigit() and int(size) <= SCOWL_MAX_SIZE:
            for word in path.read_text("utf-8", errors="replace").split():
                if word.islower() and "'" not in word:
                    words.add(word)
    return words


def _candidates(word: str, rules: list[tuple[str, str]]) -> list[str]:
    """Spellings one or two rewrites away (center → centre, maneuver → manoeuvre)."""
    found = [word]
    for _ in range(2):
        step = []
        for form in found:
            for old, new in rules:
                for m in re.finditer(re.escape(old), form):
                    step.append(form[: m.start()] + new + form[m.end():])
        found = list(dict.fromkeys(found + step))
    return found[1:]


def build_table(scowl: Path) -> str:
    """The tab-separated table: word, category (american/ize/ise), the house form when found."""
    rules = tomllib.loads((files("workflow") / "data" / "checks_fr_en.toml").read_text("utf-8"))["spelling"]
    american = _scowl_words(scowl, "american")
    british = _scowl_words(scowl, "british") | _scowl_words(scowl, "british_variant_1")
    oxford = _scowl_words(scowl, "british_z")
    common = _scowl_words(scowl, "english")
    to_british = [tuple(r) for r in rules["american_to_british"]]
    ize_to_ise = [tuple(r) for r in rules["ize_to_ise"]]
    ise_to_ize = [(new, old) for old, new in ize_to_ise]

    def suggest(word: str, rewrites: list[tuple[str, str]], allowed: set[str]) -> str:
        return next((c for c in _candidates(word, rewrites) if c in allowed), "")

    lines = [
        "# House spelling table generated from SCOWL (Debian package scowl, sizes <= "
        f"{SCOWL_MAX_SIZE}) by `python -m workflow.qa.spelling --build /usr/share/dict/scowl`.",
        "# SCOWL: Copyright 2000-2020 Kevin Atkinson and others; permission to use, copy, modify,",
        "# distribute and sell granted without fee (see /usr/share/doc/scowl/copyright).",
        "# word<TAB>category<TAB>house form: american = not British; ize = British with -ize only",
        "# (Oxford); ise = British with -ise only.",
    ]
    flagged = {word: suggest(word, to_british, british | oxford | common) for word in american - british - oxford}
    flagged.update(rules.get("house_only", {}))
    for word, house in sorted(flagged.items()):
        lines.append(f"{word}\t{AMERICAN}\t{house}")
    for word in sorted(oxford - british):
        lines.append(f"{word}\t{IZE}\t{suggest(word, ize_to_ise, british)}")
    for word in sorted(british - oxford - american):
        if any(old in word for old, _ in ise_to_ize):
            lines.append(f"{word}\t{ISE}\t{suggest(word, ise_to_ize, oxford)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate data/spelling_en.tsv from SCOWL word lists.")
    parser.add_argument("--build", type=Path, required=True, metavar="SCOWL_DIR", help="e.g. /usr/share/dict/scowl")
    args = parser.parse_args(argv)
    sys.stdout.write(build_table(args.build))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
