"""Check-worthiness: how much a claim is worth verifying, from 0 to 1.

A logistic regression (the feature-based family of the CLEF CheckThat! lab
baselines; Hassan et al. 2017, "ClaimBuster", KDD, showed that cheap lexical
and syntactic features already rank check-worthy sentences well) over
features the spaCy parse gives for free, so scoring costs microseconds per
claim inside the understanding pass:

* dense features: length, numbers (and whether they are percentages or
  money), named entities by kind, dates, past tense, comparatives and
  superlatives, modal verbs, negation, first and second person pronouns,
  share of stop words;
* hashed lemmas: each lower-cased lemma adds 1 to one of ``BUCKETS`` slots
  (the "hashing trick", Weinberger et al. 2009, ICML), so the model keeps
  no vocabulary.

The coefficients are learned by ``scripts/train_checkworthy.py`` from the
CLEF-2019 CheckThat! task 1 debate sentences (Atanasova et al. 2019) and
shipped as ``sitrep/data/corroborate/checkworthy.json`` (numbers only).  The
score is the model's probability, calibrated on a class-balanced fit: use it
to rank, and read 0.5 as "worth a look".
"""

from __future__ import annotations

import json
import math
import zlib
from functools import lru_cache
from importlib import resources

import numpy as np

BUCKETS = 1024
MODEL_FILE = "checkworthy.json"
DENSE = (
    "bias", "log_len", "numbers", "digits", "percent", "money", "person", "org", "place",
    "norp", "date", "past", "future", "present", "comparative", "superlative", "modal",
    "negation", "first_person", "second_person", "stop_share", "proper_share", "verb_count",
    "short",
)
_PLACE = frozenset({"GPE", "LOC", "FAC"})
_NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
_FIRST = frozenset({"i", "we", "me", "us", "my", "our", "mine", "ours"})
_SECOND = frozenset({"you", "your", "yours"})


class CheckworthyModelMissing(RuntimeError):
    """The learned coefficients are not installed with the package."""


def dense_features(span) -> np.ndarray:
    """The dense feature vector of a spaCy Span (or Doc), in ``DENSE`` order."""
    toks = [t for t in span if not t.is_space]
    n = max(1, len(toks))
    words = [t for t in toks if t.is_alpha]
    ents = {t.ent_type_ for t in toks if t.ent_type_}
    tags = [t.tag_ for t in toks]
    f = {
        "bias": 1.0,
        "log_len": math.log1p(len(toks)),
        "numbers": float(sum(t.ent_type_ in _NUMERIC_ENTS and t.ent_iob_ == "B" for t in toks)),
        "digits": float(any(ch.isdigit() for t in toks for ch in t.text)),
        "percent": float("PERCENT" in ents or any(t.lower_ in ("%", "percent") for t in toks)),
        "money": float("MONEY" in ents or any(t.text in ("$", "£", "€") for t in toks)),
        "person": float("PERSON" in ents),
        "org": float("ORG" in ents),
        "place": float(bool(ents & _PLACE)),
        "norp": float("NORP" in ents),
        "date": float("DATE" in ents or "TIME" in ents),
        "past": float("VBD" in tags or "VBN" in tags),
        "future": float(any(t.lower_ in ("will", "'ll", "wo") and t.tag_ == "MD" for t in toks)),
        "present": float("VBZ" in tags or "VBP" in tags),
        "comparative": float("JJR" in tags or "RBR" in tags),
        "superlative": float("JJS" in tags or "RBS" in tags),
        "modal": float(any(t.tag_ == "MD" and t.lower_ not in ("will", "'ll", "wo") for t in toks)),
        "negation": float(any(t.dep_ == "neg" for t in toks)),
        "first_person": float(any(t.lower_ in _FIRST for t in toks)),
        "second_person": float(any(t.lower_ in _SECOND for t in toks)),
        "stop_share": sum(t.is_stop for t in words) / max(1, len(words)),
        "proper_share": sum(t.pos_ == "PROPN" for t in words) / max(1, len(words)),
        "verb_count": float(min(5, sum(t.pos_ == "VERB" for t in toks))),
        "short": float(len(words) < 6),
    }
    return np.array([f[k] for k in DENSE], dtype=np.float32)


def bucket(lemma: str) -> int:
    """The hashed slot of a lemma (crc32: stable across processes, unlike ``hash``)."""
    return zlib.crc32(lemma.encode("utf-8")) % BUCKETS


def lemma_buckets(span) -> list[int]:
    return sorted({bucket(t.lemma_.lower()) for t in span if t.is_alpha and not t.is_stop})


def features(span) -> np.ndarray:
    """Dense features followed by the hashed-lemma indicator slots: shape (len(DENSE) + BUCKETS,)."""
    x = np.zeros(len(DENSE) + BUCKETS, dtype=np.float32)
    x[:len(DENSE)] = dense_features(span)
    for b in lemma_buckets(span):
        x[len(DENSE) + b] = 1.0
    return x


@lru_cache(maxsize=1)
def load_model() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(weights, feature means, feature scales, intercept) from the packaged coefficients file."""
    try:
        raw = resources.files("sitrep").joinpath("data", "corroborate", MODEL_FILE).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as e:
        raise CheckworthyModelMissing(
            f"sitrep/data/corroborate/{MODEL_FILE} is missing; rebuild it with "
            "`python scripts/train_checkworthy.py` (needs ../shared/bench/checkworthy)"
        ) from e
    data = json.loads(raw)
    if data.get("dense") != list(DENSE) or data.get("buckets") != BUCKETS:
        raise CheckworthyModelMissing(f"{MODEL_FILE} was trained with other features; retrain it")
    w = np.asarray(data["weights"], dtype=np.float32)
    mean = np.asarray(data["mean"], dtype=np.float32)
    scale = np.asarray(data["scale"], dtype=np.float32)
    return w, mean, scale, float(data["intercept"])


def score_features(x: np.ndarray) -> np.ndarray:
    """Probabilities for a feature matrix (rows from :func:`features`)."""
    w, mean, scale, b = load_model()
    z = ((np.atleast_2d(x) - mean) / scale) @ w + b
    return 1.0 / (1.0 + np.exp(-z))


def score_span(span) -> float:
    """Check-worthiness of the claim or sentence ``span`` (a spaCy Span)."""
    return float(score_features(features(span))[0])
