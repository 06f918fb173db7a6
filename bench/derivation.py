"""Derivation benchmark: copy detection, origin groups and direction on a labelled corpus.

The corpus
----------
* All 924 PolNeAR articles (``../shared/corpus/polnear``: ``metadata.tsv`` gives
  publisher, date, author, title, wire; texts are ``<compartment>/text/<filename>.txt``),
  as :class:`~sitrep.model.Document` s dated with their publication date.
* **Natural pairs**, labelled by text-overlap evidence plus metadata: two
  PolNeAR articles form a pair when at least half of the word 5-grams of the
  running text (prose sentences, not Title Case lines) of one occur in the
  other (containment, Broder 1997).  The benchmark
  prints every such pair with publisher and dates; they are the same
  publisher's revised or re-run versions of one story (or two updates of one AP
  live blog), which corroboration must count once.  Pairs that share less
  (a quoted statement, a background paragraph, a "Related:" link list, an
  editor's note) are negatives.  PolNeAR's ``wire`` column does *not* mark
  copies: the benchmark prints the largest overlap between two articles of the
  same wire service; apart from the live-blog pair, they are different stories.
* **Synthetic copies** made by :mod:`sitrep.synth.transform` from PolNeAR origins
  (``--per-kind`` of each kind): verbatim, trimmed (a share of 0.2, 0.35 or 0.5
  dropped), wrapped (a third of them with an "originally appeared in" credit),
  spun (rate 0.3 or 0.6), shuffled, paraphrased.
  Copies are dated 1-3 days after their origin; for the kinds whose content
  carries a direction signal (wrapped, trimmed, spun) 40% of the pairs have
  **no dates on either side**, so direction must come from content.  A fifth of
  the trimmed and spun origins get a second copy (wrapped), whose copy-copy
  pair is also gold.
* **Syndication**: PolNeAR wire articles with a dateline are removed from the
  corpus and replaced by two reprints each (wrapped, trimmed; same day) under
  other outlets' names, so the agency's original is *absent*; half of them
  also get an uncredited paraphrased rewrite.

The pipeline
------------
Candidates = lexical (MinHash LSH, :mod:`sitrep.provenance.lsh` with its
defaults; ``--candidates shingle`` uses a plain word 5-gram index instead) ∪
semantic (:mod:`sitrep.provenance.semantic`, lead vectors).  Then
:func:`sitrep.provenance.derivation.derive` and
:func:`~sitrep.provenance.derivation.origin_groups`.

Measures
--------
* **Pair precision / recall**: a pair is an unordered pair of documents in the
  same origin group.  Gold groups are the connected components of the gold
  links (origin-copy, copy-copy of one origin, reprint-reprint and
  reprint-rewrite of one wire story, natural pairs).  Per kind, recall is over
  the gold pairs that involve a copy of that kind, precision over the predicted
  pairs that involve one.
* **Direction accuracy**: over detected gold pairs with a known origin (not
  reprint-reprint, not same-day natural pairs), the share whose direct edge
  points origin → copy with a decided direction.  Undetermined and reversed
  edges count as wrong and are shown separately.
* Relation labels per kind, and stage timings.

    python bench/derivation.py [--per-kind 25] [--seed 7] [--no-semantic] [--candidates lsh|shingle] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from sitrep.model import Document  # noqa: E402
from sitrep.provenance.align import sentences, tokens  # noqa: E402
from sitrep.provenance.derivation import body_sentence, derive, origin_groups  # noqa: E402
from sitrep.provenance.semantic import document_vectors, semantic_candidates  # noqa: E402
from sitrep.provenance.wire import find_credits  # noqa: E402
from sitrep.synth import transform as T  # noqa: E402
from sitrep.vectors import CachedEmbedder  # noqa: E402

SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "corpus" / "polnear"
PUBLISHERS = {
    "breitbart": "Breitbart", "huff-post": "HuffPost", "nyt": "The New York Times",
    "politico": "Politico", "usa-today": "USA Today", "wash-post": "The Washington Post",
    "west-journal": "The Western Journal",
}
UNDATED_KINDS = ("wrapped", "trimmed", "spun")
SPIN_RATES = (0.3, 0.6)  # as in the spin benchmark
TRIM_SHARES = (0.2, 0.35, 0.5)
EXPECTED_RELATION = {
    "verbatim": {"duplicate"}, "trimmed": {"trimmed"}, "wrapped": {"copy"}, "spun": {"spun"},
    "shuffled": {"reordered"}, "paraphrased": {"rewrite"}, "syndicated": {"syndicated"},
    "wire-rewrite": {"rewrite"}, "second-copy": {"copy", "trimmed", "spun", "duplicate"},
}


# -- corpus ---------------------------------------------------------------------------------


def load_polnear() -> tuple[dict[str, Document], dict[str, dict]]:
    rows = list(csv.DictReader((POLNEAR / "metadata.tsv").open(encoding="utf-8"), delimiter="\t"))
    docs, meta = {}, {}
    for r in rows:
        text = (POLNEAR / r["compartment"] / "text" / f"{r['filename']}.txt").read_text(encoding="utf-8")
        none = lambda v: None if v in ("None", "NA", "") else v  # noqa: E731
        docs[r["filename"]] = Document(
            id=r["filename"], locator=f"polnear/{r['filename']}", kind="text", raw_sha256="",
            text=text, title=r["title"], author=none(r["author"]), source=PUBLISHERS[r["publisher"]],
            published=r["publication_date"],
        )
        meta[r["filename"]] = r
    return docs, meta


def _prose_grams(text: str, n: int = 5) -> set[int]:
    grams = set()
    for s, e in sentences(text):
        if body_sentence(text[s:e]):
            toks = tokens(text[s:e])
            grams.update(hash(tuple(toks[j:j + n])) for j in range(len(toks) - n + 1))
    return grams


def natural_pairs(docs: dict[str, Document]) -> list[tuple[str, str, float]]:
    """PolNeAR pairs by containment: shared word 5-grams of prose sentences / the smaller set.

    Running text only (prose, not Title Case), so that shared "Related:" link lists
    and sign-offs do not count.
    """
    grams = {i: _prose_grams(d.text) for i, d in docs.items()}
    index = defaultdict(list)
    for i, g in grams.items():
        for h in g:
            index[h].append(i)
    shared = Counter()
    for ids in index.values():
        if 1 < len(ids) <= 20:
            for a, b in itertools.combinations(sorted(ids), 2):
                shared[a, b] += 1
    out = []
    for (a, b), n in shared.items():
        out.append((a, b, n / max(1, min(len(grams[a]), len(grams[b])))))
    return sorted(out, key=lambda x: -x[2])


def same_wire_max(pairs, meta) -> tuple[float, tuple[str, str] | None]:
    best, arg = 0.0, None
    for a, b, share in pairs:
        wa, wb = meta[a]["wire"].lower(), meta[b]["wire"].lower()
        if wa == wb and wa not in ("none", "na") and share > best and share < 0.5:
            best, arg = share, (a, b)
    return best, arg


def _strip_datelines(text: str) -> str:
    """An uncredited rewrite: the agency's dateline goes ("WASHINGTON (AP) — " → "")."""
    for c in sorted(find_credits(text), key=lambda c: -c.span[0]):
        if c.kind == "dateline":
            line_start = text.rfind("\n", 0, c.span[0]) + 1
            end = text.find("—", c.span[1])
            end = end if end >= 0 and end - c.span[1] < 4 else c.span[1] + 1
            rest = text[end + 1:].lstrip()
            text = text[:line_start] + rest[:1].upper() + rest[1:]
    return text


def _shift(d: str | None, days: int) -> str | None:
    return (date.fromisoformat(d) + timedelta(days=days)).isoformat() if d else None


def _copy_doc(cid: str, text: str, source: str, published: str | None) -> Document:
    return Document(id=cid, locator=f"synthetic/{cid}", kind="text", raw_sha256="", text=text,
                    source=source, published=published)


def build_corpus(per_kind: int, seed: int):
    docs, meta = load_polnear()
    nat = natural_pairs(docs)
    natural = [(a, b) for a, b, s in nat if s >= 0.5]
    in_natural = {x for p in natural for x in p}
    rng = random.Random(seed)

    def eligible(i):
        d = docs[i]
        n_sent = len(sentences(d.text))
        return i not in in_natural and n_sent >= 8 and len(d.text.split()) >= 250

    wired = [i for i in sorted(docs) if eligible(i) and any(c.kind == "dateline" for c in find_credits(docs[i].text))]
    plain = [i for i in sorted(docs) if eligible(i) and i not in set(wired) and meta[i]["wire"] in ("None", "NA")]
    rng.shuffle(wired)
    rng.shuffle(plain)

    gold_links: list[tuple[str, str, str, str | None]] = []  # (a, b, kind, gold origin or None)
    for a, b in natural:
        da, db = docs[a].published, docs[b].published
        origin = None if da == db else (a if da < db else b)
        gold_links.append((a, b, "natural", origin))

    copies: dict[str, Document] = {}
    kinds = ["verbatim", "trimmed", "wrapped", "spun", "shuffled", "paraphrased"]
    k = 0
    for kind in kinds:
        for n in range(per_kind):
            oid = plain[k]
            k += 1
            origin = docs[oid]
            s = seed * 1000 + k
            undated = kind in UNDATED_KINDS and n % 5 in (1, 3)
            if undated:
                origin.published = None
            if kind == "wrapped":
                text = T.wrapped(origin.text, s, credit=origin.source if n % 3 == 0 else None)
            elif kind == "spun":
                text = T.spun(origin.text, s, rate=SPIN_RATES[n % 2])
            elif kind == "trimmed":
                text = T.trimmed(origin.text, s, share=TRIM_SHARES[n % 3])
            else:
                text = T.TRANSFORMERS[kind](origin.text, s)
            cid = f"syn-{kind}-{n:02d}"
            copies[cid] = _copy_doc(cid, text, T.site_name(s), _shift(origin.published, 1 + n % 3))
            gold_links.append((oid, cid, kind, oid))
            if kind in ("trimmed", "spun") and n % 5 == 0:
                cid2 = f"syn-{kind}-{n:02d}-b"
                copies[cid2] = _copy_doc(cid2, T.wrapped(origin.text, s + 500), T.site_name(s + 500),
                                         _shift(origin.published, 2 + n % 3))
                gold_links.append((oid, cid2, "second-copy", oid))
                gold_links.append((cid, cid2, "second-copy", None))

    removed = set()
    n_wire = max(2, per_kind // 3)
    for n, wid in enumerate(wired[:n_wire]):
        removed.add(wid)
        w = docs[wid]
        s = seed * 2000 + n
        r1, r2 = f"wire-{n:02d}-a", f"wire-{n:02d}-b"
        copies[r1] = _copy_doc(r1, T.wrapped(w.text, s), T.site_name(s), w.published)
        copies[r2] = _copy_doc(r2, T.trimmed(w.text, s + 1), T.site_name(s + 1), w.published)
        gold_links.append((r1, r2, "syndicated", None))
        if n % 2 == 0:
            rw = f"wire-{n:02d}-rewrite"
            copies[rw] = _copy_doc(rw, _strip_datelines(T.paraphrased(w.text, s + 2)), T.site_name(s + 2),
                                   _shift(w.published, 1))
            gold_links.append((r1, rw, "wire-rewrite", r1))
            gold_links.append((r2, rw, "wire-rewrite", r2))
    corpus = {i: d for i, d in docs.items() if i not in removed}
    corpus.update(copies)
    return corpus, gold_links, nat, meta


# -- candidates ---------------------------------------------------------------------------


def shingle_candidates(corpus: dict[str, Document], n: int = 5, max_df: int = 20,
                       min_containment: float = 0.1) -> list[tuple[str, str, float]]:
    """Pairs sharing >= ``min_containment`` of the smaller document's word n-grams (stand-in for LSH)."""
    ids = sorted(corpus)
    grams = []
    for i in ids:
        toks = tokens(corpus[i].text)
        grams.append({hash(tuple(toks[j:j + n])) for j in range(len(toks) - n + 1)})
    index = defaultdict(list)
    for k, g in enumerate(grams):
        for h in g:
            index[h].append(k)
    shared = Counter()
    for post in index.values():
        if 1 < len(post) <= max_df:
            for a, b in itertools.combinations(post, 2):
                shared[a, b] += 1
    out = []
    for (a, b), c in shared.items():
        cont = c / max(1, min(len(grams[a]), len(grams[b])))
        if cont >= min_containment:
            out.append((ids[a], ids[b], round(cont, 4)))
    return out


def lexical_candidates(corpus, how: str = "lsh"):
    """MinHash LSH candidates (``sitrep.provenance.lsh``), or the shingle-index stand-in."""
    if how == "shingle":
        return shingle_candidates(corpus), "word 5-gram shingle index (stand-in)"
    from sitrep.provenance.lsh import LSHIndex
    from sitrep.provenance.minhash import signatures

    ids = sorted(corpus)
    index = LSHIndex()
    index.add(ids, signatures([corpus[i].text for i in ids]))
    c = index.pairs()
    pairs = [(str(a), str(b), float(j)) for a, b, j in zip(c.a, c.b, c.jaccard)]
    return pairs, f"sitrep.provenance.lsh (bands {index.bands} x rows {index.rows}, min Jaccard {index.min_jaccard})"


# -- evaluation ---------------------------------------------------------------------------------


def _components(links):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = defaultdict(set)
    for x in parent:
        groups[find(x)].add(x)
    return list(groups.values())


def _pairs_of(groups):
    out = set()
    for g in groups:
        out.update(frozenset(p) for p in itertools.combinations(sorted(g), 2))
    return out


def kind_of_doc(doc_id: str) -> str | None:
    m = re.match(r"syn-(\w+)-\d+(-b)?$", doc_id)
    if m:
        return "second-copy" if m.group(2) else m.group(1)
    if doc_id.startswith("wire-"):
        return "wire-rewrite" if doc_id.endswith("rewrite") else "syndicated"
    return None


def evaluate(corpus, gold_links, edges, groups):
    gold_groups = _components([(a, b) for a, b, _, _ in gold_links])
    gold_pairs = _pairs_of(gold_groups)
    pred_members = defaultdict(set)
    for i, (gid, _role) in groups.items():
        pred_members[gid].add(i)
    pred_pairs = _pairs_of(pred_members.values())
    edge_of = {frozenset((e.origin_id, e.copy_id)): e for e in edges}

    kind_of_pair = {}
    for a, b, kind, _ in gold_links:
        kind_of_pair[frozenset((a, b))] = kind
    for p in gold_pairs:
        if p not in kind_of_pair:
            kinds = [kind_of_doc(x) for x in p if kind_of_doc(x)]
            kind_of_pair[p] = kinds[0] if kinds else "natural"

    def pr(gp, pp):
        tp = len(gp & pp)
        return (tp / len(pp) if pp else 1.0), (tp / len(gp) if gp else 1.0), tp, len(pp), len(gp)

    report = {"overall": dict(zip(("precision", "recall", "tp", "predicted", "gold"), pr(gold_pairs, pred_pairs)))}
    per_kind = {}
    all_kinds = sorted(set(kind_of_pair.values()))
    for kind in all_kinds:
        gp = {p for p in gold_pairs if kind_of_pair[p] == kind}
        if kind == "natural":
            pp = {p for p in pred_pairs if not any(kind_of_doc(x) for x in p)}
        else:
            pp = {p for p in pred_pairs if any(kind_of_doc(x) == kind for x in p)}
        prec, rec, _tp, npred, ngold = pr(gp, pp)
        # A predicted pair is right when it is any gold pair (a copy of this kind may
        # rightly pair with another kind's copy of the same origin).
        prec = len(pp & gold_pairs) / len(pp) if pp else 1.0
        per_kind[kind] = {"precision": prec, "recall": rec, "gold": ngold, "predicted": npred,
                          "direction": {"right": 0, "reversed": 0, "undetermined": 0, "no_edge": 0, "dated": [0, 0], "undated": [0, 0]},
                          "relations": Counter()}
    # Direction and relation labels over the gold links.
    for a, b, kind, origin in gold_links:
        pair = frozenset((a, b))
        if pair not in pred_pairs:
            continue
        e = edge_of.get(pair)
        slot = per_kind[kind]
        if e:
            slot["relations"][e.relation] += 1
        if origin is None:
            continue
        dkey = "dated" if corpus[a].published and corpus[b].published else "undated"
        if not e:
            slot["direction"]["no_edge"] += 1
            ok = False
        elif e.direction and e.direction[0] == "undetermined":
            slot["direction"]["undetermined"] += 1
            ok = False
        elif e.origin_id == origin:
            slot["direction"]["right"] += 1
            ok = True
        else:
            slot["direction"]["reversed"] += 1
            ok = False
        slot["direction"][dkey][0] += ok
        slot["direction"][dkey][1] += 1
    right = sum(s["direction"]["right"] for s in per_kind.values())
    total = sum(s["direction"]["right"] + s["direction"]["reversed"] + s["direction"]["undetermined"] + s["direction"]["no_edge"]
                for s in per_kind.values())
    report["overall"]["direction_accuracy"] = right / total if total else 1.0
    report["overall"]["direction_n"] = total
    for s in per_kind.values():
        d = s["direction"]
        n = d["right"] + d["reversed"] + d["undetermined"] + d["no_edge"]
        s["direction_accuracy"] = d["right"] / n if n else None
        s["relations"] = dict(s["relations"])
    report["per_kind"] = per_kind
    fp = sorted(pred_pairs - gold_pairs, key=sorted)
    fn = sorted(gold_pairs - pred_pairs, key=sorted)
    report["false_positives"] = [sorted(p) for p in fp[:30]]
    report["false_negatives"] = [sorted(p) for p in fn[:30]]
    return report


# -- main ------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-kind", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-semantic", action="store_true", help="lexical candidates and alignment only")
    ap.add_argument("--threshold", type=float, default=0.8, help="semantic candidate cosine threshold")
    ap.add_argument("--candidates", choices=("lsh", "shingle"), default="lsh", help="lexical candidate route")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not POLNEAR.is_dir():
        sys.exit(f"PolNeAR not found at {POLNEAR} (set SITREP_SHARED)")

    t0 = time.time()
    corpus, gold_links, nat, meta = build_corpus(args.per_kind, args.seed)
    t_build = time.time() - t0
    print(f"corpus: {len(corpus)} documents, {len(gold_links)} gold links ({time.time() - t0:.1f}s)")
    print("natural pairs (containment of prose word 5-grams >= 0.5):")
    for a, b, share in nat:
        if share >= 0.5:
            print(f"  {share:.2f}  {a} [{meta[a]['publication_date']}]  {b} [{meta[b]['publication_date']}]")
    below = [s for _, _, s in nat if s < 0.5]
    print(f"  largest share below the 0.5 bar: {max(below):.2f}" if below else "")
    w, arg = same_wire_max(nat, meta)
    print(f"same-wire PolNeAR articles that are not copies: largest containment {w:.2f} {arg or ''}")

    t = time.time()
    lex, how = lexical_candidates(corpus, args.candidates)
    t_lex = time.time() - t
    print(f"lexical candidates: {len(lex)} pairs via {how} ({t_lex:.1f}s)")
    embed = None
    sem = []
    t_sem = 0.0
    if not args.no_semantic:
        embed = CachedEmbedder()
        t = time.time()
        ids = sorted(corpus)
        vecs = document_vectors([corpus[i].text for i in ids], embed)
        sem = semantic_candidates(ids, vecs, threshold=args.threshold)
        t_sem = time.time() - t
        print(f"semantic candidates: {len(sem)} pairs, {embed.computed} sentences embedded ({t_sem:.1f}s)")
    pairs = {tuple(sorted(p[:2])) for p in lex} | {tuple(sorted(p[:2])) for p in sem}
    t = time.time()
    edges = derive(sorted(pairs), corpus, embed=embed)
    t_derive = time.time() - t
    print(f"derive: {len(pairs)} candidate pairs -> {len(edges)} edges ({t_derive:.1f}s"
          + (f", {embed.computed} sentences embedded in all" if embed else "") + ")")
    groups = origin_groups(list(corpus), edges, corpus)

    rep = evaluate(corpus, gold_links, edges, groups)
    o = rep["overall"]
    print(f"\noverall  pair precision {o['precision']:.3f}  recall {o['recall']:.3f}  "
          f"(tp {o['tp']}, predicted {o['predicted']}, gold {o['gold']})  "
          f"direction accuracy {o['direction_accuracy']:.3f} (n={o['direction_n']})")
    print(f"{'kind':14s} {'prec':>6s} {'rec':>6s} {'gold':>5s} {'pred':>5s} {'dir':>6s}  dated    undated  undet rev noedge  relations")
    for kind, s in sorted(rep["per_kind"].items()):
        d = s["direction"]
        acc = f"{s['direction_accuracy']:.3f}" if s["direction_accuracy"] is not None else "   -  "
        fmt = lambda x: f"{x[0]}/{x[1]}" if x[1] else "-"  # noqa: E731
        print(f"{kind:14s} {s['precision']:6.3f} {s['recall']:6.3f} {s['gold']:5d} {s['predicted']:5d} {acc:>6s}  "
              f"{fmt(d['dated']):8s} {fmt(d['undated']):8s} {d['undetermined']:5d} {d['reversed']:3d} {d['no_edge']:6d}  {s['relations']}")
    if rep["false_positives"]:
        print("false positive pairs:", rep["false_positives"][:10])
    if rep["false_negatives"]:
        print("false negative pairs:", rep["false_negatives"][:10])
    total = time.time() - t0
    print(f"\ntime: build {t_build:.1f}s, lexical {t_lex:.1f}s, semantic {t_sem:.1f}s, derive {t_derive:.1f}s, total {total:.1f}s")
    if args.json:
        rep["timing"] = {"build": t_build, "lexical": t_lex, "semantic": t_sem, "derive": t_derive, "total": total}
        args.json.write_text(json.dumps(rep, indent=2, default=str))


if __name__ == "__main__":
    main()
