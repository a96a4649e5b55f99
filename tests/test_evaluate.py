"""Evaluation scores: equal to gensim's on the same vectors, and right on planted answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gensim.test.utils import datapath

from kw2v.errors import Kw2vError
from kw2v.evaluate import analogies, evaluate_all, format_table, word_pairs
from kw2v.vectors import WordVectors

QUESTIONS = datapath("questions-words.txt")
PAIR_FILES = {"ws353": datapath("wordsim353.tsv"), "simlex": datapath("simlex999.txt")}


def _other_case(word: str) -> str:
    return word.lower() if word != word.lower() else word.capitalize()


def planted_vectors(seed: int = 14, dim: int = 24) -> WordVectors:
    """Vectors for the words of gensim's evaluation files, with analogies partly solvable.

    In each analogy section the second word of a pair is the first plus a section offset plus
    noise, so 3CosAdd gets most (not all) questions right and the counts mean something. Some
    words exist only in another case, some in two cases with close vectors (so a case variant
    of a question word often ranks first and gensim's skipping rule matters), and the word
    pairs of WS353/SimLex get random vectors. The seed is chosen so that no question is a
    near-tie (best and runner-up differ by > 1e-5), so float rounding cannot flip an answer.
    """
    rng = np.random.default_rng(seed)
    vec: dict[str, np.ndarray] = {}
    with open(QUESTIONS, encoding="utf8") as f:
        lines = [line.split() for line in f]
    sections: list[list[tuple[str, str]]] = []
    for fields in lines:
        if fields[0] == ":":
            sections.append([])
        else:
            sections[-1] += [(fields[0], fields[1]), (fields[2], fields[3])]
    for pairs in sections:
        offset = 0.8 * rng.standard_normal(dim)
        for a, b in pairs:
            vec.setdefault(a, rng.standard_normal(dim))
            vec.setdefault(b, vec[a] + offset + 0.7 * rng.standard_normal(dim))
    for path in PAIR_FILES.values():
        with open(path, encoding="utf8") as f:
            for line in f:
                if not line.startswith("#"):
                    for word in line.split("\t")[:2]:
                        vec.setdefault(word, rng.standard_normal(dim))
    words: list[str] = []
    for word in list(vec):
        luck = rng.random()
        if luck < 0.6:
            words.append(word)
            if rng.random() < 0.3 and _other_case(word) not in vec:
                vec[_other_case(word)] = vec[word] + 0.3 * rng.standard_normal(dim)
                words.append(_other_case(word))
        elif luck < 0.7 and _other_case(word) not in vec:
            vec[_other_case(word)] = vec[word]
            words.append(_other_case(word))
    rng.shuffle(words)
    return WordVectors(words, np.array([vec[w] for w in words]))


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return planted_vectors()


def _gensim_sections(sections: list[dict]) -> list[tuple[str, int, int]]:
    return [
        (s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections
    ]


def _our_sections(result: dict) -> list[tuple[str, int, int]]:
    return [(s["section"], s["correct"], s["total"]) for s in result["sections"]]


# --- parity with gensim ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ws353", "simlex"])
@pytest.mark.parametrize(
    ("case_insensitive", "restrict_vocab"), [(True, 300_000), (False, 300_000), (True, 900)]
)
def test_word_pairs_equal_gensim(wv, name, case_insensitive, restrict_vocab) -> None:
    ours = word_pairs(
        wv, name=name, case_insensitive=case_insensitive, restrict_vocab=restrict_vocab
    )
    pearson, spearman, oov_ratio = wv.to_gensim().evaluate_word_pairs(
        PAIR_FILES[name], case_insensitive=case_insensitive, restrict_vocab=restrict_vocab
    )
    assert ours["spearman"] == pytest.approx(spearman[0], abs=1e-6)
    assert ours["pearson"] == pytest.approx(pearson[0], abs=1e-6)
    assert ours["oov_ratio"] == pytest.approx(oov_ratio, abs=1e-9)
    assert ours["pairs"] > 50 and ours["oov"] > 0


def test_case_folding_finds_words_stored_in_another_case(wv) -> None:
    folded = word_pairs(wv, name="simlex")
    exact = word_pairs(wv, name="simlex", case_insensitive=False)
    assert folded["pairs"] > exact["pairs"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    ("case_insensitive", "restrict_vocab"), [(True, 300_000), (False, 300_000), (True, 600)]
)
def test_analogies_add_equal_gensim(wv, case_insensitive, restrict_vocab) -> None:
    ours = analogies(wv, case_insensitive=case_insensitive, restrict_vocab=restrict_vocab)
    score, sections = wv.to_gensim().evaluate_word_analogies(
        QUESTIONS, case_insensitive=case_insensitive, restrict_vocab=restrict_vocab
    )
    assert sections[-1]["section"] == "Total accuracy"
    assert _our_sections(ours) == _gensim_sections(sections[:-1])
    assert ours["accuracy"] == score
    assert (ours["correct"], ours["total"]) == _gensim_sections(sections[-1:])[0][1:]
    assert 0.5 < ours["accuracy"] < 0.95  # planted: informative, neither all right nor all wrong


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(("case_insensitive", "restrict_vocab"), [(True, 300_000), (False, 600)])
def test_analogies_mul_equal_gensim_protocol_with_cosmul(
    wv, case_insensitive, restrict_vocab
) -> None:
    # gensim has no 3CosMul evaluator, but its evaluator calls self.most_similar: point that at
    # most_similar_cosmul on the restricted vocabulary, and gensim's protocol scores 3CosMul.
    limit = min(restrict_vocab, len(wv))
    kv = WordVectors(wv.words[:limit], wv.vectors[:limit]).to_gensim()

    def cosmul(positive, negative, topn, restrict_vocab):
        return kv.most_similar_cosmul(positive=positive, negative=negative, topn=topn)

    kv.most_similar = cosmul
    score, sections = kv.evaluate_word_analogies(
        QUESTIONS, case_insensitive=case_insensitive, restrict_vocab=restrict_vocab
    )
    ours = analogies(
        wv, method="mul", case_insensitive=case_insensitive, restrict_vocab=restrict_vocab
    )
    assert _our_sections(ours) == _gensim_sections(sections[:-1])
    assert ours["accuracy"] == score
    add = analogies(
        wv, method="add", case_insensitive=case_insensitive, restrict_vocab=restrict_vocab
    )
    assert ours["correct"] != add["correct"]  # really a different method


def test_analogies_mul_equal_a_loop_over_most_similar_cosmul(wv) -> None:
    limit = 1200
    small = WordVectors(wv.words[:limit], wv.vectors[:limit])
    correct = total = 0
    with open(QUESTIONS, encoding="utf8") as f:
        for line in f:
            quad = line.split()
            if line.startswith(":") or not all(w in small for w in quad):
                continue
            a, b, c, expected = quad
            total += 1
            correct += small.most_similar_cosmul([b, c], [a], topn=1)[0][0] == expected
    ours = analogies(wv, method="mul", restrict_vocab=limit, case_insensitive=False)
    assert total > 150
    assert (ours["correct"], ours["total"]) == (correct, total)


# --- planted answers ---------------------------------------------------------------------------


def test_word_pairs_known_answer(tmp_path) -> None:
    # Word i's partner sits at an angle whose cosine is rating/10: a perfect model.
    ratings = [9.0, 2.5, 7.0, 4.0, 5.5]
    words, rows = [], []
    for i, rating in enumerate(ratings):
        angle = math.acos(rating / 10)
        words += [f"w{i}a", f"w{i}b"]
        rows += [[1.0, 0.0], [math.cos(angle), math.sin(angle)]]
    wv = WordVectors(words, np.array(rows))
    lines = ["# comment", "w0a\tw0b\t9.0", "W1A\tw1b\t2.5", "w2a\tw2b\t7.0", "w3a\tw3b\t4.0"]
    lines += ["w4a\tw4b\t5.5", "w4a\tw4b", "w0a\tw1a\tnot-a-number", "w0a\tunseen\t3.0"]
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = word_pairs(wv, path)
    assert result["spearman"] == pytest.approx(1.0)
    assert result["pearson"] == pytest.approx(1.0)
    assert (result["pairs"], result["oov"]) == (5, 1)
    assert result["oov_ratio"] == pytest.approx(100 / 6)
    assert word_pairs(wv, path, case_insensitive=False)["oov"] == 2  # "W1A" needs case folding


def _solvable(tmp_path):
    """Each word is concept + role in orthogonal blocks, so b - a + c is exactly d."""
    relations = {
        "gender": [("King", "queen"), ("man", "woman"), ("boy", "girl"), ("son", "daughter")]
    }
    relations["plural"] = [("cat", "cats"), ("dog", "dogs"), ("car", "cars"), ("tree", "trees")]
    pairs = [pair for members in relations.values() for pair in members]
    n_concepts, n_roles = len(pairs), 2 * len(relations)
    words, rows = [], []
    for r, members in enumerate(relations.values()):
        for pair in members:
            concept = np.eye(n_concepts)[pairs.index(pair)]
            for side, word in enumerate(pair):
                words.append(word)
                rows.append(np.concatenate([concept, np.eye(n_roles)[2 * r + side]]))
    lines = []
    for name, members in relations.items():
        lines.append(f": {name}")
        for a, b in members:
            lines += [f"{a.lower()} {b} {c.lower()} {d}" for c, d in members if c != a]
    lines.append("cat cats unicorn unicorns")
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return WordVectors(words, np.array(rows)), path


@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogies_known_answer(tmp_path, method) -> None:
    wv, path = _solvable(tmp_path)
    result = analogies(wv, path, method=method)
    assert (result["accuracy"], result["correct"], result["total"]) == (1.0, 24, 24)
    assert result["sections"] == [
        {"section": "gender", "correct": 12, "total": 12},
        {"section": "plural", "correct": 12, "total": 12},
    ]
    assert result["oov"] == 1
    exact = analogies(wv, path, method=method, case_insensitive=False)
    assert exact["total"] == 18  # "king" is stored as "King": its 6 questions drop out


def test_a_case_variant_of_a_question_word_is_not_an_answer(tmp_path) -> None:
    # "WOMAN", a variant of the question word "woman", sits exactly at king - man + woman and
    # "queen" just beside it. gensim skips the variant and answers "queen"; so must we.
    wv, path = _solvable(tmp_path)
    unit = wv.unit_vectors
    target = unit[wv.index("woman")] - unit[wv.index("man")] + unit[wv.index("King")]
    vectors = np.hstack([wv.vectors, np.zeros((len(wv), 1))])
    vectors[wv.index("queen"), -1] = 0.05
    variant = WordVectors([*wv.words, "WOMAN"], np.vstack([vectors, [*target, 0.0]]))
    assert variant.most_similar(["woman", "King"], ["man"], topn=1)[0][0] == "WOMAN"
    path.write_text(": gender\nman woman king queen\n", encoding="utf-8")
    result = analogies(variant, path)
    assert (result["correct"], result["total"]) == (1, 1)
    _, sections = variant.to_gensim().evaluate_word_analogies(str(path))
    assert _gensim_sections(sections[:-1]) == _our_sections(result)


# --- summaries ---------------------------------------------------------------------------------


def test_evaluate_all_agrees_with_the_parts(wv) -> None:
    results = evaluate_all(wv)
    assert results["ws353"] == word_pairs(wv, name="ws353")["spearman"]
    assert results["simlex_pairs"] == word_pairs(wv, name="simlex")["pairs"]
    assert results["analogy_add"] == analogies(wv)["accuracy"]
    assert results["analogy_mul"] == analogies(wv, method="mul")["accuracy"]
    assert results["analogy_questions"] == analogies(wv)["total"]
    assert "analogy_add" not in evaluate_all(wv, analogies_too=False)


def test_evaluate_all_reports_nan_when_nothing_is_covered() -> None:
    results = evaluate_all(WordVectors(["zzz", "yyy", "xxx"], np.eye(3)))
    assert math.isnan(results["ws353"]) and results["ws353_pairs"] == 0
    assert math.isnan(results["analogy_add"]) and results["analogy_questions"] == 0


def test_format_table() -> None:
    table = format_table(
        {"kw2v": {"ws353": 0.61234, "ws353_pairs": 300}, "gensim": {"ws353": 0.65, "x": math.nan}}
    )
    assert table.splitlines() == [
        "| metric      |  kw2v | gensim |",
        "|:------------|------:|-------:|",
        "| ws353       | 0.612 |  0.650 |",
        "| ws353_pairs |   300 |        |",
        "| x           |       |    n/a |",
    ]
    assert format_table({"ws353": 0.5}).splitlines()[2] == "| ws353  | 0.500 |"
    with pytest.raises(Kw2vError):
        format_table({})


# --- user errors -------------------------------------------------------------------------------


def test_user_errors(wv, tmp_path) -> None:
    with pytest.raises(Kw2vError, match="ws353"):
        word_pairs(wv, name="men")
    with pytest.raises(Kw2vError, match="'add' or 'mul'"):
        analogies(wv, method="cos")
    with pytest.raises(Kw2vError, match="does not exist"):
        analogies(wv, tmp_path / "missing.txt")
    with pytest.raises(Kw2vError, match="restrict_vocab"):
        analogies(wv, restrict_vocab=0)
    bad = tmp_path / "bad.txt"
    bad.write_text("a b c d\n: section\n", encoding="utf-8")
    with pytest.raises(Kw2vError, match="line 1: a question before the first"):
        analogies(wv, bad)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("nothing\there\t1.0\n", encoding="utf-8")
    with pytest.raises(Kw2vError, match="only 0 pairs"):
        word_pairs(wv, pairs)
