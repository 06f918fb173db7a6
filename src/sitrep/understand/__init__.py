"""The understanding layer: who, what, when.

Per document (worker processes, one spaCy pass): mentions and roles, quotes
with speakers, temporal expressions, events.  Corpus-wide (main process):
identities across spellings, the timeline, stories.  See
:mod:`sitrep.understand.stages` for the run order.
"""
