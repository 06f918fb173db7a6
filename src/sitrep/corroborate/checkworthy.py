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
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, IS_ALPHA, IS_CURRENCY, IS_SPACE, IS_STOP, LEMMA, LIKE_NUM, LOWER, POS, TAG
from spacy.strings import get_string_id

BUCKETS = 1024
MODEL_FILE = "checkworthy.json"
DENSE = (
    "bias", "log_len", "numbers", "like_num", "percent", "money", "person", "org", "place",
    "norp", "date", "past", "future", "present", "comparative", "superlative", "modal",
    "negation", "first_person", "second_person", "stop_share", "proper_share", "verb_count",
    "short",
)
_COLUMNS = (LOWER, LEMMA, TAG, POS, DEP, ENT_TYPE, ENT_IOB, IS_ALPHA, IS_STOP, IS_SPACE, LIKE_NUM, IS_CURRENCY)
_LOWER, _LEMMA, _TAG, _POS, _DEP, _ENT, _IOB, _ALPHA, _STOP, _SPACE, _NUM, _CUR = range(len(_COLUMNS))
_B = 3  # ENT_IOB code of an entity's first token


def _ids(*names: str) -> np.ndarray:
    return np.array([get_string_id(n) for n in names], dtype=np.uint64)


_NUMERIC_ENTS = _ids("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
_PLACE = _ids("GPE", "LOC", "FAC")
_PAST, _PRESENT = _ids("VBD", "VBN"), _ids("VBZ", "VBP")
_COMPARATIVE, _SUPERLATIVE = _ids("JJR", "RBR"), _ids("JJS", "RBS")
_FUTURE = _ids("will", "'ll", "’ll", "wo", "shall")
_FIRST = _ids("i", "we", "me", "us", "my", "our", "mine", "ours")
_SECOND = _ids("you", "your", "yours")
_PERCENT = _ids("%", "percent")
_ID = {name: get_string_id(name) for name in
       ("MD", "neg", "VERB", "PROPN", "PERSON", "ORG", "NORP", "DATE", "TIME", "MONEY", "PERCENT")}


class CheckworthyModelMissing(RuntimeError):
    """The learned coefficients are not installed with the package."""


# Per-token indicator columns; a span's feature values come from their sums.
_COUNTS = ("token", "word", "num_ent", "like_num", "percent", "money", "person", "org", "place", "norp",
           "date", "past", "future", "present", "comparative", "superlative", "modal", "neg", "first",
           "second", "stop_word", "proper_word", "verb")


class TokenTable:
    """Per-token indicators of one Doc, read once (``Doc.to_array``), as prefix sums.

    Any span's feature values then cost a subtraction of two rows, and its
    hashed lemma slots a slice of a list: scoring a claim touches no spaCy
    Token object.
    """

    def __init__(self, doc):
        self.doc = doc
        a = doc.to_array(list(_COLUMNS)).astype(np.uint64)
        cols = self._indicators(a)
        self.prefix = np.zeros((len(a) + 1, len(_COUNTS)), dtype=np.int64)
        np.cumsum(cols, axis=0, out=self.prefix[1:])
        content = (a[:, _ALPHA] == 1) & (a[:, _STOP] == 0) & (a[:, _SPACE] == 0)
        memo: dict[int, int] = {}
        self.slots = [memo.setdefault(int(lid), bucket(doc.vocab.strings[int(lid)].lower())) if ok else -1
                      for lid, ok in zip(a[:, _LEMMA], content)]

    @staticmethod
    def _indicators(a: np.ndarray) -> np.ndarray:
        tok = a[:, _SPACE] == 0
        word = tok & (a[:, _ALPHA] == 1)
        ent, tag, low = a[:, _ENT], a[:, _TAG], a[:, _LOWER]
        md = tag == _ID["MD"]
        fut = md & np.isin(low, _FUTURE)
        cols = {
            "token": tok, "word": word,
            "num_ent": np.isin(ent, _NUMERIC_ENTS) & (a[:, _IOB] == _B),
            "like_num": a[:, _NUM] == 1,
            "percent": np.isin(low, _PERCENT) | (ent == _ID["PERCENT"]),
            "money": (a[:, _CUR] == 1) | (ent == _ID["MONEY"]),
            "person": ent == _ID["PERSON"], "org": ent == _ID["ORG"], "place": np.isin(ent, _PLACE),
            "norp": ent == _ID["NORP"], "date": np.isin(ent, _ids("DATE", "TIME")),
            "past": np.isin(tag, _PAST), "future": fut, "present": np.isin(tag, _PRESENT),
            "comparative": np.isin(tag, _COMPARATIVE), "superlative": np.isin(tag, _SUPERLATIVE),
            "modal": md & ~fut, "neg": a[:, _DEP] == _ID["neg"],
            "first": np.isin(low, _FIRST), "second": np.isin(low, _SECOND),
            "stop_word": word & (a[:, _STOP] == 1), "proper_word": word & (a[:, _POS] == _ID["PROPN"]),
            "verb": tok & (a[:, _POS] == _ID["VERB"]),
        }
        return np.stack([cols[k] for k in _COUNTS], axis=1).astype(np.int64)

    def read(self, lo: int, hi: int) -> tuple[np.ndarray, set[int]]:
        """Dense feature values (``DENSE`` order) and hashed lemma slots of tokens [lo, hi)."""
        c = dict(zip(_COUNTS, (self.prefix[hi] - self.prefix[lo]).tolist()))
        w = max(1, c["word"])
        any_ = lambda k: float(c[k] > 0)  # noqa: E731
        x = np.array([
            1.0, math.log1p(c["token"]), float(c["num_ent"]), any_("like_num"), any_("percent"), any_("money"),
            any_("person"), any_("org"), any_("place"), any_("norp"), any_("date"), any_("past"),
            any_("future"), any_("present"), any_("comparative"), any_("superlative"), any_("modal"),
            any_("neg"), any_("first"), any_("second"), c["stop_word"] / w, c["proper_word"] / w,
            float(min(5, c["verb"])), float(c["word"] < 6),
        ], dtype=np.float32)
        return x, set(self.slots[lo:hi]) - {-1}


def bucket(lemma: str) -> int:
    """The hashed slot of a lemma (crc32: stable across processes, unlike ``hash``)."""
    return zlib.crc32(lemma.encode("utf-8")) % BUCKETS


def _table(span, table: TokenTable | None) -> tuple[TokenTable, int, int]:
    if not hasattr(span, "start"):
        span = span[:]  # a whole Doc
    doc = span.doc
    if table is None or table.doc is not doc:
        table = TokenTable(doc)
    return table, span.start, span.end


def dense_features(span, table: TokenTable | None = None) -> np.ndarray:
    """The dense feature vector of a spaCy Span, in ``DENSE`` order."""
    t, lo, hi = _table(span, table)
    return t.read(lo, hi)[0]


def features(span, table: TokenTable | None = None) -> np.ndarray:
    """Dense features followed by the hashed-lemma indicator slots: shape (len(DENSE) + BUCKETS,)."""
    t, lo, hi = _table(span, table)
    dense, slots = t.read(lo, hi)
    x = np.zeros(len(DENSE) + BUCKETS, dtype=np.float32)
    x[:len(DENSE)] = dense
    for b in slots:
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


def score_span(span, table: TokenTable | None = None) -> float:
    """Check-worthiness of the claim or sentence ``span`` (a spaCy Span); equal to ``score_features(features(span))``.

    Pass the document's :class:`TokenTable` when scoring many spans of one Doc.
    """
    t, lo, hi = _table(span, table)
    return score_range(t, lo, hi)


def score_range(table: TokenTable, lo: int, hi: int) -> float:
    """Check-worthiness of tokens [lo, hi) of the table's document."""
    w, mean, scale, b = load_model()
    dense, slots = table.read(lo, hi)
    nd = len(DENSE)
    z = b + float(((dense - mean[:nd]) / scale[:nd]) @ w[:nd])
    z += float(sum(w[nd + s] for s in slots))  # hashed slots are unscaled indicators (mean 0, scale 1)
    return 1.0 / (1.0 + math.exp(-z))
