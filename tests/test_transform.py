"""Tests for the copy transformers of sitrep.synth.transform.

The article is fictional and written for these tests.  Transformers that use
the thesaurus (spun, paraphrased) are skipped without Debian's mythes-en-us.
"""

import re

import pytest

from sitrep.provenance.align import sentences
from sitrep.provenance.shingles import jaccard_exact
from sitrep.synth import transform as T
from sitrep.synth.spinner import spin
from sitrep.synth.thesaurus import DEFAULT_PATH

HARBOR = """Harbor authority approves new ferry terminal in Gullhaven.

GULLHAVEN — The harbor authority on Thursday approved plans for a new ferry terminal, ending two years of argument over where the island service should dock.
The terminal will be built on the old cannery site at the north end of the harbor, board chair Marit Osland said after the vote.
"This gives the islands a reliable link for the next forty years," Osland told reporters outside the meeting room.
Construction is expected to begin in the spring and to cost about 38 million dollars, most of it paid by the state transport fund.
Fishing crews had opposed an earlier plan to put the terminal beside the fish market, saying it would block their moorings.
Under the approved plan, the market keeps its quay and the ferries get a separate channel dredged along the breakwater.
Residents of the three outer islands depend on the ferry for groceries, school and hospital visits.
The current terminal, opened in 1974, floods at high tide several times each winter.
Osland said the authority would publish a timetable for the works within a month.
Some board members asked for a study of traffic on the coast road before the final design is approved.
"""

needs_thesaurus = pytest.mark.skipif(not DEFAULT_PATH.is_file(), reason="mythes-en-us not installed")


def lines(text):
    return [x.strip() for x in text.split("\n") if x.strip()]


def sents(text):
    return [text[s:e] for s, e in sentences(text)]


@pytest.mark.parametrize("kind", ["verbatim", "trimmed", "wrapped", "shuffled"])
def test_deterministic_for_a_seed(kind):
    f = T.TRANSFORMERS[kind]
    assert f(HARBOR, 5) == f(HARBOR, 5)


@needs_thesaurus
@pytest.mark.parametrize("kind", ["spun", "paraphrased"])
def test_thesaurus_transformers_deterministic(kind):
    f = T.TRANSFORMERS[kind]
    assert f(HARBOR, 5) == f(HARBOR, 5)
    assert f(HARBOR, 5) != f(HARBOR, 6)


def test_verbatim_is_the_text():
    assert T.verbatim(HARBOR, 3) == HARBOR


def test_trimmed_keeps_the_lead_and_drops_end_and_middle():
    out = T.trimmed(HARBOR, seed=1, share=0.35)
    orig, kept = lines(HARBOR), lines(out)
    assert kept[:2] == orig[:2]  # title and the lead paragraph with its dateline
    assert orig[-1] not in kept  # something always goes from the end
    assert all(k in orig for k in kept)
    idx = [orig.index(k) for k in kept]
    assert idx == sorted(idx)  # kept lines keep their order
    assert len(orig) - len(kept) == round(0.35 * len(orig))
    gaps = [b - a for a, b in zip(idx, idx[1:])]
    assert max(gaps) > 1  # and something from the middle
    assert T.trimmed(HARBOR, seed=2) != out


def test_trimmed_short_text_drops_sentences():
    text = "One short text. It has a few sentences. Each one is brief. None is long. Last one here."
    out = T.trimmed(text, seed=0, share=0.4)
    assert sents(out)[0] == "One short text."
    assert len(sents(out)) == 3


def test_wrapped_puts_chrome_around_the_full_text():
    out = T.wrapped(HARBOR, seed=4, credit="The Gullhaven Beacon")
    assert HARBOR.strip() in out
    head, tail = out.split(HARBOR.strip())
    assert len(lines(head)) >= 4 and len(lines(tail)) >= 4
    assert "This article originally appeared in The Gullhaven Beacon." in tail
    assert "originally appeared" not in T.wrapped(HARBOR, seed=4)
    assert lines(head)[0] == f"The {T.site_name(4)}"


def test_shuffled_keeps_every_sentence_and_the_title():
    out = T.shuffled(HARBOR, seed=9)
    assert sorted(sents(out)) == sorted(sents(HARBOR))
    assert lines(out)[0] == lines(HARBOR)[0]
    assert sents(out) != sents(HARBOR)
    assert out.count("\n") == HARBOR.count("\n")  # the layout stays


@needs_thesaurus
def test_spun_is_the_project_spinner():
    assert T.spun(HARBOR, seed=3, rate=0.3) == spin(HARBOR, rate=0.3, seed=3).text


@needs_thesaurus
def test_paraphrase_lowers_word_overlap_and_keeps_names_and_numbers():
    out = T.paraphrased(HARBOR, seed=1)
    spun = T.spun(HARBOR, seed=1, rate=0.3)
    # Fewer shared word pairs than a rate-0.3 spin (which keeps about half).
    assert jaccard_exact(HARBOR, out) < 0.7 * jaccard_exact(HARBOR, spun)
    for name in ("Gullhaven", "Osland", "1974", "38", "Marit"):
        assert name in out
    assert "Mr." not in out
    # Quotes are kept word for word, as rewriters keep them.
    assert "This gives the islands a reliable link for the next forty years," in out
    assert len(lines(out)) == len(lines(HARBOR))


@needs_thesaurus
def test_paraphraser_rules():
    p = T.Paraphraser()
    import random

    rng = random.Random(0)
    assert p._restructure("Osland said that the board would meet again in June.", rng).startswith(
        "According to Osland, the board would meet")
    assert p._restructure("He said the works would start soon.", random.Random(0)).startswith("According to him,")
    assert p._restructure('"We will build it," Osland said.', rng) == '"We will build it," said Osland.'
    assert p._restructure("When the vote ended, the crews cheered loudly.", rng) == (
        "The crews cheered loudly when the vote ended.")
    assert p._restructure("It isn't ready.", rng) == "It is not ready."
    assert p._drop_adverbs("The board quickly approved the plan.") == "The board approved the plan."
    assert p._drop_adverbs("The early plan was only a draft.") == "The early plan was only a draft."
    syn = p.synonym("approved")
    assert syn and syn != "approved" and re.fullmatch(r"[a-z]+ed", syn)
    assert p.synonym("said") is None and p.synonym("three") is None


def test_site_names_are_deterministic():
    assert T.site_name(1) == T.site_name(1)
    assert len({T.site_name(i) for i in range(20)}) > 5
