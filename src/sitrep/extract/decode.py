"""Bytes to text: reject binary, decode, repair mojibake.

UTF-8 (with or without BOM) first; then the encoding charset_normalizer finds,
if it decodes cleanly; a text that decodes to mostly replacement characters or
control codes is refused rather than guessed at.
"""

from __future__ import annotations

import codecs

import ftfy
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
    """Fix mojibake and odd unicode (ftfy), keep line structure."""
    # Curly quotes are kept: they are what was published, and quote finding uses them.
    text = ftfy.fix_text(text, normalization="NFC", unescape_html=False, uncurl_quotes=False)
    return text.replace("\r\n", "\n").replace("\r", "\n")
