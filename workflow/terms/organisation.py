"""Whose term is it: the organisation named next to a term, or the article's own organisation.

Context-conditioned glossary entries ("secrétaire général [org=NATO]" vs "[org=UN]") are resolved
by the organisation named right after the term, else by the article's house organisation. That
one is set per file or folder in workflow.toml, or inferred from weighted evidence kept as data
(`data/organisations.toml`): page furniture (the nato.int date line, UN document symbols), house
style (NATO French writes "secrétaire général", UN French "Secrétaire général"), the headline's
subject, then plain mentions.

    [organisation]
    default = "NATO"                  # when nothing else decides
    [organisation.paths]              # globs on the source article or the catalog, first match wins
    "source_fr/un-*.txt" = "UN"
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path, PurePosixPath

from workflow.base.config import load_config
from workflow.base.errors import ConfigError
from workflow.terms.entry import APOSTROPHE_CLASS, HORIZONTAL_SPACES
from workflow.terms.forms import french_pattern


@cache
def _data() -> dict:
    return tomllib.loads((files("workflow") / "data" / "organisations.toml").read_text("utf-8"))


# Names that, right after a term ("secrétaire général adjoint de l'ONU"), say whose term it is.
ORG_CUES: dict[str, tuple[str, ...]] = {org: tuple(names) for org, names in _data()["names"].items()}
ORGANISATIONS = tuple(ORG_CUES)
# The same organisations named in English.
ORG_NAMES_EN: dict[str, tuple[str, ...]] = {org: tuple(names) for org, names in _data()["names_en"].items()}

# What may stand between a term and the organisation named right after it.
_ORG_LINK = (r"[" + HORIZONTAL_SPACES + r"]*(?:\([" + HORIZONTAL_SPACES + r"]*)?"
             r"(?:(?:de|du|des|auprès[" + HORIZONTAL_SPACES + r"]+de)[" + HORIZONTAL_SPACES + r"]+)?"
             r"(?:l" + APOSTROPHE_CLASS + r"|la[" + HORIZONTAL_SPACES + r"]+)?")
# A sentence starts after one of these, with only spaces and opening marks in between.
_SENTENCE_ENDS = ".!?:…»\n"
_OPENERS = "\"“«(—–-"


def _at_sentence_start(text: str, pos: int) -> bool:
    """Walks back over spaces and opening marks only: linear in the gap, not in the text before."""
    while pos > 0:
        before = text[pos - 1]
        if before in _SENTENCE_ENDS:
            return True
        if not (before.isspace() or before in _OPENERS):
            return False
        pos -= 1
    return True


@dataclass(frozen=True)
class _Evidence:
    pattern: re.Pattern[str]
    org: str
    weight: int
    mid_sentence: bool


@dataclass(frozen=True)
class _OrgPatterns:
    next_to: re.Pattern[str]
    mentions: dict[str, re.Pattern[str]]
    evidence: tuple[_Evidence, ...]
    headline_weight: int


def _org_patterns() -> _OrgPatterns:
    groups = []
    mentions = {}
    for org, names in ORG_CUES.items():
        alternation = "|".join(french_pattern(n) for n in sorted(names, key=len, reverse=True))
        groups.append(f"(?P<{org}>{alternation})")
        mentions[org] = re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)")
    next_to = re.compile(_ORG_LINK + "(?:" + "|".join(groups) + r")(?!\w)")
    evidence = tuple(
        _Evidence(re.compile(e["pattern"]), e["org"], int(e["weight"]), bool(e.get("mid_sentence")))
        for e in _data()["evidence"]
    )
    return _OrgPatterns(next_to, mentions, evidence, int(_data()["headline"]["weight"]))


_ORG = _org_patterns()


def orgs_mentioned(text: str) -> set[str]:
    """Organisations a French text names (OTAN, l'Alliance, ONU, Nations Unies)."""
    return {org for org, pattern in _ORG.mentions.items() if pattern.search(text)}


def orgs_named_in_english(text: str) -> set[str]:
    return {org for org, names in ORG_NAMES_EN.items()
            if any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in names)}


def org_named_at(text: str, pos: int) -> str | None:
    """The organisation named right at pos ("… de l'ONU", "… des Nations Unies", "… (OTAN)"), if any."""
    m = _ORG.next_to.match(text, pos)
    return m.lastgroup if m else None


def organisation_scores(text: str) -> dict[str, int]:
    """Weighted evidence per organisation (see data/organisations.toml)."""
    scores = dict.fromkeys(ORGANISATIONS, 0)
    for evidence in _ORG.evidence:
        for m in evidence.pattern.finditer(text):
            if evidence.mid_sentence and _at_sentence_start(text, m.start()):
                continue
            scores[evidence.org] += evidence.weight
    for org, pattern in _ORG.mentions.items():
        scores[org] += len(pattern.findall(text))
    headline, _, body = text.strip().partition("\n")
    first = None if not body.strip() else min(((m.start(), org) for org, p in _ORG.mentions.items() if (m := p.search(headline))), default=None)
    if first is not None:
        scores[first[1]] += _ORG.headline_weight
    return scores


def default_org_for(text: str) -> str | None:
    """Whose article this is, for bare titles: the organisation with the most weighted evidence;
    a tie (including no evidence at all) gives None."""
    ranked = sorted(organisation_scores(text).items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] == 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# ---------------------------------------------------------------------------------------------
# The project's own say: [organisation] in workflow.toml.


@dataclass(frozen=True)
class OrganisationSettings:
    paths: tuple[tuple[str, str], ...] = ()  # (glob, organisation), first match wins
    default: str | None = None

    def for_path(self, *paths: str | Path | None) -> str | None:
        for pattern, org in self.paths:
            for path in paths:
                if path is None:
                    continue
                posix = PurePosixPath(str(path).replace("\\", "/")).as_posix().removeprefix("./")
                if fnmatch.fnmatchcase(posix, pattern.removeprefix("./")) or PurePosixPath(posix).match(pattern):
                    return org
        return None


def _settings_at(root: Path) -> OrganisationSettings:
    config = load_config(root)
    section = config.section("organisation")
    unknown = set(section) - {"paths", "default"}
    if unknown:
        raise ConfigError(f"[organisation]: unknown key(s) {', '.join(sorted(unknown))} (expected paths, default)", config.path)
    paths = section.get("paths", {})
    if not isinstance(paths, dict):
        raise ConfigError("[organisation.paths] must be a table of glob = organisation", config.path)
    default = section.get("default")
    for org in (*paths.values(), *([default] if default is not None else [])):
        if org not in ORGANISATIONS:
            raise ConfigError(f"[organisation]: unknown organisation {org!r} (known: {', '.join(ORGANISATIONS)})", config.path)
    return OrganisationSettings(tuple(paths.items()), default)


def organisation_settings(root: Path | None = None) -> OrganisationSettings:
    return _settings_at((root or Path.cwd()).resolve())


def article_organisation(path: str | Path | None, text: str | None, *, catalog: str | Path | None = None,
                         root: Path | None = None) -> str | None:
    """The article's organisation: workflow.toml's [organisation.paths], else inferred from the
    text, else workflow.toml's default."""
    settings = organisation_settings(root)
    org = settings.for_path(path, catalog)
    if org is not None:
        return org
    inferred = default_org_for(text) if text else None
    return inferred if inferred is not None else settings.default


def organisation_for_entry(entry, catalog_path: str | Path | None = None,
                           cache: dict[tuple[str | None, str | None], str | None] | None = None) -> str | None:
    """The organisation of a PO entry's article: its `#:` reference names the source (read once
    per `cache`, which the caller keeps for one run)."""
    source = entry.occurrences[0][0] if entry.occurrences else None
    key = (source, str(catalog_path) if catalog_path else None)
    if cache is not None and key in cache:
        return cache[key]
    text = None
    if source:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
    org = article_organisation(source, text, catalog=catalog_path)
    if cache is not None:
        cache[key] = org
    return org
