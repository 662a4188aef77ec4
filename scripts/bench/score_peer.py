#!/usr/bin/env python3
"""scikit-learn peer for `npm run bench:score`: batch scoring with predict_proba.

    python3 score_peer.py --train TRAIN.csv --target COL --score SCORE.csv [--repeat 3]

Fits a HistGradientBoostingClassifier of the size Pipewright's bench model has (100 iterations,
31 leaves at most, learning rate 0.1, no early stopping) behind the preprocessing of
../shared/bench/sklearn_ref.py (numbers: median imputation; text: most-frequent imputation and
one-hot), reads the rows to score into memory (not timed), and times predict_proba over all of
them, --repeat times. Prints one JSON object: rows, seconds (each repeat), peak RSS, model size,
versions.
Needs: pip install scikit-learn pandas pyarrow
"""
import argparse, json, resource, sys, time

import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder


def pipeline(X):
    num = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
    cat = [c for c in X.columns if c not in num]
    pre = ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), num),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ], sparse_threshold=0)
    model = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, learning_rate=0.1,
                                           early_stopping=False, random_state=42)
    return Pipeline([("pre", pre), ("model", model)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", required=True); p.add_argument("--target", required=True)
    p.add_argument("--score", required=True); p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    train = pd.read_csv(a.train, engine="pyarrow")
    y = train.pop(a.target)
    model = pipeline(train)
    t = time.perf_counter(); model.fit(train, y); fit_s = time.perf_counter() - t
    rows = pd.read_csv(a.score, engine="pyarrow")
    rows = rows[train.columns]
    seconds = []
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter(); proba = model.predict_proba(rows); seconds.append(time.perf_counter() - t)
    booster = model.named_steps["model"]
    print(json.dumps({
        "rows": int(len(rows)), "seconds": seconds, "fitSeconds": fit_s,
        "meanProbability": float(proba[:, 1].mean()),
        "trees": int(booster.n_iter_),
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "versions": f"Python {sys.version.split()[0]}, scikit-learn {sklearn.__version__}, pandas {pd.__version__}",
    }))


if __name__ == "__main__":
    main()
