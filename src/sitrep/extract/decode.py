"""Bytes to text: reject binary, decode, repair mojibake.

UTF-8 (with or without BOM) first; then the encoding charset_normalizer finds,
if it decodes cleanly; a text that decodes to mostly replacement characters or
control codes is refused rather than guessed at.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy
from ftfy import chardata
from charset_normalizer import from_bytes

_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\0" in head and not (head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 32 and chr(b) not in _CONTROL_OK)
    return controls > 0.05 * max(len(head), 1)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used).  Raises DecodeError(reason, detail)."""
    if not data.strip():
        raise DecodeError("empty", "no content")
    if looks_binary(data):
        raise DecodeError("binary", "binary data, not text (NUL or control bytes)")
    for enc in filter(None, ("utf-8-sig", declared)):
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise DecodeError("invalid_encoding", "not valid UTF-8 and no other encoding decodes it cleanly")


def repair_text(text: str) -> str:
    """Fix mojibake and odd unicode (ftfy), keep line structure.

    ftfy's full pass costs milliseconds per article, more than the rest of
    extraction's own work; so it runs only when a cheap scan finds what it
    would fix: mojibake marks (a UTF-8 lead byte read as Latin-1/cp1252,
    followed by a continuation byte read the same way) or characters its
    table-based fixes touch (controls, ligatures, full-width forms).
    """
    if _MOJIBAKE.search(text):
        text = ftfy.fix_text(text, _FULL)
    elif _TOUCHED.search(text):
        text = ftfy.fix_text(text, _CHEAP)
    else:
        text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _char_class(codepoints) -> str:
    cps = sorted(set(codepoints))
    ranges, start, prev = [], None, None
    for cp in cps + [None]:
        if start is None:
            start = prev = cp
        elif cp is not None and cp == prev + 1:
            prev = cp
        else:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = prev = cp
    return "[" + "".join(ranges) + "]"


# Curly quotes are kept: they are what was published, and quote finding uses them.
_FULL = ftfy.TextFixerConfig(normalization="NFC", unescape_html=False, uncurl_quotes=False, explain=False)
_CHEAP = ftfy.TextFixerConfig(normalization="NFC", unescape_html=False, uncurl_quotes=False,
                              fix_encoding=False, explain=False)
_CP1252_SPECIALS = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf" + _CP1252_SPECIALS + "]")
_TOUCHED = re.compile(_char_class(
    [c for c in chardata.CONTROL_CHARS if chr(c) not in "\n\t"]
    + list(chardata.LIGATURES) + list(chardata.WIDTH_MAP) + list(range(0xD800, 0xE000))
))
