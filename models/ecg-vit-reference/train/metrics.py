"""AUROC (rank form, ties averaged), MAE, percentile bootstrap, threshold selection. numpy only."""
import numpy as np


def _ranks(s):
    order = np.argsort(s, kind="mergesort")
    ss = s[order]
    r = np.empty(len(s), np.float64)
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and ss[j + 1] == ss[i]:
            j += 1
        r[order[i : j + 1]] = 0.5 * (i + j) + 1
        i = j + 1
    return r


def auroc(y, s):
    """Mann-Whitney U / (n_pos n_neg); NaN if one class is absent."""
    y = np.asarray(y) > 0.5
    s = np.asarray(s, np.float64)
    npos, nneg = int(y.sum()), int((~y).sum())
    if npos == 0 or nneg == 0:
        return float("nan")
    r = _ranks(s)
    return float((r[y].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def mae(y, p):
    return float(np.mean(np.abs(np.asarray(p) - np.asarray(y))))


def bootstrap_ci(fn, arrays, n=1000, seed=20240601, alpha=0.05):
    """Percentile CI over n resamples of the records (with replacement), fixed seed."""
    rng = np.random.default_rng(seed)
    m = len(arrays[0])
    vals = []
    for _ in range(n):
        idx = rng.integers(0, m, m)
        v = fn(*[a[idx] for a in arrays])
        if not np.isnan(v):
            vals.append(v)
    lo, hi = np.percentile(vals, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def sens_spec(y, p, thr):
    """A record is positive when p >= thr."""
    y = np.asarray(y) > 0.5
    pos = np.asarray(p) >= thr
    return float((pos & y).sum() / max(1, y.sum())), float((~pos & ~y).sum() / max(1, (~y).sum()))


def threshold_for_sensitivity(y, p, target):
    """Largest threshold (an observed score) with sensitivity >= target (p >= thr positive)."""
    y = np.asarray(y) > 0.5
    sp = np.sort(np.asarray(p)[y])[::-1]
    k = int(np.ceil(target * len(sp)))  # need at least k positives at or above thr
    return float(sp[k - 1])


def threshold_for_specificity(y, p, target):
    """Smallest threshold with specificity >= target (negatives with p < thr count as correct)."""
    y = np.asarray(y) > 0.5
    sn = np.sort(np.asarray(p)[~y])
    k = int(np.ceil(target * len(sn)))  # need at least k negatives strictly below thr
    thr = sn[k - 1]
    return float(np.nextafter(np.float32(thr), np.float32(np.inf)))
