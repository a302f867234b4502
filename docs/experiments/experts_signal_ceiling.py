"""How far simple signals can take the expert ranking on the dev set's temporal split (issue 13, acceptance 1).

A NumPy/SciPy model of the split the build evaluates (answers ordered by instant, the last 10% held out, only
experts seen before the split count), and of the split one block earlier (the training part's last 10% asked of
its first 90%: the "inner" split, a stand-in for validation). For each question it scores every known expert
by eight signals:

  chardocs  sum of the 10 best tf-idf cosines (character 3-5-grams) among the expert's answers in the top 100
  worddocs  the same over word tokens
  charprof  cosine of the question with the expert's profile (tf-idf of their answers, 365-day half-life)
  actN      answers in the last N days, decayed with an N-day half-life (N = 30, 90, 365): priors, no text
  tagN      mean log-likelihood of the question's tags under the expert's smoothed tag model (N-day half-life)

and combines them as a weighted sum of log-scores over a grid. It prints each signal alone on both splits, the
ten best combinations chosen on the inner split (with what they give on the holdout), and the best combination
chosen on the holdout itself: an upper bound for these signals, not a result anyone may claim.

Run from the repository root (needs python3 with numpy and scipy; about 15 s):

    python3 docs/experiments/experts_signal_ceiling.py
"""

import collections
import csv
import datetime
import itertools
import re

import numpy as np
import scipy.sparse as sp

DEV_SET = "src/test/resources/experts/prometheus-commits.csv"


def load():
    rows = list(csv.DictReader(open(DEV_SET, encoding="utf-8")))
    for r in rows:
        r["day"] = datetime.datetime.fromisoformat(r["answered_at"]).timestamp() / 86400.0
        r["tagset"] = {t for t in r["tags"].split(";") if t}
    rows.sort(key=lambda r: r["day"])
    return rows


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def char_grams(text, shortest=3, longest=5):
    text = " " + re.sub(r"\s+", " ", text) + " "
    return [text[i : i + k] for k in range(shortest, longest + 1) for i in range(len(text) - k + 1)]


def counts(texts, analyse, vocabulary=None):
    grow = vocabulary is None
    vocabulary = {} if grow else vocabulary
    indices, pointers, values = [], [0], []
    for text in texts:
        terms = collections.Counter(analyse(text))
        for term, n in terms.items():
            if term not in vocabulary:
                if not grow:
                    continue
                vocabulary[term] = len(vocabulary)
            indices.append(vocabulary[term])
            values.append(n)
        pointers.append(len(indices))
    matrix = sp.csr_matrix((np.array(values, float), indices, pointers), shape=(len(texts), len(vocabulary)))
    return matrix, vocabulary


def unit_rows(matrix):
    norms = np.sqrt(matrix.multiply(matrix).sum(1)).A1
    norms[norms == 0] = 1
    return (sp.diags(1 / norms) @ matrix).tocsr()


def tfidf(train, questions, analyse):
    docs, vocabulary = counts([r["question"] for r in train], analyse)
    idf = np.log((1 + docs.shape[0]) / (1 + np.bincount(docs.indices, minlength=docs.shape[1]))) + 1
    query, _ = counts([r["question"] for r in questions], analyse, vocabulary)
    for m in (docs, query):
        m.data = 1 + np.log(m.data)
    return unit_rows(docs.multiply(idf).tocsr()), unit_rows(query.multiply(idf).tocsr())


def signals(train, questions):
    experts = sorted({r["expert_id"] for r in train})
    index = {e: i for i, e in enumerate(experts)}
    author = np.array([index[r["expert_id"]] for r in train])
    age = np.array([train[-1]["day"] - r["day"] for r in train])
    by_expert = lambda weights: sp.csr_matrix(  # noqa: E731
        (weights, (author, np.arange(len(train)))), shape=(len(experts), len(train))
    )
    out = {}
    for name, analyse in (("chardocs", char_grams), ("worddocs", words)):
        docs, query = tfidf(train, questions, analyse)
        similarity = (query @ docs.T).toarray()
        score = np.zeros((len(questions), len(experts)))
        for q in range(len(questions)):
            taken = collections.Counter()
            for d in np.argsort(-similarity[q])[:100]:
                if taken[author[d]] < 10:
                    score[q, author[d]] += similarity[q, d]
                    taken[author[d]] += 1
        out[name] = np.log(score + 1e-3)
        if analyse is char_grams:
            profiles = unit_rows(by_expert(0.5 ** (age / 365)) @ docs)
            out["charprof"] = np.log((query @ profiles.T).toarray() + 1e-3)
    for days in (30, 90, 365):
        activity = np.bincount(author, weights=0.5 ** (age / days), minlength=len(experts))
        out["act%d" % days] = np.tile(np.log(activity + 1e-2), (len(questions), 1))
    for days in (30, 180):
        out["tag%d" % days] = tag_model(train, questions, index, age, days)
    return out, index


def tag_model(train, questions, index, age, days, pseudo_count=5.0):
    weight = 0.5 ** (age / days)
    total = np.zeros(len(index))
    per_tag = collections.defaultdict(lambda: np.zeros(len(index)))
    overall = collections.Counter()
    for r, w in zip(train, weight):
        total[index[r["expert_id"]]] += w
        for tag in r["tagset"]:
            per_tag[tag][index[r["expert_id"]]] += w
            overall[tag] += w
    mass = sum(overall.values())
    score = np.zeros((len(questions), len(index)))
    for q, r in enumerate(questions):
        for tag in r["tagset"]:
            background = overall.get(tag, 0) / mass + 1e-4
            score[q] += np.log((per_tag[tag] + pseudo_count * background) / (total + pseudo_count))
        score[q] /= max(1, len(r["tagset"]))
    return score


def metrics(signal_scores, index, questions, weights):
    score = sum(w * signal_scores[k] for k, w in weights.items() if w)
    ranks = np.array(
        [
            1 + (score[q] > score[q, index[r["expert_id"]]]).sum()
            for q, r in enumerate(questions)
            if r["expert_id"] in index
        ],
        float,
    )
    return np.where(ranks <= 10, 1 / ranks, 0).mean(), (ranks <= 5).mean()


def report_grid(grid, evaluate):
    """Scores every weighting of the grid on both splits; prints the ten best on the inner split and the holdout's best."""
    combinations = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    results = [(evaluate("inner", w), evaluate("holdout", w), w) for w in combinations]
    print("\n%d combinations; the ten best on the inner split:" % len(results))
    print("| weights | inner MRR@10 | holdout MRR@10 | holdout hit@5 |")
    print("| --- | --- | --- | --- |")
    for inner, holdout, w in sorted(results, key=lambda x: -x[0][0])[:10]:
        used = ", ".join("%s %.2g" % (k, v) for k, v in w.items() if v)
        print("| %s | %.3f | %.3f | %.3f |" % (used, inner[0], holdout[0], holdout[1]))
    inner, holdout, w = max(results, key=lambda x: x[1][0])
    used = ", ".join("%s %.2g" % (k, v) for k, v in w.items() if v)
    print("\nbest on the holdout itself (an upper bound, not a choice): %s: holdout MRR@10 %.3f, hit@5 %.3f; inner %.3f"
          % (used, holdout[0], holdout[1], inner[0]))


def main():
    rows = load()
    cut = int(len(rows) * 0.9)
    inner_cut = int(cut * 0.9)
    splits = {
        "inner": (rows[:inner_cut], rows[inner_cut:cut]),
        "holdout": (rows[:cut], rows[cut:]),
    }
    scored = {name: (*signals(train, asked), asked) for name, (train, asked) in splits.items()}
    evaluate = lambda split, w: metrics(scored[split][0], scored[split][1], scored[split][2], w)  # noqa: E731

    print("| signal alone | inner MRR@10 | holdout MRR@10 |")
    print("| --- | --- | --- |")
    for signal in scored["inner"][0]:
        print("| %s | %.3f | %.3f |" % (signal, evaluate("inner", {signal: 1})[0], evaluate("holdout", {signal: 1})[0]))

    grid = {
        "chardocs": [1],
        "worddocs": [0, 0.5],
        "charprof": [0, 0.5],
        "act30": [0, 0.25, 0.5, 1],
        "act90": [0, 0.25, 0.5, 1],
        "act365": [0, 0.25],
        "tag30": [0, 0.5, 1],
        "tag180": [0, 0.5, 1],
    }
    report_grid(grid, evaluate)


if __name__ == "__main__":
    main()
