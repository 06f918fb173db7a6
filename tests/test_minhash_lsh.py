"""Tests for near-duplicate candidates: shingles, MinHash signatures, banded LSH."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sitrep.provenance.lsh import LSHIndex, choose_bands, collision_probability
from sitrep.provenance.minhash import EMPTY, jaccard, permutations, signature, signatures
from sitrep.provenance.shingles import jaccard_exact, shingle_batch, shingle_set, shingles

ROOT = Path(__file__).resolve().parents[1]

# Written for this test: a short fictional report, and a second one on another topic.
FLOOD = (
    "Flood water reached the lower streets of Marrowby early on Tuesday after the river "
    "broke through an earth embankment north of the town. The county emergency office said "
    "about 300 homes had been evacuated overnight and that nobody had been hurt. Volunteers "
    "filled sandbags in the market square while pumps were brought in from two neighbouring "
    "districts. The embankment had been inspected in the spring, according to the river "
    "authority, which promised an independent review of its condition. Farmers upstream "
    "reported fields under half a metre of water and warned that the late harvest was now "
    "lost. Schools in the valley will stay closed until Friday, the education department "
    "announced. Forecasters expect the rain to ease by Wednesday evening, but the river is "
    "not likely to fall below its warning level before the weekend. Residents were asked to "
    "avoid the old bridge, which engineers closed as a precaution after debris piled up "
    "against its piers. The mayor thanked the fire crews and said the town would apply for "
    "national disaster funds as soon as the damage had been counted."
)
LIBRARY = (
    "The new public library in Stellhaven opened its doors on Saturday with a reading by "
    "local children and a concert in the courtyard. The building, a converted grain store, "
    "holds some 80,000 books and a workshop where visitors can repair bicycles and small "
    "appliances. The architects kept the original timber beams and added a glass reading "
    "room on the roof. Librarians said more than 2,000 people signed up for cards during the "
    "first day. The project was paid for by the city and a regional cultural fund, and came "
    "in slightly under budget, officials said."
)


def sentences(text: str) -> list[str]:
    return [s.strip() + "." for s in text.split(".") if s.strip()]


# -- shingles ------------------------------------------------------------------

def test_bigrams_within_sentences_without_function_word_pairs():
    a = shingle_set("river broke. Volunteers filled sandbags")
    # river broke | volunteers filled | filled sandbags; not "broke volunteers"
    assert len(a) == 3
    assert len(shingle_set("of the in a")) == 0  # only function-word pairs
    assert len(shingle_set("in Marrowby")) == 1  # a mixed pair stays


def test_normalisation():
    plain = shingle_set("The mayor's office said: 'no'.")
    fancy = shingle_set("THE MAYOR’S\u00a0office said: “no”.")
    assert np.array_equal(plain, fancy)


def test_shuffled_sentences_keep_every_shingle():
    parts = sentences(FLOOD)
    shuffled = " ".join(parts[::-1])
    assert np.array_equal(shingle_set(FLOOD), shingle_set(shuffled))
    assert jaccard_exact(FLOOD, shuffled) == 1.0


def test_batch_matches_single_texts():
    texts = [FLOOD, "", "one", LIBRARY, "Flood water. Flood water."]
    values, offsets = shingle_batch(texts)
    assert offsets[0] == 0 and offsets[-1] == len(values)
    for i, t in enumerate(texts):
        assert np.array_equal(values[offsets[i]:offsets[i + 1]], shingles(t))
    assert len(shingles("")) == 0 and len(shingles("one")) == 0


def test_batches_split_across_buffers(monkeypatch):
    import sitrep.provenance.shingles as mod

    texts = [FLOOD, LIBRARY] * 20
    whole = shingle_batch(texts)
    monkeypatch.setattr(mod, "BATCH_BYTES", 3000)  # several joined buffers
    split = shingle_batch(texts)
    assert np.array_equal(whole[0], split[0]) and np.array_equal(whole[1], split[1])


# -- MinHash -------------------------------------------------------------------

def test_signature_deterministic_across_processes():
    code = (
        "import json, sys; from sitrep.provenance.minhash import signature; "
        "print(json.dumps(signature(sys.stdin.read()).tolist()))"
    )
    out = subprocess.run([sys.executable, "-c", code], input=FLOOD, capture_output=True,
                         text=True, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    here = signature(FLOOD)
    assert here.dtype == np.uint32 and here.shape == (256,)
    assert json.loads(out.stdout) == here.tolist()
    # Fixed parameters: a change here changes every stored signature.
    a, b = permutations(256, 1)
    assert int(a[0]) % 2 == 1 and len(set(a.tolist())) == 256


def synthetic_words(n: int, start: int = 0) -> str:
    """n distinct tokens in one sentence: n - 1 distinct shingles."""
    return " ".join(f"w{i}" for i in range(start, start + n))


@pytest.mark.parametrize("overlap", [0, 50, 100, 150, 190])
def test_jaccard_estimate_close_to_exact(overlap):
    a = synthetic_words(200)
    b = synthetic_words(200, start=200 - overlap)
    shared = max(overlap - 1, 0)
    exact = shared / (199 + 199 - shared)
    assert jaccard_exact(a, b) == pytest.approx(exact)
    est = jaccard(signature(a), signature(b))
    sd = max(np.sqrt(exact * (1 - exact) / 256), 1 / 256)
    assert abs(est - exact) <= 4 * sd


def test_jaccard_estimate_over_many_pairs_is_unbiased():
    # 100 independent pairs sharing 99 of 398 shingles each: J = 99/697
    pairs = []
    for k in range(100):
        shared = synthetic_words(100, start=10**6 + 1000 * k)
        pairs.append((synthetic_words(300, start=3000 * k) + ". " + shared,
                      synthetic_words(300, start=3000 * k + 1500) + ". " + shared))
    sigs_a = signatures([a for a, _ in pairs])
    sigs_b = signatures([b for _, b in pairs])
    exact = 99 / (398 + 398 - 99)
    assert jaccard_exact(*pairs[0]) == pytest.approx(exact)
    est = jaccard(sigs_a, sigs_b)
    sd_mean = np.sqrt(exact * (1 - exact) / 256 / len(pairs))
    assert abs(np.mean(est) - exact) < 4 * sd_mean


def test_empty_text_signature():
    sigs = signatures(["", "...", FLOOD])
    assert np.all(sigs[:2] == EMPTY) and not np.all(sigs[2] == EMPTY)
    assert jaccard(sigs[0], sigs[1]) == 0.0


# -- LSH -----------------------------------------------------------------------

def test_choose_bands_is_most_selective_banding_meeting_recall():
    bands, rows = choose_bands(0.4, 256, 0.99)
    assert (bands, rows) == (85, 3)
    assert collision_probability(0.4, bands, rows) >= 0.99
    assert collision_probability(0.4, 256 // (rows + 1), rows + 1) < 0.99
    assert collision_probability(0.03, bands, rows) < 0.003  # unrelated same-story articles


@pytest.fixture(scope="module")
def debian_spinner():
    from sitrep.synth.thesaurus import DEFAULT_PATH

    if not DEFAULT_PATH.is_file():
        pytest.skip("mythes-en-us not installed (apt-get install mythes-en-us)")
    from sitrep.synth.spinner import spin

    return spin


def test_finds_planted_copies_and_not_unrelated(debian_spinner):
    parts = sentences(FLOOD)
    spun = debian_spinner(FLOOD, rate=0.3, seed=5)
    assert len(spun.substitutions) >= 25
    docs = {
        "origin": FLOOD,
        "exact": FLOOD,
        "trimmed": " ".join(parts[: len(parts) // 2]),  # half the sentences
        "wrapped": "Home | News | Weather. Sign up for our newsletter. " + FLOOD
                   + " Share this story. Comments are closed. Copyright Valley Post.",
        "shuffled": " ".join(parts[1::2] + parts[0::2]),
        "spun": spun.text,
        "library": LIBRARY,
    }
    sigs = signatures(list(docs.values()))
    index = LSHIndex()
    index.add(list(docs), sigs)
    found = index.pairs().as_dict()
    for kind in ("exact", "trimmed", "wrapped", "shuffled", "spun"):
        assert ("origin", kind) in found, kind
    assert not any("library" in pair for pair in found)


def test_example_corpus_pairs_only_the_planted_copies(tmp_path):
    from sitrep.pipeline import ingest
    from sitrep.store.db import Store

    with Store(tmp_path / "s.db") as store:
        ingest([str(ROOT / "examples" / "alaska-2025")], store, workers=1)
        docs = list(store.documents())
    index = LSHIndex()
    index.add([Path(d.locator).name for d in docs], signatures([d.text for d in docs]))
    found = set(index.pairs().as_dict())
    assert found == {
        ("02_cascade-courier_wire-summit.html", "07_regional-papers.jsonl#line=1"),  # trimmed wire
        ("04_ridgeline-review_analysis.txt", "06_newsdigest_spun-copy.txt"),  # spun copy
    }


def corpus(n_origins: int = 60, seed: int = 3) -> tuple[list[str], set[tuple[int, int]]]:
    """Random-vocabulary texts plus trimmed and shuffled copies; returns the
    texts and the (origin, copy) index pairs."""
    rng = np.random.default_rng(seed)
    vocab = [f"v{i}" for i in range(3000)]
    texts, truth = [], set()
    for _ in range(n_origins):
        sents = [" ".join(rng.choice(vocab, rng.integers(8, 20))) + "." for _ in range(15)]
        texts.append(" ".join(sents))
    for o in range(0, n_origins, 3):
        sents = texts[o].split(". ")
        texts.append(". ".join(sents[: 10]))
        truth.add((o, len(texts) - 1))
        texts.append(". ".join(sents[::-1]))
        truth.add((o, len(texts) - 1))
    return texts, truth


def test_random_texts_pair_only_with_their_copies():
    texts, truth = corpus()
    index = LSHIndex()
    index.add(np.arange(len(texts)), signatures(texts))
    found = set(index.pairs().as_dict())
    # copies of one origin also pair with each other
    copies = {(a, b) for (o, a) in truth for (o2, b) in truth if o == o2 and a < b}
    assert truth <= found <= truth | copies


def test_incremental_update_equals_batch():
    texts, _ = corpus()
    sigs = signatures(texts)
    ids = np.array([f"d{i:03d}" for i in range(len(texts))])
    batch = LSHIndex()
    batch.add(ids, sigs)
    expected = batch.pairs().as_dict()

    inc = LSHIndex()
    order = np.random.default_rng(0).permutation(len(texts))
    got: dict = {}
    for part in np.array_split(order, 4):
        got.update(inc.update(ids[part], sigs[part]).as_dict())
    assert len(inc) == len(texts)
    # pairs come as (older, newer); compare unordered
    norm = lambda d: {tuple(sorted(k)): round(v, 6) for k, v in d.items()}  # noqa: E731
    assert norm(got) == norm(expected)
    assert norm(inc.pairs().as_dict()) == norm(expected)


def test_query_against_index_only():
    texts, truth = corpus()
    sigs = signatures(texts)
    index = LSHIndex()
    index.add(np.arange(60), sigs[:60])  # the origins
    got = index.query(sigs[60:])
    pairs = {(int(b), int(a) + 60) for a, b in zip(got.a, got.b)}
    assert pairs == truth


def test_bucket_cap_turns_cliques_into_stars():
    sigs = signatures([FLOOD] * 12 + [LIBRARY])
    capped = LSHIndex(bucket_cap=5)
    capped.add(np.arange(13), sigs)
    res = capped.pairs()
    assert set(res.as_dict()) == {(0, k) for k in range(1, 12)}  # oldest copy to each other
    assert {(size, anchor) for _band, size, anchor in res.oversized} == {(12, 0)}
    assert len(res.oversized) == capped.bands  # every band has that bucket
    full = LSHIndex()
    full.add(np.arange(13), sigs)
    assert len(full.pairs()) == 66 and not full.pairs().oversized
    q = capped.query(signature(FLOOD)[None, :])
    assert set(zip(q.a.tolist(), q.b.tolist())) == {(0, 0)} and q.oversized


def test_empty_signatures_never_pair():
    sigs = signatures(["", "", "!!", FLOOD, FLOOD])
    index = LSHIndex()
    index.add(np.arange(5), sigs)
    assert set(index.pairs().as_dict()) == {(3, 4)}
    assert len(index.query(sigs[:1])) == 0


def test_bytes_round_trip():
    texts, _ = corpus()
    sigs = signatures(texts)
    index = LSHIndex(min_jaccard=0.25, bucket_cap=50)
    index.add([f"id{i}" for i in range(80)], sigs[:80])
    index.update([f"id{i}" for i in range(80, len(texts))], sigs[80:])
    again = LSHIndex.from_bytes(index.to_bytes())
    assert (again.bands, again.rows, again.min_jaccard, again.bucket_cap) == (85, 3, 0.25, 50)
    assert again.ids.tolist() == index.ids.tolist()
    assert np.array_equal(again.signatures, index.signatures)
    assert again.pairs().as_dict() == index.pairs().as_dict()
    q1, q2 = index.query(sigs[:5]), again.query(sigs[:5])
    assert q1.as_dict() == q2.as_dict()


def test_rejects_wrong_shapes():
    index = LSHIndex()
    with pytest.raises(ValueError):
        index.add([1, 2], np.zeros((3, 256), np.uint32))
    with pytest.raises(ValueError):
        index.add([1], np.zeros((1, 128), np.uint32))
    with pytest.raises(ValueError):
        LSHIndex(bands=100, rows=3)
