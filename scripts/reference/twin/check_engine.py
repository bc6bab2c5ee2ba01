#!/usr/bin/env python3
"""Repeats the engine's first steps (an engine-dump@1 file from engine-dump.ts) with the twin's
model and step, from the same initial weights, batches and SWP masks, and reports the largest
relative difference ||twin - engine|| / ||engine|| per quantity. Exit code 1 above --tolerance.

    python3 scripts/reference/twin/check_engine.py dump.json [--tolerance 1e-4]
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from diagnostics import measure  # noqa: E402
from models import create_model  # noqa: E402
from step import SharpnessAwareOptimizer, step_rule_for  # noqa: E402
from weights import load, to_engine  # noqa: E402


def rel(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.double().flatten(), b.double().flatten()
    denom = b.norm().item()
    return (a - b).norm().item() / (denom if denom > 0 else 1.0)


def check(dump: dict) -> dict:
    o = dump["options"]
    model = create_model(o["model"], tuple(o["shape"]), o["classes"], 0)
    load(model, dump["initial"]["params"], dump["initial"]["state"])
    engine_order = [d["name"] for d in dump["initial"]["params"]]
    twin_order = [n for n, _ in model.params]
    opt = SharpnessAwareOptimizer(model, step_rule_for(o["optimizer"]), o["momentum"], o["weightDecay"])
    worst: dict[str, float] = {}
    note = lambda key, v: worst.__setitem__(key, max(worst.get(key, 0.0), v))
    selections_equal = True
    for s in dump["steps"]:
        by_name = dict(zip(engine_order, s["mask"]))
        mask = [by_name[n] for n in twin_order]
        x = torch.tensor(s["x"], dtype=torch.float32).reshape(o["batchSize"], *o["shape"])
        y = torch.tensor(s["y"], dtype=torch.long)
        out = opt.step(x, y, s["lr"], mask, keep_perturbation=True)
        note("lossBefore", rel(out.loss_before, torch.tensor(s["lossBefore"])))
        if s["lossAfter"] is not None:
            note("lossAfter", rel(out.loss_after, torch.tensor(s["lossAfter"])))
        if s["selected"] is not None:
            selections_equal &= sorted(out.selected.tolist()) == sorted(int(i) for i in s["selected"])
        if s["perturbation"] is not None:
            eps = dict(zip(twin_order, out.perturbation))
            for d in s["perturbation"]:
                note("perturbation", rel(to_engine(eps[d["name"]]), torch.tensor(d["data"]).reshape(d["shape"])))
        params = dict(model.params)
        for d in s["params"]:
            note("params", rel(to_engine(params[d["name"]]), torch.tensor(d["data"]).reshape(d["shape"])))
        state = dict(model.state)
        for d in s["state"]:
            note("state", rel(to_engine(state[d["name"]]), torch.tensor(d["data"]).reshape(d["shape"])))
    d = dump.get("diagnostics")
    if d is not None:
        # On the last batch at the weights after the last step (equal to ~1e-6 by now).
        linearity = {**d["linearity"], "swpMask": [dict(zip(engine_order, d["linearity"]["swpMask"]))[n] for n in twin_order]}
        got = measure(model, x, y, o["optimizer"]["rho"], d["gamma"], d["randomSubset"], linearity)
        for key, want in d["values"].items():
            # ζ is a small residual of float32 losses of order 1, so its float32 error is of the
            # order of the losses' (1e-7 x loss), not of ζ: it is compared relative to the loss
            # scale (1). The others relative to max(|engine|, 1e-2).
            floor = 1.0 if key.startswith("linearity") else 1e-2
            note(f"diag:{key}", abs(got[key] - want) / max(abs(want), floor))
    return {"worst": worst, "selectionsEqual": selections_equal}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("dumps", nargs="+")
    p.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args()
    torch.set_num_threads(1)
    ok = True
    for path in args.dumps:
        with open(path, encoding="utf-8") as f:
            dump = json.load(f)
        result = check(dump)
        o = dump["options"]
        good = result["selectionsEqual"] and all(v <= args.tolerance for v in result["worst"].values())
        ok &= good
        worst = ", ".join(f"{k} {v:.1e}" for k, v in result["worst"].items())
        print(f"{'ok  ' if good else 'FAIL'} {o['model']} {o['optimizer']['name']} β={o['optimizer']['beta']} γ={o['optimizer']['gamma']}: {worst}; B+ {'equal' if result['selectionsEqual'] else 'DIFFERS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
