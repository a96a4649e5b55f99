"""The exercise checker: grades the "Your turn" functions of the course notebooks in words.

Each ``check_*`` function calls the student's function on known cases (hand-computed values,
numerical gradients by central differences, planted data), prints what is right and what is
wrong in words a student can act on, and returns a :class:`CheckResult`, true when every part
passed. Typical mistakes are named by comparing the answer with known wrong variants (a negated
gradient, a transposed matrix, the unigram instead of unigram^0.75, one shared table...).
An unfinished stub prints "not done yet" and returns without raising, so a notebook with open
exercises runs to the end. A notebook uses it as::

    from kw2v.course import checker

    checker.check_softmax(my_softmax)

One module per notebook (:mod:`~kw2v.course.checker.nb01`, ...), all built on
:mod:`~kw2v.course.checker.grading`; every check is re-exported here (notebooks 10 and 11
import their module, ``nb10`` / ``nb11``, as ``checker10`` / ``checker11``).
"""

from .grading import CheckResult
from .nb01 import (
    check_batch_cost,
    check_pair_cost,
    check_sgd_step,
    check_softmax,
    check_softmax_gradients,
)
from .nb02 import (
    check_keep_probability,
    check_noise_distribution,
    check_ns_loss_and_gradients,
    check_sgns_training,
    planted_corpus,
)
from .nb03 import (
    ANALOGY_WORDS,
    analogy_vectors,
    check_3cosadd,
    check_skipgram_model,
)
from .nb04 import check_spearman
from .nb05 import check_nearest_neighbours
from .nb06 import check_cbow_mean_and_gradient
from .nb07 import check_glove_gradients, check_glove_weight
from .nb08 import check_sentence_vector
from .nb10 import check_ppmi
from .nb11 import check_projection

__all__ = [
    "ANALOGY_WORDS",
    "CheckResult",
    "analogy_vectors",
    "check_3cosadd",
    "check_batch_cost",
    "check_cbow_mean_and_gradient",
    "check_glove_gradients",
    "check_glove_weight",
    "check_keep_probability",
    "check_nearest_neighbours",
    "check_noise_distribution",
    "check_ns_loss_and_gradients",
    "check_pair_cost",
    "check_sentence_vector",
    "check_ppmi",
    "check_projection",
    "check_sgd_step",
    "check_sgns_training",
    "check_skipgram_model",
    "check_softmax",
    "check_softmax_gradients",
    "check_spearman",
    "planted_corpus",
]
