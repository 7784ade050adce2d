#!/usr/bin/python3
"""scikit-learn reference baseline for toxguard (development only, never shipped).

Trains the classic "TF-IDF word + char n-grams -> one logistic regression per
label" model on our train/val splits and reports per-(corpus, label) ROC-AUC and
average precision, so the TypeScript model can be compared against a known,
well-understood baseline on exactly the same data.

Run it with Debian's interpreter, not the pyenv python3 that comes first on
PATH: scikit-learn is installed from Debian (`apt-get install -y python3-sklearn`)
and only /usr/bin/python3 can import it.

    /usr/bin/python3 scripts/sklearn_baseline.py --splits DIR --out results.json

DIR holds train.jsonl and val.jsonl, one JSON object a line:
    {"id": str, "corpus": str, "text": str,
     "labels": {"toxic": 0|1|null, ..., "identity_hate": 0|1|null},
     "weight": float (optional, default 1)}
`labels` may also be a list of six values in LABELS order (what the TypeScript
`Example` type holds in memory). null means the corpus says nothing about that
label: the row is left out of that label's training and evaluation, never
treated as a negative.

The table on stdout lists corpora alphabetically and, within a corpus, labels in
LABELS order; only pairs with >= 20 known rows and >= 5 of each class are
scored. Progress goes to stderr. With the default lbfgs solver, ~150k training
rows take about 6-11 minutes on the 2-core workplace machine (about 2 of them
building the char n-grams), every label converging well under --max-iter.

scripts/export-splits.ts writes DIR from the same rows `toxguard train` uses.
"""

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

# Same order as src/classifier/labels.ts (the Jigsaw / Detoxify order).
LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")

# A (corpus, label) pair with fewer rows than this gives an AUC too noisy to
# compare models on, so it is left out of the table and the mean.
MIN_EVAL_ROWS = 20
MIN_EVAL_PER_CLASS = 5

# The workplace machine has 2 cores and CI shares it; never ask for more.
MAX_JOBS = 2


def log(msg):
    print(f"[sklearn_baseline {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_split(path):
    """Read one JSONL split into parallel arrays.

    Labels become a float matrix with NaN for null, so "is this row usable for
    label j" is a vectorised isnan() instead of a Python loop per label.
    """
    texts, corpora = [], []
    labels, weights = [], []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            where = f"{path}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{where}: invalid JSON: {e}") from None
            raw = row.get("labels")
            if isinstance(raw, dict):
                # A missing key reads as null, but an unknown one is an error: a
                # misspelt label would otherwise turn silently into "no evidence".
                unknown = sorted(set(raw) - set(LABELS))
                if unknown:
                    raise SystemExit(f"{where}: unknown label(s) {unknown}; expected {LABELS}")
                values = [raw.get(name) for name in LABELS]
            elif isinstance(raw, list) and len(raw) == len(LABELS):
                values = raw
            else:
                raise SystemExit(f"{where}: 'labels' must be an object keyed by {LABELS} or a list of {len(LABELS)}")
            out = []
            for name, v in zip(LABELS, values):
                # bool is an int subclass; reject it so a mislabelled export is
                # caught here rather than silently read as 0/1.
                if v is None:
                    out.append(math.nan)
                elif v in (0, 1) and not isinstance(v, bool):
                    out.append(float(v))
                else:
                    raise SystemExit(f"{where}: label {name!r} must be 0, 1 or null, got {v!r}")
            weight = row.get("weight", 1.0)
            if weight is None:
                weight = 1.0
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not weight >= 0 or math.isinf(weight):
                raise SystemExit(f"{where}: 'weight' must be a finite number >= 0, got {weight!r}")
            text = row.get("text")
            if not isinstance(text, str):
                raise SystemExit(f"{where}: 'text' must be a string")
            corpus = row.get("corpus")
            if not isinstance(corpus, str):
                raise SystemExit(f"{where}: 'corpus' must be a string")
            texts.append(text)
            corpora.append(corpus)
            labels.append(out)
            weights.append(float(weight))
    if not texts:
        raise SystemExit(f"{path}: no rows")
    return {
        "texts": texts,
        "corpora": np.array(corpora, dtype=object),
        "labels": np.array(labels, dtype=np.float64).reshape(-1, len(LABELS)),
        "weights": np.array(weights, dtype=np.float64),
    }


def make_vectorizers(max_features):
    # float32 halves the memory of the char matrix (the big one); the solvers
    # that need float64 convert the per-label slice themselves.
    common = dict(sublinear_tf=True, min_df=2, lowercase=True, max_features=max_features, dtype=np.float32)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), **common)
    char = TfidfVectorizer(analyzer="char", ngram_range=(2, 5), **common)
    return word, char


def train_one(j, X, y_all, w_all, args):
    """Fit label j's logistic regression on the rows where that label is known."""
    name = LABELS[j]
    known = ~np.isnan(y_all[:, j])
    y = y_all[known, j].astype(np.int64)
    n, pos = int(known.sum()), int(y.sum())
    info = {"label": name, "train_rows": n, "train_positives": pos}
    if n == 0 or pos == 0 or pos == n:
        # LogisticRegression refuses a single class; report it rather than
        # inventing a constant predictor that would score AUC 0.5 silently.
        log(f"{name}: skipped, training rows={n} positives={pos} (needs both classes)")
        info["skipped"] = "needs both classes in training"
        return None, info
    # Avoid copying the whole matrix when every row is usable.
    Xj = X if known.all() else X[known]
    model = LogisticRegression(
        C=args.C,
        solver=args.solver,
        max_iter=args.max_iter,
        tol=args.tol,
        class_weight="balanced" if args.balanced else None,
    )
    log(f"{name}: training on {n} rows ({pos} positive) ...")
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(Xj, y, sample_weight=w_all[known])
    seconds = time.perf_counter() - t0
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    n_iter = int(np.max(model.n_iter_))
    info.update(seconds=round(seconds, 2), n_iter=n_iter, converged=converged)
    log(f"{name}: done in {seconds:.1f}s, {n_iter} iterations" + ("" if converged else " (NOT CONVERGED: raise --max-iter)"))
    return model, info


def evaluate(val, scores):
    """AUC and AP per (corpus, label) pair with enough evidence of both classes."""
    pairs = []
    for corpus in sorted(set(val["corpora"])):
        in_corpus = val["corpora"] == corpus
        for j, name in enumerate(LABELS):
            if scores[j] is None:
                continue
            rows = in_corpus & ~np.isnan(val["labels"][:, j])
            y = val["labels"][rows, j].astype(np.int64)
            n, pos = int(rows.sum()), int(y.sum())
            if n < MIN_EVAL_ROWS or pos < MIN_EVAL_PER_CLASS or n - pos < MIN_EVAL_PER_CLASS:
                continue
            # Unweighted on purpose: `weight` expresses how much we trust a
            # corpus for training, while the report is already per corpus.
            s = scores[j][rows]
            pairs.append({
                "corpus": corpus,
                "label": name,
                "n": n,
                "positives": pos,
                "roc_auc": float(roc_auc_score(y, s)),
                "average_precision": float(average_precision_score(y, s)),
            })
    return pairs


def print_table(pairs, mean_auc):
    width = max([len("corpus")] + [len(p["corpus"]) for p in pairs])
    header = f"{'corpus':<{width}}  {'label':<13}  {'n':>7}  {'pos':>6}  {'roc_auc':>7}  {'avg_prec':>8}"
    print(header)
    print("-" * len(header))
    for p in pairs:
        print(f"{p['corpus']:<{width}}  {p['label']:<13}  {p['n']:>7}  {p['positives']:>6}  "
              f"{p['roc_auc']:>7.4f}  {p['average_precision']:>8.4f}")
    print("-" * len(header))
    shown = "n/a (no pair had enough rows)" if mean_auc is None else f"{mean_auc:.4f}"
    print(f"mean ROC-AUC over {len(pairs)} pairs: {shown}")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--splits", required=True, type=Path, help="directory with train.jsonl and val.jsonl")
    p.add_argument("--out", required=True, type=Path, help="where to write the JSON results")
    p.add_argument("--balanced", action="store_true", help="class_weight='balanced' (default: none)")
    p.add_argument("--max-features", type=int, default=None, help="cap on each vectorizer's vocabulary (default: no cap)")
    p.add_argument("--solver", choices=("lbfgs", "saga", "liblinear"), default="lbfgs",
                   help="LogisticRegression solver (default: lbfgs, which converges on ~140k rows in a few "
                        "minutes; liblinear also penalises the intercept, so it is a slightly different model)")
    p.add_argument("--max-iter", type=int, default=1000, help="LogisticRegression max_iter (default: 1000)")
    p.add_argument("--tol", type=float, default=1e-4, help="LogisticRegression tol (default: 1e-4, sklearn's)")
    p.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength (default: 1.0, sklearn's)")
    p.add_argument("--n-jobs", type=int, default=MAX_JOBS, help=f"labels trained at once, at most {MAX_JOBS} (default: {MAX_JOBS})")
    args = p.parse_args(argv)
    if args.max_features is not None and args.max_features < 1:
        p.error("--max-features must be >= 1")
    if not 1 <= args.n_jobs <= MAX_JOBS:
        p.error(f"--n-jobs must be between 1 and {MAX_JOBS}")
    return args


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()

    for name in ("train.jsonl", "val.jsonl"):
        if not (args.splits / name).is_file():
            raise SystemExit(f"{args.splits / name}: not found (--splits must hold train.jsonl and val.jsonl)")
    train = load_split(args.splits / "train.jsonl")
    val = load_split(args.splits / "val.jsonl")
    log(f"loaded {len(train['texts'])} train rows, {len(val['texts'])} val rows")

    # Vectorizers see every training text once, whatever its labels: a row that
    # is null for some labels still tells us which n-grams exist.
    t0 = time.perf_counter()
    word, char = make_vectorizers(args.max_features)
    Xw = word.fit_transform(train["texts"])
    log(f"word vectorizer: {Xw.shape[1]} features in {time.perf_counter() - t0:.1f}s")
    t1 = time.perf_counter()
    Xc = char.fit_transform(train["texts"])
    log(f"char vectorizer: {Xc.shape[1]} features in {time.perf_counter() - t1:.1f}s")
    X = sp.hstack([Xw, Xc], format="csr")
    del Xw, Xc
    Xv = sp.hstack([word.transform(val["texts"]), char.transform(val["texts"])], format="csr")
    vectorize_seconds = time.perf_counter() - t0
    log(f"vectorized in {vectorize_seconds:.1f}s: train {X.shape}, {X.nnz} non-zeros")

    # Labels are independent problems, so they run side by side. Processes, not
    # threads: lbfgs spends its time in scipy sparse products that hold the GIL,
    # so two threads were no faster than one. joblib memory-maps the big matrix
    # into the workers instead of copying it, and caps each worker's BLAS
    # threads so the total stays within n_jobs cores.
    # scikit-learn canonicalises a sparse matrix in place before fitting, which
    # fails on a read-only memory map: do it once here, and map copy-on-write
    # so any other in-place touch-up stays private to its worker.
    X.sum_duplicates()
    results = Parallel(n_jobs=args.n_jobs, backend="loky", mmap_mode="c")(
        delayed(train_one)(j, X, train["labels"], train["weights"], args) for j in range(len(LABELS)))
    models = [m for m, _ in results]
    training = [info for _, info in results]

    scores = [None if m is None else m.predict_proba(Xv)[:, 1] for m in models]
    pairs = evaluate(val, scores)
    mean_auc = float(np.mean([p["roc_auc"] for p in pairs])) if pairs else None
    seconds = time.perf_counter() - started

    print_table(pairs, mean_auc)
    result = {
        "pairs": pairs,
        "mean_roc_auc": mean_auc,
        "seconds": round(seconds, 2),
        "config": {
            "model": "per-label LogisticRegression on hstack(word tf-idf, char tf-idf)",
            "word_vectorizer": {"analyzer": "word", "ngram_range": [1, 2], "sublinear_tf": True, "min_df": 2,
                                "lowercase": True, "max_features": args.max_features,
                                "n_features": len(word.vocabulary_)},
            "char_vectorizer": {"analyzer": "char", "ngram_range": [2, 5], "sublinear_tf": True, "min_df": 2,
                                "lowercase": True, "max_features": args.max_features,
                                "n_features": len(char.vocabulary_)},
            "logistic_regression": {"C": args.C, "solver": args.solver, "max_iter": args.max_iter, "tol": args.tol,
                                    "class_weight": "balanced" if args.balanced else None},
            "sample_weight": "row 'weight' (default 1); null labels excluded per label",
            "evaluation": {"min_rows": MIN_EVAL_ROWS, "min_per_class": MIN_EVAL_PER_CLASS, "weighted": False},
            "n_jobs": args.n_jobs,
            "train_rows": len(train["texts"]),
            "val_rows": len(val["texts"]),
            "vectorize_seconds": round(vectorize_seconds, 2),
            "training": training,
            "versions": {"python": sys.version.split()[0], "sklearn": sklearn.__version__,
                         "numpy": np.__version__, "scipy": scipy.__version__},
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {args.out} ({seconds:.1f}s total)")


if __name__ == "__main__":
    main()
