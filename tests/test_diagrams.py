import numpy as np

from kw2v import diagrams, noise_distribution


def test_save_all_writes_every_diagram(tmp_path):
    paths = diagrams.save_all(tmp_path)
    assert [p.stem for p in paths] == list(diagrams.DIAGRAMS)
    for p in paths:
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_command_line_writes_into_out(tmp_path):
    assert diagrams.main(["--out", str(tmp_path / "imgs")]) == 0
    assert len(list((tmp_path / "imgs").glob("*.png"))) == len(diagrams.DIAGRAMS)


def test_unigram_figure_numbers_are_the_worked_example():
    # the figure's 0.9 / 0.09 / 0.01 example, raised to 3/4 before normalising
    raw = np.array([0.9, 0.09, 0.01])
    np.testing.assert_allclose(np.round(raw**0.75, 3), [0.924, 0.164, 0.032])
    probs = noise_distribution(raw)
    assert probs[2] > raw[2] and probs[0] < raw[0]
