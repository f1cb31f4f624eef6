"""Terminology: the glossary model and files, finding terms in French, carrying them through MT, TBX interchange."""
