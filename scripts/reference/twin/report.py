#!/usr/bin/env python3
"""Markdown tables from a folder of sweep runs (sweep.py --out): final test accuracy per lr and
optimizer, per rho, and mean ± std over seeds with seconds per epoch for the ablation and presets.

    python3 scripts/reference/twin/report.py runs/
"""

from __future__ import annotations

import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sweep import LR_MODELS, LRS, RHOS, ROWS, read_runs  # noqa: E402

CLASSES = 10  # the built-in set's
# A run "blew up" when it diverged or its training loss rose above twice chance level (2 ln 10).
BLOWUP_LOSS = 2 * math.log(CLASSES)
ROW_TITLES = {"sgd": "SGD", "sam": "SAM", "esam-swp": "ESAM-SWP (β 0.6, γ 1)", "esam-sds": "ESAM-SDS (β 1, γ 0.5)", "esam": "ESAM (β 0.6, γ 0.5)"}


def row_of(run: dict) -> str:
    o = run["config"]["optimizer"]
    if o["name"] != "esam":
        return o["name"]
    return {(True, True): "esam", (True, False): "esam-swp", (False, True): "esam-sds"}[(o["swp"], o["sds"])]


def blew_up(run: dict) -> bool:
    return run["status"] != "completed" or any(e["trainLoss"] > BLOWUP_LOSS for e in run["epochs"])


def at_chance(run: dict) -> bool:
    """Final test accuracy below 1.5 / classes: the model ended no better than a guess."""
    acc = run["summary"]["finalTestAcc"]
    return acc is None or acc < 1.5 / CLASSES


def cell(run: dict | None) -> str:
    if run is None:
        return "not run"
    acc = run["summary"]["finalTestAcc"]
    text = f"{100 * acc:.1f}" if acc is not None else run["status"]
    return text + (" (blew up)" if blew_up(run) else "") + (" (at chance)" if at_chance(run) else "")


def lr_tables(folder: str) -> str:
    runs = list(read_runs(folder, "lr"))
    out = []
    for model in LR_MODELS:
        mine = [r for r in runs if r["config"]["model"] == model]
        if not mine:
            out.append(f"**{model}**: not run.\n")
            continue
        out.append(f"**{model}** — final test accuracy % (seed 1)\n\n| lr | SGD | SAM ρ 0.05 | ESAM β 0.6 γ 0.5 ρ 0.05 |\n|---|---|---|---|")
        for lr in LRS:
            find = lambda row: next((r for r in mine if r["config"]["lr"] == lr and row_of(r) == row), None)
            out.append(f"| {lr} | {cell(find('sgd'))} | {cell(find('sam'))} | {cell(find('esam'))} |")
        out.append("")
    return "\n".join(out)


def rho_table(folder: str) -> str:
    runs = list(read_runs(folder, "rho"))
    if not runs:
        return "Not run.\n"
    lr = runs[0]["config"]["lr"]
    out = [f"cnn-bn at lr {lr}, seed 1 — final test accuracy %\n\n| ρ | SAM | ESAM β 0.6 γ 0.5 |\n|---|---|---|"]
    for rho in RHOS:
        find = lambda row: next((r for r in runs if r["config"]["optimizer"]["rho"] == rho and row_of(r) == row), None)
        out.append(f"| {rho} | {cell(find('sam'))} | {cell(find('esam'))} |")
    return "\n".join(out) + "\n"


def seeds_table(folder: str, plan: str) -> str:
    runs = list(read_runs(folder, plan))
    if not runs:
        return "Not run.\n"
    c = runs[0]["config"]
    out = [
        f"cnn-bn, lr {c['lr']}, {c['dataset']['trainSize']} train / {c['dataset']['testSize']} test, label noise {c['dataset']['labelNoise']}, {c['epochs']} epochs\n",
        "| row | seeds | final test acc % (mean ± std) | best test acc % (mean) | s/epoch (mean) |",
        "|---|---|---|---|---|",
    ]
    for row in ROWS:
        mine = [r for r in runs if row_of(r) == row]
        if not mine:
            out.append(f"| {ROW_TITLES[row]} | 0 | not run | | |")
            continue
        accs = [100 * (r["summary"]["finalTestAcc"] or 0) for r in mine]
        best = [100 * (r["summary"]["bestTestAcc"] or 0) for r in mine]
        secs = [e["seconds"] for r in mine for e in r["epochs"]]
        spread = f"± {statistics.stdev(accs):.1f}" if len(accs) > 1 else "(one seed)"
        flag = " (a run blew up)" if any(blew_up(r) for r in mine) else ""
        chance = sum(at_chance(r) for r in mine)
        flag += f" ({chance} of {len(mine)} at chance)" if chance else ""
        seeds = ",".join(str(r["config"]["seed"]) for r in sorted(mine, key=lambda r: r["config"]["seed"]))
        out.append(f"| {ROW_TITLES[row]} | {seeds} | {statistics.mean(accs):.1f} {spread}{flag} | {statistics.mean(best):.1f} | {statistics.mean(secs):.1f} |")
    return "\n".join(out) + "\n"


def main() -> int:
    folder = sys.argv[1]
    print("## lr sweep\n")
    print(lr_tables(folder))
    print("## ρ at the best cnn-bn lr\n")
    print(rho_table(folder))
    for plan, title in (("ablation", "Ablation"), ("label-noise", "Preset: label noise"), ("small-data", "Preset: small data, long run")):
        print(f"## {title}\n")
        print(seeds_table(folder, plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
