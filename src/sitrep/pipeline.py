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
from sitrep.stage import CorpusStage, DocStage, Layer, StageContext
from sitrep.store.db import Store, now
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


def _worker_init(torch_threads: int | None = None) -> None:
    # Ctrl-C is the main process's to handle: it commits what is done, then stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if torch_threads is not None and not os.environ.get("SITREP_TORCH_THREADS"):
        # Each worker's torch would otherwise take every core: workers x cores threads on the
        # cores, which spin against each other (oversubscription).
        os.environ["SITREP_TORCH_THREADS"] = str(torch_threads)


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
    threads = max(1, (os.cpu_count() or 1) // workers)
    return mp.get_context(method).Pool(workers, initializer=_worker_init, initargs=(threads,))


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


# -- analysis: layer by layer, per-document stages in the pool, then corpus stages --

POOL_MIN = 48
ANALYSIS_BATCH = 32  # documents per job of a batched stage (one nlp.pipe call)


@dataclass
class AnalysisSummary:
    analysed: int = 0  # documents whose per-document products were computed
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)  # per stage


def layers() -> list[Layer]:
    from sitrep.corroborate.stages import LAYER as corroboration
    from sitrep.provenance.stages import LAYER as provenance
    from sitrep.understand.stages import LAYER as understanding

    return [provenance, understanding, corroboration]


def doc_stages() -> list[DocStage]:
    return [s for layer in layers() for s in layer.doc_stages]


def corpus_stages() -> list[CorpusStage]:
    return [s for layer in layers() for s in layer.corpus_stages]


def _stage(name: str) -> DocStage:
    return next(s for s in doc_stages() if s.name == name)


@dataclass(frozen=True)
class StageFailure:
    """A per-document stage that raised on one document: recorded in ``errors``, the run goes on,
    and the next run tries the document again (it still lacks the product)."""

    stage: str
    reason: str
    detail: str


def _attempt(stage: str, fn: Callable[[Any], Any], arg: Any) -> Any:
    try:
        return fn(arg)
    except Exception as e:  # noqa: BLE001 - any bug on one hostile document must not stop the pile
        import traceback

        return StageFailure(stage, f"{type(e).__name__}: {e}"[:500], traceback.format_exc(limit=8)[-4000:])


def _run_doc_stages(job: tuple[Document, tuple[str, ...]]) -> dict[str, Any]:
    doc, names = job
    return {name: _attempt(name, _stage(name).run, doc) for name in names}


def _run_batch(job: tuple[str, list[str], list[Any]]) -> list[Any]:
    name, _ids, inputs = job
    run = _stage(name).run
    out = _attempt(name, run, inputs)
    if not isinstance(out, StageFailure):
        return out
    # One document broke the batch: redo it one by one so only that document fails.
    return [_one(_attempt(name, run, [x])) for x in inputs]


def _one(result: Any) -> Any:
    return result if isinstance(result, StageFailure) else result[0]


def analyse(store: Store, workers: int | None = None, log: Callable[[str], None] = lambda m: None) -> AnalysisSummary:
    """Bring every derived product up to date with the stored documents."""
    workers = default_workers() if workers is None else workers
    summary = AnalysisSummary()
    started = now()
    for layer in layers():
        t = time.monotonic()
        new_ids = _run_layer_doc_stages(store, layer, workers)
        for locator, reason in store.db.execute(
                "SELECT locator, substr(detail, 1, instr(detail || char(10), char(10)) - 1) FROM errors "
                "WHERE reason = 'analysis_failed' AND at >= ?", (started,)).fetchall():
            log(f"failed: {locator}: {reason} (kept in `sitrep errors`; retried on the next run)")
        summary.analysed = max(summary.analysed, len(new_ids))
        if new_ids:
            summary.figures[layer.name] = {"documents": len(new_ids), "seconds": round(time.monotonic() - t, 2)}
            log(f"{layer.name}: {len(new_ids)} documents in {time.monotonic() - t:.1f}s")
        ctx = StageContext(new_ids=new_ids, workers=workers, log=log)
        for stage in layer.corpus_stages:
            t = time.monotonic()
            figures = stage.run(store, ctx) or {}
            figures["seconds"] = round(time.monotonic() - t, 2)
            summary.figures[stage.name] = figures
            log(f"{stage.name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return summary


def pool_min() -> int:
    """Fewest documents worth a worker pool: each worker loads its own models (spaCy, sentence vectors,
    language models; tens of seconds), which costs more than it saves on a small pile."""
    return int(os.environ.get("SITREP_POOL_MIN", POOL_MIN))


def _todo(store: Store, stage: DocStage) -> list[str]:
    ids = missing_product(store, stage.name, stage.version)
    if stage.stale:
        seen = set(ids)
        ids += [i for i in stage.stale(store) if i not in seen]
    if stage.wanted:
        wanted = stage.wanted(store)
        ids = [i for i in ids if i in wanted]
    return ids


def _run_layer_doc_stages(store: Store, layer: Layer, workers: int) -> list[str]:
    """Compute the layer's missing per-document products; return the ids of the documents concerned."""
    plain = [s for s in layer.doc_stages if not s.batched]
    todo: dict[str, list[str]] = {}
    for s in plain:
        for doc_id in _todo(store, s):
            todo.setdefault(doc_id, []).append(s.name)
    batched = {s.name: _todo(store, s) for s in layer.doc_stages if s.batched}
    touched = dict.fromkeys([*todo, *(i for ids in batched.values() for i in ids)])
    if not touched:
        return []
    pool = make_pool(workers, "forkserver") if workers > 1 and len(touched) >= pool_min() else None
    interrupted = True
    try:
        _plain_products(store, plain, todo, pool, workers)
        for name, ids in batched.items():
            _batched_products(store, _stage(name), ids, pool, workers)
        interrupted = False
    finally:
        close_pool(pool, interrupted)
    return list(touched)


def _plain_products(store: Store, stages: list[DocStage], todo: dict[str, list[str]], pool, workers: int) -> None:
    by_name = {s.name: s for s in stages}

    def jobs() -> Iterator[tuple[Document, tuple[str, ...]]]:
        for doc_id, names in todo.items():
            yield store.document(doc_id), tuple(names)

    batch: list[tuple[str, dict[str, Any]]] = []
    for (doc, _), products in ordered_map(_run_doc_stages, jobs(), pool, window=max(4, workers * 4)):
        batch.append((doc.id, products))
        if len(batch) >= BATCH_DOCS:
            _save_products(store, by_name, batch)
            batch = []
    _save_products(store, by_name, batch)


def _batched_products(store: Store, stage: DocStage, ids: list[str], pool, workers: int) -> None:
    load = stage.load or (lambda st, doc_id: st.document(doc_id))

    def jobs() -> Iterator[tuple[str, list[str], list[Any]]]:
        for i in range(0, len(ids), ANALYSIS_BATCH):
            chunk = ids[i:i + ANALYSIS_BATCH]
            yield stage.name, chunk, [load(store, doc_id) for doc_id in chunk]

    for (_, chunk, _), products in ordered_map(_run_batch, jobs(), pool, window=max(2, workers * 2)):
        _save_products(store, {stage.name: stage}, [(doc_id, {stage.name: p}) for doc_id, p in zip(chunk, products)])


def _save_products(store: Store, stages: dict[str, DocStage], batch: list[tuple[str, dict[str, Any]]]) -> None:
    if not batch:
        return
    with store.transaction():
        for doc_id, products in batch:
            for name, product in products.items():
                locator = f"analysis:{name}:{doc_id}"
                if isinstance(product, StageFailure):
                    store.db.execute(
                        "INSERT OR REPLACE INTO errors (locator, reason, detail, at) VALUES (?, ?, ?, ?)",
                        (locator, "analysis_failed", f"{product.reason}\n{product.detail}", now()))
                    continue
                stage = stages[name]
                data = stage.save(store, doc_id, product) if stage.save else product
                put_product(store, doc_id, name, stage.version, data)
                store.db.execute("DELETE FROM errors WHERE locator = ?", (locator,))
