import json

from kw2v.bench import prepare_corpus
from kw2v.cli import main


def test_prepare_corpus_keeps_the_first_words(tmp_path):
    src = tmp_path / "c.txt"
    src.write_text("a b c\nd e\nf g h i\n")
    text, n = prepare_corpus(str(src), 6, tmp_path)
    assert n == 6 and text.read_text() == "a b c\nd e\nf\n"


def test_bench_trains_both_and_reports_ratios(tmp_path, capsys):
    # Through the command line, as the README runs it (its defaults reach run_bench).
    argv = ["bench", "--corpus", "wiki-sample", "--out", str(tmp_path), "--max-words", "30000"]
    assert main([*argv, "--min-count", "3"]) == 0
    assert "ratios" in capsys.readouterr().out
    report = json.loads((tmp_path / "bench.json").read_text())
    k, g = report["results"]["kw2v"], report["results"]["gensim"]
    assert k["vocabulary"] == g["vocabulary"] > 500  # same corpus, same vocabulary rule
    assert k["wall_s"] > 0 and g["peak_rss_mb"] > 0
    assert report["ratios"]["words_per_s"] == round(k["words_per_s"] / g["words_per_s"], 3)
    assert json.loads((tmp_path / "bench.json").read_text())["words"] == 30_000
    assert "| ws353 |" in (tmp_path / "bench.md").read_text()
    assert report["gensim_options"] == {"sg": 1, "hs": 0, "negative": 5}  # skip-gram, negatives


def test_bench_cbow_with_hierarchical_softmax_matches_gensims_options(tmp_path, capsys):
    argv = ["bench", "--corpus", "wiki-sample", "--out", str(tmp_path), "--max-words", "20000"]
    assert main([*argv, "--min-count", "3", "--model", "cbow", "--loss", "hierarchical"]) == 0
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["gensim_options"] == {"sg": 0, "hs": 1, "negative": 0}
    assert report["method"] == "CBOW with hierarchical softmax"
    kw2v_run = json.loads((tmp_path / "kw2v" / "run.json").read_text())["config"]
    assert (kw2v_run["model"], kw2v_run["loss"], kw2v_run["negative"]) == (
        "cbow",
        "hierarchical",
        None,
    )
    k, g = report["results"]["kw2v"], report["results"]["gensim"]
    assert k["vocabulary"] == g["vocabulary"] > 300


def test_bench_refuses_glove_in_one_line(tmp_path, capsys):
    assert (
        main(["bench", "--corpus", "wiki-sample", "--out", str(tmp_path), "--model", "glove"]) == 2
    )
    (line,) = capsys.readouterr().err.splitlines()
    assert (
        "gensim's Word2Vec, which has no GloVe" in line and not (tmp_path / "bench.json").exists()
    )
