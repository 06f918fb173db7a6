"""Language of a text, with lingua's confidence.

Only a fixed set of widely published languages is loaded: lingua's models for
every language cost about 1.2 GB per process, and a news pile in another
language is still told apart as "not English" by the nearest of these.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

_LANGUAGES = (
    "ENGLISH FRENCH GERMAN SPANISH ITALIAN PORTUGUESE DUTCH RUSSIAN UKRAINIAN POLISH "
    "ARABIC CHINESE JAPANESE KOREAN TURKISH SWEDISH HINDI PERSIAN HEBREW INDONESIAN"
).split()
_LETTERS = re.compile(r"[^\W\d_]")
_SAMPLE_CHARS = 1000  # a paragraph or two gives a stable answer; cost grows with length


@lru_cache(maxsize=1)
def _detector():
    langs = [getattr(Language, name) for name in _LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence 0..1), or (None, 0.0) when there is too little text."""
    sample = text[:_SAMPLE_CHARS]
    if len(_LETTERS.findall(sample, 0, 400)) < 20:
        return None, 0.0
    best = _detector().compute_language_confidence_values(sample)[0]
    return best.language.iso_code_639_1.name.lower(), round(best.value, 3)
