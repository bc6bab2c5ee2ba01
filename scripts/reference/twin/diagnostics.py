"""The per-epoch diagnostics of src/engine/diagnostics.ts on one fixed probe batch.

At theta (BatchNorm on batch statistics, running statistics untouched):
eps = rho * grad L_B / (||grad L_B|| + 1e-7); per-sample losses at theta and theta+eps;
B+ = the probe_selected_count(gamma, b) samples whose loss rose most, B- the rest; cosines of the
gradients at theta+eps of B+, B- and a random subset R (each its own forward) with that of B;
sharpness = L_B(theta+eps) - L_B(theta). With `linearity` (a RunPerturbation: beta, adaptive,
SWP mask), zeta = |L_S(theta+eps_run) - L_S(theta) - eps_run . grad L_S(theta)| for S = B, B+, B-.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

EPS_NORM = 1e-7


def probe_selected_count(gamma: float, batch: int) -> int:
    return min(max(int(gamma * batch), 1), batch - 1)


def _dot(a, b) -> torch.Tensor:
    return sum((u * v).sum() for u, v in zip(a, b))


def _cos(a, b) -> torch.Tensor:
    return _dot(a, b) / (torch.sqrt(_dot(a, a)) * torch.sqrt(_dot(b, b)))


def measure(model, x: torch.Tensor, y: torch.Tensor, rho: float, gamma: float, random_subset, linearity: dict | None = None) -> dict:
    params = model.tensors()
    batch = y.shape[0]
    k = probe_selected_count(gamma, batch)
    saved = [p.detach().clone() for p in params]

    def losses_at(xs, ys):
        return F.cross_entropy(model.apply(xs, "train"), ys, reduction="none")

    def grads_of(loss):
        return [g.detach() for g in torch.autograd.grad(loss, params)]

    def restore():
        with torch.no_grad():
            for p, s in zip(params, saved):
                p.copy_(s)

    try:
        with torch.no_grad():
            before = losses_at(x, y)
        g = grads_of(losses_at(x, y).mean())
        with torch.no_grad():
            scale = rho / (torch.sqrt(_dot(g, g)) + EPS_NORM)
            for p, t in zip(params, g):
                p.add_(t * scale)
            after = losses_at(x, y)
        order = torch.argsort(after - before, descending=True, stable=True)
        plus, minus = order[:k], order[k:]
        rnd = torch.as_tensor(random_subset, dtype=torch.long, device=x.device)
        whole = grads_of(losses_at(x, y).mean())
        cos = [_cos(grads_of(losses_at(x[idx], y[idx]).mean()), whole).item() for idx in (plus, minus, rnd)]
        out = {
            "lossBPlus": before[plus].mean().item(),
            "lossBMinus": before[minus].mean().item(),
            "lossBPlusPerturbed": after[plus].mean().item(),
            "lossBMinusPerturbed": after[minus].mean().item(),
            "cosBPlus": cos[0],
            "cosBMinus": cos[1],
            "cosRandom": cos[2],
            "sharpness": (after.mean() - before.mean()).item(),
        }
        restore()
        if linearity is not None:
            out.update(_linearity(model, params, x, y, g, rho, linearity, before, plus, minus, restore))
        return out
    finally:
        restore()


def _linearity(model, params, x, y, g, rho, run, before, plus, minus, restore) -> dict:
    mask = run["swpMask"]
    with torch.no_grad():
        kept = [t if m else torch.zeros_like(t) for t, m in zip(g, mask)]
        weighted = [p.abs() * t for p, t in zip(params, kept)] if run["adaptive"] else kept
        scale = rho / (torch.sqrt(_dot(weighted, weighted)) + EPS_NORM) / run["beta"]
        eps = [(p * p * t if run["adaptive"] else t) * scale for p, t in zip(params, kept)]
        for p, e in zip(params, eps):
            p.add_(e)
        after_run = F.cross_entropy(model.apply(x, "train"), y, reduction="none")
    restore()

    def zeta(idx, eps_dot_grad):
        sel = (lambda t: t[idx].mean()) if idx is not None else (lambda t: t.mean())
        return abs((sel(after_run) - sel(before) - eps_dot_grad).item())

    def masked_grad(idx):
        m = torch.zeros(y.shape[0], device=x.device)
        m[idx] = 1.0
        per = F.cross_entropy(model.apply(x, "train"), y, reduction="none")
        return [t.detach() for t in torch.autograd.grad((per * m).sum() / m.sum(), params)]

    return {
        "linearity": zeta(None, _dot(eps, g).item()),
        "linearityBPlus": zeta(plus, _dot(eps, masked_grad(plus)).item()),
        "linearityBMinus": zeta(minus, _dot(eps, masked_grad(minus)).item()),
    }
