"""Proper names of the source kept unchanged: MT translates them ("Rose" → "Rosa",
"Grabar" → "Record", "de Blasio" → "of Blasio").

Names are found by word frequencies (wordfreq), not lists: see `source_names`. Each must
appear in the English as written (accents aside; a source typo may be corrected). Names with a
French spelling ("Sergueï Lavrov" → "Sergey Lavrov") are left to the glossary.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules
from workflow.source.lexicon import zipf

_WORD = re.compile(r"[^\W\d_]+(?:[-‑'’][^\W\d_]+)*")


_ELIDED = re.compile(r"^(?:[LlDdJjNnSsCcMmTt]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’]")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub("[‐‑]", "-", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).replace("’", "'")


@cache
def _settings() -> dict:
    return qa_rules().names


def _capitalised(word: str) -> bool:
    settings = _settings()
    return (len(word) >= settings["min_length"] and word[0].isupper() and not word.isupper()
            and any(ch.islower() for ch in word[1:]) and word.lower() not in settings["never"])


def _clearly_french(word: str) -> bool:
    return zipf(word, "fr") - zipf(word, "en") >= _settings()["french_margin"]


def _rare_in_french(word: str) -> bool:
    return zipf(word, "fr") < _settings()["rare_in_french"]


def source_names(source: str) -> list[str]:
    """Names a translation must keep, particles included ("Bill de Blasio" gives "Bill", "de Blasio").

    Runs of capitalised words are read together: a run holding a word rare in French
    ("Gottemoeller", "Grabar") is a name, every word of it kept; a run holding a clearly
    French word ("Conseil", "Unies", "Londres") is an institution or an exonym that English
    rewrites; a run of common words ("Nations", "Bureau") is left alone."""
    particles = set(_settings()["particles"])
    words = list(_WORD.finditer(source))
    runs: list[list[tuple[str, str]]] = []  # (particle or "", word)
    current: list[tuple[str, str]] = []
    previous_end = -1
    pending = ""
    for m in words:
        word = _ELIDED.sub("", m.group())
        gap = source[previous_end: m.start()] if previous_end >= 0 else None
        if _capitalised(word):
            joined = current and gap is not None and gap.strip() == ""
            if not joined:
                if current:
                    runs.append(current)
                current = []
            current.append((pending if joined else "", word))
            pending = ""
        elif word in particles and current and gap is not None and gap.strip() == "" and not pending:
            pending = word
        else:
            if current:
                runs.append(current)
            current, pending = [], ""
        previous_end = m.end()
    if current:
        runs.append(current)
    names: list[str] = []
    for run in runs:
        plain = [w for _, w in run]
        if any(_clearly_french(w) for w in plain) or not any(_rare_in_french(w) for w in plain):
            continue
        for particle, word in run:
            name = f"{particle} {word}" if particle else word
            if name not in names:
                names.append(name)
    return names


def _kept(name: str, folded_target: str, target_words: list[str]) -> bool:
    pattern = r"(?<![^\W\d_])" + re.escape(_fold(name)).replace(r"\ ", r"\s+") + r"(?![^\W\d_])"
    if re.search(pattern, folded_target):
        return True
    # A nationality noun English turns into its adjective ("les Afghans" → "Afghan people").
    if " " not in name and name.endswith("s") and any(_fold(w) == _fold(name[:-1]) for w in target_words):
        return True
    # A typo of the source corrected in the English: letters swapped ("Trident Jucnture" →
    # "Trident Juncture"); a letter changed is a garbled name ("Stoltenbirg").
    settings = _settings()
    if " " in name or len(name) < settings["typo_min_length"]:
        return False
    return any(w[:1] == name[:1] and sorted(_fold(w)) == sorted(_fold(name)) for w in target_words)


def check_names(source: str, target: str, introduced: frozenset[str] = frozenset()) -> list[Issue]:
    """`introduced`: names of earlier segments of the article, which a later one may replace
    by a pronoun or a title ("the Secretary General", "they")."""
    folded = _fold(target)
    target_words = [m.group() for m in _WORD.finditer(target) if m.group()[:1].isupper()]
    missing = [name for name in source_names(source) if name not in introduced and not _kept(name, folded, target_words)]
    if not missing:
        return []
    names = ", ".join(f"“{n}”" for n in missing)
    return [issue("names.changed", f"name {names} from the source is not in the translation (translated or garbled?)")]


# --- acronyms ------------------------------------------------------------------------------

_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,}(?:[-‑][A-Z0-9]{2,})*(?![\w-])")


def initials_in(text: str) -> set[str]:
    """Initials of every run of capitalised words ("Civil Dimension of Security" gives CDS, DS, CD…)."""
    minor = set(_settings()["acronym_minor_words"])
    found: set[str] = set()
    run: list[str] = []
    for token in re.split(r"[\s\u00a0\u202f]+|[-‑](?=[A-Z])", text) + [""]:
        word = token.strip("()[],.;:“”\"'’")
        if word[:1].isupper() and word.isalpha():
            run.append(word[0])
        elif word.lower() in minor and run:
            continue
        else:
            for i in range(len(run)):
                for j in range(i + 2, len(run) + 1):
                    found.add("".join(run[i:j]))
            run = []
    return found


def source_acronyms(source: str) -> list[str]:
    return list(dict.fromkeys(_ACRONYM.findall(source)))


def check_acronyms(source: str, target: str, introduced: frozenset[str] = frozenset()) -> list[Issue]:
    """An acronym of the source (KFOR, SHAPE, CDS) kept, or spelled out ("Civil Dimension of Security").
    Acronyms French localises (OTAN → NATO) are the glossary's: must_translate in the rules.
    One introduced in an earlier segment may become "the Committee"."""
    localised = set(qa_rules().toolkit_config["must_translate"])
    wanted = [a for a in dict.fromkeys(_ACRONYM.findall(source))
              if a not in localised and not set(re.split("[-‑]", a)) <= localised and not a.isdigit() and a not in introduced]
    if not wanted:
        return []
    present = set(_ACRONYM.findall(target))
    expansions = initials_in(target)
    missing = [a for a in wanted if a not in present and a.replace("‑", "-") not in present and a not in expansions]
    if not missing:
        return []
    return [issue("names.acronym", "acronym " + ", ".join(f"“{a}”" for a in missing)
                  + " from the source is neither kept nor spelled out in the translation")]
