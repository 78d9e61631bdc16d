"""PTB-XL 100 Hz subset: WFDB format-16 reader, label rules, and the decoded-signal cache.

Only numpy and the standard library. The cache is one float32 .npy of shape (N, 12, 1000) in mV,
written outside the repository (default /work/scratch/ecg-vit-cache). The model takes mV as they
are (the gateway's manifest says units mV, no filters, normalization none); it z-scores each lead
inside its own graph (model.py).
"""
import ast
import csv
import hashlib
import json
import os

import numpy as np

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
SAMPLES = 1000
RATE_HZ = 100
SUPERCLASSES = ["NORM", "MI", "STTC", "CD", "HYP"]
AGE_CAP = 90.0
# Output order of the network's single output tensor (see manifest.json).
TASKS = ["sex_male", "age_years", "norm", "mi", "sttc", "cd", "hyp", "afib"]
BINARY_TASKS = [t for t in TASKS if t != "age_years"]


def read_wfdb_16(record_base):
    """Read a single-file WFDB record in format 16; returns (12, n) float32 in mV, lead names, fs.

    Physical value = (digital - baseline) / gain, per the header's signal lines (WFDB header spec).
    """
    with open(record_base + ".hea") as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    rec = lines[0].split()
    nsig, fs, nsamp = int(rec[1]), float(rec[2]), int(rec[3])
    gains, baselines, names, datfile = [], [], [], None
    for ln in lines[1 : 1 + nsig]:
        p = ln.split()
        if p[1] != "16":
            raise ValueError(f"{record_base}: format {p[1]} not supported (16 only)")
        datfile = p[0]
        g = p[2].split("/")[0]
        baseline = 0.0
        if "(" in g:
            g, b = g.split("(")
            baseline = float(b.rstrip(")"))
        gain = float(g) if float(g) != 0 else 200.0  # WFDB default gain
        gains.append(gain)
        baselines.append(baseline)
        names.append(p[-1])
    raw = np.fromfile(os.path.join(os.path.dirname(record_base), datfile), dtype="<i2")
    raw = raw[: nsamp * nsig].reshape(nsamp, nsig).T.astype(np.float32)
    sig = (raw - np.array(baselines, np.float32)[:, None]) / np.array(gains, np.float32)[:, None]
    return sig, names, fs


def _norm_lead(n):
    return {"AVR": "aVR", "AVL": "aVL", "AVF": "aVF"}.get(n.upper(), n.upper())


def load_tables(data_dir):
    """Rows of ptbxl_database.csv for the records present in the subset, in RECORDS order."""
    with open(os.path.join(data_dir, "RECORDS")) as f:
        present = [ln.strip() for ln in f if ln.strip()]
    rows = {}
    with open(os.path.join(data_dir, "ptbxl_database.csv"), newline="") as f:
        for r in csv.DictReader(f):
            rows[r["filename_lr"]] = r
    diag = {}
    with open(os.path.join(data_dir, "scp_statements.csv"), newline="") as f:
        for r in csv.DictReader(f):
            code = r[""]
            if r["diagnostic"] and float(r["diagnostic"]) == 1.0:
                diag[code] = r["diagnostic_class"]
    return [rows[p] for p in present], diag


def labels_for(row, diag):
    """Label rule (stated in MODEL_CARD.md and manifest.json).

    - sex_male: 1 if PTB-XL sex == 0 (male), 0 if sex == 1 (female).
    - age_years: min(age, 90); NaN when missing.
    - NORM/MI/STTC/CD/HYP: 1 if any scp_codes key whose scp_statements row has diagnostic == 1
      maps to that diagnostic_class, at any likelihood (including 0 = "unknown"), the usual
      PTB-XL benchmark rule; else 0.
    - afib: 1 if 'AFIB' is a key of scp_codes (rhythm statements carry likelihood 0, so any
      likelihood); else 0.
    """
    codes = ast.literal_eval(row["scp_codes"])
    y = np.full(len(TASKS), np.nan, np.float32)
    y[0] = 1.0 if int(float(row["sex"])) == 0 else 0.0
    if row["age"] not in ("", "nan"):
        y[1] = min(float(row["age"]), AGE_CAP)
    classes = {diag[c] for c in codes if c in diag}
    for i, sc in enumerate(SUPERCLASSES):
        y[2 + i] = 1.0 if sc in classes else 0.0
    y[7] = 1.0 if "AFIB" in codes else 0.0
    return y


def build_cache(data_dir, cache_dir):
    """Decode all records once; returns dict with X (N,12,1000) mV, Y (N,8), fold, ecg_id, path."""
    os.makedirs(cache_dir, exist_ok=True)
    xp, mp = os.path.join(cache_dir, "signals_mV.npy"), os.path.join(cache_dir, "meta.npz")
    if os.path.exists(xp) and os.path.exists(mp):
        m = np.load(mp, allow_pickle=False)
        return dict(X=np.load(xp, mmap_mode="r"), Y=m["Y"], fold=m["fold"], ecg_id=m["ecg_id"],
                    path=m["path"])
    rows, diag = load_tables(data_dir)
    n = len(rows)
    X = np.zeros((n, 12, SAMPLES), np.float32)
    Y = np.zeros((n, len(TASKS)), np.float32)
    fold = np.zeros(n, np.int64)
    ecg_id = np.zeros(n, np.int64)
    paths = []
    for i, r in enumerate(rows):
        sig, names, fs = read_wfdb_16(os.path.join(data_dir, r["filename_lr"]))
        names = [_norm_lead(s) for s in names]
        if names != LEADS or fs != RATE_HZ or sig.shape[1] != SAMPLES:
            raise ValueError(f"{r['filename_lr']}: unexpected layout {names} {fs} {sig.shape}")
        X[i] = sig
        Y[i] = labels_for(r, diag)
        fold[i] = int(r["strat_fold"])
        ecg_id[i] = int(r["ecg_id"])
        paths.append(r["filename_lr"])
    np.save(xp + ".tmp.npy", X)
    os.replace(xp + ".tmp.npy", xp)
    np.savez(mp, Y=Y, fold=fold, ecg_id=ecg_id, path=np.array(paths))
    return dict(X=np.load(xp, mmap_mode="r"), Y=Y, fold=fold, ecg_id=ecg_id, path=np.array(paths))


def sha256_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


if __name__ == "__main__":
    import sys, time

    t = time.time()
    d = build_cache(sys.argv[1], sys.argv[2])
    print(json.dumps({"n": int(len(d["fold"])), "seconds": round(time.time() - t, 1),
                      "per_fold": {int(k): int((d["fold"] == k).sum()) for k in np.unique(d["fold"])},
                      "positives": {t_: float(np.nansum(d["Y"][:, i])) for i, t_ in enumerate(TASKS)}}))
