"""Read the MyThes English thesaurus shipped by Debian's ``mythes-en-us``.

MyThes is the OpenOffice.org/LibreOffice thesaurus format (by Kevin Hendricks;
the English data is derived from WordNet). The ``.dat`` file starts with an
encoding line, then holds one entry per headword::

    summit|4
    (noun)|acme|height|...|degree (generic term)|level (generic term)
    (noun)|peak|crown|...
    ...

``word|n`` is followed by ``n`` sense lines ``(pos)|syn|syn|...``. Synonyms may
be multiword ("group meeting") and may carry a WordNet relation annotation:
"(generic term)" (hypernym), "(similar term)", "(related term)" or
"(antonym)". The ``.idx`` file maps each (lowercase) headword to the byte
offset of its entry, so single lookups seek instead of parsing 18 MB.

This computes, per headword: its senses (pos + synonyms, annotations stripped,
antonyms dropped), a flattened synonym list in file order, and lazily a reverse
index (which headwords list a given word). Spinners use the forward direction;
spin *restoration* uses :meth:`Thesaurus.reverse` to propose the original word
behind a "tortured phrase" (Cabanac, Labbé & Magazinov 2021).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path("/usr/share/mythes/th_en_US_v2.dat")
INSTALL_HINT = "sudo apt-get install mythes-en-us"

# A trailing WordNet relation label, e.g. "degree (generic term)".
_ANNOTATION = re.compile(r"\s*\((generic term|similar term|related term|antonym)\)\s*$")

Sense = tuple[str, list[str]]


class ThesaurusMissing(FileNotFoundError):
    """The MyThes data files are not installed."""


class Thesaurus:
    """A MyThes thesaurus: ``.dat`` entries addressed through the ``.idx`` offsets."""

    def __init__(self, dat: bytes, index: dict[str, int], encoding: str, path: Path):
        self._dat = dat
        self._index = index
        self.encoding = encoding
        self.path = path
        self._reverse: dict[str, set[str]] | None = None
        # Per-instance cache: bound methods cannot share a module-level lru_cache.
        self.senses = lru_cache(maxsize=65536)(self._senses)  # type: ignore[method-assign]

    # -- loading -----------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Thesaurus":
        """Load the thesaurus from ``path`` (the ``.dat`` file; the ``.idx`` sits beside it).

        Defaults to the Debian location. Raises :class:`ThesaurusMissing` with the
        install command when the files are absent.
        """
        dat_path = Path(path) if path is not None else DEFAULT_PATH
        idx_path = dat_path.with_suffix(".idx")
        for p in (dat_path, idx_path):
            if not p.is_file():
                raise ThesaurusMissing(
                    f"MyThes thesaurus file not found: {p}. Install it with `{INSTALL_HINT}` "
                    "(or pass the path of a th_*.dat file that has its .idx beside it)."
                )
        dat = dat_path.read_bytes()
        encoding = dat.split(b"\n", 1)[0].decode("ascii").strip() or "UTF-8"
        index: dict[str, int] = {}
        with idx_path.open(encoding=encoding) as f:
            f.readline()  # encoding line
            f.readline()  # entry count
            for line in f:
                word, sep, offset = line.rstrip("\n").rpartition("|")
                if sep:
                    index[word] = int(offset)
        return cls(dat, index, encoding, dat_path)

    # -- lookups -----------------------------------------------------------

    def __contains__(self, word: str) -> bool:
        return self._key(word) is not None

    def __len__(self) -> int:
        return len(self._index)

    def headwords(self):
        """All headwords, in file order."""
        return iter(self._index)

    def _key(self, word: str) -> str | None:
        # Headwords are stored lowercase; try the word as given first anyway.
        if word in self._index:
            return word
        low = word.lower()
        return low if low in self._index else None

    def _senses(self, word: str) -> list[Sense]:
        """Senses of ``word`` as ``(pos, synonyms)``, annotations stripped, antonyms removed.

        ``pos`` is the bare label ("noun", "verb", "adj", "adv"). Returns ``[]`` for
        unknown words. Synonym order is the file's.
        """
        key = self._key(word)
        if key is None:
            return []
        return _parse_entry(self._dat, self._index[key], self.encoding)[1]

    def synonyms(self, word: str) -> list[str]:
        """All synonyms of ``word`` flattened over senses, first sense first.

        Duplicates and the headword itself (in any letter case, e.g. "He" under
        "he") are dropped, keeping first occurrences.
        """
        seen = {word.lower()}
        out = []
        for _pos, syns in self.senses(word):
            for s in syns:
                if s.lower() not in seen:
                    seen.add(s.lower())
                    out.append(s)
        return out

    def reverse(self, word: str) -> set[str]:
        """Headwords whose entries list ``word`` as a (non-antonym) synonym.

        Case-insensitive on ``word``. The index over the whole file is built on
        first call (a few seconds) and kept.
        """
        if self._reverse is None:
            self._reverse = self._build_reverse()
        return set(self._reverse.get(word.lower(), ()))

    def _build_reverse(self) -> dict[str, set[str]]:
        rev: dict[str, set[str]] = {}
        for head, offset in self._index.items():
            for _pos, syns in _parse_entry(self._dat, offset, self.encoding)[1]:
                for s in syns:
                    low = s.lower()
                    if low != head:
                        rev.setdefault(low, set()).add(head)
        return rev


def _parse_entry(dat: bytes, offset: int, encoding: str) -> tuple[str, list[Sense]]:
    """Parse the entry starting at byte ``offset``: ``word|n`` plus ``n`` sense lines."""
    end = dat.index(b"\n", offset)
    head, _, n = dat[offset:end].decode(encoding).rpartition("|")
    senses: list[Sense] = []
    pos = end + 1
    for _ in range(int(n)):
        end = dat.find(b"\n", pos)
        if end < 0:
            end = len(dat)
        line = dat[pos:end].decode(encoding)
        pos = end + 1
        label, *fields = line.split("|")
        syns = []
        for field in fields:
            m = _ANNOTATION.search(field)
            if m and m.group(1) == "antonym":
                continue  # an antonym is the opposite of a synonym: never offer it
            term = field[: m.start()] if m else field.strip()
            if term:
                syns.append(term)
        senses.append((label.strip("()"), syns))
    return head, senses


_default: Thesaurus | None = None


def default_thesaurus() -> Thesaurus:
    """The Debian thesaurus, loaded once per process."""
    global _default
    if _default is None:
        _default = Thesaurus.load()
    return _default
