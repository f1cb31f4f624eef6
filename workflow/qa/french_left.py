"""French left in the English: a copied source, or a translation that still reads as French."""

from __future__ import annotations

import unicodedata

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules, word_tokens
from workflow.source.segment import sentences


def _is_french_token(token: str) -> bool:
    rules = qa_rules()
    lower = token.lower()
    if lower in rules.french_words:
        return True
    # Accented capitalised words are mostly names (Sergueï, António) in English copy.
    return token[:1].islower() and any(ch in rules.french_letters for ch in lower)


def _french_evidence(text: str) -> tuple[int, int, int]:
    """(French tokens, all tokens, longest run of French tokens); elisions split (l'OTAN → l, OTAN)."""
    tokens = [t for part in word_tokens(text) for t in part.split("'") if t]
    count = run = longest = 0
    for token in tokens:
        if _is_french_token(token):
            count += 1
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return count, len(tokens), longest


def looks_french(text: str) -> bool:
    settings = qa_rules().french
    count, total, run = _french_evidence(text)
    if run >= settings["min_run"]:
        return True
    if total > 0 and count >= settings["min_words"] and count / total >= settings["min_share"]:
        return True
    # One sentence left in French inside an otherwise English paragraph.
    for sentence in sentences(text):
        count, total, _ = _french_evidence(sentence)
        if total and count >= settings["min_words"] and count / total >= settings["sentence_share"]:
            return True
    return False


def _normalise_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def same_text(source: str, target: str) -> bool:
    return _normalise_space(source) == _normalise_space(target)


def check_untranslated(source: str, target: str) -> list[Issue]:
    if same_text(source, target):
        if looks_french(source):
            return [issue("leftover.untranslated", "translation is a copy of the French source")]
        return []
    if looks_french(target):
        count, total, run = _french_evidence(target)
        return [issue("leftover.sentence", f"translation still reads as French ({count} of {total} words French, run of {run})")]
    return []
