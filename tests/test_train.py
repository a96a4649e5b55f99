"""train(): one training loop for every method. The planted groups are recovered by all five
(conftest.METHODS); seeds, run folders, probes and bad options."""

import keras
import numpy as np
import pytest
from conftest import METHODS, group_purity, method_options

from kw2v import Kw2vError, TrainConfig, WordVectors, train

SMALL = {"dim": 16, "epochs": 4, "min_count": 1, "sample": 0, "batch_size": 256, "window": 3}


def _train(planted, **kw):
    return train(planted, **{**SMALL, "verbose": 0, **kw})


def _noisy(sentences, noise=0.3, seed=1):
    """The planted corpus with 30% of the words replaced by any word of any group."""
    rng = np.random.default_rng(seed)
    words = sorted({w for s in sentences for w in s})
    return [[words[rng.integers(32)] if rng.random() < noise else w for w in s] for s in sentences]


#: The epochs and batch size with which each method must recover the planted groups.
PLANTED = {
    "skipgram": (4, 256),
    "skipgram-hs": (3, 128),
    "cbow": (4, 128),
    "cbow-hs": (4, 128),
    "glove": (3, 128),
}


@pytest.mark.parametrize("method", METHODS)
def test_every_method_recovers_planted_groups(planted, method):
    # GloVe fits log X on the non-zero entries only. In the pure planted corpus the groups
    # show only in *which* entries are zero (every non-zero count is about the same), so
    # GloVe gets noise: cross-group pairs that are rare but present, as in real text.
    corpus = _noisy(planted) if method == "glove" else planted
    epochs, batch_size = PLANTED[method]
    options = {**SMALL, "epochs": epochs, "batch_size": batch_size, "verbose": 0}
    result = train(corpus, **method_options(method, **options))
    assert len(result.vectors) == 32
    assert group_purity(result.vectors) > 0.9
    assert result.history["loss"][-1] < result.history["loss"][0]


def test_shared_embedding_also_recovers_groups(planted):
    assert group_purity(_train(planted, shared_embedding=True).vectors) > 0.85


@pytest.mark.parametrize("method", [*METHODS, "skipgram-device"])
def test_same_seed_same_vectors(planted, method):
    # Notebooks 00, 06 and 07 promise each method's scores again from the same seed.
    def vectors(seed):
        options = method_options(method, **{**SMALL, "epochs": 1, "seed": seed, "verbose": 0})
        return train(planted, **options).vectors.vectors

    first, again, other = vectors(7), vectors(7), vectors(8)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


def test_out_dir_files_reload(planted, tmp_path):
    from gensim.models import KeyedVectors

    result = _train(planted, epochs=1, out_dir=tmp_path / "run")
    run = tmp_path / "run"
    kv = KeyedVectors.load_word2vec_format(run / "vectors.bin", binary=True)
    assert kv.index_to_key == result.vectors.words
    np.testing.assert_allclose(kv.vectors, result.vectors.vectors)
    assert WordVectors.load_word2vec(run / "vectors.bin").words == result.vectors.words
    model = keras.models.load_model(run / "model.keras", safe_mode=True)
    assert model.count_params() == result.model.count_params()
    assert (run / "vocab.tsv").read_text().count("\n") == 32


def test_probe_words_print_neighbours(planted, capsys):
    _train(planted, epochs=1, probe_words=["a1", "nope"])
    out = capsys.readouterr().out
    assert "a1 →" in out and "nope" not in out


@pytest.mark.parametrize(
    "field,value",
    [
        ("window", 0),
        ("negative", -1),
        ("dim", 0),
        ("epochs", 0),
        ("sample", -0.1),
        ("batch_size", 0),
    ],
)
def test_bad_options_name_the_option(field, value):
    with pytest.raises(Kw2vError, match="--" + field.replace("_", "-")):
        TrainConfig(**{field: value}).validate()


def test_bad_variant_options_fail_clearly():
    from kw2v.methods import resolve

    with pytest.raises(Kw2vError, match="--model must be one of"):
        TrainConfig(architecture="fasttext").validate()
    with pytest.raises(Kw2vError, match="--loss"):
        resolve(TrainConfig(architecture="glove", objective="hierarchical"))
    with pytest.raises(Kw2vError, match="--shared-embedding"):
        resolve(TrainConfig(architecture="cbow", shared_embedding=True))


def test_unwritable_out_dir_fails_before_training(planted, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(Kw2vError, match="cannot write"):
        _train(planted, out_dir=blocker / "sub")


def test_output_vectors_sum_or_target_table(planted):
    from kw2v import embedding_weights, model_vectors

    result = _train(planted, epochs=1)
    target = embedding_weights(result.model, "target")[1:]
    context = embedding_weights(result.model, "context")[1:]
    np.testing.assert_allclose(result.vectors.vectors, target + context, rtol=1e-6)
    only = model_vectors(result.model, result.vocab, "target")
    np.testing.assert_allclose(only.vectors, target)
    with pytest.raises(Kw2vError, match="--output-vectors"):
        TrainConfig(output_vectors="both").validate()


@pytest.mark.parametrize("architecture", ["skipgram", "glove"])
def test_effective_words_count_what_subsampling_keeps(planted, architecture):
    from kw2v import keep_probabilities

    options = {"sample": 1e-2} if architecture == "skipgram" else {"sample": None, "window": None}
    result = _train(planted, epochs=1, architecture=architecture, **options)
    counts = result.vocab.counts
    if architecture == "glove":  # no subsampling: every token counts
        assert result.effective_tokens == result.tokens
        return
    kept = (counts * keep_probabilities(counts, 1e-2)).sum() / counts.sum()
    assert 0 < result.effective_tokens < result.tokens
    assert result.effective_tokens == round(result.tokens * kept)
    ratio = result.effective_words_per_second / result.words_per_second
    assert ratio == pytest.approx(result.effective_tokens / result.tokens)
