"""Glossary exports for other tools: TBX v2/v3 (tbx.py), the CSV layout CAT tools read, our own CSV.

The glossary CSV (`rich-csv`, glossary/README.md) stays the editable master. `csv` is the
bilingual layout translate-toolkit's CSV store and Weblate's glossary upload recognise: the
French term in `source`, the English in `target` (the first two columns), then `context`
(the org= condition, so NATO and UN readings of one French term stay apart), `id`, and
`developer_comments` (the note, subject field, accepted variants and forbidden forms).
'forbidden' entries are left out of it: a tool would read their banned English as a
translation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from workflow.base.errors import GlossaryError
from workflow.terms.entry import DO_NOT_TRANSLATE, FORBIDDEN, Entry
from workflow.terms.glossary import Glossary, entries_to_csv
from workflow.terms.tbx import DEFAULT_VERSION, export_tbx

FORMATS = ("tbx", "csv", "rich-csv")
TOOL_CSV_COLUMNS = ("source", "target", "context", "id", "developer_comments")


def tool_csv(entries: Iterable[Entry]) -> str:
    out = io.StringIO()
    # Every field quoted, as translate-toolkit writes it: its reader sniffs the dialect, and
    # unquoted notes full of spaces can pass for a space-separated file.
    writer = csv.DictWriter(out, fieldnames=TOOL_CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for entry in entries:
        if entry.type == FORBIDDEN or not entry.fr:
            continue
        comments = [entry.note] if entry.note else []
        if entry.domain:
            comments.append("Subject field: " + entry.domain.replace("|", ", "))
        if entry.type == DO_NOT_TRANSLATE:
            comments.append("Do not translate.")
        if entry.en_variants:
            comments.append("Also accepted: " + "; ".join(entry.en_variants))
        if entry.en_forbidden:
            comments.append("Do not use: " + "; ".join(entry.en_forbidden))
        writer.writerow({"source": entry.fr, "target": entry.en or entry.fr, "context": entry.context, "id": entry.id,
                         "developer_comments": " ".join(_sentence(c) for c in comments)})
    return out.getvalue()


def layer_glossary(glossary: Glossary, layer: str | None) -> Glossary:
    """The house glossary, or one reference layer as a glossary of its own (ids without the layer prefix)."""
    if layer is None or layer == "house":
        return glossary
    for reference in glossary.references:
        if reference.name == layer:
            entries = []
            for item in reference.index.all_entries():
                entry = item.entry
                entries.append(Entry(**{**{k: getattr(entry, k) for k in entry.__dataclass_fields__},
                                        "id": entry.id.partition(":")[2]}))
            return Glossary(tuple(entries), (reference.path,))
    known = ", ".join(["house", *(r.name for r in glossary.references)])
    raise GlossaryError(f"no layer named {layer!r} (layers: {known})")


def export_glossary(glossary: Glossary, format: str, *, tbx_version: int = DEFAULT_VERSION) -> bytes:
    if format == "tbx":
        return export_tbx(glossary, version=tbx_version)
    if format == "csv":
        return tool_csv(glossary).encode("utf-8")
    if format == "rich-csv":
        return entries_to_csv(glossary).encode("utf-8")
    raise GlossaryError(f"unknown export format {format!r} (choose {', '.join(FORMATS)})")


def _sentence(comment: str) -> str:
    """Each comment part ends as a sentence, so the joined comment reads as separate statements."""
    comment = comment.strip()
    return comment if comment.endswith((".", "!", "?", ")")) else comment + "."
