#!/usr/bin/env python3
"""Float64 Hessian of a small mlp's mean cross-entropy, for tests/fixtures/hessian-mlp.json.

The Hessian is built column by column from central differences of esam_reference.py's analytic
float64 gradients (step 1e-5 on each coordinate, then symmetrised), and its eigenvalues come
from numpy.linalg.eigvalsh. A ReLU network's loss is piecewise smooth; the draw is rejected
unless every ReLU input is at least MIN_RELU_MARGIN from zero, so neither this step nor the
engine's float32 step (about 1e-3·‖θ‖, see src/engine/sharpness/hessian.ts) changes a ReLU's
branch. It is also rejected unless power iteration converges quickly: the largest eigenvalue must
exceed every other eigenvalue's magnitude by the factor 1/MAX_RATIO.

Usage:
  python3 hessian_reference.py --generate tests/fixtures/hessian-mlp.json
  python3 hessian_reference.py --check tests/fixtures/hessian-mlp.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import esam_reference as er  # noqa: E402

FORMAT = "hessian-fixture@1"
DIMS = [4, 6, 3]
BATCH = 10
SEED = 401
FD_STEP = 1e-5
MIN_RELU_MARGIN = 0.05
MAX_RATIO = 0.7


def flat_grad(params, x, y, names):
    _, grads, cache = er.mean_ce_and_grads("mlp", DIMS, params, x, y)
    return np.concatenate([grads[n].ravel() for n in names]), cache


def unflatten(theta, params, names):
    out, at = {}, 0
    for n in names:
        size = params[n].size
        out[n] = theta[at : at + size].reshape(params[n].shape)
        at += size
    return out


def hessian(params, x, y):
    names = list(params)
    theta = np.concatenate([params[n].ravel() for n in names])
    cols = []
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = FD_STEP
        gp, _ = flat_grad(unflatten(theta + e, params, names), x, y, names)
        gm, _ = flat_grad(unflatten(theta - e, params, names), x, y, names)
        cols.append((gp - gm) / (2 * FD_STEP))
    hm = np.stack(cols, axis=1)
    return 0.5 * (hm + hm.T), float(np.max(np.abs(hm - hm.T)))


def build(attempt):
    rng = np.random.default_rng([SEED, attempt])
    params = er.random_params("mlp", DIMS, rng)
    x = er.f32(rng.standard_normal((BATCH, DIMS[0])))
    y = rng.integers(DIMS[-1], size=BATCH)
    _, cache = flat_grad(params, x, y, list(params))
    margin = float(np.min(np.abs(cache["pre"][0])))
    hm, asym = hessian(params, x, y)
    eig = np.sort(np.linalg.eigvalsh(hm))[::-1]
    others = max(abs(eig[1]), abs(eig[-1]))
    return params, x, y, eig, margin, others / eig[0], asym


def fixture_of(params, x, y, eig, margin, asym):
    return {
        "format": FORMAT,
        "description": f"mean cross-entropy of an mlp {DIMS} on {BATCH} samples; Hessian by central differences (step {FD_STEP}) of float64 analytic gradients, symmetrised",
        "model": {"kind": "mlp", "dims": DIMS},
        "params": {n: {"shape": list(p.shape), "data": p.ravel().tolist()} for n, p in params.items()},
        "batch": {"x": {"shape": list(x.shape), "data": x.ravel().tolist()}, "y": [int(v) for v in y]},
        "expected": {
            "lambdaMax": float(eig[0]),
            "eigenvalues": [float(v) for v in eig],
            "minReluMargin": margin,
            "asymmetry": asym,
        },
    }


def generate(path):
    for attempt in range(200):
        params, x, y, eig, margin, ratio, asym = build(attempt)
        if margin >= MIN_RELU_MARGIN and ratio <= MAX_RATIO and eig[0] > 0:
            break
    else:
        raise RuntimeError("no draw with clear margins")
    with open(path, "w") as fh:
        fh.write(json.dumps(fixture_of(params, x, y, eig, margin, asym)) + "\n")
    print(f"{path}: draw {attempt}, lambda_max {eig[0]:.10f}, next |lambda| ratio {ratio:.3f}, min |ReLU input| {margin:.3f}, asymmetry {asym:.1e}")


def check(path) -> bool:
    with open(path) as fh:
        fixture = json.load(fh)
    params = {n: np.asarray(e["data"], dtype=np.float64).reshape(e["shape"]) for n, e in fixture["params"].items()}
    x = np.asarray(fixture["batch"]["x"]["data"], dtype=np.float64).reshape(fixture["batch"]["x"]["shape"])
    y = np.asarray(fixture["batch"]["y"], dtype=np.int64)
    hm, _ = hessian(params, x, y)
    eig = np.sort(np.linalg.eigvalsh(hm))[::-1]
    err = er.rel_err(eig, fixture["expected"]["eigenvalues"])
    # The finite-difference Hessian against one computed another way: directional second
    # differences of the loss itself along the top eigenvector.
    w, vecs = np.linalg.eigh(hm)
    v = vecs[:, -1]
    names = list(params)
    theta = np.concatenate([params[n].ravel() for n in names])

    def loss(t):
        return float(er.per_sample_losses("mlp", DIMS, unflatten(t, params, names), x, y)[0].mean())

    s = 1e-4
    second = (loss(theta + s * v) - 2 * loss(theta) + loss(theta - s * v)) / s**2
    dir_err = abs(second - w[-1]) / abs(w[-1])
    ok = err < 1e-10 and dir_err < 1e-5
    print(f"{path}: eigenvalues rel err {err:.1e}, vᵀHv by second differences of the loss rel err {dir_err:.1e} -> {'OK' if ok else 'MISMATCH'}")
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Float64 finite-difference Hessian fixture of a small mlp.")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--generate", metavar="FILE")
    g.add_argument("--check", metavar="FILE")
    args = ap.parse_args(argv)
    if args.generate:
        generate(args.generate)
        return 0
    return 0 if check(args.check) else 1


if __name__ == "__main__":
    sys.exit(main())
