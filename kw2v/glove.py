"""GloVe: word vectors fitted to the logarithm of a weighted co-occurrence matrix.

word2vec learns from one window at a time; GloVe (Pennington, Socher and Manning, 2014) first
counts, once, how often each pair of words appears near each other — ``X[i, j]``, each
co-occurrence weighted ``1 / distance`` — and then fits ``w_i . w~_j + b_i + b~_j`` to
``log X[i, j]`` by weighted least squares over the non-zero entries only:

``J = sum f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2``, ``f(x) = min(1, (x / x_max)^alpha)``.

The weighting keeps rare, noisy pairs from counting much and caps frequent ones ("of the") at 1.
The saved vectors are ``w + w~``, as in the paper. Introduced in notebook 07.
"""

from __future__ import annotations

import time
import warnings

import keras
import numpy as np
from keras import layers

from kw2v.backend import require_tensorflow
from kw2v.config import check_values
from kw2v.embeddings import word2vec_embedding, word_tables
from kw2v.errors import Kw2vError
from kw2v.method import ONE_TABLE, Method
from kw2v.pipeline import ExamplePipeline
from kw2v.windows import neighbours

__all__ = [
    "Cooccurrence",
    "GloVe",
    "GloVePipeline",
    "build_glove_model",
    "count_cooccurrences",
    "fit_biases",
    "glove_vectors",
    "glove_weight",
    "warm_start_biases",
]

X_MAX = 100.0
ALPHA = 0.75


class Cooccurrence:
    """A sparse co-occurrence matrix: the non-zero entries ``X[rows[n], cols[n]] = values[n]``.

    Entries are sorted by (row, column) and each (row, column) appears once. Introduced in
    notebook 07.

    Parameters
    ----------
    rows, cols : ndarray of int32
    values : ndarray of float32
    vocab_size : int
        The matrix is ``vocab_size x vocab_size`` (index 0, reserved, stays empty).
    """

    def __init__(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, vocab_size: int):
        self.rows = np.asarray(rows, np.int32)
        self.cols = np.asarray(cols, np.int32)
        self.values = np.asarray(values, np.float32)
        self.vocab_size = int(vocab_size)

    def __len__(self) -> int:
        """The number of non-zero entries."""
        return len(self.values)

    def __repr__(self) -> str:
        return f"Cooccurrence({self.vocab_size} x {self.vocab_size}, {len(self):,} non-zero)"

    @property
    def density(self) -> float:
        """Fraction of the (real-word) matrix that is non-zero."""
        n = max(self.vocab_size - 1, 1)
        return len(self) / n**2

    def get(self, i: int, j: int) -> float:
        """``X[i, j]`` (0.0 when absent)."""
        # entries are sorted by row, then column: find the row's run, then the column in it
        lo, hi = np.searchsorted(self.rows, [i, i + 1])
        pos = lo + np.searchsorted(self.cols[lo:hi], j)
        return float(self.values[pos]) if pos < hi and self.cols[pos] == j else 0.0

    def to_dense(self) -> np.ndarray:
        """The full matrix as a float32 array (small vocabularies only)."""
        if self.vocab_size > 20_000:
            raise Kw2vError(
                f"a dense {self.vocab_size} x {self.vocab_size} matrix is too large; "
                "use rows/cols/values or to_scipy()"
            )
        dense = np.zeros((self.vocab_size, self.vocab_size), np.float32)
        dense[self.rows, self.cols] = self.values
        return dense

    def to_scipy(self):
        """The matrix as a ``scipy.sparse.csr_matrix``."""
        from scipy import sparse

        shape = (self.vocab_size, self.vocab_size)
        return sparse.csr_matrix((self.values, (self.rows, self.cols)), shape=shape)


def _chunk_pairs(
    ids: np.ndarray, sent: np.ndarray, start: int, window: int, vocab_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys ``row * V + col`` and summed weights of a stretch of tokens.

    Each pair of tokens ``distance <= window`` apart in one sentence adds ``1 / distance`` to both
    ``X[left, right]`` and ``X[right, left]`` (GloVe's symmetric window). Only pairs whose
    right-hand token is at ``start`` or later are counted: the stretch begins ``window``
    tokens before its chunk, so every pair is counted once, chunk boundaries included.
    """
    n = len(ids)
    keys, weights = [], []
    for distance, same, _ in neighbours(n, window, None, sent):  # every span is the whole window
        first_left = max(start - distance, 0)
        same = same[first_left:]
        left = ids[first_left : n - distance][same].astype(np.int64)
        right = ids[first_left + distance :][same].astype(np.int64)
        keys += [left * vocab_size + right, right * vocab_size + left]
        weights.append(np.full(2 * len(left), 1.0 / distance))
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0)
    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate(weights), minlength=len(unique))


def _merge(keys, vals, new_keys, new_vals):
    """Add sorted unique (new_keys, new_vals) into sorted unique (keys, vals), in O(n + m)."""
    pos = np.searchsorted(keys, new_keys)
    found = np.zeros(len(new_keys), bool)
    inside = pos < len(keys)
    found[inside] = keys[pos[inside]] == new_keys[inside]
    vals[pos[found]] += new_vals[found]
    fresh = ~found
    return np.insert(keys, pos[fresh], new_keys[fresh]), np.insert(
        vals, pos[fresh], new_vals[fresh]
    )


def count_cooccurrences(
    ids: np.ndarray,
    vocab_size: int,
    window: int = 10,
    *,
    sentence_starts: np.ndarray | None = None,
    chunk_tokens: int = 200_000,
    max_pairs: int = 40_000_000,
) -> Cooccurrence:
    """Count co-occurrences with ``1 / distance`` weighting, in memory bounded by the pairs.

    The corpus is read ``chunk_tokens`` at a time; each chunk's pairs are summed (sort and
    add) and merged into the running sorted table, so memory is the distinct pairs seen
    (16 bytes each) plus one chunk, never the ``2 x window x tokens`` raw pairs. If the
    distinct pairs exceed ``max_pairs``, the weakest entries are dropped (with a warning):
    the counts then become approximate for rare pairs, which ``f(x)`` weighs least anyway.
    Introduced in notebook 07.

    Parameters
    ----------
    ids : ndarray of int32
        The encoded corpus (:func:`kw2v.encode_corpus`).
    vocab_size : int
        ``len(vocabulary)``.
    window : int
        Largest distance counted, on each side.
    sentence_starts : ndarray of int, optional
        Token offsets where sentences start; pairs never cross a sentence.
    chunk_tokens : int
    max_pairs : int
        Cap on the distinct pairs kept in memory.

    Returns
    -------
    Cooccurrence
    """
    check_values(window=window)
    if max_pairs < 1:
        raise Kw2vError(f"max_pairs must be at least 1, got {max_pairs}")
    ids = np.asarray(ids, np.int32)
    if len(ids) < 2:
        raise Kw2vError("the corpus needs at least 2 known words to count co-occurrences")
    starts = np.zeros(1, np.int64) if sentence_starts is None else np.asarray(sentence_starts)
    keys = np.zeros(0, np.int64)
    vals = np.zeros(0, np.float64)
    pruned = False
    for lo in range(0, len(ids), chunk_tokens):
        hi = min(lo + chunk_tokens, len(ids))
        first = max(lo - window, 0)  # reach back for pairs that straddle the chunk boundary
        sent = np.searchsorted(starts, np.arange(first, hi), side="right")
        new_keys, new_vals = _chunk_pairs(ids[first:hi], sent, lo - first, window, vocab_size)
        keys, vals = _merge(keys, vals, new_keys, new_vals)
        if len(keys) > max_pairs:
            keep = np.sort(np.argpartition(vals, len(vals) - max_pairs)[-max_pairs:])
            keys, vals = keys[keep], vals[keep]
            pruned = True
    if pruned:
        warnings.warn(
            f"more than {max_pairs:,} distinct co-occurring pairs: the weakest were dropped; "
            "raise max_pairs (memory: 16 bytes a pair) or --min-count for exact counts",
            stacklevel=2,
        )
    if not len(keys):
        raise Kw2vError(
            "no two known words occur in one sentence; give more text or lower --min-count"
        )
    return Cooccurrence(keys // vocab_size, keys % vocab_size, vals, vocab_size)


def glove_weight(x, x_max: float = X_MAX, alpha: float = ALPHA):
    """GloVe's weighting ``f(x) = (x / x_max)^alpha``, capped at 1. Introduced in notebook 07."""
    x = np.asarray(x, dtype=np.float64)
    return np.minimum(1.0, (x / x_max) ** alpha)


class GloVePipeline(ExamplePipeline):
    """Batches of non-zero entries: ``({"word", "context"}, log X (B, 1), weight (B,))``.

    The weight travels as Keras's ``sample_weight``, so the loss is Keras's own mean squared
    error. An epoch is as many entries as the matrix has non-zeros, drawn in one of two ways
    (random stream ``(seed, epoch)`` each epoch, :class:`kw2v.pipeline.ExamplePipeline`):

    - ``"uniform"``, the paper's way: every entry once, in a random order, its squared error
      weighted ``f(X_ij)``;
    - ``"weighted"`` (the default): each entry visited *in proportion to* ``f(X_ij)`` —
      ``N f_ij / sum(f)`` times an epoch, rounded up or down (systematic sampling), in a random
      order — with every error weighted the same (the mean of ``f``). The gradient is the same
      in expectation, so is the objective, but the updates go where the weight is: most
      non-zeros are pairs seen once or twice, with ``f`` around 0.03, on which a uniform pass
      spends most of its steps. Measured on the first 20 MB of wiki8 after one epoch: WS353
      0.40 against 0.35 (notebook 07).

    Introduced in notebook 07.

    Parameters
    ----------
    cooc : Cooccurrence
    batch_size : int
        Entries per batch.
    sampling : {"weighted", "uniform"}
    x_max, alpha : float
        The weighting function's parameters.
    seed : int
    """

    examples = "co-occurrence entries"

    def __init__(
        self,
        cooc: Cooccurrence,
        *,
        batch_size: int = 1024,
        sampling: str = "weighted",
        x_max: float = X_MAX,
        alpha: float = ALPHA,
        seed: int = 0,
        steps_per_execution: int = 1,
    ):
        if sampling not in ("weighted", "uniform"):
            raise Kw2vError(f"sampling must be 'weighted' or 'uniform', got {sampling!r}")
        if not len(cooc):
            raise Kw2vError("the co-occurrence matrix is empty")
        self.cooc, self.sampling = cooc, sampling
        self.log_x = np.log(cooc.values).astype(np.float32)
        self.weight = glove_weight(cooc.values, x_max, alpha).astype(np.float32)
        super().__init__(batch_size=batch_size, seed=seed, steps_per_execution=steps_per_execution)

    def _size(self) -> int:
        return len(self.cooc)

    def expected_examples(self) -> float:
        """Entries an epoch: this pipeline's share of the non-zeros."""
        return float(self.hi - self.lo)

    def _pass(self, rng):
        """One pass: as many entries as the share has non-zeros, a partial batch dropped."""
        entries = np.arange(self.lo, self.hi)
        n, b = len(entries), min(self.batch_size, len(entries))
        if self.sampling == "uniform":
            order = entries[rng.permutation(n)]
            for step in range(n // b):
                idx = order[step * b : (step + 1) * b]
                yield self._batch(idx, self.weight[idx])
            return
        # Systematic sampling: one sorted pass of N evenly spaced points over the cumulative
        # weights visits entry i floor or ceil of N f_i / sum(f) times; then shuffle.
        cdf = np.cumsum(self.weight[self.lo : self.hi], dtype=np.float64)
        cdf /= cdf[-1]
        points = (np.arange(n, dtype=np.float64) + rng.random()) / n
        visits = np.minimum(np.searchsorted(cdf, points, side="right"), n - 1)
        visits = (self.lo + visits).astype(np.int32)[rng.permutation(n)]
        same = np.full(b, self.weight[self.lo : self.hi].mean(), np.float32)
        for step in range(n // b):
            yield self._batch(visits[step * b : (step + 1) * b], same)

    def _batch(self, idx, weight):
        x = {"word": self.cooc.rows[idx], "context": self.cooc.cols[idx]}
        return x, self.log_x[idx, None], weight

    def _signature(self):
        tf = require_tensorflow("the tf.data input pipeline")

        spec = tf.TensorSpec((None,), tf.int32)
        return (
            {"word": spec, "context": spec},
            tf.TensorSpec((None, 1), tf.float32),
            tf.TensorSpec((None,), tf.float32),
        )


def build_glove_model(vocab_size: int, embedding_dim: int = 100) -> keras.Model:
    """GloVe's model: ``w_i . w~_j + b_i + b~_j``, to be fitted to ``log X_ij``.

    Inputs ``word`` and ``context``, shape (batch,); output (batch, 1). Compile it with
    ``loss="mean_squared_error"`` and feed ``f(X_ij)`` as the sample weight: that is GloVe's
    weighted least squares. Both tables start small and random, the biases at zero.
    Introduced in notebook 07.

    Parameters
    ----------
    vocab_size : int
        ``len(vocabulary)``, reserved index 0 included.
    embedding_dim : int

    Returns
    -------
    keras.Model
        Not compiled.
    """
    if vocab_size < 2:
        raise Kw2vError(f"vocab_size must be at least 2 (index 0 is reserved), got {vocab_size}")
    word = keras.Input(shape=(), dtype="int32", name="word")
    context = keras.Input(shape=(), dtype="int32", name="context")
    w = word2vec_embedding(vocab_size, embedding_dim, "word_embedding", seed=1)(word)  # (b, dim)
    c = word2vec_embedding(vocab_size, embedding_dim, "context_embedding", seed=2)(context)
    b = word2vec_embedding(vocab_size, 1, "word_bias", seed=None)(word)  # (batch, 1), from zero
    bc = word2vec_embedding(vocab_size, 1, "context_bias", seed=None)(context)
    dot = layers.Dot(axes=1, name="dot")([w, c])  # (batch, 1)
    out = layers.Add(name="log_count")([dot, b, bc])
    return keras.Model([word, context], out, name="glove")


def fit_biases(
    cooc: Cooccurrence,
    *,
    x_max: float = X_MAX,
    alpha: float = ALPHA,
    iterations: int = 10,
) -> tuple[np.ndarray, np.ndarray]:
    """The biases that best explain ``log X`` with all vectors at zero: GloVe's warm start.

    Most of ``log X_ij`` is how frequent ``i`` and ``j`` are, which the biases ``b_i + b~_j``
    can carry alone. This fits them first, by alternating exact weighted least-squares
    solutions (``b_i`` = the ``f``-weighted mean of ``log X_ij - b~_j`` over row ``i``, then
    the same for ``b~``), so training starts on the part only vectors can explain, the
    residual ``log X_ij - b_i - b~_j`` — pointwise mutual information, in effect. On the
    first 20 MB of wiki8 the biases alone explain 68% of the weighted variance of ``log X``,
    and 5 iterations reach the optimum to 5 digits (2 s for the 10 done by default).
    Introduced in notebook 07.

    Returns
    -------
    (word_bias, context_bias) : ndarray of float32, shape (vocab_size,)
    """
    v = cooc.vocab_size
    log_x = np.log(cooc.values.astype(np.float64))
    f = glove_weight(cooc.values, x_max, alpha)
    row_w = np.bincount(cooc.rows, weights=f, minlength=v)
    col_w = np.bincount(cooc.cols, weights=f, minlength=v)
    b, bc = np.zeros(v), np.zeros(v)
    for _ in range(iterations):
        r = np.bincount(cooc.rows, weights=f * (log_x - bc[cooc.cols]), minlength=v)
        b = np.divide(r, row_w, out=np.zeros(v), where=row_w > 0)
        r = np.bincount(cooc.cols, weights=f * (log_x - b[cooc.rows]), minlength=v)
        bc = np.divide(r, col_w, out=np.zeros(v), where=col_w > 0)
    return b.astype(np.float32), bc.astype(np.float32)


def warm_start_biases(model: keras.Model, cooc: Cooccurrence, **kwargs) -> keras.Model:
    """Set the model's bias tables to :func:`fit_biases`, before training. Returns the model."""
    b, bc = fit_biases(cooc, **kwargs)
    model.get_layer("word_bias").set_weights([b[:, None]])
    model.get_layer("context_bias").set_weights([bc[:, None]])
    return model


def glove_vectors(model: keras.Model) -> np.ndarray:
    """``w + w~``: the word and context tables summed, one row per vocabulary index.

    :func:`kw2v.word_tables` with ``"target+context"``, GloVe's own choice.
    Introduced in notebook 07.
    """
    return word_tables(model, "target+context")


class GloVe(Method):
    """GloVe: vectors fitted to the log of the co-occurrence counts, counted once (notebook 07).

    ``seconds`` of its run includes the counting, so words/s compares whole runs.
    """

    title, window = "GloVe", 10
    unused = {
        "negative": "GloVe fits co-occurrence counts, with no negatives",
        "sample": "GloVe counts every co-occurrence; its weighting f(X) damps frequent pairs",
        "shared_embedding": ONE_TABLE,
    }

    def keras_loss(self):
        return "mean_squared_error"

    def pipeline(self, config, vocab, ids, starts, verbose):
        start = time.perf_counter()
        cooc = count_cooccurrences(ids, len(vocab), config.window, sentence_starts=starts)
        if verbose:
            print(
                f"co-occurrence matrix: {len(cooc):,} non-zero entries "
                f"({cooc.density:.3%} of {len(vocab) - 1:,}²), "
                f"counted in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
        return GloVePipeline(
            cooc, batch_size=config.batch_size, seed=config.seed,
            steps_per_execution=config.steps_per_execution,
        )  # fmt: skip

    def build(self, config, vocab, pipeline):
        return warm_start_biases(build_glove_model(len(vocab), config.dim), pipeline.cooc)
