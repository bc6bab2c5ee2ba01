"""The fixture models of the sharpness-aware family's reference (float64, numpy, no autodiff).

`mlp` and `conv` are esam_reference.py's models, used from there unchanged. This file adds one
kind for SAM-ON, which perturbs normalization parameters only:

  conv-bn dims [c, f, k]: conv 3x3, stride 1, zero padding 1, NO bias (cross-correlation, kernel
       conv0/kernel [3, 3, c, f]) -> BatchNorm over (n, h, w) per channel with the batch's own
       statistics (mean, biased variance, epsilon 1e-5; bn0/gamma [f], bn0/beta [f]) -> ReLU ->
       mean over height and width -> dense0/kernel [f, k] + dense0/bias [k].

Every pass (at theta, at theta+eps, on a subset) normalizes with the statistics of the samples it
sees, as a training-mode forward does; running statistics are not part of a fixture. This is the
engine's cnn-bn block (src/engine/models/builder.ts: BatchNorm from raw ops, epsilon 1e-5, conv
without bias before BatchNorm) with one conv layer.
"""

from __future__ import annotations

import numpy as np

import esam_reference as er

KINDS = ("mlp", "conv", "conv-bn")
BN_EPSILON = 1e-5


def param_shapes(kind: str, dims: list[int]) -> dict[str, tuple[int, ...]]:
    if kind == "conv-bn":
        c, f, k = dims
        return {
            "conv0/kernel": (3, 3, c, f),
            "bn0/gamma": (f,),
            "bn0/beta": (f,),
            "dense0/kernel": (f, k),
            "dense0/bias": (k,),
        }
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}")
    return er.param_shapes(kind, dims)


def is_norm_param(name: str) -> bool:
    """BatchNorm's gamma and beta: the parameters SAM-ON perturbs."""
    return name.startswith("bn") and (name.endswith("/gamma") or name.endswith("/beta"))


def _forward_bn(dims, params, x):
    c, f, k = dims
    n, hh, ww, cc = x.shape
    if cc != c:
        raise ValueError(f"image has {cc} channels, the model expects {c}")
    cols = er._patches(x).reshape(n * hh * ww, 9 * c)
    z = cols @ params["conv0/kernel"].reshape(9 * c, f)  # [N, f], N = n*h*w
    mean = z.mean(axis=0)
    var = ((z - mean) ** 2).mean(axis=0)
    inv_std = 1.0 / np.sqrt(var + BN_EPSILON)
    zhat = (z - mean) * inv_std
    a = zhat * params["bn0/gamma"] + params["bn0/beta"]
    r = np.maximum(a, 0.0)
    pooled = r.reshape(n, hh * ww, f).mean(axis=1)
    logits = pooled @ params["dense0/kernel"] + params["dense0/bias"]
    return logits, {"cols": cols, "zhat": zhat, "inv_std": inv_std, "a": a, "pooled": pooled, "hw": (n, hh, ww)}


def _backward_bn(dims, params, cache, dlogits):
    c, f, k = dims
    n, hh, ww = cache["hw"]
    grads = {
        "dense0/kernel": cache["pooled"].T @ dlogits,
        "dense0/bias": dlogits.sum(axis=0),
    }
    dpooled = dlogits @ params["dense0/kernel"].T  # [n, f]
    da = np.repeat(dpooled / (hh * ww), hh * ww, axis=0) * (cache["a"] > 0.0)  # [N, f]
    zhat = cache["zhat"]
    grads["bn0/gamma"] = (da * zhat).sum(axis=0)
    grads["bn0/beta"] = da.sum(axis=0)
    dzhat = da * params["bn0/gamma"]
    big_n = dzhat.shape[0]
    dz = cache["inv_std"] / big_n * (big_n * dzhat - dzhat.sum(axis=0) - zhat * (dzhat * zhat).sum(axis=0))
    grads["conv0/kernel"] = (cache["cols"].T @ dz).reshape(3, 3, c, f)
    return grads


def forward(kind, dims, params, x):
    if kind == "conv-bn":
        return _forward_bn(dims, params, x)
    return er.forward(kind, dims, params, x)


def backward(kind, dims, params, cache, dlogits):
    if kind == "conv-bn":
        return _backward_bn(dims, params, cache, dlogits)
    return er.backward(kind, dims, params, cache, dlogits)


def relu_inputs(kind: str, cache) -> list[np.ndarray]:
    """Every array that goes into a ReLU in this forward pass (for the float32 branch margin)."""
    if kind == "conv-bn":
        return [cache["a"]]
    if kind == "conv":
        return [cache["pre"][0]]
    return list(cache["pre"][:-1])


def losses(kind, dims, params, x, y):
    """Per-sample cross-entropy and the forward cache."""
    logits, cache = forward(kind, dims, params, x)
    return er.per_sample_ce(logits, y)[0], cache


def loss_and_grads(kind, dims, params, x, y):
    """(per-sample losses, gradients of the mean cross-entropy over the given samples, cache)."""
    logits, cache = forward(kind, dims, params, x)
    per, probs = er.per_sample_ce(logits, y)
    dlogits = probs.copy()
    dlogits[np.arange(len(y)), y] -= 1.0
    dlogits /= len(y)
    return per, backward(kind, dims, params, cache, dlogits), cache


def random_params(kind, dims, rng):
    if kind != "conv-bn":
        return er.random_params(kind, dims, rng)
    params = {}
    for name, shape in param_shapes(kind, dims).items():
        if name == "bn0/gamma":
            params[name] = er.f32(1.0 + 0.2 * rng.standard_normal(shape))
        elif name.endswith("/bias") or name == "bn0/beta":
            params[name] = er.f32(rng.standard_normal(shape) * 0.1)
        else:
            fan_in = int(np.prod(shape[:-1]))
            params[name] = er.f32(rng.standard_normal(shape) * min(0.5, 1.2 / np.sqrt(fan_in)))
    return params
