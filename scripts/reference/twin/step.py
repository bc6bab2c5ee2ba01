"""One SGD / SAM / ESAM step, as src/engine/optimizer/step.ts and docs/golden-format.md.

First pass at theta on B ('train-record': the only pass that moves BatchNorm running statistics),
gradient for the SWP-kept tensors only. Sharpness-aware rules then take
eps = rho * g / (||g|| + 1e-7) / beta over the kept tensors (ASAM: rho * theta^2 * g /
(|| |theta| * g || + 1e-7) / beta), move to theta+eps, and, with SDS (gamma < 0.99), rank B by a
gradient-free forward at theta+eps and keep the floor(gamma*|B|) samples whose loss rose most.
Second pass: gradient of the mean loss over B+ at theta+eps for every tensor; back to theta;
PyTorch SGD: d = g + wd * theta, buf = momentum * buf + d, theta -= lr * buf.

Under torch.distributed (ddp.py), gradients are averaged over processes before use, so eps comes
from the gradient of the whole batch; SDS ranks each process's own shard.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

import ddp

EPS_NORM = 1e-7
SDS_FULL_BATCH_THRESHOLD = 0.99


@dataclass
class StepRule:
    kind: str  # 'sgd' or 'sharpness'
    rho: float = 0.0
    beta: float = 1.0
    gamma: float = 1.0
    adaptive: bool = False


def step_rule_for(opt: dict) -> StepRule:
    """As stepRuleFor: SAM is beta = gamma = 1; ESAM uses beta / gamma only when swp / sds are on."""
    if opt["name"] == "sgd":
        return StepRule("sgd")
    if opt["name"] == "sam":
        return StepRule("sharpness", opt["rho"], 1.0, 1.0, opt["adaptive"])
    return StepRule(
        "sharpness",
        opt["rho"],
        opt["beta"] if opt["swp"] else 1.0,
        opt["gamma"] if opt["sds"] else 1.0,
        opt["adaptive"],
    )


def selected_count(gamma: float, batch: int) -> int:
    return int(gamma * batch) if gamma < SDS_FULL_BATCH_THRESHOLD else batch


def draw_swp_mask(count: int, beta: float, rng) -> list[bool]:
    """Each tensor kept with probability beta; at least one kept."""
    if beta >= 1:
        return [True] * count
    mask = [bool(v) for v in rng.random(count) < beta]
    if not any(mask):
        mask[int(rng.integers(0, count))] = True
    return mask


@dataclass
class StepOutput:
    loss_before: torch.Tensor  # per-sample losses at theta (this process's shard)
    correct: torch.Tensor  # correctly classified samples at theta (shard)
    loss_after: torch.Tensor | None  # per-sample losses at theta+eps; None for SGD
    selected: torch.Tensor | None  # indices of B+ in the shard; None when B+ = B
    perturbation: list[torch.Tensor] | None  # eps per parameter (zeros where masked out)


class SharpnessAwareOptimizer:
    def __init__(self, model, rule: StepRule, momentum: float, weight_decay: float):
        self.model = model
        self.rule = rule
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.buffers = [torch.zeros_like(p) for p in model.tensors()]

    def step(self, x: torch.Tensor, y: torch.Tensor, lr: float, mask: list[bool] | None = None, keep_perturbation: bool = False) -> StepOutput:
        params = self.model.tensors()
        rule = self.rule
        if rule.kind == "sgd" or mask is None:
            mask = [True] * len(params)
        if len(mask) != len(params):
            raise ValueError(f"SWP mask has {len(mask)} entries for {len(params)} parameters")
        kept = [p for p, m in zip(params, mask) if m]

        logits = self.model.apply(x, "train-record")
        losses = F.cross_entropy(logits, y, reduction="none")
        grads = ddp.average(torch.autograd.grad(losses.mean(), kept))
        loss_before = losses.detach()
        correct = (logits.detach().argmax(dim=1) == y).sum()

        if rule.kind == "sgd":
            self._update(grads, lr)
            return StepOutput(loss_before, correct, None, None, None)

        with torch.no_grad():
            weighted = [p.abs() * g for p, g in zip(kept, grads)] if rule.adaptive else grads
            norm = torch.sqrt(sum((w * w).sum() for w in weighted))
            scale = rule.rho / (norm + EPS_NORM) / rule.beta
            eps = [(p * p * g if rule.adaptive else g) * scale for p, g in zip(kept, grads)]
            for p, e in zip(kept, eps):
                p.add_(e)

        batch = y.shape[0]
        k = selected_count(rule.gamma, batch)
        selected = None
        loss_after = None
        if k < batch:
            with torch.no_grad():
                loss_after = F.cross_entropy(self.model.apply(x, "train"), y, reduction="none")
                selected = torch.topk(loss_after - loss_before, k).indices
        xs, ys = (x[selected], y[selected]) if selected is not None else (x, y)
        second_losses = F.cross_entropy(self.model.apply(xs, "train"), ys, reduction="none")
        second = ddp.average(torch.autograd.grad(second_losses.mean(), params))
        if selected is None:
            loss_after = second_losses.detach()

        with torch.no_grad():
            for p, e in zip(kept, eps):
                p.sub_(e)
        self._update(second, lr)

        perturbation = None
        if keep_perturbation:
            it = iter(eps)
            perturbation = [next(it) if m else torch.zeros_like(p) for p, m in zip(params, mask)]
        return StepOutput(loss_before, correct, loss_after, selected, perturbation)

    @torch.no_grad()
    def _update(self, grads, lr: float) -> None:
        for p, g, buf in zip(self.model.tensors(), grads, self.buffers):
            d = g + self.weight_decay * p if self.weight_decay != 0 else g
            if self.momentum != 0:
                buf.mul_(self.momentum).add_(d)
            else:
                buf.copy_(d)
            p.sub_(lr * buf)
