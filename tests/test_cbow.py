"""CBOW: CBOWPipeline's batches, and a model that averages the real context words only."""

import numpy as np

from kw2v.cbow import CBOWPipeline, build_cbow_model


def test_cbow_pipeline_batches():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 50, size=5000).astype(np.int32)
    counts = np.r_[0, np.bincount(ids, minlength=50)[1:]]
    pipe = CBOWPipeline(ids, counts, window=3, negative=4, sample=0, batch_size=100)
    batches = list(pipe.batches(0))
    assert len(batches) == pipe.steps_per_epoch() == 50
    ctx, tgt = batches[0]
    assert ctx.shape == (100, 6) and tgt.shape == (100, 5)
    assert (ctx != 0).any(axis=1).all()
    again = next(iter(pipe.batches(0)))
    np.testing.assert_array_equal(again[0], ctx)


def test_cbow_model_averages_real_context_words_only():
    model = build_cbow_model(10, 4)
    table = np.arange(40, dtype=np.float32).reshape(10, 4) / 40
    model.get_layer("word_embedding").set_weights([table])
    out_table = np.ones((10, 4), np.float32)
    model.get_layer("output_embedding").set_weights([out_table])
    p = model.predict({"context": np.array([[3, 5, 0, 0]]), "target": np.array([[1]])}, verbose=0)
    h = (table[3] + table[5]) / 2  # the padding 0s are not averaged in
    np.testing.assert_allclose(p[0, 0], 1 / (1 + np.exp(-h.sum())), rtol=1e-5)
