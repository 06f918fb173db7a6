"""Tests for the MyThes reader and the synonym spinner.

Tests marked with the ``debian`` fixture use the installed ``mythes-en-us``
file; their expected words were read from that file (e.g. its entry for "in"
starts with "(adj)|successful (similar term)"). The others use a tiny
thesaurus written to a temporary directory.
"""

import re

import pytest

from sitrep.synth.spinner import spin
from sitrep.synth.thesaurus import DEFAULT_PATH, Thesaurus, ThesaurusMissing

TINY = """UTF-8
big|2
(adj)|large (similar term)|huge|small (antonym)|large (similar term)
(adj)|important (generic term)|big
cat|1
(noun)|true cat|house cat|feline mammal (generic term)
go|1
(verb)|travel|move (generic term)
in|1
(adj)|successful (similar term)
new york|1
(noun)|New York City|Greater New York|city (generic term)
"""


def write_thesaurus(tmp_path, text=TINY):
    """Write a .dat and a matching .idx (word|byte offset), as MyThes expects."""
    data = text.encode("utf-8")
    entries, pos = [], 0
    for line in data.split(b"\n"):
        if re.match(rb"^[^(].*\|\d+$", line):
            entries.append((line.rsplit(b"|", 1)[0].decode(), pos))
        pos += len(line) + 1
    dat = tmp_path / "th_test.dat"
    dat.write_bytes(data)
    idx = "UTF-8\n%d\n" % len(entries) + "".join(f"{w}|{o}\n" for w, o in entries)
    (tmp_path / "th_test.idx").write_text(idx, encoding="utf-8")
    return Thesaurus.load(dat)


@pytest.fixture
def tiny(tmp_path):
    return write_thesaurus(tmp_path)


@pytest.fixture(scope="session")
def debian():
    if not DEFAULT_PATH.is_file():
        pytest.skip("mythes-en-us not installed")
    return Thesaurus.load()


# -- thesaurus -----------------------------------------------------------------

def test_missing_file_names_the_package(tmp_path):
    with pytest.raises(ThesaurusMissing, match="apt-get install mythes-en-us"):
        Thesaurus.load(tmp_path / "nope.dat")


def test_senses_strip_annotations_and_drop_antonyms(tiny):
    assert tiny.senses("big") == [
        ("adj", ["large", "huge", "large"]),
        ("adj", ["important", "big"]),
    ]
    assert "small" not in tiny.synonyms("big")


def test_synonyms_flattened_deduplicated_without_headword(tiny):
    assert tiny.synonyms("big") == ["large", "huge", "important"]
    assert tiny.synonyms("BIG") == tiny.synonyms("big")
    assert tiny.synonyms("unknown") == [] and tiny.senses("unknown") == []


def test_multiword_headwords_and_synonyms(tiny):
    assert "new york" in tiny
    assert tiny.synonyms("New York") == ["New York City", "Greater New York", "city"]
    assert tiny.synonyms("cat") == ["true cat", "house cat", "feline mammal"]


def test_reverse_index(tiny):
    assert tiny.reverse("successful") == {"in"}
    assert tiny.reverse("Large") == {"big"}
    assert tiny.reverse("small") == set()  # only listed as an antonym
    assert tiny.reverse("Feline Mammal") == {"cat"}


def test_debian_entries(debian):
    assert debian.synonyms("in")[0] == "successful"
    assert debian.synonyms("summit")[0] == "acme"
    # leader's entry lists "follower (antonym)": excluded
    assert "follower" not in debian.synonyms("leader")
    assert all("(" not in s for _pos, syns in debian.senses("summit") for s in syns)
    assert "summit meeting" in debian.synonyms("summit")
    assert "He" not in debian.synonyms("he")
    assert "summit" in debian.reverse("acme")
    assert "in" in debian.reverse("successful")


# -- spinner -------------------------------------------------------------------

TEXT = (
    "In Anchorage, the summit lasted about three hours. He said the leader was pleased, "
    "or so aides claimed, as Putin's team left the meeting.\n\n"
    "Trump flew home. Reporters waited; nobody asked a question (none was allowed).\n"
    "Later, Trump and Putin spoke of a new round in Moscow, and Zelensky was told about it."
)


def check_mapping(original, result):
    """Substitutions map spans exactly, and text outside them is unchanged."""
    rebuilt, last, spun_last = [], 0, 0
    for s in result.substitutions:
        assert original[s.start:s.end] == s.original
        assert result.text[s.spun_start:s.spun_end] == s.replacement
        # The stretch between substitutions is identical in both texts.
        assert original[last:s.start] == result.text[spun_last:s.spun_start]
        rebuilt += [original[last:s.start], s.original]
        last, spun_last = s.end, s.spun_end
    assert original[last:] == result.text[spun_last:]
    assert "".join(rebuilt) + original[last:] == original


def test_famous_tortured_substitutions(debian):
    r = spin(TEXT, rate=1.0, seed=0, thesaurus=debian)
    got = {(s.original, s.replacement) for s in r.substitutions}
    for pair in [("In", "Successful"), ("summit", "acme"), ("about", "astir"),
                 ("He", "Helium"), ("leader", "person"), ("or", "oregon"),
                 ("as", "arsenic"), ("meeting", "gathering"), ("in", "successful")]:
        assert pair in got
    assert r.text.startswith("Successful Anchorage, the acme")


def test_deterministic_per_seed(debian):
    a = spin(TEXT * 3, rate=0.3, seed=7, thesaurus=debian)
    b = spin(TEXT * 3, rate=0.3, seed=7, thesaurus=debian)
    c = spin(TEXT * 3, rate=0.3, seed=8, thesaurus=debian)
    assert a == b
    assert a.text != c.text


def test_substitutions_map_exactly(debian):
    for seed in range(5):
        for rate in (0.1, 0.5, 1.0):
            check_mapping(TEXT, spin(TEXT, rate=rate, seed=seed, thesaurus=debian))


def test_rate_honoured(debian):
    text = TEXT * 10
    for rate in (0.0, 0.3, 0.6):
        r = spin(text, rate=rate, seed=1, thesaurus=debian)
        assert len(r.substitutions) == round(rate * r.eligible)
    words = re.findall(r"[A-Za-z]+", text)
    r = spin(text, rate=0.3, seed=1, thesaurus=debian)
    assert 0.15 < len(r.substitutions) / len(words) < 0.3
    assert spin(text, rate=0.0, seed=1, thesaurus=debian).text == text


def test_punctuation_and_whitespace_kept(debian):
    r = spin(TEXT, rate=1.0, seed=3, thesaurus=debian)
    # Remove every word: what is left (spacing, punctuation) must be identical.
    def skeleton(t):
        return re.sub(r"[^\W_]+(?:[-'’][^\W_]+)*", "", t)
    assert skeleton(r.text) == skeleton(TEXT)
    assert r.text.count("\n") == TEXT.count("\n")


def test_proper_nouns_and_compound_tokens_kept(debian):
    r = spin(TEXT, rate=1.0, seed=0, thesaurus=debian)
    replaced = {s.original for s in r.substitutions}
    # Mid-sentence names are skipped; "Trump" opens a sentence once but also
    # appears mid-sentence, so it is known to be a name.
    assert not replaced & {"Anchorage", "Putin", "Trump", "Moscow", "Zelensky"}
    for name in ("Anchorage", "Putin's", "Trump", "Moscow", "Zelensky"):
        assert r.text.count(name) == TEXT.count(name)
    assert "Putin's" in r.text


def test_capitalisation_pattern(tiny):
    r = spin("Big cats go in. A big deal, in fact: Big.", rate=1.0, seed=0, thesaurus=tiny)
    assert r.text == "Large cats travel successful. A large deal, successful fact: Large."


def test_capitalised_synonym_lowercased_mid_sentence(tmp_path):
    th = write_thesaurus(tmp_path, "UTF-8\nor|1\n(noun)|Oregon|Beaver State|OR\n")
    assert spin("this or that", 1.0, 0, thesaurus=th).text == "this oregon that"
    assert spin("Or not.", 1.0, 0, thesaurus=th).text == "Oregon not."


def test_alt_rate_picks_other_listed_synonyms(tiny):
    text = " ".join(["big"] * 200)
    r = spin(text, rate=1.0, seed=4, thesaurus=tiny, alt_rate=1.0)
    assert {s.replacement for s in r.substitutions} <= {"huge", "important"}
    r = spin(text, rate=1.0, seed=4, thesaurus=tiny, alt_rate=0.1)
    share = sum(s.replacement != "large" for s in r.substitutions) / 200
    assert 0.02 < share < 0.25


def test_multiword_synonyms_skipped(tiny):
    # "cat" has only multiword synonyms: not eligible.
    r = spin("the cat sat", rate=1.0, seed=0, thesaurus=tiny)
    assert r.text == "the cat sat" and r.eligible == 0


def test_bad_rate():
    with pytest.raises(ValueError):
        spin("x", rate=1.5, seed=0, thesaurus=object())
