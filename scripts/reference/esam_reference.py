#!/usr/bin/env python3
"""Independent float64 reference of one SGD / SAM / ESAM step (numpy only).

It implements the step semantics of docs/golden-format.md ("The step") for the two
fixture model kinds, with hand-written forward and backward passes:

  mlp  dims [in, hidden..., out]: dense{i}/kernel [in, out], dense{i}/bias, ReLU between layers,
       logits at the end.
  conv dims [c, f, k]: conv 3x3, stride 1, zero padding 1 (cross-correlation, kernel
       [kh, kw, in, out] = [3, 3, c, f]) + conv0/bias -> ReLU -> mean over height and width ->
       dense0/kernel [f, k] + dense0/bias. Images are NHWC.

Usage:
  python3 esam_reference.py FIXTURE.json            print {"steps": [...]} computed from the fixture
  python3 esam_reference.py --check FIXTURE.json    compare with the fixture's "expected"
  python3 esam_reference.py --self-test             finite-difference and consistency checks
  python3 esam_reference.py --generate OUTDIR       write the seeded fixtures (expected filled in)

The reference never reads a fixture's "expected" except in --check, to compare.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

import numpy as np

FORMAT = "esam-golden@1"
EPS_NORM = 1e-7  # added to the gradient norm before dividing (the authors' constant)
GAMMA_ALL = 0.99  # gamma at or above this keeps the whole batch (no SDS)


# ----------------------------------------------------------------------------------------------
# Models: forward with a cache, backward to parameter gradients.
# ----------------------------------------------------------------------------------------------


def param_names(kind: str, dims: list[int]) -> list[str]:
    if kind == "mlp":
        names = []
        for i in range(len(dims) - 1):
            names += [f"dense{i}/kernel", f"dense{i}/bias"]
        return names
    if kind == "conv":
        return ["conv0/kernel", "conv0/bias", "dense0/kernel", "dense0/bias"]
    raise ValueError(f"unknown model kind {kind!r}")


def param_shapes(kind: str, dims: list[int]) -> dict[str, tuple[int, ...]]:
    if kind == "mlp":
        shapes = {}
        for i in range(len(dims) - 1):
            shapes[f"dense{i}/kernel"] = (dims[i], dims[i + 1])
            shapes[f"dense{i}/bias"] = (dims[i + 1],)
        return shapes
    c, f, k = dims
    return {
        "conv0/kernel": (3, 3, c, f),
        "conv0/bias": (f,),
        "dense0/kernel": (f, k),
        "dense0/bias": (k,),
    }


def _patches(x: np.ndarray) -> np.ndarray:
    """x [n, h, w, c] -> 3x3 neighbourhoods [n, h, w, 3, 3, c] of the zero-padded image."""
    n, h, w, c = x.shape
    xp = np.zeros((n, h + 2, w + 2, c), dtype=np.float64)
    xp[:, 1 : h + 1, 1 : w + 1, :] = x
    out = np.empty((n, h, w, 3, 3, c), dtype=np.float64)
    for a in range(3):
        for b in range(3):
            out[:, :, :, a, b, :] = xp[:, a : a + h, b : b + w, :]
    return out


def forward(kind: str, dims: list[int], params: dict[str, np.ndarray], x: np.ndarray):
    """Returns (logits [n, k], cache for backward)."""
    if kind == "mlp":
        layers = len(dims) - 1
        h = x
        inputs, pre = [], []
        for i in range(layers):
            inputs.append(h)
            z = h @ params[f"dense{i}/kernel"] + params[f"dense{i}/bias"]
            pre.append(z)
            h = np.maximum(z, 0.0) if i < layers - 1 else z
        return h, {"inputs": inputs, "pre": pre}
    if kind == "conv":
        c, f, k = dims
        n, hh, ww, cc = x.shape
        if cc != c:
            raise ValueError(f"image has {cc} channels, the model expects {c}")
        cols = _patches(x).reshape(n * hh * ww, 9 * c)
        z = (cols @ params["conv0/kernel"].reshape(9 * c, f)).reshape(n, hh, ww, f)
        z = z + params["conv0/bias"]
        a = np.maximum(z, 0.0)
        pooled = a.mean(axis=(1, 2))
        logits = pooled @ params["dense0/kernel"] + params["dense0/bias"]
        return logits, {"cols": cols, "pre": [z], "pooled": pooled, "hw": (n, hh, ww)}
    raise ValueError(f"unknown model kind {kind!r}")


def backward(kind: str, dims: list[int], params: dict[str, np.ndarray], cache, dlogits: np.ndarray):
    """Gradients of sum(dlogits * logits) with respect to every parameter."""
    grads: dict[str, np.ndarray] = {}
    if kind == "mlp":
        layers = len(dims) - 1
        d = dlogits
        for i in reversed(range(layers)):
            if i < layers - 1:
                d = d * (cache["pre"][i] > 0.0)
            grads[f"dense{i}/kernel"] = cache["inputs"][i].T @ d
            grads[f"dense{i}/bias"] = d.sum(axis=0)
            if i > 0:
                d = d @ params[f"dense{i}/kernel"].T
        return grads
    c, f, k = dims
    n, hh, ww = cache["hw"]
    grads["dense0/kernel"] = cache["pooled"].T @ dlogits
    grads["dense0/bias"] = dlogits.sum(axis=0)
    dpooled = dlogits @ params["dense0/kernel"].T  # [n, f]
    dz = np.broadcast_to(dpooled[:, None, None, :] / (hh * ww), (n, hh, ww, f)) * (cache["pre"][0] > 0.0)
    dz2 = dz.reshape(n * hh * ww, f)
    grads["conv0/kernel"] = (cache["cols"].T @ dz2).reshape(3, 3, c, f)
    grads["conv0/bias"] = dz2.sum(axis=0)
    return grads


def per_sample_ce(logits: np.ndarray, y: np.ndarray):
    """Per-sample softmax cross-entropy and the softmax probabilities."""
    m = logits.max(axis=1, keepdims=True)
    shifted = logits - m
    lse = np.log(np.exp(shifted).sum(axis=1))
    losses = lse - shifted[np.arange(len(y)), y]
    probs = np.exp(shifted - lse[:, None])
    return losses, probs


def mean_ce_and_grads(kind, dims, params, x, y):
    """(per-sample losses, gradients of the mean cross-entropy, cache)."""
    logits, cache = forward(kind, dims, params, x)
    losses, probs = per_sample_ce(logits, y)
    dlogits = probs.copy()
    dlogits[np.arange(len(y)), y] -= 1.0
    dlogits /= len(y)
    return losses, backward(kind, dims, params, cache, dlogits), cache


def per_sample_losses(kind, dims, params, x, y):
    logits, cache = forward(kind, dims, params, x)
    return per_sample_ce(logits, y)[0], cache


# ----------------------------------------------------------------------------------------------
# One step.
# ----------------------------------------------------------------------------------------------


def select_top(sharpness: np.ndarray, gamma: float):
    """SDS: ascending indices of the floor(gamma*b) largest values; all of B when gamma >= 0.99.

    Returns (indices, gap) where gap is the difference between the smallest selected value and
    the largest dropped one (inf when nothing is dropped); ties are broken by the lower index.
    """
    b = len(sharpness)
    if gamma >= GAMMA_ALL:
        return np.arange(b), math.inf
    count = int(b * gamma)
    order = np.argsort(-sharpness, kind="stable")
    chosen = np.sort(order[:count])
    if count == 0 or count == b:
        return chosen, math.inf
    gap = float(sharpness[order[count - 1]] - sharpness[order[count]])
    return chosen, gap


def esam_step(kind, dims, params, buf, hyper, x, y, mask, stats=None):
    """One step; updates params and buf in place and returns the expected-record of the step."""
    names = list(params)
    rho, beta, gamma = hyper["rho"], hyper["beta"], hyper["gamma"]
    adaptive = bool(hyper["adaptive"])
    lr, momentum, wd = hyper["lr"], hyper["momentum"], hyper["weightDecay"]
    on = [n for n in names if mask[n]]

    # 1. per-sample losses at theta, gradient of the mean loss (only masked-in tensors are used).
    loss_before, g1, cache1 = mean_ce_and_grads(kind, dims, params, x, y)

    # 2. perturbation.
    if adaptive:
        norm = math.sqrt(sum(float(np.sum((np.abs(params[n]) * g1[n]) ** 2)) for n in on))
    else:
        norm = math.sqrt(sum(float(np.sum(g1[n] ** 2)) for n in on))
    scale = rho / (norm + EPS_NORM) / beta
    eps = {}
    for n in names:
        if mask[n]:
            eps[n] = (params[n] ** 2 * g1[n] if adaptive else g1[n]) * scale
        else:
            eps[n] = np.zeros_like(params[n])
        params[n] = params[n] + eps[n]

    # 3. per-sample losses at theta + eps on the whole batch.
    loss_after, cache2 = per_sample_losses(kind, dims, params, x, y)

    # 4. SDS.
    selected, gap = select_top(loss_after - loss_before, gamma)

    # 5. gradient of the mean loss over B+ at theta + eps, then back to theta.
    _, g2, cache3 = mean_ce_and_grads(kind, dims, params, x[selected], y[selected])
    for n in names:
        params[n] = params[n] - eps[n]

    # 6. SGD with momentum and weight decay (PyTorch semantics, dampening 0, no Nesterov).
    for n in names:
        d = g2[n] + wd * params[n]
        buf[n] = momentum * buf[n] + d
        params[n] = params[n] - lr * buf[n]

    if stats is not None:
        stats["gap"] = min(stats.get("gap", math.inf), gap)
        kink = min(float(np.min(np.abs(z))) if z.size else math.inf
                   for c in (cache1, cache2, cache3) for z in c["pre"][: (len(c["pre"]) - 1 if kind == "mlp" else 1)])
        stats["kink"] = min(stats.get("kink", math.inf), kink)

    return {
        "lossBefore": loss_before.tolist(),
        "lossAfter": loss_after.tolist(),
        "selected": [int(i) for i in selected],
        "perturbation": {n: eps[n].ravel().tolist() for n in names},
        "params": {n: params[n].ravel().tolist() for n in names},
    }


def load_params(fixture):
    kind, dims = fixture["model"]["kind"], fixture["model"]["dims"]
    shapes = param_shapes(kind, dims)
    params = {}
    for name, entry in fixture["params"].items():
        if name not in shapes:
            raise ValueError(f"unexpected parameter {name!r} for a {kind} model")
        shape = tuple(entry["shape"])
        if shape != shapes[name]:
            raise ValueError(f"parameter {name!r} has shape {list(shape)}, expected {list(shapes[name])}")
        params[name] = np.asarray(entry["data"], dtype=np.float64).reshape(shape)
    missing = set(shapes) - set(params)
    if missing:
        raise ValueError(f"missing parameters: {sorted(missing)}")
    return params


def run_fixture(fixture, stats=None):
    if fixture.get("format") != FORMAT:
        raise ValueError(f'"format" must be "{FORMAT}"')
    kind, dims = fixture["model"]["kind"], fixture["model"]["dims"]
    params = load_params(fixture)
    buf = {n: np.zeros_like(p) for n, p in params.items()}
    out = []
    for i, step in enumerate(fixture["steps"]):
        xs = step["batch"]["x"]
        x = np.asarray(xs["data"], dtype=np.float64).reshape(xs["shape"])
        y = np.asarray(step["batch"]["y"], dtype=np.int64)
        mask = step["swpMask"]
        for n in params:
            if not isinstance(mask.get(n), bool):
                raise ValueError(f"step {i}: swpMask has no boolean for {n!r}")
        out.append(esam_step(kind, dims, params, buf, fixture["hyper"], x, y, mask, stats))
    return out


# ----------------------------------------------------------------------------------------------
# Comparison with a fixture's expected.
# ----------------------------------------------------------------------------------------------


def rel_err(ours, ref) -> float:
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(ref, dtype=np.float64)
    if a.shape != b.shape:
        return math.inf
    nb = float(np.linalg.norm(b))
    diff = float(np.linalg.norm(a - b))
    return diff if nb == 0.0 else diff / nb


def compare(ours_steps, ref_steps):
    """Returns (max relative error, all selections equal, per-array rows)."""
    rows = []
    worst = 0.0
    sel_ok = len(ours_steps) == len(ref_steps)
    for i, (o, r) in enumerate(zip(ours_steps, ref_steps)):
        arrays = [("lossBefore", o["lossBefore"], r["lossBefore"]), ("lossAfter", o["lossAfter"], r["lossAfter"])]
        for key in ("perturbation", "params"):
            for n in r[key]:
                arrays.append((f"{key}.{n}", o[key].get(n, []), r[key][n]))
        for label, a, b in arrays:
            e = rel_err(a, b)
            worst = max(worst, e)
            rows.append((i, label, e))
        same = list(o["selected"]) == list(r["selected"])
        sel_ok = sel_ok and same
        rows.append((i, "selected", 0.0 if same else math.inf))
    return worst, sel_ok, rows


def check_file(path: str, verbose: bool = True) -> bool:
    with open(path) as fh:
        fixture = json.load(fh)
    ours = run_fixture(fixture)
    worst, sel_ok, rows = compare(ours, fixture["expected"])
    if verbose:
        for i, label, e in rows:
            if label == "selected":
                print(f"  step {i} selected: {'identical' if e == 0 else 'DIFFERENT'}")
            else:
                print(f"  step {i} {label:28s} rel err {e:.3e}")
    ok = sel_ok and worst < 1e-10
    print(f"{path}: max relative error {worst:.3e}, selected {'identical' if sel_ok else 'DIFFERENT'}"
          f" -> {'OK' if ok else 'MISMATCH'}")
    return ok


# ----------------------------------------------------------------------------------------------
# Self-test.
# ----------------------------------------------------------------------------------------------


def _naive_conv_logits(dims, params, x):
    """Loop implementation of the conv model, for cross-checking the vectorised one."""
    c, f, k = dims
    n, h, w, _ = x.shape
    K, bias = params["conv0/kernel"], params["conv0/bias"]
    pooled = np.zeros((n, f))
    for s in range(n):
        for i in range(h):
            for j in range(w):
                for o in range(f):
                    acc = bias[o]
                    for a in range(3):
                        for b in range(3):
                            ii, jj = i + a - 1, j + b - 1
                            if 0 <= ii < h and 0 <= jj < w:
                                acc += float(np.dot(x[s, ii, jj, :], K[a, b, :, o]))
                    pooled[s, o] += max(acc, 0.0)
    pooled /= h * w
    return pooled @ params["dense0/kernel"] + params["dense0/bias"]


def _naive_ce(logits, y):
    out = []
    for row, t in zip(logits, y):
        out.append(math.log(sum(math.exp(v) for v in row)) - row[t])
    return np.array(out)


def _fd_check(kind, dims, params, x, y, rng, label):
    names = list(params)
    _, grads, _ = mean_ce_and_grads(kind, dims, params, x, y)

    def loss_at(p):
        return float(per_sample_losses(kind, dims, p, x, y)[0].mean())

    h = 1e-6
    worst = 0.0
    for n in names:
        idxs = [tuple(int(rng.integers(s)) for s in params[n].shape) for _ in range(6)]
        for idx in idxs:
            plus = {m: v.copy() for m, v in params.items()}
            minus = {m: v.copy() for m, v in params.items()}
            plus[n][idx] += h
            minus[n][idx] -= h
            fd = (loss_at(plus) - loss_at(minus)) / (2 * h)
            an = grads[n][idx]
            err = abs(fd - an) / max(1e-6, abs(fd) + abs(an))
            worst = max(worst, err)
    # A random direction through all parameters at once.
    direction = {n: rng.standard_normal(params[n].shape) for n in names}
    t = 1e-6
    plus = {n: params[n] + t * direction[n] for n in names}
    minus = {n: params[n] - t * direction[n] for n in names}
    fd = (loss_at(plus) - loss_at(minus)) / (2 * t)
    an = sum(float(np.sum(grads[n] * direction[n])) for n in names)
    dir_err = abs(fd - an) / max(1e-12, abs(an))
    ok = worst < 1e-5 and dir_err < 1e-7
    print(f"  gradient check {label}: max entry rel err {worst:.2e}, directional rel err {dir_err:.2e}"
          f" -> {'ok' if ok else 'FAIL'}")
    return ok


def self_test() -> bool:
    rng = np.random.default_rng(12345)
    ok = True

    # Cross-entropy against a plain Python formula.
    logits = rng.standard_normal((7, 5)) * 3
    y = rng.integers(5, size=7)
    e = float(np.max(np.abs(per_sample_ce(logits, y)[0] - _naive_ce(logits, y))))
    print(f"  cross-entropy vs naive: max abs diff {e:.2e} -> {'ok' if e < 1e-12 else 'FAIL'}")
    ok &= e < 1e-12

    # Conv forward against the loop implementation (square and non-square, several channels).
    for dims, (h, w) in (([2, 3, 4], (4, 4)), ([3, 4, 5], (5, 7))):
        params = random_params("conv", dims, rng)
        x = rng.standard_normal((3, h, w, dims[0]))
        a = forward("conv", dims, params, x)[0]
        b = _naive_conv_logits(dims, params, x)
        e = float(np.max(np.abs(a - b)))
        print(f"  conv forward {dims} on {h}x{w} vs loops: max abs diff {e:.2e} -> {'ok' if e < 1e-12 else 'FAIL'}")
        ok &= e < 1e-12

    # Analytic gradients against central differences.
    for kind, dims, xshape in (
        ("mlp", [6, 5, 4], (9, 6)),
        ("mlp", [7, 8, 6, 5], (11, 7)),
        ("mlp", [4, 3], (5, 4)),
        ("conv", [2, 3, 4], (5, 4, 4, 2)),
        ("conv", [3, 4, 5], (4, 5, 7, 3)),
    ):
        params = random_params(kind, dims, rng)
        x = rng.standard_normal(xshape)
        y = rng.integers(dims[-1], size=xshape[0])
        ok &= _fd_check(kind, dims, params, x, y, rng, f"{kind} {dims}")

    # Selection: floor(gamma*b) largest, ascending output, gamma >= 0.99 keeps everything.
    s = np.array([0.3, -0.1, 0.7, 0.2, 0.5, 0.0, 0.9])
    sel_cases = [(0.5, [2, 4, 6]), (0.6, [2, 4, 6, 0]), (0.99, list(range(7))), (0.3, [2, 6])]
    for gamma, want in sel_cases:
        got = select_top(s, gamma)[0].tolist()
        good = got == sorted(want)
        print(f"  selection gamma={gamma}: {got} -> {'ok' if good else 'FAIL'}")
        ok &= good

    # Step invariants: SGD step (rho=0) equals plain momentum SGD; masked-out tensors get eps 0;
    # the perturbation has norm rho/beta (rho/beta on |theta|-scaled grads for adaptive).
    kind, dims = "mlp", [5, 6, 3]
    params = random_params(kind, dims, rng)
    x = rng.standard_normal((10, 5))
    y = rng.integers(3, size=10)
    names = list(params)
    hyper = {"rho": 0.2, "beta": 0.5, "gamma": 1.0, "adaptive": False, "lr": 0.1, "momentum": 0.9, "weightDecay": 0.01}
    mask = {n: i % 2 == 0 for i, n in enumerate(names)}
    p = {n: v.copy() for n, v in params.items()}
    buf = {n: np.zeros_like(v) for n, v in p.items()}
    _, g0, _ = mean_ce_and_grads(kind, dims, params, x, y)
    for adaptive in (False, True):
        h = dict(hyper, adaptive=adaptive)
        p = {n: v.copy() for n, v in params.items()}
        buf = {n: np.zeros_like(v) for n, v in p.items()}
        rec = esam_step(kind, dims, p, buf, h, x, y, mask)
        # ||eps|| (plain) or ||eps / |theta|||| (adaptive) = rho/beta * ||v|| / (||v|| + 1e-7),
        # v = g (plain) or |theta| * g (adaptive), masked-in tensors only.
        w = {n: np.abs(params[n]) if adaptive else np.ones_like(params[n]) for n in names}
        vn = math.sqrt(sum(float(np.sum((w[n] * g0[n]) ** 2)) for n in names if mask[n]))
        want = h["rho"] / h["beta"] * vn / (vn + EPS_NORM)
        en = math.sqrt(sum(float(np.sum((np.reshape(rec["perturbation"][n], w[n].shape) / w[n]) ** 2))
                           for n in names if mask[n]))
        zeros = all(not any(rec["perturbation"][n]) for n in names if not mask[n])
        good = abs(en - want) < 1e-12 and zeros
        print(f"  perturbation norm{' (adaptive)' if adaptive else ''} {en:.15f} (want {want:.15f}),"
              f" masked-out zero: {zeros} -> {'ok' if good else 'FAIL'}")
        ok &= good

    hyper0 = dict(hyper, rho=0.0)
    p = {n: v.copy() for n, v in params.items()}
    buf = {n: np.zeros_like(v) for n, v in p.items()}
    q = {n: v.copy() for n, v in params.items()}
    qbuf = {n: np.zeros_like(v) for n, v in q.items()}
    worst = 0.0
    for _ in range(3):
        esam_step(kind, dims, p, buf, hyper0, x, y, {n: True for n in names})
        _, g, _ = mean_ce_and_grads(kind, dims, q, x, y)
        for n in names:
            qbuf[n] = 0.9 * qbuf[n] + g[n] + 0.01 * q[n]
            q[n] = q[n] - 0.1 * qbuf[n]
        worst = max(worst, max(float(np.max(np.abs(p[n] - q[n]))) for n in names))
    print(f"  rho=0 equals momentum SGD: max abs diff {worst:.2e} -> {'ok' if worst < 1e-14 else 'FAIL'}")
    ok &= worst < 1e-14

    # The authors' fixture, when it is at hand.
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (
        os.path.join(here, "..", "..", "tests", "fixtures", "golden", "mlp-esam.json"),
        os.path.join(here, "..", "..", "..", "shared", "golden", "mlp-esam.json"),
    ):
        if os.path.exists(path):
            ok &= check_file(os.path.normpath(path), verbose=False)
            break
    else:
        print("  (the authors' fixture mlp-esam.json was not found; skipped)")

    print("self-test", "passed" if ok else "FAILED")
    return ok


# ----------------------------------------------------------------------------------------------
# Fixture generation.
# ----------------------------------------------------------------------------------------------


def f32(a: np.ndarray) -> np.ndarray:
    """Round to float32-representable values, so float32 engines start from the same numbers."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def random_params(kind, dims, rng):
    params = {}
    for name, shape in param_shapes(kind, dims).items():
        if name.endswith("/bias"):
            params[name] = f32(rng.standard_normal(shape) * 0.1)
        else:
            fan_in = int(np.prod(shape[:-1]))
            params[name] = f32(rng.standard_normal(shape) * min(0.5, 1.2 / math.sqrt(fan_in)))
    return params


def random_mask(names, beta, rng, mixed):
    """Each tensor kept with probability beta; never all-false (and, if mixed, never all-true)."""
    if beta >= 1.0:
        return {n: True for n in names}
    while True:
        keep = rng.random(len(names)) < beta
        if keep.any() and (not mixed or not keep.all()):
            return {n: bool(k) for n, k in zip(names, keep)}


# name, description, model kind, dims, image (h, w) for conv, batch, steps, hyper, mixed masks
SPECS = [
    dict(name="conv-sam", description="SAM (beta=1, gamma=1), 3 steps of SGD with momentum and weight decay on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=101,
         hyper=dict(rho=0.05, beta=1.0, gamma=1.0, adaptive=False, lr=0.1, momentum=0.9, weightDecay=0.0005)),
    dict(name="conv-esam", description="ESAM (SWP beta=0.5 with random per-tensor masks + SDS gamma=0.5), 3 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=102, mixed=True,
         hyper=dict(rho=0.1, beta=0.5, gamma=0.5, adaptive=False, lr=0.1, momentum=0.9, weightDecay=0.0005)),
    dict(name="conv-asam", description="Adaptive ESAM (ASAM perturbation, SWP beta=0.6 + SDS gamma=0.5), 3 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=103, mixed=True,
         hyper=dict(rho=0.5, beta=0.6, gamma=0.5, adaptive=True, lr=0.1, momentum=0.9, weightDecay=0.0005)),
    dict(name="conv-nonsquare", description="ESAM (SWP beta=0.6 + SDS gamma=0.7, floor(0.7*10)=7 of 10), 2 steps on a conv 3-5-4 model with 5x7 (height x width) RGB images",
         kind="conv", dims=[3, 5, 4], image=(5, 7), batch=10, steps=2, seed=104, mixed=True,
         hyper=dict(rho=0.1, beta=0.6, gamma=0.7, adaptive=False, lr=0.05, momentum=0.9, weightDecay=0.001)),
    dict(name="mlp-sam", description="SAM (beta=1, gamma=1), 3 steps of SGD with momentum and weight decay on a 10-16-6 MLP",
         kind="mlp", dims=[10, 16, 6], batch=16, steps=3, seed=201,
         hyper=dict(rho=0.05, beta=1.0, gamma=1.0, adaptive=False, lr=0.1, momentum=0.9, weightDecay=0.0005)),
    dict(name="mlp-sds-only", description="ESAM-SDS only (beta=1, gamma=0.6, batch 27 so gamma*b=16.2 -> 16 selected), 3 steps on a 12-16-10 MLP",
         kind="mlp", dims=[12, 16, 10], batch=27, steps=3, seed=202,
         hyper=dict(rho=0.1, beta=1.0, gamma=0.6, adaptive=False, lr=0.1, momentum=0.9, weightDecay=0.001)),
    dict(name="mlp-swp-only", description="ESAM-SWP only (gamma=1, beta=0.6, every step's mask keeps some tensors and drops others), 3 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=3, seed=203, mixed=True,
         hyper=dict(rho=0.05, beta=0.6, gamma=1.0, adaptive=False, lr=0.1, momentum=0.9, weightDecay=0.0005)),
    dict(name="mlp-asam", description="Adaptive SAM (ASAM perturbation, beta=1, gamma=1, rho=0.5), 3 steps on a 10-16-6 MLP",
         kind="mlp", dims=[10, 16, 6], batch=16, steps=3, seed=204,
         hyper=dict(rho=0.5, beta=1.0, gamma=1.0, adaptive=True, lr=0.1, momentum=0.9, weightDecay=0.0005)),
    dict(name="mlp-deep", description="ESAM (SWP beta=0.6 + SDS gamma=0.5) with plain SGD (momentum 0, weight decay 0), 2 steps on a 20-24-16-7 MLP (three dense layers)",
         kind="mlp", dims=[20, 24, 16, 7], batch=16, steps=2, seed=205, mixed=True,
         hyper=dict(rho=0.05, beta=0.6, gamma=0.5, adaptive=False, lr=0.1, momentum=0.0, weightDecay=0.0)),
    dict(name="mlp-gamma-threshold", description="gamma=0.99 is at the SDS threshold, so the whole batch is used (not floor(0.99*20)=19); beta=1; 2 steps on an 8-10-4 MLP",
         kind="mlp", dims=[8, 10, 4], batch=20, steps=2, seed=206,
         hyper=dict(rho=0.05, beta=1.0, gamma=0.99, adaptive=False, lr=0.1, momentum=0.9, weightDecay=0.0005)),
]

# Margins that keep float32 engines on the same branch as this float64 reference.
MIN_SELECTION_GAP = 1e-3  # between the last selected and the first dropped sharpness value
MIN_RELU_MARGIN = 1e-4  # smallest |pre-activation| seen by any ReLU


def build_fixture(spec, attempt):
    rng = np.random.default_rng([spec["seed"], attempt])
    kind, dims, b = spec["kind"], spec["dims"], spec["batch"]
    params = random_params(kind, dims, rng)
    names = list(params)
    steps = []
    for _ in range(spec["steps"]):
        if kind == "mlp":
            x = f32(rng.standard_normal((b, dims[0])))
        else:
            h, w = spec["image"]
            x = f32(rng.standard_normal((b, h, w, dims[0])))
        y = rng.integers(dims[-1], size=b)
        mask = random_mask(names, spec["hyper"]["beta"], rng, spec.get("mixed", False))
        steps.append({"batch": {"x": {"shape": list(x.shape), "data": x.ravel().tolist()}, "y": [int(v) for v in y]},
                      "swpMask": mask})
    fixture = {
        "format": FORMAT,
        "name": spec["name"],
        "description": spec["description"],
        "model": {"kind": kind, "dims": list(dims)},
        "hyper": dict(spec["hyper"]),
        "params": {n: {"shape": list(p.shape), "data": p.ravel().tolist()} for n, p in params.items()},
        "steps": steps,
    }
    stats = {}
    fixture["expected"] = run_fixture(fixture, stats)
    return fixture, stats


def generate(outdir: str) -> None:
    os.makedirs(outdir, exist_ok=True)
    for spec in SPECS:
        for attempt in range(100):
            fixture, stats = build_fixture(spec, attempt)
            if stats["gap"] >= MIN_SELECTION_GAP and stats["kink"] >= MIN_RELU_MARGIN:
                break
        else:
            raise RuntimeError(f"{spec['name']}: no draw with clear margins")
        # Recompute from the serialised text, so expected matches exactly what a reader parses.
        text = json.dumps(fixture)
        again = json.loads(text)
        worst, sel_ok, _ = compare(run_fixture(again), again["expected"])
        if worst != 0.0 or not sel_ok:
            raise RuntimeError(f"{spec['name']}: not reproducible from its own JSON ({worst})")
        path = os.path.join(outdir, spec["name"] + ".json")
        with open(path, "w") as fh:
            fh.write(text + "\n")
        gap = "n/a" if math.isinf(stats["gap"]) else f"{stats['gap']:.2e}"
        sel = [len(e["selected"]) for e in fixture["expected"]]
        print(f"{path}: {len(text) / 1024:.1f} KB, draw {attempt}, selected per step {sel},"
              f" selection gap {gap}, min |ReLU input| {stats['kink']:.2e}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Independent float64 numpy reference of one SGD/SAM/ESAM step.")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("fixture", nargs="?", help="fixture JSON: print {\"steps\": [...]} computed by the reference")
    g.add_argument("--check", metavar="FIXTURE", nargs="+", help="compare with each fixture's expected")
    g.add_argument("--self-test", action="store_true", help="gradient and consistency checks")
    g.add_argument("--generate", metavar="OUTDIR", help="write the seeded fixtures into OUTDIR")
    args = ap.parse_args(argv)
    if args.self_test:
        return 0 if self_test() else 1
    if args.check:
        results = [check_file(p) for p in args.check]
        return 0 if all(results) else 1
    if args.generate:
        generate(args.generate)
        return 0
    with open(args.fixture) as fh:
        fixture = json.load(fh)
    sys.stdout.write(json.dumps({"steps": run_fixture(fixture)}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
