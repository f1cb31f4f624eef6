"""gettext templates (`translations/templates/<slug>.pot`) beside the catalogs.

What xgettext would write: the same entries in the same order, with their
references and the extracted comments that describe the source (position,
treatment, glossary terms), every msgstr empty. A template is what Weblate (or
`msginit`) starts a new language from, and what `msgmerge` updates a catalog
against. A catalog's own provenance notes (MT, memory, carried terms) belong to
that translation only and stay out of the template.
"""

from __future__ import annotations

import polib

from workflow.review.catalog import is_source_note
from workflow.review.header import template_comment, template_metadata
from workflow.review.pofile import NO_WRAP


def source_notes(comment: str) -> str:
    """The extracted comment lines that describe the source, not one translation of it."""
    return "\n".join(line for line in comment.splitlines() if is_source_note(line))


def build_template(
    catalog: polib.POFile, *, slug: str, title: str, reference: str, digest: str, created: str
) -> polib.POFile:
    """The template of a freshly built catalog (live entries only); `created` is the
    catalog's POT-Creation-Date, so msgmerge finds nothing to update."""
    template = polib.POFile(wrapwidth=NO_WRAP, encoding="utf-8", check_for_duplicates=False)
    template.header = template_comment(title, reference)
    template.metadata = template_metadata(slug=slug, reference=reference, digest=digest, created=created)
    template.metadata_is_fuzzy = True
    for entry in catalog:
        if entry.obsolete:
            continue
        template.append(polib.POEntry(
            msgctxt=entry.msgctxt,
            msgid=entry.msgid,
            msgstr="",
            occurrences=list(entry.occurrences),
            comment=source_notes(entry.comment),
        ))
    return template
