"""The per-document understanding pass: one spaCy parse, then small components.

:func:`annotate` takes a batch of documents, parses them with one
``nlp.pipe`` call (batching lives here and nowhere else; the pipeline runs
batches in worker processes), and runs each component on every parsed
document in order.  A component is a callable

    component(sdoc, ann, doc) -> None

that fills its fields of the :class:`~sitrep.model.Annotation` and may read
what earlier components put there (quotes read mentions to name speakers;
events read mentions and times).

A spun document is annotated on its restored text, which parses as English;
every span is then mapped back to the published text through the spin marks,
so spans can be shown in either text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sitrep.model import Annotation, Document, SpinMark, sha256
from sitrep.provenance.spin import apply_marks, published_mapper
from sitrep.understand.nlp import MAX_CHARS, load_nlp

Component = Callable[[object, Annotation, Document], None]


def sentences(sdoc, ann: Annotation, doc: Document) -> None:
    ann.sentences = [(s.start_char, s.end_char) for s in sdoc.sents]


def publication_date(sdoc, ann: Annotation, doc: Document) -> None:
    from sitrep.understand.dating import document_date

    ann.published, ann.published_from = document_date(doc, sdoc.text)


def claims(sdoc, ann: Annotation, doc: Document) -> None:
    from sitrep.corroborate.claims import find_claims

    ann.claims = find_claims(sdoc, ann, doc)


def components() -> list[Component]:
    """The components, in run order."""
    from sitrep.understand.events import find_events
    from sitrep.understand.mentions import find_mentions
    from sitrep.understand.quotes import find_quotes
    from sitrep.understand.timex import find_times

    return [sentences, publication_date, find_mentions, find_quotes, find_times, find_events, claims]


def analysis_text(doc: Document, marks: list[SpinMark]) -> str:
    return (apply_marks(doc.text, marks) if marks else doc.text)[:MAX_CHARS]


def annotate(inputs: list[tuple[Document, list[SpinMark]]]) -> list[Annotation]:
    """Annotate a batch of (document, spin marks to undo — empty when not spun)."""
    nlp = load_nlp()
    steps = components()
    texts = [analysis_text(doc, marks) for doc, marks in inputs]
    out = []
    for (doc, marks), text, sdoc in zip(inputs, texts, nlp.pipe(texts, batch_size=max(1, len(texts)))):
        ann = Annotation(doc.id, sha256(text.encode()))
        for step in steps:
            step(sdoc, ann, doc)
        out.append(map_to_published(ann, marks) if marks else ann)
    return out


_OFFSET_FIELDS = ("start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end",
                  "sentence_start", "sentence_end")


def map_to_published(ann: Annotation, marks: list[SpinMark]) -> Annotation:
    """The annotation with every span moved from the restored to the published text."""
    to_pub = published_mapper(marks)

    def move(item):
        changes = {f: to_pub(getattr(item, f)) for f in _OFFSET_FIELDS
                   if hasattr(item, f) and getattr(item, f) >= 0}
        return dataclasses.replace(item, **changes)

    ann.sentences = [(to_pub(a), to_pub(b)) for a, b in ann.sentences]
    for attr in ("mentions", "roles", "quotes", "times", "events"):
        setattr(ann, attr, [move(x) for x in getattr(ann, attr)])
    ann.claims = [_move_claim(c, move) for c in ann.claims]
    return ann


def _move_claim(claim, move):
    """A claim's spans (and its numbers') in the published text; its text stays restored (readable)."""
    moved = move(claim)
    moved.numbers = tuple(move(q) for q in claim.numbers)
    moved.id = f"{claim.document_id}:{moved.start}-{moved.end}"
    return moved
