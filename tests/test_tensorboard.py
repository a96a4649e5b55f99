"""The offline Embedding Projector: TensorBoard, started on loopback, serves kw2v's export."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import numpy as np
import pytest
from conftest import free_ports, start_python

from kw2v.files import TENSORBOARD_TENSOR
from kw2v.vectors import WordVectors

pytest.importorskip("tensorboard.plugins.projector", reason="TensorBoard is not installed")

STARTUP_S = 90  # TensorBoard imports TensorFlow; a loaded 2-core CI machine is slow


def _get(base: str, route: str, **params: str) -> bytes:
    url = f"{base}/data/plugin/projector/{route}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.fixture
def tensorboard(tmp_path):
    """Start ``tensorboard --logdir`` on 127.0.0.1 and a free port; stop it afterwards."""
    log_dir = tmp_path / "logs"
    (port,) = free_ports(1)
    process = start_python(
        "-m", "tensorboard.main", "--logdir", str(log_dir), "--host", "127.0.0.1",
        "--port", str(port), quiet=True,
    )  # fmt: skip
    try:
        yield log_dir, f"http://127.0.0.1:{port}", process
    finally:
        process.kill()
        process.wait(timeout=30)


def _wait_for_runs(base: str, process) -> list[str]:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert process.poll() is None, "tensorboard exited early"
        try:
            runs = json.loads(_get(base, "runs"))
            if runs:
                return runs
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    pytest.fail(f"TensorBoard's projector listed no run within {STARTUP_S} s")


def test_tensorboard_projector_serves_the_exported_vectors_and_words(tensorboard) -> None:
    log_dir, base, process = tensorboard
    rng = np.random.default_rng(0)
    words = ["king", "queen", "paris", "new york", "three"]  # a space is fine in metadata.tsv
    wv = WordVectors(words, rng.standard_normal((len(words), 7)).astype(np.float32))
    assert wv.save_tensorboard(log_dir) == log_dir

    runs = _wait_for_runs(base, process)
    assert runs == ["."]  # the log folder itself holds the checkpoint
    info = json.loads(_get(base, "info", run="."))
    [embedding] = [e for e in info["embeddings"] if e["tensorName"] == TENSORBOARD_TENSOR]
    assert [int(n) for n in embedding["tensorShape"]] == [5, 7]
    assert embedding["metadataPath"].endswith("metadata.tsv")

    raw = _get(base, "tensor", run=".", name=TENSORBOARD_TENSOR)
    served = np.frombuffer(raw, dtype="<f4").reshape(5, 7)
    np.testing.assert_array_equal(served, wv.vectors)

    metadata = _get(base, "metadata", run=".", name=TENSORBOARD_TENSOR).decode()
    assert metadata.splitlines() == words
