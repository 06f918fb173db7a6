"""What a stage is.  The pipeline (:mod:`sitrep.pipeline`) runs them; each
layer (provenance, later understanding and corroboration) lists its own.

A :class:`DocStage` is a pure function of one document: it runs in worker
processes, and its product is saved in the store by the main process.  A
:class:`CorpusStage` works on the stored products of the whole corpus
(never on all texts at once) and updates what depends on new documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from sitrep.model import Document


@dataclass(frozen=True)
class DocStage:
    name: str
    version: int  # bump when the product changes: stored products of older versions are recomputed
    run: Callable[[Document], Any]  # pure; runs in a worker process
    # (store, document id, product) -> data kept in doc_products; runs in the main
    # process inside a transaction.  None: the product itself (bytes or str) is kept.
    save: Callable[[Any, str, Any], bytes | str | None] | None = None
    # Batched stages take a list of loaded inputs and return one product per
    # input, so a model can run over many documents at once (spaCy's nlp.pipe).
    batched: bool = False
    # (store, document id) -> the stage's input, loaded in the main process;
    # None: the stored Document.
    load: Callable[[Any, str], Any] | None = None
    # store -> ids of documents whose product is out of date for a reason the
    # version does not capture (e.g. a spun document's restoration changed).
    stale: Callable[[Any], list[str]] | None = None
    # store -> ids of the documents that need the product now; the others go without it until a
    # later run finds they do (None: every document needs it).
    wanted: Callable[[Any], set[str]] | None = None


@dataclass(frozen=True)
class CorpusStage:
    name: str
    run: Callable[[Any, "StageContext"], dict[str, Any]]  # (store, context) -> figures for the summary


@dataclass(frozen=True)
class Layer:
    """One layer of analysis: its per-document stages, then its corpus stages.

    Layers run in order (provenance, understanding, corroboration): a layer's
    per-document stages may read what earlier layers stored."""

    name: str
    doc_stages: list[DocStage]
    corpus_stages: list[CorpusStage]


@dataclass
class StageContext:
    """What corpus stages share within one run."""

    new_ids: list[str]  # documents whose per-document products were (re)computed in this run
    workers: int
    log: Callable[[str], None] = lambda msg: None


def code_digest(modules: Iterable[ModuleType], data: Iterable[str] = ()) -> str:
    """A digest of the source of ``modules`` and of the package data files ``data`` (paths under
    ``sitrep/data``): stored results made by other rules carry another digest and are remade."""
    h = hashlib.sha256()
    for module in modules:
        h.update(Path(module.__file__).read_bytes())
    for name in data:
        h.update(resources.files("sitrep").joinpath("data", *name.split("/")).read_bytes())
    return h.hexdigest()
