"""The corroboration layer: what is claimed, by whom, and who else says it.

Per document (inside the understanding pass, on its spaCy parse):
:func:`sitrep.corroborate.claims.find_claims` cuts sentences into atomic
claims (subject, predicate, object, polarity, hedges, numbers, dates, places,
attribution) ranked by :mod:`sitrep.corroborate.checkworthy`.  Corpus-wide:
:mod:`sitrep.corroborate.matching` groups claims from different documents
that state the same thing and records pairs that agree on subject and
predicate but disagree on a value (the raw material of contradictions).
"""
