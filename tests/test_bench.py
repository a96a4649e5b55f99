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
