"""The monitoring benchmark's peer (scripts/bench/monitor.ts runs it): the same drift statistics as
ml/drift, with numpy and scipy, on the same rows, which the bench wrote to two CSV files.

Per numeric feature: PSI over 10 bins at the reference's deciles (numpy.quantile, linear; outer
bins open; a value on an edge goes up; fractions floored at 1e-4), scipy.stats.ks_2samp,
scipy.spatial.distance.jensenshannon of the same bins (base 2), scipy.stats.wasserstein_distance,
and the missing rates. Per categorical feature: PSI with one bin per category, chi2_contingency
(correction=False, categories empty on both sides left out), jensenshannon, missing rates.

Each round reads both files (pandas with the pyarrow engine) and computes every statistic; the two
parts are timed apart. Prints one JSON object: versions, per-round seconds, peak RSS and the last
round's statistics.

    python monitor_peer.py REFERENCE.csv CURRENT.csv ROUNDS
"""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

FLOOR = 1e-4


def psi(reference_counts, current_counts):
    e = np.maximum(reference_counts / reference_counts.sum(), FLOOR)
    a = np.maximum(current_counts / current_counts.sum(), FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def missing(reference, current, ref_missing, cur_missing):
    ref = ref_missing / len(reference)
    cur = cur_missing / len(current)
    return {"reference": ref, "current": cur, "change": cur - ref}


def numeric(reference, current):
    ref_all = reference.to_numpy(dtype=np.float64)
    cur_all = current.to_numpy(dtype=np.float64)
    ref = ref_all[np.isfinite(ref_all)]
    cur = cur_all[np.isfinite(cur_all)]
    edges = np.quantile(ref, np.linspace(0, 1, 11)[1:-1])
    ref_counts = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=10)
    cur_counts = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=10)
    ks = ks_2samp(ref, cur)
    return {
        "psi": psi(ref_counts, cur_counts),
        "ks": float(ks.statistic),
        "ksP": float(ks.pvalue),
        "js": float(jensenshannon(ref_counts, cur_counts, base=2)),
        "wasserstein": float(wasserstein_distance(ref, cur)),
        "missing": missing(ref_all, cur_all, len(ref_all) - len(ref), len(cur_all) - len(cur)),
    }


def categorical(reference, current):
    ref_missing = int(reference.isna().sum())
    cur_missing = int(current.isna().sum())
    ref_tally = reference.value_counts()
    cur_tally = current.value_counts()
    categories = sorted(set(ref_tally.index) | set(cur_tally.index))
    ref_counts = np.array([ref_tally.get(c, 0) for c in categories], dtype=np.float64)
    cur_counts = np.array([cur_tally.get(c, 0) for c in categories], dtype=np.float64)
    seen = (ref_counts + cur_counts) > 0
    chi = chi2_contingency(np.vstack([ref_counts[seen], cur_counts[seen]]), correction=False)
    return {
        "psi": psi(ref_counts, cur_counts),
        "chi2": float(chi.statistic),
        "chi2P": float(chi.pvalue),
        "js": float(jensenshannon(ref_counts, cur_counts, base=2)),
        "missing": missing(reference, current, ref_missing, cur_missing),
    }


def read(path):
    frame = pd.read_csv(path, engine="pyarrow")
    # Text columns stay text; empty fields are missing.
    return frame


def statistics(reference, current):
    features = {}
    for name in reference.columns:
        if name.startswith("c"):
            features[name] = categorical(reference[name].astype(object), current[name].astype(object))
        else:
            features[name] = numeric(reference[name], current[name])
    return features


def main():
    reference_path, current_path, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    reads, stats = [], []
    features = {}
    rows = 0
    for _ in range(rounds):
        started = time.perf_counter()
        reference = read(reference_path)
        current = read(current_path)
        read_done = time.perf_counter()
        features = statistics(reference, current)
        done = time.perf_counter()
        reads.append(read_done - started)
        stats.append(done - read_done)
        rows = len(current)
        del reference, current
    print(
        json.dumps(
            {
                "versions": f"Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}",
                "rows": rows,
                "readSeconds": reads,
                "statsSeconds": stats,
                "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "features": features,
            }
        )
    )


main()
