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


def check_length(source: str, target: str) -> list[Issue]:
    settings = qa_rules().length
    if len(source.strip()) < settings["min_source_chars"]:
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
