"""Quotation marks, brackets and final punctuation: balanced like the source, English-style."""

from __future__ import annotations

from workflow.qa.findings import Issue
from workflow.qa.rules import issue, qa_rules


def _quote_balance(text: str) -> int:
    """Opened minus closed quotation marks; straight quotes by position."""
    quotes = qa_rules().quotes
    balance = 0
    for i, ch in enumerate(text):
        if ch in quotes["open"]:
            balance += 1
        elif ch in quotes["close"]:
            balance -= 1
        elif ch in quotes["straight"]:
            before = text[i - 1] if i else " "
            balance += 1 if before.isspace() or before in "([{—–-" else -1
    return balance


def _bracket_state(text: str, pair: str) -> tuple[int, bool]:
    """(opened minus closed, whether a closer came before its opener)."""
    depth, early_close = 0, False
    for ch in text:
        if ch == pair[0]:
            depth += 1
        elif ch == pair[1]:
            depth -= 1
            early_close |= depth < 0
    return depth, early_close


def check_marks(source: str, target: str) -> list[Issue]:
    rules = qa_rules()
    issues: list[Issue] = []
    french_marks = sorted({ch for ch in target if ch in rules.quotes["french_only"]})
    if french_marks:
        issues.append(issue("leftover.guillemets", f"French quotation marks {' '.join(french_marks)} in English: use “ ”"))
    src_q, tgt_q = _quote_balance(source), _quote_balance(target)
    if src_q != tgt_q:
        issues.append(issue("marks.quotes", _balance_message("quotation marks", src_q, tgt_q)))
    for pair in rules.brackets:
        (src_b, src_early), (tgt_b, tgt_early) = _bracket_state(source, pair), _bracket_state(target, pair)
        if src_b != tgt_b:
            issues.append(issue("marks.brackets", _balance_message(f"brackets {pair[0]} {pair[1]}", src_b, tgt_b)))
        elif tgt_early and not src_early:
            issues.append(issue("marks.brackets", f"'{pair[1]}' closes before its '{pair[0]}' opens"))
    src_end, tgt_end = _end_mark(source), _end_mark(target)
    if src_end != tgt_end:
        issues.append(issue("marks.end-punctuation", f"source ends with {_describe_end(src_end)}, translation with {_describe_end(tgt_end)}"))
    return issues


def _balance_message(what: str, source: int, target: int) -> str:
    def state(n: int) -> str:
        if n == 0:
            return "balanced"
        return f"{abs(n)} {'unclosed' if n > 0 else 'unopened'}"

    return f"{what} unbalanced: source {state(source)}, translation {state(target)}"


def _end_mark(text: str) -> str:
    rules = qa_rules()
    text = text.rstrip().replace("...", "…")
    while text and text[-1] in rules.end_closers:
        text = text[:-1]
    return text[-1] if text and text[-1] in rules.end_marks else ""


def _describe_end(mark: str) -> str:
    return f"'{mark}'" if mark else "no final punctuation"
