"""Claim-pair verifier: the probability that two claims state the same thing.

A logistic regression (Cox 1958, "The regression analysis of binary
sequences", JRSS B) over a handful of pair features that a sentence vector
alone blurs: the cosine of the two claims' own vectors *and* of their whole
sentences' vectors (a claim cut out of its sentence loses the context that
says which poll, which speech, which vote), the entities the claims share,
whether subject and predicate agree, whether numbers, dates, places and
polarity agree or conflict, whether the speakers differ, and the word overlap
of the two claim texts.  This is the verification step of retrieve-then-verify
claim matching (Shaar et al. 2020, ACL; Kazemi et al. 2021, ACL), with a linear
model in place of a cross-encoder so that a pair costs microseconds.

Training pairs are *sentence* pairs labelled same / different
(``bench/data/claims-polnear.jsonl``, dev split only), while the model scores
*claim* pairs: a sentence holds several claims, and a "same" sentence pair
only says that at least one of its claim pairs is the same.  The fit is
therefore multiple-instance (Andrews, Tsochantaridis & Hofmann 2003, "Support
vector machines for multiple-instance learning", NIPS, the MI-SVM
alternation): every claim pair of a "different" sentence pair is a negative;
of each "same" sentence pair only the claim pair the current model scores
highest is a positive; refit and reselect a few times.

The shipped coefficients live in ``sitrep/data/corroborate/claim_verifier.json``
and are rebuilt by ``scripts/train_claim_verifier.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

FEATURES = (
    "claim_cos",  # cosine of the claims' own vectors
    "sentence_cos",  # cosine of their sentences' vectors
    "best_cos",  # the larger of the two
    "shared_entities",  # entities both name (capped at 3)
    "entities_disjoint",  # both name entities, none in common
    "subject_same",
    "subject_different",
    "predicate_same",
    "numbers_agree",
    "numbers_conflict",
    "dates_agree",
    "dates_conflict",
    "places_conflict",
    "polarity_conflict",
    "speakers_same",
    "speakers_different",
    "word_jaccard",  # content-word overlap of the claim texts
    "length_ratio",  # shorter / longer claim text, in words
)

_WORD = re.compile(r"[^\W_]+")
_FUNCTION = frozenset("""a an the of to in on at for by with from and or but as is are was were be been being
that this these those it its he she they his her their we our you your i not no""".split())


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of ``text`` without function words: what word overlap is measured on."""
    return frozenset(w for w in _WORD.findall(text.casefold()) if w not in _FUNCTION)


def jaccard(x: frozenset, y: frozenset) -> float:
    return len(x & y) / len(x | y) if x or y else 0.0


def pair_features(a, b, check, sentence_similarity: float) -> np.ndarray:
    """The feature vector (in :data:`FEATURES` order) of claims ``a`` and ``b`` compared as ``check``
    (a :class:`sitrep.corroborate.matching.Check`, whose ``similarity`` is the claims' cosine)."""
    wa, wb = content_words(a.text), content_words(b.text)
    na, nb = max(len(a.text.split()), 1), max(len(b.text.split()), 1)
    c, s = float(check.similarity), float(sentence_similarity)
    return np.array([
        c, s, max(c, s),
        min(len(check.shared_entities), 3),
        float(bool(a.entities and b.entities and not check.shared_entities)),
        float(check.subject == "same"), float(check.subject == "different"),
        float(check.predicate == "same"),
        float(check.numbers == "agree"), float(check.numbers == "conflict"),
        float(check.dates == "agree"), float(check.dates == "conflict"),
        float(check.places == "conflict"),
        float(check.polarity == "conflict"),
        float(check.speakers == "same"), float(check.speakers == "different"),
        jaccard(wa, wb),
        min(na, nb) / max(na, nb),
    ], dtype=np.float64)


@dataclass(frozen=True)
class Verifier:
    """Logistic regression on standardised :data:`FEATURES`; ``threshold`` is the matching cut-off."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    features: tuple[str, ...] = FEATURES

    def logit(self, x: np.ndarray) -> np.ndarray:
        z = (np.asarray(x, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Per-feature share of one pair's logit: the evidence behind a verdict."""
        z = (np.asarray(x, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return {f: round(float(w * v), 3) for f, w, v in zip(self.features, self.weights, z)}

    def to_json(self) -> dict:
        return {"features": list(self.features), "weights": list(self.weights), "bias": self.bias,
                "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold}

    @classmethod
    def from_json(cls, d: dict) -> Verifier:
        if tuple(d["features"]) != FEATURES:
            raise ValueError("claim verifier coefficients were trained on other features; "
                             "rerun scripts/train_claim_verifier.py")
        return cls(tuple(d["weights"]), float(d["bias"]), tuple(d["mean"]), tuple(d["scale"]),
                   float(d["threshold"]), FEATURES)


@lru_cache(maxsize=1)
def default_verifier() -> Verifier:
    """The shipped verifier (``sitrep/data/corroborate/claim_verifier.json``)."""
    text = resources.files("sitrep.data").joinpath("corroborate/claim_verifier.json").read_text("utf-8")
    return Verifier.from_json(json.loads(text))


# -- fitting (used by scripts/train_claim_verifier.py) -------------------------------------


def fit(bags: Sequence[np.ndarray], labels: Sequence[bool], c: float = 1.0, rounds: int = 4) -> Verifier:
    """Multiple-instance logistic regression: ``bags[i]`` holds the feature rows of the claim pairs of
    sentence pair ``i``; ``labels[i]`` says whether the sentence pair shares a claim."""
    from sklearn.linear_model import LogisticRegression

    allx = np.vstack([b for b in bags if len(b)])
    mean, scale = allx.mean(axis=0), allx.std(axis=0)
    scale[scale < 1e-9] = 1.0
    pick = [int(np.argmax(b[:, FEATURES.index("best_cos")])) if len(b) else -1 for b in bags]
    model = None
    for _ in range(rounds):
        x, y = _instances(bags, labels, pick)
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit((x - mean) / scale, y)
        new = [int(np.argmax(model.decision_function((b - mean) / scale))) if len(b) else -1 for b in bags]
        if new == pick:
            break
        pick = new
    return Verifier(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]),
                    tuple(float(m) for m in mean), tuple(float(s) for s in scale), 0.5)


def _instances(bags, labels, pick) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for bag, label, p in zip(bags, labels, pick):
        if not len(bag):
            continue
        if label:
            xs.append(bag[p:p + 1])
            ys.append(1)
        else:
            xs.append(bag)
            ys.extend([0] * len(bag))
    return np.vstack(xs), np.asarray(ys)


def bag_scores(verifier: Verifier, bags: Sequence[np.ndarray]) -> np.ndarray:
    """Each bag's best claim-pair probability (0 for an empty bag)."""
    return np.array([float(verifier.probability(b).max()) if len(b) else 0.0 for b in bags])
