"""Abstractive briefing: the extractive briefing rewritten by a language model, citations kept and checked.

Any OpenAI-compatible chat-completions endpoint will do (a local llama.cpp or
vLLM server, say): ``POST {base_url}/chat/completions`` with ``model`` and
``messages``, answer in ``choices[0].message.content``.  The model is given
the extractive sentences with numbered citation markers ``[n]`` and asked for
a fluent briefing that keeps the markers; the markers are parsed back into
citations and each generated sentence is checked against its cited spans by
:mod:`sitrep.corroborate.citecheck`.  A sentence the spans do not back (a name,
number or date found in none of them, or no valid marker) is dropped or kept
marked ``supported=False``.  This is the generate-then-verify pattern of
attributed generation (Gao et al. 2023, "RARR: researching and revising what
language models say, using language models", ACL; Rashkin et al. 2023,
"Measuring attribution in natural language generation models"), with a
mechanical verifier instead of a model.

Transport: stdlib :mod:`urllib` only, a timeout, a cap on the response size,
no redirect to another host; the API key, when the endpoint needs one, comes
from the environment variable ``SITREP_LLM_API_KEY``.  Every failure
(unreachable, HTTP error, timeout, oversize or malformed answer) raises
:class:`LLMError` with a plain message; falling back to the extractive
briefing happens only when the caller asks for it (:func:`brief_or_fallback`).
"""

from __future__ import annotations

import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitrep.corroborate import citecheck
from sitrep.model import BriefSentence, Briefing, Citation

API_KEY_ENV = "SITREP_LLM_API_KEY"
SECTIONS = ("happened", "actors", "claims", "disputed", "positions", "sources")

SYSTEM = """You edit situation reports. Rewrite the numbered report you are given into a fluent, concise \
briefing in English. Rules:
- Use only facts stated in the input. Do not add any name, number, date, place or claim that is not in it.
- Every sentence must end with the citation markers of the input sentences it uses, written like [3] or [3][7].
- Never invent a marker; never drop the markers of a sentence you keep.
- Keep counts of sources exactly as given ("2 independent sources", "single source", "only content-farm pages").
- Keep the section headings (lines starting with "## ") and write one sentence per line under each."""


class LLMError(RuntimeError):
    """The endpoint could not give a usable answer."""


@dataclass(frozen=True)
class Endpoint:
    base_url: str  # e.g. http://127.0.0.1:8080/v1
    model: str
    timeout: float = 120.0  # seconds, per connect / read
    max_bytes: int = 2_000_000  # larger answers are refused
    temperature: float = 0.0
    max_tokens: int = 2048

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"


# -- prompt ------------------------------------------------------------------------------------


def numbered(briefing: Briefing) -> tuple[str, list[Citation], dict[int, str]]:
    """The briefing as the model sees it: sections, sentences with markers [n] (one number per distinct
    citation), the citations by number (index n-1) and the section each number first appears in."""
    cites: list[Citation] = []
    index: dict[Citation, int] = {}
    section_of: dict[int, str] = {}
    lines, current = [], None
    for s in briefing.sentences:
        if s.section != current:
            lines += ([""] if lines else []) + [f"## {s.section}"]
            current = s.section
        marks = []
        for c in s.citations:
            if c not in index:
                cites.append(c)
                index[c] = len(cites)
                section_of[len(cites)] = s.section
            marks.append(f"[{index[c]}]")
        lines.append(f"{s.text} {''.join(marks)}")
    return "\n".join(lines), cites, section_of


def messages(briefing: Briefing) -> list[dict]:
    body, _, _ = numbered(briefing)
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Report: {briefing.title}\n\n{body}"}]


# -- transport ---------------------------------------------------------------------------------


class _SameHost(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            raise LLMError(f"the endpoint redirected to another host ({newurl}); refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def complete(endpoint: Endpoint, msgs: list[dict]) -> str:
    """The model's answer to ``msgs`` (the text of the first choice); :class:`LLMError` on any failure."""
    if urllib.parse.urlsplit(endpoint.url).scheme not in ("http", "https"):
        raise LLMError(f"not an http(s) endpoint: {endpoint.base_url}")
    payload = {"model": endpoint.model, "messages": msgs, "temperature": endpoint.temperature,
               "max_tokens": endpoint.max_tokens, "stream": False}
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if os.environ.get(API_KEY_ENV):
        headers["Authorization"] = f"Bearer {os.environ[API_KEY_ENV]}"
    req = urllib.request.Request(endpoint.url, json.dumps(payload).encode(), headers, method="POST")
    raw = _fetch(req, endpoint)
    return _content(raw, endpoint)


def _fetch(req: urllib.request.Request, endpoint: Endpoint) -> bytes:
    opener = urllib.request.build_opener(_SameHost)
    try:
        with opener.open(req, timeout=endpoint.timeout) as resp:
            raw = resp.read(endpoint.max_bytes + 1)
    except urllib.error.HTTPError as e:
        detail = e.read(500).decode("utf-8", "replace").strip()
        raise LLMError(f"{endpoint.url} answered HTTP {e.code} {e.reason}: {detail[:300]}") from e
    except (socket.timeout, TimeoutError) as e:
        raise LLMError(f"{endpoint.url} timed out after {endpoint.timeout:g} s") from e
    except urllib.error.URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            raise LLMError(f"{endpoint.url} timed out after {endpoint.timeout:g} s") from e
        raise LLMError(f"{endpoint.url} is unreachable: {e.reason}") from e
    except (ConnectionError, OSError) as e:
        raise LLMError(f"{endpoint.url} failed: {e}") from e
    if len(raw) > endpoint.max_bytes:
        raise LLMError(f"{endpoint.url} sent more than {endpoint.max_bytes} bytes; refused")
    return raw


def _content(raw: bytes, endpoint: Endpoint) -> str:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LLMError(f"{endpoint.url} did not answer JSON ({e}): {raw[:120]!r}") from e
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as e:
        raise LLMError(f"{endpoint.url} answered JSON without choices[0].message.content: {str(data)[:200]}") from e
    if not isinstance(content, str) or not content.strip():
        raise LLMError(f"{endpoint.url} answered an empty message")
    return content


# -- parsing the answer ------------------------------------------------------------------------

_MARKS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SPLIT = re.compile(r"(?<=[.!?…”\"])\s+(?=[A-Z“\"(])")


def parse(reply: str, cites: Sequence[Citation], section_of: Mapping[int, str]) -> list[BriefSentence]:
    """Generated sentences with their citations (markers out of range are ignored: such a sentence may end
    up with none); the section is the heading above, else that of the sentence's first marker."""
    out: list[BriefSentence] = []
    heading = ""
    for line in reply.splitlines():
        line = line.strip()
        m = re.fullmatch(r"#+\s*(\w+)\s*:?", line)
        if m:
            heading = m.group(1).lower() if m.group(1).lower() in SECTIONS else heading
            continue
        line = re.sub(r"^(?:[-*•]|\d+[.)])\s+", "", line)
        # a marker after the final stop belongs to the sentence before it
        line = re.sub(r"([.!?])((?:\s*\[[\d,;\s]+\])+)", r"\2\1", line)
        for part in _SPLIT.split(line):
            s = _sentence(part, cites, section_of, heading)
            if s is not None:
                out.append(s)
    return out


def _sentence(part: str, cites: Sequence[Citation], section_of: Mapping[int, str], heading: str):
    nums = [int(n) for m in _MARKS.finditer(part) for n in re.split(r"\s*[,;]\s*", m.group(1))]
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(_MARKS.sub(" ", part).split())).strip()
    if not re.search(r"\w", text):
        return None
    valid = [n for n in dict.fromkeys(nums) if 1 <= n <= len(cites)]
    section = heading or next((section_of[n] for n in valid), "happened")
    return BriefSentence(section, text, [cites[n - 1] for n in valid])


# -- the rewrite -------------------------------------------------------------------------------


def rewrite(briefing: Briefing, source, endpoint: Endpoint | None = None, *, base_url: str = "",
            model: str = "", ev: citecheck.Evidence | None = None, unsupported: str = "drop") -> Briefing:
    """The briefing rewritten by the endpoint's model; each sentence checked against its cited spans and,
    when they do not back it, dropped (``unsupported="drop"``) or kept with ``supported=False`` ("mark").

    ``source`` is the story's :class:`~sitrep.corroborate.facts.StoryFacts` (texts and evidence from it)
    or a mapping document id -> published text; ``endpoint`` or ``base_url`` + ``model`` name the endpoint.
    """
    if unsupported not in ("drop", "mark"):
        raise ValueError(f"unsupported must be 'drop' or 'mark', not {unsupported!r}")
    if endpoint is None:
        if not (base_url and model):
            raise ValueError("give an Endpoint, or base_url and model")
        endpoint = Endpoint(base_url, model)
    texts = source.texts if hasattr(source, "texts") else source
    if ev is None and hasattr(source, "texts"):
        ev = citecheck.evidence_of(source)
    _, cites, section_of = numbered(briefing)
    reply = complete(endpoint, messages(briefing))
    kept: list[BriefSentence] = []
    for s in parse(reply, cites, section_of):
        ok = not citecheck.check_sentence(s, texts, ev)
        if ok or unsupported == "mark":
            kept.append(BriefSentence(s.section, s.text, s.citations, ok))
    if not kept:
        raise LLMError(f"{endpoint.url}: no sentence of the answer could be used")
    return Briefing(briefing.story_id, briefing.title, kept, f"abstractive:{endpoint.model}")


def brief_or_fallback(briefing: Briefing, source, endpoint: Endpoint, *, fallback: bool,
                      ev: citecheck.Evidence | None = None, unsupported: str = "drop") -> tuple[Briefing, str]:
    """:func:`rewrite`, or -- only when ``fallback`` is set -- the extractive ``briefing`` and a note saying
    why; without ``fallback`` the :class:`LLMError` propagates."""
    try:
        return rewrite(briefing, source, endpoint, ev=ev, unsupported=unsupported), ""
    except LLMError as e:
        if not fallback:
            raise
        return briefing, f"abstractive briefing failed ({e}); the extractive briefing is given instead"
