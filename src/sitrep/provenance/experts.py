"""Quoted experts and institutes, and in how many independent sources each appears.

Content farms lend a rewrite authority by quoting an "expert" who exists
nowhere else: a person with a generic title ("a geopolitical analyst") at an
institute whose name is made only of generic words ("Institute for Strategic
Studies").  Two products serve the check:

* per document, :func:`expert_mentions` finds people introduced with a role
  and usually an affiliation, by the appositive patterns news style uses
  ("Dr. X Y, a <role> at the <Org>", "<Name>, <role> at <Org>, said",
  "according to <Name>, <role>", "<role> <Name>") and organisations cited as
  a body ("<Org> analysts point out"); and :func:`name_keys` reduces a text to
  the set of its capitalised name sequences, a compact product;
* over the corpus, :func:`expert_counts` counts in how many origin groups (or
  documents, when groups are not yet known) each name key occurs.

Being quoted in one article only is the norm in real news, so this module
only measures; ``sitrep.provenance.quality`` weighs a single-source expert as
weak evidence unless the role or institute is generic too, or the quote sits
in a template section.  The generic-name test is in the spirit of
fact-checkers' advice to check that a quoted source and their institution
exist (Verification Handbook, European Journalism Centre, 2014): a name made
only of generic words ("Global Diplomacy Futures Institute") points at no
particular body that a reader could look up.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

UNITS = "#units"  # key of expert_counts() holding how many groups/documents were counted

_UP = "A-ZÀ-ÖØ-Þ"
_TOKEN = rf"[{_UP}][\w'’\-]*"
_INITIAL = rf"[{_UP}]\."
_TITLE = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Gen|Col|Amb|Sen|Rep)\.?"
_NAME = rf"(?:{_TITLE}\s+)?{_TOKEN}(?:\s+(?:{_INITIAL}|{_TOKEN})){{1,3}}"
_CONNECT = r"(?:of|for|on|and|&|the|in|de|du|la|van|von|der)"
_ORG = rf"{_TOKEN}(?:\s+(?:{_CONNECT}\s+)*{_TOKEN})*"
_ROLE_NOUN = (r"analyst|expert|professor|fellow|director|researcher|strategist|specialist|scientist"
              r"|economist|scholar|lecturer|head|chief|president|founder|co-founder|chairman|chairwoman"
              r"|chair|executive|officer|adviser|advisor|consultant|commentator|spokesman|spokeswoman"
              r"|spokesperson|official|historian|editor|correspondent|pollster|strategist|observer"
              r"|futurist|lawyer|attorney|partner|member|associate|dean|manager|coordinator|diplomat"
              r"|ambassador|envoy|colonel|general|admiral|minister|secretary|senator|governor|mayor"
              r"|lawmaker|legislator|representative|negotiator|planner|investor|author|journalist")
_SAY = (r"said|says|notes|noted|explains|explained|told|tells|warned|warns|argues|argued|added"
        r"|adds|wrote|writes|observed|observes|points out|pointed out|believes|cautioned|cautions")

# "<Name>, <description>" where the description ends at the clause's end.
_APPOSITIVE = re.compile(
    # the lookahead lets the scan skip, cheaply, positions where neither a name nor a verb starts
    rf"(?=\b[{_UP}]|\b(?:{_SAY})\b)(?P<say>\b(?:{_SAY})\s+)?(?P<name>{_NAME}),\s+"
    rf"(?P<descr>(?:an?\s+|the\s+|who\s+)?(?:[^,.;:!?“”\"()\n]|(?<=\b[A-Z])\.){{3,140}}?)"
    rf"(?:(?P<saytail>,\s+(?:{_SAY})\b)|[,;:!?“”\"()\n]|(?<!\b[A-Z])\.|$)")
_AFFILIATION = re.compile(
    rf"\b(?:at|with|of|for|from|directs|leads|heads|runs|founded)\s+(?:the\s+)?(?P<org>{_ORG})")
_ROLE_WORD = re.compile(rf"\b(?:{_ROLE_NOUN})s?\b|\bwho\s+(?:\w+\s+){{0,2}}(?:studies|teaches|researches"
                        rf"|directs|leads|heads|runs|advises|works|worked|founded|covers|writes)\b", re.I)
_PREMODIFIED = re.compile(
    rf"\b(?P<role>(?:[a-z][\w\-]*\s+){{0,3}}(?:analyst|expert|strategist|professor|economist|historian"
    rf"|scholar|researcher|pollster|commentator))\s+(?P<name>{_NAME})")
# "<Org> analysts point out": found from the verb back, so a long capitalised run costs linear time.
_LEAD = re.compile(rf"(?:(?:{_SAY}|according|to|by|and|the|a|an|said|says)\s+)*")  # words before a role
_BODY = re.compile(
    rf"\s+(?:analysts|experts|researchers|scholars|economists)\s+(?:{_SAY}|point out|say|warn|note)\b")
_BODY_ORG = re.compile(rf"(?<![\w'’\-])(?P<org>{_ORG})$")
BODY_LOOKBACK = 120  # characters: longer organisation names are not cited this way

_ORG_WORD = re.compile(r"\b(?:Institute|Institution|Center|Centre|University|College|School|Foundation"
                       r"|Forum|Council|Lab|Laboratory|Group|Society|Association|Academy|Endowment|Trust"
                       r"|Fund|Initiative|Project|Program|Programme|Network|Alliance|Committee|Agency"
                       r"|Commission|Office|Bureau|Corporation|Company|Partners|Consulting|Research)\b")

# Words that say what kind of body or job something is, but not which one.
_GENERIC_ORG_WORDS = frozenset("""
institute institution center centre foundation council forum lab laboratory group society association
academy network initiative studies study strategic strategy strategies global international policy
policies research diplomacy diplomatic futures future security affairs advanced geopolitical geopolitics
economic economics analysis analytics world peace foreign relations national public democracy innovation
development governance leadership insight insights intelligence trends think tank conflict defense
defence transatlantic progress prosperity stability cooperation dialogue solutions consulting advisory
partners risk risks emerging modern applied contemporary new
coastal climate energy environment environmental technology technologies tech digital cyber health
financial finance market markets trade ocean oceans maritime urban rural resilience sustainability
sustainable water food agriculture migration human rights justice law legal media communication
communications science sciences social education labor labour crisis crises resource resources
""".split())
_VAGUE_ROLES = frozenset("analyst expert strategist specialist commentator observer consultant futurist"
                         .split())
_PLACING = frozenset("at of for with based who in from and".split())
_STOP_NAME = frozenset("""house senate congress party department ministry kremlin pentagon street
avenue base airport times post news county state city university institute
the a an this that these those but and or if when while as in on at for of by
with from to after before during since until monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december""".split())


@dataclass(frozen=True)
class ExpertMention:
    """A person (or body) cited with a role or affiliation, and where."""

    name: str  # "" for a body cited as a whole ("<Org> analysts say")
    role: str
    affiliation: str
    start: int
    end: int

    @property
    def name_key(self) -> str:
        return key(self.name)

    @property
    def affiliation_key(self) -> str:
        return key(self.affiliation)

    @property
    def generic_role(self) -> bool:
        return is_generic_role(self.role)

    @property
    def generic_affiliation(self) -> bool:
        return is_generic_org(self.affiliation)


@lru_cache(maxsize=1 << 16)  # name sequences recur across a corpus; the normalisation is the cost
def key(name: str) -> str:
    """Normalised form used for counting: no accents, titles, articles or punctuation."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    folded = re.sub(r"^(?:the|dr|prof|professor|mr|mrs|ms|gen|col|amb|sen|rep)\s+", "", folded)
    return folded


def is_generic_org(name: str) -> bool:
    """True when every word of an organisation's name is generic ("Institute for Strategic Studies")."""
    words = [w for w in key(name).split() if w not in {"of", "for", "on", "and", "the", "in"}]
    return len(words) >= 2 and all(w in _GENERIC_ORG_WORDS for w in words)


def is_generic_role(role: str) -> bool:
    """True for a job title that says nothing checkable ("a geopolitical analyst", "senior strategist").

    A vague role noun with at most three modifiers and nothing that places
    the person (no "at", "of", "based in", "who ..."): a title anyone can claim.
    """
    words = [w for w in re.findall(r"[a-z\-]+", role.lower()) if w not in {"a", "an", "the"}]
    if not 1 <= len(words) <= 4 or _PLACING & set(words):
        return False
    return words[-1] in _VAGUE_ROLES or words[-1].rstrip("s") in _VAGUE_ROLES


def _valid_name(name: str) -> bool:
    tokens = [t for t in re.split(r"\s+", name) if not re.fullmatch(_TITLE, t)]
    if len(tokens) < 2 or any(t.lower() in _STOP_NAME or t.endswith(("'s", "’s")) for t in tokens):
        return False
    return not _ORG_WORD.search(name)


def expert_mentions(text: str) -> list[ExpertMention]:
    """People and bodies cited with a role or affiliation in ``text``, in text order."""
    found: dict[tuple[int, int], ExpertMention] = {}
    for m in _APPOSITIVE.finditer(text):
        mention = _appositive(m)
        if mention:
            found[m.span("name")[0], m.span("descr")[1]] = mention
    for m in _PREMODIFIED.finditer(text):
        if _valid_name(m.group("name")) and not _overlaps(m.span(), found):
            start = m.start("role") + len(_LEAD.match(m.group("role")).group())
            found[start, m.end()] = ExpertMention(_clean_name(m.group("name")), text[start:m.end("role")], "",
                                                  start, m.end())
    for m in _BODY.finditer(text):
        lo = max(0, m.start() - BODY_LOOKBACK)
        om = _BODY_ORG.search(text, lo, m.start())
        if om is None:
            continue
        org = _clean_org(om.group("org"))
        at = text.find(org, om.start(), m.start())
        span = (at if at >= 0 else om.start(), m.end())
        if (_ORG_WORD.search(org) or len(org.split()) >= 3) and not _overlaps(span, found):
            found[span] = ExpertMention("", "", org, *span)
    return [found[s] for s in sorted(found)]


def _appositive(m: re.Match) -> ExpertMention | None:
    """A mention when the description is a role and the person is quoted or affiliated."""
    name, descr = m.group("name"), m.group("descr").strip()
    if not _valid_name(name):
        return None
    org = _affiliation(descr)
    if not (_ROLE_WORD.search(descr) or _ORG_WORD.search(org)):
        return None
    quoted = bool(m.group("say") or m.group("saytail"))
    if not (org or quoted):
        return None
    role = _AFFILIATION.split(descr)[0] if org else descr
    role = re.sub(r"^(?:an?|the)\s+", "", role.strip())
    return ExpertMention(_clean_name(name), role, org, m.start("name"), m.end("descr"))


def _affiliation(descr: str) -> str:
    """The organisation a description names: one with an organisation word, else one after "at"."""
    orgs = [(mm.group(0).split()[0], _clean_org(mm.group("org"))) for mm in _AFFILIATION.finditer(descr)]
    named = [o for _, o in orgs if _ORG_WORD.search(o)]
    if named:
        return named[0]
    return next((o for prep, o in orgs if prep in ("at", "with")), "")


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def _clean_org(org: str | None) -> str:
    if not org:
        return ""
    org = re.sub(r"\s+", " ", org).strip()
    # An org match runs on into the next capitalised words ("... Institute Chief ..."): cut at a role word.
    org = re.split(rf"\s+(?:{_ROLE_NOUN})\b", org, flags=re.I)[0]
    return re.sub(r"^(?:As|According to)\s+", "", org)


def _overlaps(span: tuple[int, int], found: Mapping[tuple[int, int], ExpertMention]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in found)


# -- corpus-wide ----------------------------------------------------------------

_CAP_RUN = re.compile(rf"{_TOKEN}(?:\s+(?:{_CONNECT}\s+)*{_TOKEN})*")


def name_keys(text: str) -> frozenset[str]:
    """Compact per-document product: keys of every capitalised name sequence and its 2-3 word windows.

    A person quoted in another article is usually named there in another
    construction ("Petrova said"), so counting is done on every capitalised
    sequence, not only on the appositive mentions.
    """
    keys = set()
    for m in _CAP_RUN.finditer(text):
        run = m.group()
        keys.add(key(run))
        caps = [t for t in run.split() if t[:1].isupper()]
        for n in (2, 3):
            keys.update(key(" ".join(caps[i:i + n])) for i in range(len(caps) - n + 1))
    for mention in expert_mentions(text):
        keys.update(k for k in (mention.name_key, mention.affiliation_key) if k)
    keys.discard("")
    return frozenset(keys)


def expert_counts(products: Mapping[str, Iterable[str]],
                  groups: Mapping[str, str] | None = None) -> dict[str, int]:
    """In how many origin groups (or documents) each key occurs, for keys found in two or more.

    ``products`` maps a document id to its :func:`name_keys`; ``groups`` maps a
    document id to its origin group, so a story and its copies count once.
    Keys seen in one unit only are left out (most names in news are), which
    keeps the result small; a missing key reads as "cited by one source at
    most".  The result also holds ``UNITS``: how many groups (documents) were
    counted.  The document being judged is expected to be among the counted ones.
    """
    counts: Counter[str] = Counter()
    if groups:
        per_group: dict[str, set[str]] = {}
        for doc_id, keys in products.items():
            per_group.setdefault(groups.get(doc_id, doc_id), set()).update(keys)
        units = len(per_group)
        for keys in per_group.values():
            counts.update(keys)
    else:
        units = len(products)
        for keys in products.values():
            counts.update(set(keys))
    out = {k: n for k, n in counts.items() if n >= 2}
    out[UNITS] = units
    return out


def sources_citing(mention: ExpertMention, counts: Mapping[str, int]) -> int:
    """How many counted groups name this person or this affiliation (the larger)."""
    keys = [k for k in (mention.name_key, mention.affiliation_key) if k]
    return max((counts.get(k, 0) for k in keys), default=0)
