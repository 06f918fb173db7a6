"""The one place that runs stages.

Per-item stages (extraction now; per-document analysis later) are pure
functions of one item, so they run in a process pool; the main process reads
inputs, skips what the store already has, and writes results in order, in
transactions, so an interrupted run resumes where it stopped.  Corpus-wide
stages (later issues) run after, on the stored products.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sitrep.extract.document import extract_item
from sitrep.ingest.files import Source, read_inputs
from sitrep.ingest.limits import Limits
from sitrep.model import Document, ItemError, RawItem
from sitrep.stage import CorpusStage, DocStage, StageContext
from sitrep.store.db import Store
from sitrep.store.provenance import missing_product, put_product

BATCH_DOCS = 200  # documents per transaction
BATCH_SECONDS = 2.0  # ...or this long, whichever comes first


@dataclass
class IngestSummary:
    ingested: int = 0
    skipped: int = 0  # already in the store
    duplicates: int = 0
    failed: int = 0
    errors: list[ItemError] = field(default_factory=list)
    interrupted: bool = False

    @property
    def seen(self) -> int:
        return self.ingested + self.skipped + self.failed


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _worker_init() -> None:
    # Ctrl-C is the main process's to handle: it commits what is done, then stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ordered_map(fn: Callable, items: Iterable, pool=None, window: int = 16) -> Iterator[tuple[Any, Any]]:
    """Yield ``(item, fn(item))`` in input order, computing in ``pool`` when given.

    At most ``window`` items are in flight, so memory stays bounded however
    long the input; ``items`` is consumed lazily in this thread, so a
    generator feeding it may write to the store as it goes.
    """
    pending: deque = deque()
    for item in items:
        if pool is None:
            yield item, fn(item)
            continue
        pending.append((item, pool.apply_async(fn, (item,))))
        while len(pending) > window:
            done, res = pending.popleft()
            yield done, res.get()
    while pending:
        done, res = pending.popleft()
        yield done, res.get()


def make_pool(workers: int, method: str = "fork"):
    """The process pool every per-item stage runs in (None: run in this process).

    Stages that use torch need ``method="forkserver"``: a child forked from a
    process that has already run torch (its thread pools) can deadlock."""
    if workers <= 1:
        return None
    return mp.get_context(method).Pool(workers, initializer=_worker_init)


def close_pool(pool, interrupted: bool = False) -> None:
    """Stop the pool: let finished workers exit, or terminate them after an
    interrupt (they hold nothing that the next run does not recompute)."""
    if pool is None:
        return
    if interrupted:
        pool.terminate()
    else:
        pool.close()
    pool.join()


def ingest(
    inputs: Iterable[str],
    store: Store,
    limits: Limits | None = None,
    workers: int | None = None,
    command: str = "ingest",
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Read, extract and store every item of ``inputs``; return what happened."""
    limits = limits or Limits()
    workers = default_workers() if workers is None else workers
    summary = IngestSummary()
    run_id = store.start_run(command)
    writer = _Writer(store, run_id, summary)

    def to_extract() -> Iterator[RawItem]:
        for event in read_inputs(inputs, limits):
            if isinstance(event, Source):
                writer.source(event)
            elif isinstance(event, ItemError):
                writer.error(event, None)
            elif store.has_document(event.id):
                summary.skipped += 1
            else:
                yield event

    pool = make_pool(workers)
    try:
        extract = partial(extract_item, max_bytes=limits.max_item_bytes)
        for item, result in ordered_map(extract, to_extract(), pool, window=max(4, workers * 8)):
            writer.result(item, result)
            if on_progress:
                on_progress(summary)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        close_pool(pool, interrupted=summary.interrupted)
        writer.flush()
        store.update_run(run_id, ingested=summary.ingested, skipped=summary.skipped,
                         duplicates=summary.duplicates, failed=summary.failed)
        store.finish_run(run_id, "interrupted" if summary.interrupted else "done")
    return summary


class _Writer:
    """Buffers results and writes them in transactions of bounded size and age."""

    def __init__(self, store: Store, run_id: int, summary: IngestSummary):
        self.store, self.run_id, self.summary = store, run_id, summary
        self.buf: list[tuple[str, object, bytes | None]] = []
        self.since = time.monotonic()

    def source(self, src: Source) -> None:
        self.buf.append(("source", src, None))
        self._maybe_flush()

    def error(self, err: ItemError, raw: bytes | None) -> None:
        self.summary.failed += 1
        self.summary.errors.append(err)
        self.buf.append(("error", err, raw))
        self._maybe_flush()

    def result(self, item: RawItem, res: Document | ItemError) -> None:
        if isinstance(res, ItemError):
            self.error(res, item.data)
            return
        self.buf.append(("doc", res, item.data))
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.buf) >= BATCH_DOCS or time.monotonic() - self.since > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.buf:
            with self.store.transaction():
                for kind, obj, raw in self.buf:
                    if kind == "source":
                        self.store.put_source(obj.locator, obj.data)
                    elif kind == "error":
                        self.store.add_error(obj, self.run_id, raw)
                    elif self.store.add_document(obj, raw):
                        self.summary.ingested += 1
                        self.summary.duplicates += obj.duplicate_of is not None
                    else:
                        self.summary.skipped += 1
            self.buf.clear()
        self.since = time.monotonic()


# -- analysis: per-document stages in the pool, then corpus stages ---------------


@dataclass
class AnalysisSummary:
    analysed: int = 0  # documents whose per-document products were computed
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)  # per corpus stage


def doc_stages() -> list[DocStage]:
    from sitrep.provenance.stages import DOC_STAGES as provenance

    return [*provenance]


def corpus_stages() -> list[CorpusStage]:
    from sitrep.provenance.stages import CORPUS_STAGES as provenance

    return [*provenance]


def _run_doc_stages(job: tuple[Document, tuple[str, ...]]) -> dict[str, Any]:
    doc, names = job
    by_name = {s.name: s for s in doc_stages()}
    return {name: by_name[name].run(doc) for name in names}


def analyse(store: Store, workers: int | None = None, log: Callable[[str], None] = lambda m: None) -> AnalysisSummary:
    """Bring every derived product up to date with the stored documents."""
    workers = default_workers() if workers is None else workers
    summary = AnalysisSummary()
    stages = {s.name: s for s in doc_stages()}
    todo: dict[str, list[str]] = {}
    for s in stages.values():
        for doc_id in missing_product(store, s.name, s.version):
            todo.setdefault(doc_id, []).append(s.name)
    order = {doc_id: i for i, doc_id in enumerate(todo)}

    def jobs() -> Iterator[tuple[Document, tuple[str, ...]]]:
        for doc_id in sorted(todo, key=order.get):
            yield store.document(doc_id), tuple(todo[doc_id])

    pool = make_pool(workers, "forkserver") if len(todo) > 1 else None
    interrupted = True
    try:
        batch: list[tuple[Document, dict[str, Any]]] = []
        for (doc, _), products in ordered_map(_run_doc_stages, jobs(), pool, window=max(4, workers * 4)):
            batch.append((doc, products))
            if len(batch) >= BATCH_DOCS:
                _save_products(store, stages, batch)
                batch = []
        _save_products(store, stages, batch)
        interrupted = False
    finally:
        close_pool(pool, interrupted)
    summary.analysed = len(todo)
    ctx = StageContext(new_ids=list(todo), workers=workers, log=log)
    for stage in corpus_stages():
        t = time.monotonic()
        figures = stage.run(store, ctx) or {}
        figures["seconds"] = round(time.monotonic() - t, 2)
        summary.figures[stage.name] = figures
        log(f"{stage.name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return summary


def _save_products(store: Store, stages: dict[str, DocStage], batch) -> None:
    if not batch:
        return
    with store.transaction():
        for doc, products in batch:
            for name, product in products.items():
                stage = stages[name]
                data = stage.save(store, doc.id, product) if stage.save else product
                put_product(store, doc.id, name, stage.version, data)
