"""The office lexicon and the normal form of roles; office and qualifier
phrases found at a token.

What it computes
----------------
* :func:`offices` -- office phrase (lower-case words, hyphens as spaces) ->
  :class:`Office` (canonical office, class leader / office / job, gender).
  Offices come from ``offices.tsv``, variants mapped to one canonical office
  ("spokeswoman" -> "spokesperson"); a phrase ending in -woman / -man gives
  its gender.  :func:`qualifiers` reads ``qualifiers.tsv`` (former / acting /
  designate / elect).
* :func:`office_at` -- the longest office phrase starting at a token (hyphen
  tokens skipped), a dictionary longest match; :func:`qualifier_at` -- a
  qualifier word at a token.
* :func:`role_text` / :func:`split_role` -- the role normal form and its
  inverse.

Role normal form
----------------
``office`` alone, or ``office (org)`` when the document ties the office to a
country or organisation, with ``to X`` kept for envoys and ambassadors:
"Russian President" and "President of Russia" -> ``"president (russia)"``;
"Russia's ambassador to the US" -> ``"ambassador to united states (russia)"``;
"Secretary of State" -> ``"secretary of state"``.  Modifiers outside the
lexicon stay in front ("trade minister", "geopolitical analyst").  Countries
are canonical keys (``names.place_key``).  ``qualifier`` is former / acting /
designate / elect or "" (held now).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import names as N
from ._tokens import Ctx


@dataclass(frozen=True)
class Office:
    name: str  # canonical office
    cls: str  # leader | office | job
    gender: str  # m | f | ""


@lru_cache(maxsize=1)
def offices() -> dict[tuple[str, ...], Office]:
    """Office phrase (lower-case words, hyphens as spaces) -> canonical office."""
    out: dict[tuple[str, ...], Office] = {}
    for row in N.lexicon_rows("offices.tsv"):
        canon, cls, gender = N.cell(row, 0), N.cell(row, 2), N.cell(row, 3)
        for phrase in [canon, *N.alternatives(N.cell(row, 1))]:
            words = tuple(re.split(r"[\s\-]+", phrase.lower()))
            g = "f" if phrase.endswith("woman") else "m" if phrase.endswith("man") else gender
            out[words] = Office(canon, cls, g)
    return out


@lru_cache(maxsize=1)
def _office_len() -> int:
    return max(len(k) for k in offices())


@lru_cache(maxsize=1)
def _office_first() -> frozenset[str]:
    return frozenset(k[0] for k in offices())


@lru_cache(maxsize=1)
def office_words() -> frozenset[str]:
    """Every word of every office phrase (a cheap pre-filter)."""
    return frozenset(w for k in offices() for w in k)


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, str]:
    return {N.cell(r, 0).lower(): N.cell(r, 1) for r in N.lexicon_rows("qualifiers.tsv")}


def role_text(office: str, org: str = "", target: str = "") -> str:
    """The normal form of a role (see the module docstring)."""
    text = f"{office} to {target}" if target else office
    return f"{text} ({org})" if org else text


def split_role(role: str) -> tuple[str, str]:
    """``(office, org)`` of a normal-form role: "president (russia)" -> ("president", "russia")."""
    m = re.fullmatch(r"(.*?) \(([^()]*)\)", role)
    return (m.group(1), m.group(2)) if m else (role, "")


def qualifier_at(ctx: Ctx, j: int) -> tuple[str, int] | None:
    """A qualifier word at j: (qualifier, next index), skipping a joining hyphen."""
    q = qualifiers()
    w = ctx.low[j] if j < ctx.n else ""
    if w not in q:
        return None
    j += 1
    if j < ctx.n and ctx.w[j] == "-":
        j += 1
    return q[w], j


def office_at(ctx: Ctx, j: int, end: int) -> tuple[Office, int] | None:
    """The longest office phrase starting at j (hyphen tokens skipped)."""
    if j >= end or ctx.low[j] not in _office_first():
        return None
    lex = offices()
    words, idx = [], []
    k = j
    while k < end and len(words) < _office_len():
        if ctx.w[k] == "-":
            k += 1
            continue
        words.append(ctx.low[k])
        idx.append(k)
        k += 1
    for n in range(len(words), 0, -1):
        off = lex.get(tuple(words[:n]))
        if off is not None:
            return off, idx[n - 1] + 1
    return None
