"""Retrain the claim-pair verifier (sitrep/data/corroborate/claim_verifier.json) on the dev split.

Reads the labelled sentence pairs of ``bench/data/claims-polnear.jsonl`` (dev
split only: the test split stays unseen), extracts the claims of the involved
PolNeAR articles exactly as ``bench/claims.py`` does, builds one bag of claim
pairs per sentence pair (every claim overlapping sentence A against every claim
overlapping sentence B, with claim and sentence cosines), and fits the
multiple-instance logistic regression of :mod:`sitrep.corroborate.verifier`.
The matching threshold is the one that maximises F1 of the out-of-fold bag
scores (5-fold cross-validation on dev, repeated over 5 shuffles), which are
printed with their precision and recall.

    .venv/bin/python scripts/train_claim_verifier.py [--shared ../shared] [--cache /tmp/claims-bench.npz] [--claims-cache /tmp/claims-bench.pkl] [--c 0.3] [--dry-run]
    .venv/bin/python scripts/train_claim_verifier.py ... --compare   # other learners, cross-validated the same way
    .venv/bin/python scripts/train_claim_verifier.py ... --model mpnet --out /tmp/v.json   # on all-mpnet-base-v2 vectors

``--compare`` also fits learners that decide a sentence pair from its whole bag (each
feature's maximum and mean over the bag's claim pairs, and the bag's size): a logistic
regression, gradient-boosted trees and a random forest, with the same folds and shuffles.
They cannot replace the verifier as they stand (matching needs a score per claim pair, to
group claims); they show whether a richer learner on these features would pay.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import claims as bench  # noqa: E402  (bench/claims.py: the labelled set and the extraction it measures)

from sitrep.corroborate import verifier as V  # noqa: E402
from sitrep.corroborate.matching import compare_fields  # noqa: E402
from sitrep.vectors import MODELS  # noqa: E402

OUT = ROOT / "src" / "sitrep" / "data" / "corroborate" / "claim_verifier.json"


def bags_of(pairs, claims, vectors, sentence_vectors) -> list[np.ndarray]:
    """Feature rows of every claim pair of each labelled sentence pair."""
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        by_doc.setdefault(c.document_id, []).append(i)

    def overlapping(ref):
        return [i for i in by_doc.get(ref["doc"], []) if claims[i].start < ref["end"] and claims[i].end > ref["start"]]

    out = []
    for p in pairs:
        rows = []
        for i in overlapping(p["a"]):
            for j in overlapping(p["b"]):
                check = compare_fields(claims[i], claims[j], float(vectors[i] @ vectors[j]))
                rows.append(V.pair_features(claims[i], claims[j], check, float(sentence_vectors[i] @ sentence_vectors[j])))
        out.append(np.vstack(rows) if rows else np.zeros((0, len(V.FEATURES))))
    return out


def prf(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp, fp, fn = int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validated(bags, gold: np.ndarray, c: float, folds: int = 5, repeats: int = 5, extra_bags=(),
                    extra_gold: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold bag scores, averaged over ``repeats`` shuffles; each fold's model is also fitted on every
    ``extra`` bag (training pairs, never scored)."""
    from sklearn.model_selection import StratifiedKFold

    extra_gold = np.zeros(0, dtype=bool) if extra_gold is None else extra_gold
    scores = np.zeros(len(bags))
    for seed in range(repeats):
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(bags)), gold):
            model = V.fit([bags[i] for i in tr] + list(extra_bags), np.concatenate([gold[tr], extra_gold]), c=c)
            scores[te] += V.bag_scores(model, [bags[i] for i in te]) / repeats
    return scores


def bag_rows(bags) -> np.ndarray:
    """One row per bag: each feature's maximum and mean over its claim pairs, and its size."""
    n = len(V.FEATURES)
    return np.vstack([np.concatenate([b.max(0), b.mean(0), [len(b)]]) if len(b) else np.zeros(2 * n + 1)
                      for b in bags])


def compare(bags, gold: np.ndarray, folds: int = 5, repeats: int = 5) -> None:
    """Cross-validated F1 (threshold chosen on the out-of-fold scores) of bag-level learners."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = bag_rows(bags)
    learners = {
        "logistic regression on bag rows": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(C=0.3, max_iter=3000, class_weight="balanced")),
        "gradient-boosted trees on bag rows": lambda: HistGradientBoostingClassifier(
            max_depth=3, learning_rate=0.05, max_iter=200, class_weight="balanced"),
        "random forest on bag rows": lambda: RandomForestClassifier(
            300, min_samples_leaf=3, class_weight="balanced", random_state=0),
    }
    print("| learner | cv P | cv R | cv F1 |\n|---|---|---|---|")
    for name, make in learners.items():
        scores = np.zeros(len(bags))
        for seed in range(repeats):
            for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, gold):
                scores[te] += make().fit(x[tr], gold[tr]).predict_proba(x[te])[:, 1] / repeats
        t = max(np.unique(np.round(scores, 3)), key=lambda t: (prf(gold, scores >= t)[2], t))
        p, r, f = prf(gold, scores >= t)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=None, help="npz memoising claim and sentence vectors")
    ap.add_argument("--claims-cache", type=Path, default=None, help="pickle memoising the extracted claims")
    ap.add_argument("--model", choices=("minilm", "mpnet"), default="minilm",
                    help="sentence model of the claim vectors (the pipeline uses minilm)")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the coefficients (default: the shipped file)")
    ap.add_argument("--c", type=float, default=0.3, help="inverse L2 regularisation strength")
    ap.add_argument("--dry-run", action="store_true", help="print the fit, do not write the coefficients")
    ap.add_argument("--with-train", action="store_true",
                    help="also fit on the training pairs (bench/data/claims-polnear-train.jsonl); scored on dev only")
    ap.add_argument("--compare", action="store_true", help="also cross-validate bag-level learners (implies --dry-run)")
    args = ap.parse_args(argv)

    pairs = [p for p in bench.load_pairs() if p["split"] == "dev"]
    extra = [p for p in bench.load_pairs(bench.TRAIN) if p["label"] != "out"] if args.with_train else []
    docs = bench.load_documents(args.shared, {r["doc"] for p in pairs + extra for r in (p["a"], p["b"])})
    claims, _ = bench.extract_cached(docs, args.claims_cache)
    claims = [c for c in claims if c.document_id in docs]  # a cache may hold the test articles too
    vectors, _ = bench.embed_texts([c.text for c in claims], args.cache, args.model)
    sentence_vectors, _ = bench.embed_texts(bench.sentence_texts(claims, docs), args.cache, args.model)
    bags = bags_of(pairs, claims, vectors, sentence_vectors)
    gold = np.array([p["label"] == "same" for p in pairs])

    extra_bags = bags_of(extra, claims, vectors, sentence_vectors)
    extra_gold = np.array([p["label"] == "same" for p in extra], dtype=bool)
    oof = cross_validated(bags, gold, args.c, extra_bags=extra_bags, extra_gold=extra_gold)
    grid = np.round(np.arange(0.30, 0.951, 0.025), 3)
    threshold = float(max(grid, key=lambda t: (prf(gold, oof >= t)[2], t)))
    p, r, f = prf(gold, oof >= threshold)
    model = V.fit(bags + extra_bags, np.concatenate([gold, extra_gold]), c=args.c)
    model = V.Verifier(model.weights, model.bias, model.mean, model.scale, threshold)
    print(f"dev pairs {len(pairs)} (same {int(gold.sum())}), claim pairs {sum(len(b) for b in bags)}, C={args.c}"
          + (f"; with {len(extra)} training pairs (same {int(extra_gold.sum())})" if extra else ""))
    print(f"cross-validated on dev at threshold {threshold}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    for name, w in zip(V.FEATURES, model.weights):
        print(f"  {name:20s} {w:+.3f}")
    if args.compare:
        compare(bags, gold)
    if not args.dry_run and not args.compare:
        blob = model.to_json()
        blob["trained_on"] = {"pairs": "bench/data/claims-polnear.jsonl (dev)"
                              + (" and bench/data/claims-polnear-train.jsonl" if extra else ""),
                              "n": len(pairs) + len(extra), "c": args.c, "vectors": MODELS[args.model].name,
                              "cv": {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}}
        args.out.write_text(json.dumps(blob, indent=1) + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
