#!/usr/bin/env python3
"""The measured sweeps of docs/measurements/lr-sweep.md, run one after another in one process.

    python3 scripts/reference/twin/sweep.py --data 'exports/synthetic-seed{seed}' --out runs/ --progress progress.md

Plans, in order: lr for cnn-bn (lr x SGD/SAM/ESAM, seed 1); at its best lr: ablation (five rows
x 3 seeds), label-noise and small-data presets (five rows x 3 seeds), rho; then lr for linear, mlp,
cnn. Each run's
run@1 JSON goes to --out; --progress gets one markdown line per run as it ends, so partial
results can be read while it runs; `report.py` turns the folder into the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from config import default_config, run_name  # noqa: E402
from data import load_export  # noqa: E402
from runner import run_training  # noqa: E402

LRS = [0.01, 0.02, 0.05, 0.1, 0.2]
LR_MODELS = ["cnn-bn", "cnn", "mlp", "linear"]
RHOS = [0.02, 0.05, 0.1]
SEEDS = [1, 2, 3]


def optimizer(row: str, rho: float = 0.05) -> dict:
    """The five ablation rows (and SGD/SAM/ESAM of the lr sweep)."""
    beta, gamma = {"sgd": (1, 1), "sam": (1, 1), "esam-swp": (0.6, 1), "esam-sds": (1, 0.5), "esam": (0.6, 0.5)}[row]
    name = row.split("-")[0]
    return {"name": name, "rho": rho, "adaptive": False, "swp": name == "esam" and beta < 1, "beta": beta, "sds": name == "esam" and gamma < 1, "gamma": gamma}


ROWS = ["sgd", "sam", "esam-swp", "esam-sds", "esam"]


def base(model: str, lr: float, seed: int = 1, train: int = 5000, epochs: int = 5, noise: float = 0.0) -> dict:
    c = default_config()
    c["dataset"].update({"trainSize": train, "testSize": 1000, "augment": False, "labelNoise": noise})
    c.update({"model": model, "lr": lr, "seed": seed, "epochs": epochs, "batchSize": 64, "momentum": 0.9, "weightDecay": 5e-4, "schedule": "cosine"})
    return c


def plan_lr(models):
    for model in models:
        for lr in LRS:
            for row in ("sgd", "sam", "esam"):
                yield "lr", {**base(model, lr), "optimizer": optimizer(row)}, row


def best_lr(out: str, model: str = "cnn-bn") -> float:
    """The lr with the highest final test accuracy averaged over SGD, SAM and ESAM."""
    scores = {}
    for r in read_runs(out, "lr"):
        c = r["config"]
        if c["model"] == model:
            acc = r["summary"]["finalTestAcc"] if r["status"] == "completed" else 0.0
            scores.setdefault(c["lr"], []).append(acc or 0.0)
    return max(scores, key=lambda lr: sum(scores[lr]) / len(scores[lr]))


def plan_rest(lr: float):
    for seed in SEEDS:
        for row in ROWS:
            yield "ablation", {**base("cnn-bn", lr, seed), "optimizer": optimizer(row)}, row
    # The two presets seed by seed, so that both have several seeds early.
    for seed in SEEDS:
        for row in ROWS:
            yield "label-noise", {**base("cnn-bn", lr, seed, epochs=10, noise=0.3), "optimizer": optimizer(row)}, row
        for row in ROWS:
            yield "small-data", {**base("cnn-bn", lr, seed, train=1000, epochs=30), "optimizer": optimizer(row)}, row
    for rho in RHOS:
        for row in ("sam", "esam"):
            yield "rho", {**base("cnn-bn", lr), "optimizer": optimizer(row, rho)}, row


def file_name(plan: str, c: dict, row: str) -> str:
    return f"{plan}__{c['model']}__{row}__lr{c['lr']}__rho{c['optimizer']['rho']}__seed{c['seed']}.json"


def read_runs(out: str, plan: str):
    for f in sorted(os.listdir(out)):
        if f.startswith(plan + "__") and f.endswith(".json"):
            with open(os.path.join(out, f), encoding="utf-8") as fh:
                yield json.load(fh)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="export folder; '{seed}' is replaced by the run's seed")
    p.add_argument("--out", required=True)
    p.add_argument("--progress", required=True)
    p.add_argument("--only", nargs="*", help="plans to run (default all)")
    args = p.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    cache = {}

    def run(plan, config, row):
        path = os.path.join(args.out, file_name(plan, config, row))
        if os.path.exists(path) or (args.only and plan not in args.only):
            return
        seed = config["seed"]
        if seed not in cache:
            cache[seed] = load_export(args.data.replace("{seed}", str(seed)))
        t = time.time()
        r = run_training(config, cache[seed], run_name(config) + f" · seed {seed}", "cpu")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(r, fh, indent=1, ensure_ascii=False)
        ep = r["epochs"]
        line = (
            f"| {plan} | {config['model']} | {row} | {config['lr']} | {config['optimizer']['rho']} | {seed} | {r['status']} | "
            f"{(r['summary']['finalTestAcc'] or 0) * 100:.1f} | {max((e['trainLoss'] for e in ep), default=float('nan')):.3f} | "
            f"{sum(e['seconds'] for e in ep) / max(1, len(ep)):.1f} | {time.time() - t:.0f} |\n"
        )
        with open(args.progress, "a", encoding="utf-8") as fh:
            fh.write(line)

    if not os.path.exists(args.progress):
        with open(args.progress, "w", encoding="utf-8") as fh:
            fh.write("| plan | model | row | lr | rho | seed | status | final test acc % | max train loss | s/epoch | wall s |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
    # cnn-bn first: the later plans need its best lr; the other models' lr sweeps come last.
    for item in plan_lr(LR_MODELS[:1]):
        run(*item)
    lr = best_lr(args.out)
    with open(args.progress, "a", encoding="utf-8") as fh:
        fh.write(f"\nbest cnn-bn lr (mean final test acc over SGD, SAM, ESAM): {lr}\n\n")
    for item in plan_rest(lr):
        run(*item)
    for item in plan_lr(reversed(LR_MODELS[1:])):  # cheapest first: linear, mlp, cnn
        run(*item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
