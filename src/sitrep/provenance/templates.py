"""Template sections of content-farm articles, found by structure.

AI content farms pad a rewritten news story with boxed sections that no
newsroom uses in a straight report: a "Did you know?" aside, a "Pro Tip" of
generic advice, an "Expert Insight" quote, a "Key Takeaways" bullet list, a
"Frequently Asked Questions" block of short Q/A pairs, a closing "Call to
Action" telling the reader to stay informed or to comment.  The section
vocabulary is hand-collected from such pages and from the SEO article
templates they follow (the FAQ block is the schema.org ``FAQPage`` pattern
search engines reward); for the wider problem of machine-generated news
sites see Hanley & Durumeric, "Machine-Made Media", ICWSM 2024.

A label alone is weak evidence, so each finding needs two things:

1. *Shape*: a heading-like line (short, no closing full stop, often Title Case
   or ending in ":" / "?") or a label at the start of a paragraph, quoted or
   not (``“Pro Tip:” Businesses should ...``).  A phrase inside a sentence is
   never a label.
2. *Kind*: the label names the **kind** of section rather than its topic (a
   small hand-built lexicon of the section vocabulary of content farms), and
   the block under it has the structure that kind implies: a list under
   "Key Takeaways", short generic Q/A pairs under "FAQ", advice under "Tip",
   a quotation under "Expert Insight", an exhortation near the end under
   "Call to Action".  A label whose block lacks that structure is kept as weak
   evidence only.

Q/A runs are told apart from interview transcripts (real journalism) by who
answers: interview answers are long, in the first person, to questions that
address "you", after an intro that names the interviewee and says it is an
interview; FAQ answers are short, impersonal and generic.

Beside labelled sections, two sentence-level cues are reported as weak
evidence: advice addressed to the reader ("businesses should proactively...")
and calls to comment or stay informed near the end.  Ordinary subheadings
("The Kremlin's Conditions for Peace") name a topic and match no kind; meta
headings that name a generic section ("Context & Background: ...",
"Future Implications: ...") are reported as weak evidence.

Spans are ``[start, end)`` offsets into the text given.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from sitrep.model import Signal
from sitrep.provenance.experts import expert_mentions

# Section kinds whose structure is confirmed are strong evidence; the rest weak.
STRONG_KINDS = ("did_you_know", "tip", "expert_insight", "faq", "takeaways", "call_to_action",
                "reader_advice")
WEAK_KINDS = ("meta_heading", "advice_sentence", "cta_sentence")  # plus unconfirmed strong kinds

WEIGHTS = {
    "faq": 0.4,
    "expert_insight": 0.35,
    "did_you_know": 0.3,
    "tip": 0.3,
    "takeaways": 0.3,
    "call_to_action": 0.3,
    "reader_advice": 0.3,
    "cta_sentence": 0.15,
    "unconfirmed_label": 0.1,
    "advice_sentence": 0.08,
    "meta_heading": 0.05,
}

HEADING_MAX_WORDS = 14
LABEL_MAX_WORDS = 6
SECTION_MAX_LINES = 12  # a boxed section is short; longer runs are the article again
SHORT_ANSWER_WORDS = 60  # FAQ answers are a sentence or two
INTRO_CHARS = 1500  # where an interview's introduction says it is one
END_SHARE = 0.7  # "near the end": past this share of the text
TOP_SHARE = 0.25  # "the top": before this share of the text


@dataclass(frozen=True)
class Finding:
    """One template section: its kind, how sure, and where."""

    kind: str
    strong: bool
    label: str
    label_span: tuple[int, int]
    block_span: tuple[int, int]
    reason: str

    @property
    def weight(self) -> float:
        if self.strong or self.kind in WEAK_KINDS:
            return WEIGHTS[self.kind]
        return WEIGHTS["unconfirmed_label"]

    def signal(self) -> Signal:
        spans = (self.label_span,) if self.block_span == self.label_span else (
            self.label_span, self.block_span)
        name = self.kind if self.strong or self.kind in WEAK_KINDS else f"{self.kind} (unconfirmed)"
        return Signal("template_section", self.weight, f"{name}: {self.reason}", spans)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


# -- lexicon: words that name a kind of section -----------------------------

_KIND_LABELS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(rf"^(?:{pattern})$")) for kind, pattern in (
        ("did_you_know", r"did you know|(?:fun|quick|interesting|surprising|bonus) facts?"),
        ("tip", r"(?:pro|quick|top|bonus|expert|insider|handy|helpful|useful|smart|reader) tips?"
                r"|tips?(?: of the day)?|(?:pro|quick|life) hacks?|advice corner"),
        ("expert_insight", r"(?:expert|analyst|insider|industry|specialist) (?:insights?|opinions?|takes?"
                           r"|views?|analysis|corner|perspectives?|commentary|voices?|quotes?)"
                           r"|what (?:the )?experts (?:say|think)|experts? weighs? in"),
        ("faq", r"frequently asked questions|faqs?|common questions|people also ask"
                r"|(?:your )?questions answered|questions and answers|q ?(?:&|and) ?a"),
        ("takeaways", r"(?:(?:key|main|quick|top|major|important|the) )?take ?-?aways?"
                      r"|(?:key|main|quick|top|major|important) (?:points|highlights|facts|lessons"
                      r"|findings|things to know)|at a glance|in a nutshell|tl ?;? ?dr"
                      r"|(?:quick )?summary|(?:the )?bottom line|what we learned"),
        ("call_to_action", r"calls? to action|take action|what you can do|how you can help|get involved"
                           r"|join the (?:conversation|discussion)|your turn|have your say|over to you"
                           r"|share your (?:thoughts|views|story|opinion)|what do you think"
                           r"|let us know|we want to hear from you|sound off"
                           r"|stay (?:informed|tuned|updated|connected)"),
        ("reader_advice", r"what (?:this|it|that|these) means? for (?:you|your \w+)"
                          r"|how (?:this|it) (?:affects|impacts) (?:you|your \w+)|what should you do"
                          r"|what you should (?:do|know)|how to (?:prepare|protect yourself|stay safe)"),
    )
)

# Headings that name a generic section rather than a topic.  Matched on the
# part before a colon ("Future Implications: A New Era of ...") or the whole.
_META = re.compile(
    r"^(?:the )?(?:context|background|context (?:and|&) background|overview|introduction|intro"
    r"|(?:an )?in[- ]depth (?:analysis|look)|deep dive|analysis|(?:the )?big picture"
    r"|future (?:outlook|implications|prospects|impact)|outlook|looking ahead|(?:the )?road ahead"
    r"|what'?s next|what comes next|(?:broader |wider |potential )?implications|conclusion"
    r"|(?:final|closing|concluding) (?:thoughts|words|remarks)|pros (?:and|&) cons"
    r"|advantages (?:and|&) disadvantages|potential (?:pros|cons|benefits|risks|outcomes|impact)"
    r"|key (?:factors|players|issues|questions|considerations|challenges|developments)"
    r"|why (?:it|this) matters|what you need to know|historical context|a brief history"
    r"|(?:the )?(?:economic|political|global|human|geopolitical) (?:fallout|impact|angle|dimension"
    r"|ramifications|stakes))$")

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_TERMINAL = re.compile(r"[.!…][\"'”’)\]]*$")
_BULLET = re.compile(r"^\s*(?:[•\-*–·▪●◦►✓]|\d{1,2}[.)])\s+")
_QUOTED_LINE = re.compile(r"^\s*[“\"‘'].*[”\"’']\s*$")
_INLINE_LABEL = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)][ \t]+)?(?P<open>[“\"‘']?)(?P<label>[A-Z][^\n:?“”\"]{0,45}?)"
    r"(?P<punct>[?:])(?P<close>[”\"’']?)[ \t]*:?[”\"’']?[ \t]*(?=\S)")
_QUOTATION = re.compile(r"“[^”]{3,}”|\"[^\"\n]{3,}\"")
_ADVICE = re.compile(r"\b(?:you|your|yourself|should|must|consider|make sure|be sure|remember"
                     r"|don'?t|don’t|avoid|follow|keep|try|stay|set up|check)\b", re.I)
_ADVICE_SENTENCE = re.compile(
    r"\b(?:you|readers|businesses|investors|consumers|individuals|families|travell?ers|homeowners"
    r"|companies|organi[sz]ations|parents|employers|shoppers)\s+(?:\w+ly\s+)?"
    r"(?:should|must|need to(?! know)|ought to|would be wise to|are advised to|may want to)\b", re.I)
_CTA_SENTENCE = re.compile(
    r"\b(?:stay (?:informed|tuned|updated)|share your (?:thoughts|views|opinions?)"
    r"|let us know (?:what you think|your thoughts|in the comments?)|in the comments?(?: section)? below"
    r"|we (?:encourage|invite|urge) you|don'?t forget to (?:subscribe|share|follow|like)"
    r"|join the (?:conversation|discussion)|subscribe to our|follow us on|like and share"
    r"|what do you think\?|sound off)", re.I)
_EXHORTATION = re.compile(r"\b(?:you|your|we|us|our|stay|share|join|let|encourage|urge)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|me|my|mine|myself)\b")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_INTERVIEW_CUE = re.compile(
    r"\b(?:interview(?:ed)?|transcript|spoke (?:with|to)|conversation with|edited for (?:length|clarity)"
    r"|q ?& ?a with|sat down with|questions and answers have been)\b", re.I)
_FAQ_HEADING = re.compile(r"^(?:frequently asked questions|faqs?|common questions|people also ask)$")
_Q_LINE = re.compile(
    r"^\s*(?:\*\*)?(?:Q|Question)\s*(?:[:.)\-–—]\s*|(?=[A-Z]))(?:\*\*)?\s*(?P<rest>\S.*)$")
_A_LINE = re.compile(r"^\s*(?:\*\*)?(?:A|Answer)\s*[:.)\-–—]\s*(?:\*\*)?\s*(?P<rest>\S.*)$")


def find_template_sections(text: str, title: str | None = None) -> list[Finding]:
    """Every template section of ``text``, strong and weak, in text order."""
    lines = _lines(text)
    skip = _title_lines(lines, title)
    quotes = _quote_spans(text)
    faq_runs = _qa_runs(lines, text)
    findings = _labelled_sections(lines, skip, faq_runs, len(text))
    findings += [f for f in faq_runs if not _inside_any(f.label_span, findings)]
    findings += _question_heading_faq(lines, skip, findings)
    headings = [(ln.start, ln.end) for i, ln in enumerate(lines) if i in skip or _is_heading(ln)]
    findings += _advice_sentences(text, quotes, findings, headings)
    findings += _cta_sentences(text, quotes, findings)
    return sorted(findings, key=lambda f: f.label_span)


def template_signals(text: str, title: str | None = None) -> list[Signal]:
    """:func:`find_template_sections` as quality signals."""
    return [f.signal() for f in find_template_sections(text, title)]


def strong_kinds(findings: list[Finding]) -> set[str]:
    return {f.kind for f in findings if f.strong}


# -- lines and shapes ---------------------------------------------------------

def _lines(text: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append(_Line(m.start() + lead, m.start() + lead + len(body), body))
    return out


def _title_lines(lines: list[_Line], title: str | None) -> set[int]:
    # The headline and a repeated headline are not section headings.
    norm = _norm(title) if title else None
    skip = {0} if lines else set()
    skip |= {i for i, ln in enumerate(lines[:4]) if norm and _norm(ln.text) == norm}
    return skip


def _is_heading(line: _Line) -> bool:
    t = line.text
    if not 1 <= line.words <= HEADING_MAX_WORDS or len(t) > 120:
        return False
    if _QUOTED_LINE.match(t):
        return line.words <= LABEL_MAX_WORDS  # a quoted label (“Did you know?”), not a pull quote
    if _TERMINAL.search(t) or _BULLET.match(t):
        return False
    return t[0].isupper() or t[0] in "“\"‘'"


def _norm(label: str) -> str:
    label = label.lower().replace("’", "'")
    label = re.sub(r"[“”\"‘*#]", "", label)
    label = re.sub(r"[^\w&;' -]+", " ", label)
    return re.sub(r"\s+", " ", label).strip(" '")


def kind_of(label: str) -> str | None:
    """The section kind a label names, or None when it names a topic."""
    norm = _norm(label)
    for part in (norm, _norm(label.split(":", 1)[0])):
        for kind, pattern in _KIND_LABELS:
            if pattern.match(part):
                return kind
    return None


def is_meta_heading(label: str) -> bool:
    return bool(_META.match(_norm(label.split(":", 1)[0])))


# -- labelled sections ----------------------------------------------------------

def _labelled_sections(lines: list[_Line], skip: set[int], faq_runs: list[Finding],
                       size: int) -> list[Finding]:
    found = []
    for i, line in enumerate(lines):
        if i in skip:
            continue
        label = _label_of(line)
        if label is None:
            continue
        text, span, inline_rest = label
        kind = kind_of(text)
        if kind is None:
            if inline_rest is None and is_meta_heading(text):
                found.append(Finding("meta_heading", False, text, span, span,
                                     f"generic section heading '{text}'"))
            continue
        block = _block(lines, i, span, inline_rest)
        found.append(_confirm(kind, text, span, block, lines, i, faq_runs, size))
    return found


def _label_of(line: _Line) -> tuple[str, tuple[int, int], tuple[int, int] | None] | None:
    """(label text, label span, span of the rest of the line or None) of a labelled line."""
    if _is_heading(line):
        return line.text.strip("“”\"‘’' "), (line.start, line.end), None
    m = _INLINE_LABEL.match(line.text)
    if not m or len(_WORD.findall(m.group("label"))) > LABEL_MAX_WORDS:
        return None
    label = m.group("label") + (m.group("punct") if m.group("punct") == "?" else "")
    start = line.start + m.start("label") - len(m.group("open"))
    return label, (start, line.start + m.end()), (line.start + m.end(), line.end)


def _block(lines: list[_Line], i: int, span: tuple[int, int],
           inline_rest: tuple[int, int] | None) -> list[_Line]:
    """The lines a label introduces: the rest of its paragraph, or lines to the next heading."""
    if inline_rest is not None:
        s, e = inline_rest
        return [_Line(s, e, lines[i].text[s - lines[i].start:])]
    block = []
    for line in lines[i + 1:i + 1 + SECTION_MAX_LINES]:
        if _is_heading(line) and not _Q_LINE.match(line.text) and block:
            break
        block.append(line)
    return block


def _confirm(kind: str, label: str, span: tuple[int, int], block: list[_Line],
             lines: list[_Line], i: int, faq_runs: list[Finding], size: int) -> Finding:
    """A finding of ``kind`` if the block has that kind's structure, else a weak one."""
    body = " ".join(ln.text for ln in block)
    words = len(_WORD.findall(body))
    bspan = (block[0].start, block[-1].end) if block else span
    near_end = span[0] >= END_SHARE * size
    checks = {
        "did_you_know": (0 < words <= 90, "followed by a short aside"),
        "tip": (bool(_ADVICE.search(body)) and words <= 120, "followed by advice to the reader"),
        "expert_insight": (bool(_QUOTATION.search(body) or expert_mentions(body)),
                           "followed by a quotation or a cited expert"),
        # News puts its "Key points" box at the top; farms close with their takeaways.
        "takeaways": (_list_items(block) >= 3 and span[0] >= TOP_SHARE * size,
                      f"followed by {_list_items(block)} list items after the top of the text"),
        "call_to_action": (near_end or bool(_EXHORTATION.search(body)),
                           "at the end" if near_end else "followed by an exhortation"),
        "reader_advice": (bool(_SECOND_PERSON.search(body)), "followed by second-person advice"),
    }
    if kind == "faq":
        heads = {ln.start for ln in block[:2]}
        run = next((r for r in faq_runs if r.label_span[0] in heads), None)
        qh = _question_answers(lines[i + 1:i + 1 + 3 * SECTION_MAX_LINES])
        if run is not None:
            return Finding("faq", True, label, span, (bspan[0], run.block_span[1]),
                           f"'{label}' heading over {run.reason}")
        if qh >= 2:
            return Finding("faq", True, label, span, bspan, f"'{label}' heading over {qh} short Q/A")
        return Finding("faq", False, label, span, bspan, f"'{label}' without Q/A pairs")
    ok, why = checks[kind]
    if kind == "takeaways" and ok:
        bspan = (block[0].start, block[_list_items(block) - 1].end)
    if ok:
        return Finding(kind, True, label, span, bspan, f"'{label}' {why}")
    return Finding(kind, False, label, span, bspan, f"'{label}' without the structure of one")


def _list_items(block: list[_Line]) -> int:
    n = 0
    for line in block:
        if _BULLET.match(line.text) or (line.words <= 35 and _TERMINAL.search(line.text)):
            n += 1
        else:
            break
    return n


# -- Q/A: FAQ or interview ----------------------------------------------------

def _qa_pairs(lines: list[_Line]) -> list[tuple[int, int, str, str]]:
    """(first line, last line, question, answer) of each Q:/A: pair, in order."""
    pairs = []
    i = 0
    while i < len(lines):
        q = _Q_LINE.match(lines[i].text)
        if not q or i + 1 >= len(lines) or not _A_LINE.match(lines[i + 1].text):
            i += 1
            continue
        j = i + 1
        answer = [_A_LINE.match(lines[j].text).group("rest")]
        while j + 1 < len(lines) and not _Q_LINE.match(lines[j + 1].text) \
                and not _is_heading(lines[j + 1]) and len(answer) < SECTION_MAX_LINES:
            j += 1
            answer.append(lines[j].text)
        pairs.append((i, j, q.group("rest"), " ".join(answer)))
        i = j + 1
    return pairs


def _qa_runs(lines: list[_Line], text: str) -> list[Finding]:
    """Runs of Q:/A: pairs that read as an FAQ, not an interview."""
    runs, current = [], []
    for pair in _qa_pairs(lines):
        if current and pair[0] != current[-1][1] + 1:
            runs.append(current)
            current = []
        current.append(pair)
    if current:
        runs.append(current)
    return [f for run in runs if (f := _faq_or_none(run, lines, text))]


def _faq_or_none(run, lines: list[_Line], text: str) -> Finding | None:
    if len(run) < 2:
        return None
    answers = [a for _, _, _, a in run]
    questions = [q for _, _, q, _ in run]
    median_words = statistics.median(len(_WORD.findall(a)) for a in answers)
    first_person = sum(bool(_FIRST_PERSON.search(a)) for a in answers) / len(answers)
    to_you = sum(bool(_SECOND_PERSON.search(q)) for q in questions) / len(questions)
    start, end = lines[run[0][0]].start, lines[run[-1][1]].end
    # Under an explicit FAQ heading, an earlier mention of "an interview" says nothing about the pairs.
    faq_heading = any(_FAQ_HEADING.match(_norm(ln.text)) for ln in lines[max(0, run[0][0] - 2):run[0][0]])
    intro = text[max(0, start - INTRO_CHARS):start]
    if (_INTERVIEW_CUE.search(intro) and not faq_heading) or first_person > 0.34 or to_you >= 0.5 \
            or median_words > SHORT_ANSWER_WORDS:
        return None
    reason = (f"{len(run)} Q/A pairs with short impersonal answers "
              f"(median {median_words:.0f} words, {first_person:.0%} first person)")
    strong = len(run) >= 3
    return Finding("faq", strong, "Q/A", (start, lines[run[0][0]].end),
                   (start, end), reason)


def _question_answers(lines: list[_Line]) -> int:
    """Consecutive question lines each followed by a short answer line."""
    n, i = 0, 0
    while i + 1 < len(lines):
        q, a = lines[i], lines[i + 1]
        if _Q_LINE.match(q.text) or _A_LINE.match(a.text):
            break  # Q:/A: runs are judged by _qa_runs, which tells FAQs from interviews
        if q.text.endswith("?") and q.words <= 20 and not a.text.endswith("?") \
                and a.words <= SHORT_ANSWER_WORDS:
            n += 1
            i += 2
        else:
            break
    return n


def _question_heading_faq(lines: list[_Line], skip: set[int], found: list[Finding]) -> list[Finding]:
    """An FAQ without a heading: three or more question lines, each with a short answer."""
    out, i = [], 0
    while i < len(lines):
        n = _question_answers(lines[i:]) if i not in skip else 0
        if n >= 3:
            span = (lines[i].start, lines[i + 2 * n - 1].end)
            if not _inside_any(span, found):
                out.append(Finding("faq", True, lines[i].text, (lines[i].start, lines[i].end), span,
                                   f"{n} question lines each answered in a sentence or two"))
            i += 2 * n
        else:
            i += 1
    return out


# -- sentence cues --------------------------------------------------------------

def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTATION.finditer(text)]


def _inside(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)


def _inside_any(span: tuple[int, int], findings: list[Finding]) -> bool:
    return any(f.block_span[0] <= span[0] < max(f.block_span[1], f.label_span[1]) for f in findings)


def _advice_sentences(text: str, quotes, found: list[Finding], headings) -> list[Finding]:
    out = []
    for m in _ADVICE_SENTENCE.finditer(text):
        if _inside(m.start(), quotes) or _inside(m.start(), headings) or _inside_any(m.span(), found):
            continue
        out.append(Finding("advice_sentence", False, m.group(), m.span(), _sentence(text, m.start()),
                           f"advice to the reader outside quotes: '{m.group()}'"))
    return out


def _cta_sentences(text: str, quotes, found: list[Finding]) -> list[Finding]:
    out = []
    for m in _CTA_SENTENCE.finditer(text):
        if m.start() < END_SHARE * len(text) or _inside(m.start(), quotes) or _inside_any(m.span(), found):
            continue
        if out and out[-1].block_span == _sentence(text, m.start()):
            continue  # one call per sentence: "share your thoughts in the comments below" is one cue
        out.append(Finding("cta_sentence", False, m.group(), m.span(), _sentence(text, m.start()),
                           f"call to action near the end: '{m.group()}'"))
    return out


def _sentence(text: str, pos: int) -> tuple[int, int]:
    stop = text.rfind(". ", 0, pos)
    start = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, pos) + 1)
    stops = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i != -1]
    return start, (min(stops) + 1 if stops else len(text))
