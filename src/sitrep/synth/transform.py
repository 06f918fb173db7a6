"""Copy transformers: the ways copiers turn one article into another, for tests and benchmarks.

Each transformer takes a text and a seed and returns a new text, deterministic
for the pair (and, where a thesaurus is used, the thesaurus file):

``verbatim``     the text unchanged (a straight reprint);
``trimmed``      paragraphs (or sentences, for texts of few paragraphs) dropped
                 from the end and the middle, never the first: what a copy desk
                 does to fit space;
``wrapped``      the text inside site chrome lines before and after
                 (breadcrumbs, share rows, promos, footers), optionally with a
                 credit line: a scraper republishing the article on its site;
``spun``         :func:`sitrep.synth.spinner.spin`: thesaurus substitutions;
``shuffled``     paragraphs after the first reordered, and sentences within
                 paragraphs;
``paraphrased``  a rule-based rewrite aiming at low word overlap with the same
                 meaning: contractions expanded, attributions inverted ("X
                 said" ↔ "said X", "X said that ..." → "According to X, ..."),
                 leading subordinate clauses moved to the end, "-ly" adverbs
                 dropped, content words replaced by their most frequent
                 WordNet synset co-member (MyThes data; frequencies from
                 wordfreq, Speer 2022), short sentences merged and long ones
                 split, and neighbouring sentences swapped.

Quotations are kept word for word, as rewriters keep them.  The rewriting rules imitate what human and machine rewriters are reported to
do (Barrón-Cedeño et al. 2013, "Plagiarism meets paraphrasing: insights for
the next generation in automatic plagiarism detection", Computational
Linguistics 39(4)): lexical substitution, syntactic reordering, addition and
deletion, sentence merging and splitting.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from wordfreq import zipf_frequency

from sitrep.synth.spinner import spin
from sitrep.synth.thesaurus import Thesaurus, default_thesaurus

# -- text units ---------------------------------------------------------------------


def _paragraphs(text: str) -> tuple[list[str], str]:
    """Non-empty lines, and the separator to join them back ("\\n\\n" or "\\n")."""
    sep = "\n\n" if "\n\n" in text.strip() else "\n"
    return [p.strip() for p in text.split("\n") if p.strip()], sep


def _blocks(text: str) -> list[tuple[str, str]]:
    """(line, the whitespace after it) for every non-empty line: the text's own layout."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"([^\n]*\S[^\n]*)(\s*)", text)]


def _sentences(paragraph: str) -> list[str]:
    from sitrep.provenance.align import sentences

    return [paragraph[s:e] for s, e in sentences(paragraph)]


# -- verbatim, trimmed, shuffled ---------------------------------------------------------


def verbatim(text: str, seed: int = 0) -> str:
    """A straight reprint."""
    return text


def trimmed(text: str, seed: int = 0, share: float = 0.35) -> str:
    """Drop about ``share`` of the units (paragraphs, or sentences when fewer than 5 paragraphs).

    At least one unit goes from the end; the rest from the middle.  The lead
    stays (the units up to the first of 20 words or more: a title line and the
    first paragraph), and the kept lines keep their layout.
    """
    rng = random.Random(seed)
    blocks = _blocks(text)
    if len(blocks) >= 5:
        units = [line for line, _ in blocks]
    else:
        units = [s for line, _ in blocks for s in _sentences(line)]
    n = len(units)
    # Keep everything up to the first real paragraph: a title line and the lead (with its dateline).
    keep = next((i for i, u in enumerate(units) if len(u.split()) >= 20), 0) + 1
    drop_n = min(max(1, round(share * n)), n - keep) if n > 2 else 0
    end_n = max(1, drop_n // 2) if drop_n else 0
    drop = set(range(n - end_n, n))
    middle = list(range(keep, n - end_n))
    rng.shuffle(middle)
    drop.update(middle[: drop_n - end_n])
    if len(blocks) >= 5:
        kept = [blocks[i] for i in range(n) if i not in drop]
        return "".join(line + sep for line, sep in kept[:-1]) + kept[-1][0] + "\n" if kept else ""
    out, k = [], 0
    for line, sep in blocks:
        sents = _sentences(line)
        kept_s = [x for j, x in enumerate(sents) if k + j not in drop]
        k += len(sents)
        if kept_s:
            out.append(" ".join(kept_s) + sep)
    return "".join(out)


def shuffled(text: str, seed: int = 0) -> str:
    """Reorder paragraphs after the first, and the sentences inside each paragraph; the layout stays."""
    rng = random.Random(seed)
    blocks = _blocks(text)
    lines = [line for line, _ in blocks]
    head, rest = lines[:1], lines[1:]
    rng.shuffle(rest)
    out = list(head)
    for p in rest:
        sents = _sentences(p)
        rng.shuffle(sents)
        out.append(" ".join(sents))
    return "".join(line + sep for line, (_, sep) in zip(out, blocks))


# -- wrapped ----------------------------------------------------------------------------

_SITE_A = ["Maple", "Harbor", "Granite", "Prairie", "Summit", "Riverbend", "Lakeside", "Cedar", "Copper", "Bluff"]
_SITE_B = ["Gazette", "Dispatch", "Ledger", "Courier", "Chronicle", "Herald", "Observer", "Review", "Post", "Record"]
_SECTIONS = ["Politics", "Nation", "Elections", "World", "Opinion", "Washington", "Campaign 2016", "News"]
_HEAD = [
    "Skip to main content",
    "Menu",
    "Search",
    "Subscribe",
    "Sign in",
    "Home › {sec} › {sec2}",
    "{sec} | {sec2} | Local | Sports | Opinion",
    "Share on Facebook   Share on Twitter   Email",
    "{n} min read",
    "Advertisement",
    "Updated {h} hours ago",
    "Listen to this article",
]
_TAIL = [
    "Advertisement",
    "Related stories",
    "More from {sec}",
    "Sign up for The {site} morning newsletter",
    "© 2016 The {site}. All rights reserved.",
    "Privacy Policy | Terms of Use | Contact Us",
    "Comments ({n})",
    "Follow us on Facebook and Twitter",
    "Tags: {sec}, {sec2}, campaign",
    "Share this story",
    "Report a typo",
    "Back to top",
]


def site_name(seed: int) -> str:
    rng = random.Random(seed)
    return f"{rng.choice(_SITE_A)} {rng.choice(_SITE_B)}"


def wrapped(text: str, seed: int = 0, credit: str | None = None) -> str:
    """The text between site chrome lines; ``credit`` adds "This article originally appeared in <credit>."."""
    rng = random.Random(seed)
    site = site_name(seed)

    def fill(line: str) -> str:
        sec, sec2 = rng.sample(_SECTIONS, 2)
        return line.format(sec=sec, sec2=sec2, site=site, n=rng.randint(2, 60), h=rng.randint(1, 11))

    head = [f"The {site}"] + [fill(x) for x in rng.sample(_HEAD, rng.randint(3, 6))]
    tail = [fill(x) for x in rng.sample(_TAIL, rng.randint(3, 6))]
    body = text.strip()
    if credit:
        body += f"\n\nThis article originally appeared in {credit}."
    return "\n".join(head) + "\n\n" + body + "\n\n" + "\n".join(tail) + "\n"


# -- spun ---------------------------------------------------------------------------------


def spun(text: str, seed: int = 0, rate: float = 0.3, thesaurus: Thesaurus | None = None) -> str:
    """The text through the project's synonym spinner."""
    return spin(text, rate=rate, seed=seed, thesaurus=thesaurus).text


# -- paraphrased --------------------------------------------------------------------------

_FUNCTION = frozenset(
    """a about above across after against ago ahead all almost along already also although always am
    among an and another any anyone anything are around as at away back be because been before behind
    being below beside besides between both but by can cannot could despite did do does doing done down
    during each either else even ever every few for from further had has have having he her here hers
    herself him himself his how however i if in inside instead into is it its itself just least less
    like many may me might more most much must my near neither never no nor not now of off on once one
    only onto or other others our ours out over own per rather same she should since so some such than
    that the their theirs them themselves then there these they this those though through throughout
    till to too toward towards under unless until up upon us very via was we were what whatever when
    where whether which while who whom whose why will with within without would yet you your
    said says say saying told tell tells asked added according mr mrs ms dr""".split()
    # Irregular verb forms the thesaurus would read as other words ("spoke" → "radius").
    + """spoke took made came went saw gave got left held led met ran won lost rose fell found brought
    thought felt kept sent set put read began drew shook rode flew wrote chose knew grew stood sat paid
    sold bought built meant heard hit cut let beat broke spent struck taught caught fought sought""".split()
    # Numbers keep their digits' meaning only as themselves ("three" → "iii").
    + """two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
    hundreds thousand thousands million millions billion billions dozen dozens first second third""".split()
)
_CONTRACTIONS = [
    (r"\b([Ww])on't\b", r"\1ill not"), (r"\b([Cc])an't\b", r"\1annot"), (r"n't\b", " not"),
    (r"\b([Ii])t's\b", r"\1t is"), (r"\b([Tt])hat's\b", r"\1hat is"), (r"'re\b", " are"),
    (r"'ve\b", " have"), (r"'ll\b", " will"), (r"\bI'm\b", "I am"),
]
# Phrase-level rewordings a rewriter reaches for (whole words, lower case; the
# first letter's case is kept).
_PHRASES = [
    ("in order to", "to"), ("a number of", "several"), ("as well as", "along with"),
    ("more than", "over"), ("less than", "under"), ("at least", "no fewer than"),
    ("in addition", "besides"), ("for example", "for instance"), ("because of", "due to"),
    ("is expected to", "will likely"), ("are expected to", "will likely"),
    ("told reporters", "told the press"), ("said in a statement", "stated"),
    ("in a statement", "in remarks released"), ("at the time", "back then"),
    ("on the other hand", "conversely"), ("so far", "to date"), ("right now", "at the moment"),
    ("however", "still"), ("although", "even though"), ("after", "following"),
    ("before", "ahead of"), ("during", "throughout"), ("among", "amid"), ("said", "stated"),
    ("says", "states"), ("announced", "revealed"), ("wants", "hopes"), ("called", "labeled"),
    ("big", "large"), ("help", "assist"), ("show", "reveal"), ("shows", "reveals"),
    ("began", "started"), ("begin", "start"), ("percent", "per cent"), ("people", "individuals"),
]
_PHRASE_RX = [(re.compile(rf"\b{re.escape(a)}\b", re.IGNORECASE), b) for a, b in _PHRASES]
_OPENERS = ["Notably, ", "Meanwhile, ", "In fact, ", "Reportedly, ", "At the same time, "]
_TAIL_CLAUSE = re.compile(
    r"^(?P<main>[^,;“”\"]{12,}?),?\s+(?P<conj>because|while|although|after|before|when|since)\s+(?P<sub>[^,;“”\"]{8,120})(?P<end>[.!?])$"
)
# A closing time or place phrase that can open the sentence instead.
_TRAILING_PHRASE = re.compile(
    r"^(?P<main>[^“”\"]{15,}?)\s+(?P<phrase>(?:on|in|at|during|last|this|earlier|later)\s+(?:[A-Z][a-z]+|the\s+\w+|\w+)(?:\s+(?:[A-Z][a-z]+|\d+))?)(?P<end>[.!?])$"
)
# An appositive or non-restrictive clause between commas: ", who ... ," / ", a former ... ,"
_APPOSITIVE = re.compile(r",\s+(?:who|which|a|an|the|whose|now)\s+[^,“”\"]{5,70}(?=,)")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms)\.\s+(?=[A-Z])")
_LEAD_CLAUSE = re.compile(
    r"^(?P<conj>After|When|While|Although|Though|Because|Since|Before|If|Once|As)\s+(?P<sub>[^,;“”\"]{8,120}),\s+(?P<main>[^;“”\"]{12,}?)(?P<end>[.!?])$"
)
_SAID_THAT = re.compile(
    r"^(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+(?:said|says|told reporters)\s+(?:that\s+)?(?P<clause>[a-z][^“”\"]{15,})(?P<end>[.!?])$"
)
_QUOTE_NAME_SAID = re.compile(r"^(?P<quote>[“\"][^”\"]+[,!?][”\"])\s+(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+said(?P<rest>[ ,.].*)$")
_QUOTE_SAID_NAME = re.compile(r"^(?P<quote>[“\"][^”\"]+[,!?][”\"])\s+said\s+(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})(?P<rest>[ ,.].*)$")
_WORD = re.compile(r"[A-Za-z]+")
_OBJECT = {"He": "him", "She": "her", "They": "them", "We": "us", "I": "me"}
_ADVERB_KEEP = frozenset("only early family daily weekly monthly likely july italy reply supply apply ally rally".split())
_ANNOTATED = re.compile(r"\((generic term|similar term|related term|antonym)\)\s*$")


class Paraphraser:
    """Rule-based paraphrasing; see the module docstring.  ``synonym_rate``: share of content words replaced."""

    def __init__(self, thesaurus: Thesaurus | None = None, synonym_rate: float = 1.0):
        self.th = thesaurus if thesaurus is not None else default_thesaurus()
        self.synonym_rate = synonym_rate
        self._syn_cache: dict[str, str | None] = {}

    # -- word level --

    def _members(self, lemma: str) -> list[tuple[str, list[str]]]:
        """(pos, synset members) per sense: MyThes terms without a relation label."""
        key = lemma if lemma in self.th else None
        if key is None:
            return []
        raw = self._raw_entry(key)
        out = []
        for line in raw:
            label, *terms = line.split("|")
            members = [t.strip() for t in terms if t.strip() and not _ANNOTATED.search(t)]
            similar = [_ANNOTATED.sub("", t).strip() for t in terms if "(similar term)" in t]
            out.append((label.strip("()"), members + similar))
        return out

    def _raw_entry(self, word: str) -> list[str]:
        # The thesaurus strips relation labels, which tell synset members from
        # hypernyms ("people" → "group (generic term)"); read the raw sense lines.
        dat, offset = self.th._dat, self.th._index[word.lower() if word.lower() in self.th._index else word]
        end = dat.index(b"\n", offset)
        n = int(dat[offset:end].decode(self.th.encoding).rpartition("|")[2])
        lines = []
        pos = end + 1
        for _ in range(n):
            nxt = dat.find(b"\n", pos)
            nxt = len(dat) if nxt < 0 else nxt
            lines.append(dat[pos:nxt].decode(self.th.encoding))
            pos = nxt + 1
        return lines

    def synonym(self, word: str) -> str | None:
        """A natural single-word synonym of lower-case ``word`` (with simple inflection), or None."""
        if word in self._syn_cache:
            return self._syn_cache[word]
        if word in _FUNCTION:
            return None
        out = None
        base = zipf_frequency(word, "en")
        for lemma, suffix in _lemmas(word):
            if lemma not in self.th:
                continue
            cands = []
            senses = self._members(lemma)
            # The commonest sense's part of speech only (WordNet lists senses by
            # frequency): "spring" the season, not "fountain".
            same_pos = [(pos, m) for pos, m in senses[:3] if pos == senses[0][0]][:2]
            for pos, members in same_pos:
                if suffix and pos not in ("noun", "verb"):
                    continue
                for m in members:
                    if _WORD.fullmatch(m) and m.lower() != lemma and m.islower():
                        cands.append(m)
            # Natural choices only: a synonym about as common as the word or more, whose
            # inflected form is a real word.
            forms = [_inflect(c, suffix) for c in dict.fromkeys(cands) if c not in _FUNCTION]
            scored = [(zipf_frequency(f, "en"), f) for f in forms]
            scored = [x for x in scored if x[0] >= max(3.0, base - 1.5)]
            if scored:
                out = max(scored)[1]
            break  # the first lemma the thesaurus knows decides
        self._syn_cache[word] = out
        return out

    def _outside_quotes(self, sentence: str, fn) -> str:
        # Rewriters keep quotations word for word: change only the narration.
        parts = re.split(r"(“[^”]*”|\"[^\"]*\")", sentence)
        return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))

    def _replace_words(self, sentence: str, rng: random.Random) -> str:
        def sub(m: re.Match) -> str:
            w = m.group(0)
            if not w.islower() or len(w) < 4 or w in _FUNCTION or zipf_frequency(w, "en") >= 6.3:
                return w
            if rng.random() >= self.synonym_rate:
                return w
            return self.synonym(w) or w

        return self._outside_quotes(sentence, lambda part: re.sub(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])", sub, part))

    def _drop_adverbs(self, sentence: str) -> str:
        def adverb(w: str) -> bool:
            lw = w.lower()
            if not lw.endswith("ly") or lw in _ADVERB_KEEP or not w.islower():
                return False
            senses = self.th.senses(lw)
            return bool(senses) and senses[0][0] == "adv"

        out = re.sub(r",?\s*\b([a-z]+ly)\b,?", lambda m: m.group(0) if not adverb(m.group(1)) else "", sentence)
        lead = sentence[: len(sentence) - len(sentence.lstrip())]
        trail = sentence[len(sentence.rstrip()):]
        out = lead + re.sub(r"\s{2,}", " ", out).strip() + trail
        return out if len(out.split()) >= 4 else sentence

    # -- sentence level --

    def _restructure(self, s: str, rng: random.Random) -> str:
        for pattern, replacement in _CONTRACTIONS:
            s = re.sub(pattern, replacement, s)
        if m := _QUOTE_NAME_SAID.match(s):
            return f"{m['quote']} said {m['who']}{m['rest']}"
        if m := _QUOTE_SAID_NAME.match(s):
            return f"{m['quote']} {m['who']} said{m['rest']}"
        if (m := _SAID_THAT.match(s)) and m["who"] not in ("It", "This", "That", "There"):
            who = _OBJECT.get(m["who"], m["who"])
            return f"According to {who}, {m['clause']}{m['end']}"
        if m := _LEAD_CLAUSE.match(s):
            main = m["main"]
            return f"{main[0].upper()}{main[1:]} {m['conj'].lower()} {m['sub']}{m['end']}"
        if (m := _TRAILING_PHRASE.match(s)) and rng.random() < 0.7 and "," not in m["phrase"]:
            return f"{m['phrase'][0].upper()}{m['phrase'][1:]}, {self._lower_first(m['main'])}{m['end']}"
        if (m := _TAIL_CLAUSE.match(s)) and rng.random() < 0.7:
            return f"{m['conj'].capitalize()} {m['sub']}, {self._lower_first(m['main'])}{m['end']}"
        return s

    def _reword(self, s: str, rng: random.Random) -> str:
        s = _HONORIFIC.sub("", s)
        for rx, repl in _PHRASE_RX:
            if rng.random() < 0.85:
                s = self._outside_quotes(s, lambda part: rx.sub(
                    lambda m: repl[0].upper() + repl[1:] if m.group(0)[0].isupper() else repl, part))
        if rng.random() < 0.5:
            s = _APPOSITIVE.sub("", s, count=1)
        if (rng.random() < 0.3 and not s.startswith(("“", '"', "According")) and len(s.split()) > 6
                and not any(s.startswith(o) for o in _OPENERS)):
            s = rng.choice(_OPENERS) + self._lower_first(s)
        return s

    def _lower_first(self, s: str) -> str:
        """``s`` with its first word in lower case, unless that word is a name or an acronym."""
        first = re.match(r"[A-Za-z]*", s).group(0)
        common = first.lower() in _FUNCTION or first.lower() in self.th
        return s[0].lower() + s[1:] if first and common and not first.isupper() else s

    def _merge_split(self, sents: list[str], rng: random.Random) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(sents):
            s = sents[i]
            if "; " in s and rng.random() < 0.7:
                a, b = s.split("; ", 1)
                out.extend([a.rstrip() + ".", b[:1].upper() + b[1:]])
            elif ", but " in s and len(s.split()) > 18 and rng.random() < 0.7:
                a, b = s.split(", but ", 1)
                out.extend([a + ".", "But " + b])
            elif (i + 1 < len(sents) and len(s.split()) < 14 and len(sents[i + 1].split()) < 14
                  and s.endswith(".") and not s.endswith(("”", '"')) and rng.random() < 0.6):
                nxt = sents[i + 1]
                out.append(s[:-1] + ", and " + self._lower_first(nxt))
                i += 1
            else:
                out.append(s)
            i += 1
        return out

    def paraphrase(self, text: str, seed: int = 0) -> str:
        rng = random.Random(seed)
        paras, sep = _paragraphs(text)
        out = []
        for p in paras:
            sents = [self._restructure(s, rng) for s in _sentences(p)]
            sents = [self._outside_quotes(s, self._drop_adverbs) for s in sents]
            sents = [self._replace_words(s, rng) for s in sents]
            sents = [self._reword(s, rng) for s in sents]
            sents = self._merge_split(sents, rng)
            for k in range(len(sents) - 1):
                if rng.random() < 0.3:
                    sents[k], sents[k + 1] = sents[k + 1], sents[k]
            out.append(" ".join(sents))
        return sep.join(out)


def _lemmas(word: str) -> list[tuple[str, str]]:
    """(lemma, suffix) guesses: the word itself, then regular plural / past / -ing forms."""
    out = [(word, "")]
    if word.endswith("ies") and len(word) > 4:
        out.append((word[:-3] + "y", "s"))
    elif word.endswith("es") and len(word) > 4:
        out.append((word[:-2], "s"))
        out.append((word[:-1], "s"))
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append((word[:-1], "s"))
    if word.endswith("ed") and len(word) > 4:
        out.append((word[:-1], "ed"))  # "hoped" → "hope" before "hop"
        out.append((word[:-2], "ed"))
    if word.endswith("ing") and len(word) > 5:
        out.append((word[:-3] + "e", "ing"))
        out.append((word[:-3], "ing"))
    return out


def _inflect(word: str, suffix: str) -> str:
    if not suffix:
        return word
    if suffix == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        if word.endswith("y") and word[-2:-1] not in "aeiou":
            return word[:-1] + "ies"
        return word + "s"
    if suffix == "ed":
        if word.endswith("e"):
            return word + "d"
        if word.endswith("y") and word[-2:-1] not in "aeiou":
            return word[:-1] + "ied"
        return word + "ed"
    if suffix == "ing":
        return (word[:-1] if word.endswith("e") and not word.endswith("ee") else word) + "ing"
    return word


_paraphraser: Paraphraser | None = None


def paraphrased(text: str, seed: int = 0) -> str:
    """A rule-based rewrite of ``text`` (see :class:`Paraphraser`)."""
    global _paraphraser
    if _paraphraser is None:
        _paraphraser = Paraphraser()
    return _paraphraser.paraphrase(text, seed)


TRANSFORMERS: dict[str, Callable[..., str]] = {
    "verbatim": verbatim,
    "trimmed": trimmed,
    "wrapped": wrapped,
    "spun": spun,
    "shuffled": shuffled,
    "paraphrased": paraphrased,
}
