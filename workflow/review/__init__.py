"""Review: PO catalogs and their merge rules, the translation memory (alignment, TMX) and progress status."""
