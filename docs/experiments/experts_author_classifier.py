"""Does a discriminative author classifier lift the expert ranking past what retrieval and priors reach? (issue 13)

The signals of experts_signal_ceiling.py are all retrieval or counting: an expert scores by the answers of theirs
that look like the question, or by how much they answered lately. Authorship attribution is usually done the other
way round: a classifier learns, from every answer at once, which character n-grams, words and tags tell one author
from the others. This script adds one such model as a ninth signal and asks the same two splits.

The model: multinomial logistic regression (softmax) over

  - tf-idf of character 3-5-grams and of words (terms in at least 10 answers of the training part), each row unit
    length, and
  - the answer's tags (one-hot, unit length),

with one class per expert who answered at least 3 times before the split and one shared class for the rest (a rare
expert scores that class's log-probability less the log of how many share it). Each answer is weighted by its age,
half-life 365 days; L2 penalty 1 on every weight but the class bias. Fitted with SciPy's L-BFGS-B, 200 iterations.

Settings were read on the inner split only (classifier alone, MRR@10):

  | half-life | L2 | inner | holdout (read afterwards) |
  | 365 d | 1   | 0.314 | 0.335 |
  | 365 d | 0.3 | 0.320 | 0.333 |
  | 365 d | 3   | 0.286 | 0.326 |
  | 120 d | 1   | 0.283 | 0.331 |
  | 730 d | 1   | 0.317 | 0.336 |

It prints the classifier alone, the ten best weightings of it with the other signals chosen on the inner split (with
what they give on the holdout), and the best weighting chosen on the holdout itself (a bound, not a choice).

Run from the repository root (needs python3 with numpy and scipy; about 6 minutes on 2 cores, most of it the two fits):

    python3 docs/experiments/experts_author_classifier.py
"""

import collections

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import logsumexp

import experts_signal_ceiling as ceiling

HALF_LIFE_DAYS = 365.0
L2 = 1.0
MIN_ANSWERS_FOR_OWN_CLASS = 3
MIN_DOCUMENT_FREQUENCY = 10


def weighted_tfidf(train, questions, analyse):
    docs, vocabulary = ceiling.counts([r["question"] for r in train], analyse)
    document_frequency = np.bincount(docs.indices, minlength=docs.shape[1])
    kept = np.where(document_frequency >= MIN_DOCUMENT_FREQUENCY)[0]
    query, _ = ceiling.counts([r["question"] for r in questions], analyse, vocabulary)
    docs, query = docs[:, kept], query[:, kept]
    idf = np.log((1 + docs.shape[0]) / (1 + document_frequency[kept])) + 1
    for m in (docs, query):
        m.data = 1 + np.log(m.data)
    return ceiling.unit_rows(docs.multiply(idf).tocsr()), ceiling.unit_rows(query.multiply(idf).tocsr())


def tag_indicators(train, questions):
    tag_index = {t: i for i, t in enumerate(sorted({t for r in train for t in r["tagset"]}))}

    def indicators(rows):
        cells = [(i, tag_index[t]) for i, r in enumerate(rows) for t in r["tagset"] if t in tag_index]
        matrix = sp.csr_matrix(
            (np.ones(len(cells)), ([c[0] for c in cells], [c[1] for c in cells])), shape=(len(rows), len(tag_index))
        )
        return ceiling.unit_rows(matrix)

    return indicators(train), indicators(questions)


def design(train, questions):
    blocks = [
        weighted_tfidf(train, questions, ceiling.char_grams),
        weighted_tfidf(train, questions, ceiling.words),
        tag_indicators(train, questions),
    ]
    bias = lambda n: sp.csr_matrix(np.ones((n, 1)))  # noqa: E731
    x = sp.hstack([b[0] for b in blocks] + [bias(len(train))]).tocsr()
    q = sp.hstack([b[1] for b in blocks] + [bias(len(questions))]).tocsr()
    return x, q


def fit_softmax(x, labels, classes, sample_weight):
    n, d = x.shape
    onehot = sp.csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, classes)).toarray()
    xt = x.T.tocsr()

    def loss_and_gradient(theta):
        w = theta.reshape(d, classes)
        z = x @ w
        normaliser = logsumexp(z, axis=1)
        p = np.exp(z - normaliser[:, None])
        loss = -(sample_weight * (z[np.arange(n), labels] - normaliser)).sum() + 0.5 * L2 * (w[:-1] ** 2).sum()
        gradient = xt @ ((p - onehot) * sample_weight[:, None])
        gradient[:-1] += L2 * w[:-1]
        return loss, gradient.ravel()

    result = minimize(loss_and_gradient, np.zeros(d * classes), jac=True, method="L-BFGS-B", options={"maxiter": 200})
    return result.x.reshape(d, classes)


def classifier_signal(train, questions, index):
    answers = collections.Counter(r["expert_id"] for r in train)
    own = sorted(e for e in index if answers[e] >= MIN_ANSWERS_FOR_OWN_CLASS)
    own_class = {e: i for i, e in enumerate(own)}
    shared_class = len(own)
    labels = np.array([own_class.get(r["expert_id"], shared_class) for r in train])
    age = np.array([train[-1]["day"] - r["day"] for r in train])
    weight = 0.5 ** (age / HALF_LIFE_DAYS)
    weight /= weight.mean()
    x, q = design(train, questions)
    logits = np.asarray(q @ fit_softmax(x, labels, shared_class + 1, weight))
    log_probability = logits - logsumexp(logits, axis=1, keepdims=True)
    sharing = max(1, len(index) - len(own))
    score = np.empty((len(questions), len(index)))
    for expert, column in index.items():
        if expert in own_class:
            score[:, column] = log_probability[:, own_class[expert]]
        else:
            score[:, column] = log_probability[:, shared_class] - np.log(sharing)
    return score


def main():
    rows = ceiling.load()
    cut = int(len(rows) * 0.9)
    inner_cut = int(cut * 0.9)
    splits = {"inner": (rows[:inner_cut], rows[inner_cut:cut]), "holdout": (rows[:cut], rows[cut:])}
    scored = {}
    for name, (train, asked) in splits.items():
        signal_scores, index = ceiling.signals(train, asked)
        signal_scores["classifier"] = classifier_signal(train, asked, index)
        scored[name] = (signal_scores, index, asked)
    evaluate = lambda split, w: ceiling.metrics(*scored[split], w)  # noqa: E731

    alone = {"classifier": 1}
    print("classifier alone: inner MRR@10 %.3f, holdout MRR@10 %.3f" % (evaluate("inner", alone)[0], evaluate("holdout", alone)[0]))
    grid = {
        "classifier": [1],
        "chardocs": [0, 0.5, 1],
        "worddocs": [0, 0.5],
        "charprof": [0, 0.5],
        "act30": [0, 0.25, 0.5],
        "act90": [0, 0.25, 0.5],
        "act365": [0, 0.25],
        "tag30": [0, 0.5],
        "tag180": [0, 0.5],
    }
    ceiling.report_grid(grid, evaluate)


if __name__ == "__main__":
    main()
