"""Tests for spin detection and restoration (sitrep.provenance.spin, spin_source, langmodel).

The texts below are written for these tests. Spun copies are made with the
project's own spinner and the Debian thesaurus; the language model is the base
one (WordNet glosses + wordfreq) built by ``scripts/build_spin_lm.py``, and the
neural rescorer is left out (its half-minute load belongs in the benchmark).
"""

from __future__ import annotations


import numpy as np
import pytest

from sitrep.model import SpinMark
from sitrep.provenance import langmodel as L
from sitrep.provenance.spin import (
    SCREEN_MIN,
    SpinDetector,
    apply_marks,
    merge_compounds,
    screen_score,
    to_published,
    to_restored,
)
from sitrep.provenance.spin_source import restore_with_source
from sitrep.synth.spinner import spin

ARTICLE = """Talks end without a deal as leaders head home

The two presidents met for nearly four hours at a military base on Friday, but they left without an agreement on a ceasefire. Officials said the meeting was friendly and that both sides wanted to keep talking.

In a short statement after the summit, the president said he had made progress on several issues. He did not take questions from reporters, and he gave no details about what had been agreed. His guest thanked him for the invitation and said the next meeting could take place in Moscow.

Allies in Europe said they were worried about the outcome. A senior diplomat said the talks had given a lot of attention to the visitor and very little to the country at war. Another official said that any plan for peace must include the people who live with the fighting every day.

The White House said the president would call European leaders later in the day. He is expected to meet the leader of Ukraine in Washington on Monday, where the question of security guarantees will be at the center of the discussion.
"""

UNSPUN = """City council approves new budget after long debate

The city council voted on Tuesday to approve a budget that raises spending on schools and road repairs. The vote came after a debate that lasted more than five hours and drew a large crowd to the meeting hall.

Supporters said the plan would fix roads that have been neglected for years. Critics said the council should have cut costs first and warned that taxes could rise next year. The mayor said she would sign the budget this week and thanked residents who spoke at the meeting.
"""


@pytest.fixture(scope="module")
def detector():
    return SpinDetector(neural=False)


def _gold(subs):
    """Spun-text start -> original word, per substitution the spinner made."""
    return {s.spun_start: s.original for s in subs}


def test_tokens_split_hyphens_and_apostrophes():
    toks = L.lm_tokens("He’s a front-runner. Next")
    assert toks == ["<s>", "he", "'", "s", "a", "front", "-", "runner", ".", "<s>", "next"]


def test_ngram_model_prefers_the_fluent_word():
    lm = L.NGramLM(L.Counts.from_texts(["the talks were held in the city .", "we met in the city ."]))
    lp = lm.logprob([("held", "in", "the"), ("held", "successful", "the")])
    assert lp[0] > lp[1] + 2


def test_counts_subtract_back_to_empty():
    a = L.Counts.from_texts(["one two three four", "two three five"])
    b = L.Counts.from_texts(["two three five"])
    left = a.combine(b, sign=-1)
    assert left.combine(L.Counts.from_texts(["one two three four"]), sign=-1).size() == 0


def test_spun_copy_is_detected_and_mostly_restored(detector):
    spun = spin(ARTICLE, rate=0.4, seed=7)
    assert len(spun.substitutions) >= 40
    result = detector.detect(spun.text, "spun")
    assert result.spun and result.method == "thesaurus"
    gold = _gold(spun.substitutions)
    restored = {m.start: m.restored for m in result.marks if m.restored}
    exact = sum(1 for start, word in gold.items() if restored.get(start) == word)
    false = sum(1 for start, word in restored.items() if start not in gold)
    assert exact / len(gold) >= 0.5, (exact, len(gold))
    assert false <= 2
    assert "successful" not in result.restored_text.split() or "successful" in ARTICLE
    for m in result.marks:  # offsets point into the published text
        assert spun.text[m.start : m.end] == m.published


def test_unspun_text_is_left_alone(detector):
    for text in (ARTICLE, UNSPUN):
        result = detector.detect(text, "clean")
        assert result.spun is False
        assert result.marks == [] and result.restored_text is None
        # and without the cheap first pass, the decoder alone says the same
        assert detector.detect(text, "clean", screen=False).spun is False


def test_screen_separates_spun_from_plain():
    spun = spin(ARTICLE, rate=0.3, seed=3).text
    assert screen_score(spun) > SCREEN_MIN > screen_score(ARTICLE)
    assert screen_score(UNSPUN) < SCREEN_MIN


def test_hyphenated_synonym_is_one_slot(detector):
    text = "The plan was brand-new. It sat in-between the two."
    toks = merge_compounds(text, L.lm_token_spans(text), detector.lexicon)
    assert ("brand-new", 13, 22) in toks and ("in-between", 31, 41) in toks


def test_offsets_map_both_ways():
    published = "He went successful Ukraine and held a acme there."
    marks = [
        SpinMark(8, 18, "successful", "in", 0.99, "thesaurus"),
        SpinMark(published.index("acme"), published.index("acme") + 4, "acme", "summit", 0.98, "thesaurus"),
        SpinMark(0, 2, "He", "", 0.95, "thesaurus"),  # detected, not restored: no shift
    ]
    restored = apply_marks(published, marks)
    assert restored == "He went in Ukraine and held a summit there."
    for word in ("Ukraine", "held", "there"):
        p, r = published.index(word), restored.index(word)
        assert to_restored(marks, p) == r
        assert to_published(marks, r) == p
    assert to_restored(marks, 8) == 8 and to_published(marks, 8) == 8  # start of a replaced word
    assert to_restored(marks, 15) == 10  # inside "successful": clipped to the end of "in"
    assert to_restored(marks, 0) == 0 and to_published(marks, len(restored)) == len(published)


def test_restoration_with_source_is_exact():
    spun = spin(ARTICLE, rate=0.5, seed=11)
    result = restore_with_source(spun.text, ARTICLE, "copy")
    assert result.spun and result.method == "alignment"
    restored = {m.start: m.restored for m in result.marks}
    gold = _gold(spun.substitutions)
    exact = sum(1 for start, word in gold.items() if restored.get(start) == word)
    assert exact / len(gold) >= 0.98
    assert result.restored_text == ARTICLE


def test_source_in_the_wrong_direction_changes_nothing():
    spun = spin(ARTICLE, rate=0.5, seed=11)
    result = restore_with_source(ARTICLE, spun.text, "original")
    assert result.spun is False and result.marks == []


def test_source_with_light_edits_is_not_spin():
    edited = ARTICLE.replace("nearly four hours", "almost four hours").replace("worried", "concerned")
    result = restore_with_source(edited, ARTICLE, "edited")
    assert result.spun is False and result.restored_text is None


def test_real_spun_seed_is_detected_and_restored(seeds, detector):
    text = (seeds / "004_e5490e1e7d91b1db.txt").read_text(encoding="utf-8")
    assert "successful Ukraine" in text
    result = detector.detect(text, "004")
    assert result.spun
    restored = result.restored_text
    assert "in Ukraine" in restored and "successful Ukraine" not in restored
    assert "he had publicly called" in restored  # "helium had publically called"
    assert "Trump clapped as Putin" in restored  # "arsenic"
    assert "a few hundred metres or not at all" in restored  # "fewer 100 metres oregon not astatine all"
    # "holding a acme": flagged, even where the n-grams alone cannot pick the word
    assert any(m.published == "acme" for m in result.marks)


def test_real_unspun_seeds_are_not_spun(seeds, detector):
    for name in ("000", "001", "002", "003"):
        path = next(seeds.glob(f"{name}_*.txt"))
        result = detector.detect(path.read_text(encoding="utf-8"), name)
        assert result.spun is False, (name, result.score)
        assert result.marks == []


def test_missing_base_model_fails_loudly(tmp_path):
    with pytest.raises(L.LanguageModelMissing, match="build_spin_lm.py"):
        L.load_base(tmp_path / "absent.npz")


def test_neural_model_absent_package_message(monkeypatch):
    monkeypatch.setattr(L, "NEURAL_PACKAGE", "no_such_package_for_sitrep")
    with pytest.raises(L.NeuralLMMissing, match="pip install"):
        L.NeuralLM()


def test_wordnet_texts_read_glosses():
    first = list(zip(range(50), L.wordnet_texts()))
    assert len(first) == 50 and all(isinstance(t, str) and t for _, t in first)
    assert np.mean([len(t.split()) for _, t in first]) > 2
