"""Signs of machine-translation failure: decoder loops, odd length, dropped sentences."""

from __future__ import annotations

from collections import Counter

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, length_ratio, qa_rules, word_tokens
from workflow.source.segment import sentences


def _max_tandem(words: list[str], n: int) -> tuple[int, tuple[str, ...]]:
    """Longest run of one n-gram repeated back to back."""
    best, best_gram = 1, ()
    for start in range(len(words) - n + 1):
        gram = tuple(words[start : start + n])
        count, pos = 1, start + n
        while tuple(words[pos : pos + n]) == gram:
            count += 1
            pos += n
        if count > best:
            best, best_gram = count, gram
    return best, best_gram


def check_repetition(source: str, target: str) -> list[Issue]:
    settings = qa_rules().repetition
    words = [w.lower() for w in word_tokens(target)]
    for n in range(1, settings["max_n"] + 1):
        repeats, gram = _max_tandem(words, n)
        if repeats >= settings["min_repeats"][str(n)]:
            return [issue("mt.repetition", f"'{' '.join(gram)}' repeated {repeats} times in a row (MT loop?)")]
    n = settings["min_ngram"]
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    if grams:
        gram, count = grams.most_common(1)[0]
        src_words = [w.lower() for w in word_tokens(source)]
        src_top = Counter(tuple(src_words[i : i + n]) for i in range(len(src_words) - n + 1)).most_common(1)
        src_count = src_top[0][1] if src_top else 0
        if count >= settings["max_count"] and count > src_count:
            return [issue("mt.repetition", f"'{' '.join(gram)}' occurs {count} times (MT loop?)")]
    return []


def check_truncated(source: str, target: str) -> list[Issue]:
    """A translation that stops short: no final punctuation where the source has some, or a
    last word that cannot end an English sentence ("… the", "… and")."""
    settings = qa_rules().truncation
    closers = qa_rules().end_closers
    src, tgt = source.rstrip(closers), target.rstrip(closers)
    if not tgt:
        return []
    words = word_tokens(tgt)
    last = words[-1].lower() if words else ""
    if src[-1:] in settings["sentence_ends"] and (tgt[-1].isalnum()) and len(words) >= settings["min_words"]:
        return [issue("mt.truncated", f"the source ends with '{src[-1]}', the translation stops at “{words[-1]}”: cut off?")]
    if last in settings["cannot_end"] and tgt[-1].isalpha():
        return [issue("mt.truncated", f"the translation ends with “{words[-1]}”: cut off?")]
    return []


def check_length(source: str, target: str, headline: bool = False) -> list[Issue]:
    """Headlines are rewritten rather than translated (style_notes.md §5): not measured."""
    settings = qa_rules().length
    if headline or len(source.strip()) < settings["min_source_chars"]:
        return []
    ratio = length_ratio(source, target)
    if ratio < settings["min_ratio"]:
        return [issue("mt.length", f"translation is {ratio:.2f}× the source length (expected ≥ {settings['min_ratio']})")]
    if ratio > settings["max_ratio"]:
        return [issue("mt.length", f"translation is {ratio:.2f}× the source length (expected ≤ {settings['max_ratio']})")]
    return []


def check_dropped(source: str, target: str) -> list[Issue]:
    src_n, tgt_n = len(sentences(source)), len(sentences(target))
    if tgt_n >= src_n or src_n < 2:
        return []
    rules = qa_rules()
    missing = src_n - tgt_n
    expected = rules.length["typical_ratio"] * (1 - rules.dropped_slack * missing / src_n)
    ratio = length_ratio(source, target)
    if ratio < expected:
        return [issue("mt.dropped-sentence", f"{src_n} sentences in the source, {tgt_n} in the translation, which is also short ({ratio:.2f}× the source)")]
    return []
