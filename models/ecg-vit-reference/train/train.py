"""Pretraining (masked-patch reconstruction) and multi-task fine-tuning of the reference ECG ViT.

  python3 train.py pretrain  --data DIR --work DIR
  python3 train.py finetune  --data DIR --work DIR --init pretrained|scratch
  python3 train.py predict   --data DIR --work DIR --init pretrained|scratch

Everything it writes goes to --work (checkpoints, per-epoch history, predictions): outside the repo.
Uses CUDA when present, else CPU with torch.set_num_threads(--threads).
"""
import argparse
import json
import math
import os
import time

# On a shared, oversubscribed CPU, spinning OpenMP workers slow everything down.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn.functional as F

from data import AGE_CAP, TASKS, build_cache
from model import EcgViT, MaskedAutoencoder, MultiTaskHead

ARCH = dict(leads=12, length=1000, patch=100, dim=64, depth=3, heads=4, mlp=2)
PRETRAIN = dict(epochs=30, batch=64, lr=1e-3, wd=0.05, warmup=2, mask_ratio=0.7, dec_dim=64,
                dec_depth=1, seed=1234)
FINETUNE = dict(epochs=15, batch=64, lr=1e-3, wd=0.05, warmup=1, drop=0.1, patience=4, roll=True,
                age_mean=60.0, age_std=17.0, age_weight=1.0, seed=2024)
AGE = TASKS.index("age_years")
BIN = [i for i, t in enumerate(TASKS) if t != "age_years"]


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def lr_at(step, total, warm, base):
    if step < warm:
        return base * (step + 1) / warm
    p = (step - warm) / max(1, total - warm)
    return base * 0.5 * (1 + math.cos(math.pi * p))


def load(args):
    d = build_cache(args.data, args.cache)
    t = time.time()
    X = np.ascontiguousarray(d["X"], dtype=np.float32)  # mV: the model normalises in its graph
    log(f"loaded {X.shape} (mV) in {time.time() - t:.1f}s")
    return X, d


def batches(n, bs, rng=None):
    idx = rng.permutation(n) if rng is not None else np.arange(n)
    for i in range(0, n, bs):
        yield idx[i : i + bs]


def pretrain(args):
    cfg = PRETRAIN
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    X, d = load(args)
    Xp = torch.from_numpy(X[d["fold"] <= 9])  # folds 1-9, labels unused
    log(f"pretrain on {len(Xp)} records (folds 1-9)")
    dev = device()
    enc = EcgViT(**ARCH, drop=0.0)
    mae = MaskedAutoencoder(enc, cfg["dec_dim"], cfg["dec_depth"], ARCH["heads"], cfg["mask_ratio"]).to(dev)
    opt = torch.optim.AdamW(mae.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    steps_per = math.ceil(len(Xp) / cfg["batch"])
    total, step, hist = cfg["epochs"] * steps_per, 0, []
    t0 = time.time()
    for ep in range(cfg["epochs"]):
        mae.train()
        te, tot, n = time.time(), 0.0, 0
        for b in batches(len(Xp), cfg["batch"], rng):
            for g in opt.param_groups:
                g["lr"] = lr_at(step, total, cfg["warmup"] * steps_per, cfg["lr"])
            loss = mae(Xp[b].to(dev))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(mae.parameters(), 1.0)
            opt.step()
            step += 1
            tot, n = tot + loss.item() * len(b), n + len(b)
        hist.append(dict(epoch=ep + 1, loss=tot / n, seconds=time.time() - te))
        log(f"pretrain epoch {ep + 1}/{cfg['epochs']} masked-MSE {tot / n:.4f} "
            f"({time.time() - te:.0f}s, total {time.time() - t0:.0f}s)")
        torch.save(dict(encoder=enc.state_dict(), mae=mae.state_dict(), epoch=ep + 1),
                    os.path.join(args.work, "pretrain.pt"))
    json.dump(dict(config=cfg, arch=ARCH, history=hist, seconds=time.time() - t0, n=len(Xp)),
              open(os.path.join(args.work, "pretrain.json"), "w"), indent=1)


def random_roll(x):
    """Augmentation: circular shift of each record by a random number of samples (all leads
    together), so the network cannot tie findings to absolute positions in the window."""
    n, _, L = x.shape
    shift = torch.randint(0, L, (n, 1, 1), device=x.device)
    idx = (torch.arange(L, device=x.device)[None, None, :] + shift) % L
    return torch.gather(x, 2, idx.expand(-1, x.shape[1], -1))


def mt_loss(out, y, cfg):
    """Mean BCE over the 7 binary tasks + weighted smooth-L1 on standardised age (missing ages
    are masked)."""
    bce = F.binary_cross_entropy_with_logits(out[:, BIN], y[:, BIN])
    a, ya = out[:, AGE], y[:, AGE]
    ok = ~torch.isnan(ya)
    if ok.any():
        age = F.smooth_l1_loss((a[ok] - cfg["age_mean"]) / cfg["age_std"],
                               (ya[ok] - cfg["age_mean"]) / cfg["age_std"])
    else:
        age = out.sum() * 0
    return bce + cfg["age_weight"] * age, bce, age


def build_model(cfg, arch=None):
    enc = EcgViT(**(arch or ARCH), drop=cfg["drop"])
    return MultiTaskHead(enc, len(TASKS), AGE, cfg["age_mean"], cfg["age_std"], cfg["drop"])


@torch.no_grad()
def predict_array(model, X, bs=256):
    model.eval()
    dev = next(model.parameters()).device
    return np.concatenate([model(torch.from_numpy(X[b]).to(dev)).cpu().numpy()
                           for b in batches(len(X), bs)])


def val_metrics(out, Y, cfg):
    from metrics import auroc
    o, y = torch.from_numpy(out), torch.from_numpy(Y)
    loss, bce, age = mt_loss(o, y, cfg)
    aucs = {TASKS[i]: auroc(Y[:, i], out[:, i]) for i in BIN}
    ok = ~np.isnan(Y[:, AGE])
    mae = float(np.abs(np.clip(out[ok, AGE], 0, AGE_CAP) - Y[ok, AGE]).mean())
    return dict(loss=float(loss), bce=float(bce), age_loss=float(age), mean_auroc=float(np.mean(list(aucs.values()))),
                age_mae=mae, auroc=aucs)


def finetune(args):
    cfg = FINETUNE
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    X, d = load(args)
    tr, va = d["fold"] <= 8, d["fold"] == 9
    Xtr, Ytr = torch.from_numpy(X[tr]), torch.from_numpy(d["Y"][tr])
    Xva, Yva = X[va], d["Y"][va]
    dev = device()
    model = build_model(cfg)
    if args.init == "pretrained":
        sd = torch.load(os.path.join(args.work, "pretrain.pt"), map_location="cpu")["encoder"]
        model.enc.load_state_dict(sd)
        log("encoder initialised from pretrain.pt")
    model.to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
    steps_per = math.ceil(len(Xtr) / cfg["batch"])
    total, step, hist = cfg["epochs"] * steps_per, 0, []
    best, best_ep, bad = float("inf"), 0, 0
    ck = os.path.join(args.work, f"finetune_{args.init}.pt")
    t0 = time.time()
    log(f"finetune[{args.init}] train {len(Xtr)} (folds 1-8), val {len(Xva)} (fold 9)")
    for ep in range(cfg["epochs"]):
        model.train()
        te, tot, n = time.time(), 0.0, 0
        for b in batches(len(Xtr), cfg["batch"], rng):
            for g in opt.param_groups:
                g["lr"] = lr_at(step, total, cfg["warmup"] * steps_per, cfg["lr"])
            xb = Xtr[b].to(dev)
            if cfg.get("roll"):
                xb = random_roll(xb)
            loss, _, _ = mt_loss(model(xb), Ytr[b].to(dev), cfg)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tot, n = tot + loss.item() * len(b), n + len(b)
        ttrain = time.time() - te
        vm = val_metrics(predict_array(model, Xva), Yva, cfg)
        hist.append(dict(epoch=ep + 1, train_loss=tot / n, seconds=time.time() - te, **vm))
        log(f"finetune[{args.init}] epoch {ep + 1}/{cfg['epochs']} train {tot / n:.4f} "
            f"val {vm['loss']:.4f} meanAUROC {vm['mean_auroc']:.4f} ageMAE {vm['age_mae']:.2f} "
            f"({ttrain:.0f}s train, {time.time() - te:.0f}s epoch, total {time.time() - t0:.0f}s) "
            + " ".join(f"{k}={v:.3f}" for k, v in vm["auroc"].items()))
        if vm["loss"] < best:  # early stopping on the fold-9 multi-task loss
            best, best_ep, bad = vm["loss"], ep + 1, 0
            torch.save(dict(model=model.state_dict(), epoch=ep + 1, config=cfg, arch=ARCH), ck)
        else:
            bad += 1
            if bad >= cfg["patience"]:
                log(f"early stop: no fold-9 improvement for {bad} epochs")
                break
    json.dump(dict(config=cfg, arch=ARCH, init=args.init, history=hist, best_epoch=best_ep,
                   best_val_loss=best, seconds=time.time() - t0, n_train=int(len(Xtr)), n_val=int(len(Xva))),
              open(os.path.join(args.work, f"finetune_{args.init}.json"), "w"), indent=1)
    log(f"finetune[{args.init}] best epoch {best_ep} val loss {best:.4f}")


def predict(args):
    X, d = load(args)
    ck = torch.load(os.path.join(args.work, f"finetune_{args.init}.pt"), map_location="cpu")
    model = build_model(ck["config"], ck["arch"])
    model.load_state_dict(ck["model"])
    sel = d["fold"] >= 9
    out = predict_array(model, X[sel])
    np.savez(os.path.join(args.work, f"pred_{args.init}.npz"), out=out, Y=d["Y"][sel],
             fold=d["fold"][sel], ecg_id=d["ecg_id"][sel])
    log(f"predictions for folds 9-10 ({sel.sum()}) written")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["pretrain", "finetune", "predict"])
    ap.add_argument("--data", default="/work/scratch/ptbxl-100hz")
    ap.add_argument("--cache", default="/work/scratch/ecg-vit-cache")
    ap.add_argument("--work", default="/work/scratch/ecg-vit-run")
    ap.add_argument("--init", choices=["pretrained", "scratch"], default="pretrained")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.work, exist_ok=True)
    dict(pretrain=pretrain, finetune=finetune, predict=predict)[a.phase](a)
