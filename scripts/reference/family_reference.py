#!/usr/bin/env python3
"""Float64 reference of the sharpness-aware family's steps (numpy only, hand-written gradients).

It extends esam_reference.py (models, cross-entropy, SDS selection, fixture layout: imported from
there, not copied) with the rules of the fixture's optional `optimizer` block, see
docs/golden-format.md ("The sharpness-aware family"):

  sam, esam   SAM/ESAM as esam_reference.py, plus m-sharpness (`m`): one eps per micro-batch
  looksam     Liu et al., CVPR 2022
  rst         Zhao et al., 2022 (randomized SAM/SGD switching; the draw is in the fixture)
  aesam       Jiang et al., ICLR 2023 (SAM when the squared gradient norm is unusually large)
  gsam        Zhuang et al., ICLR 2022 (surrogate-gap guided SAM with an lr-proportional rho)
  samon       Mueller et al., NeurIPS 2023 (perturb only the normalization parameters)
  ksam        Ni et al., 2022 (both passes on the k samples with the largest loss)

Shared by all rules (one step, step index t = 0, 1, ... within the fixture):
  * l_i(theta) per-sample softmax cross-entropy, L_S = mean over S, g = grad L_B(theta).
  * ||.|| is the Euclidean norm over all the tensors concerned together.
  * The SAM perturbation, with the fixture's hyper.adaptive (ASAM) honoured:
        eps = rho * g / (||g|| + 1e-7)                 (plain)
        eps = rho * theta^2 * g / (|| |theta| g || + 1e-7)   (adaptive)
  * The update of esam_reference.py on the step's direction d (PyTorch SGD):
        d' = d + weightDecay * theta; buf = momentum * buf + d'; theta -= lr_t * buf
    with lr_t = steps[t].lr when the step has one, else hyper.lr.
  * Every forward pass is a training-mode pass on the samples it is given.

Usage:
  python3 family_reference.py FIXTURE.json            print {"steps": [...]} computed from the fixture
  python3 family_reference.py --check FIXTURE.json... compare with each fixture's "expected"
  python3 family_reference.py --self-test             finite differences and consistency checks
  python3 family_reference.py --generate OUTDIR       write the seeded family fixtures

It never reads a fixture's "expected" except in --check, to compare.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import esam_reference as er  # noqa: E402
import family_models as fm  # noqa: E402

FORMAT = er.FORMAT
EPS_NORM = er.EPS_NORM
METHODS = ("sam", "esam", "looksam", "rst", "aesam", "gsam", "samon", "ksam")


# ----------------------------------------------------------------------------------------------
# Building blocks.
# ----------------------------------------------------------------------------------------------


class Ctx:
    """One fixture's model, hyperparameters, and the state that steps carry."""

    def __init__(self, fixture):
        self.kind = fixture["model"]["kind"]
        self.dims = fixture["model"]["dims"]
        self.hyper = fixture["hyper"]
        self.block = fixture.get("optimizer") or {"name": "esam"}
        self.params = load_params(fixture)
        self.names = list(fm.param_shapes(self.kind, self.dims))
        self.buf = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.t = 0
        self.state: dict = {}
        self.stats = {"gap": math.inf, "kink": math.inf, "decision": math.inf}

    def grads(self, x, y):
        per, g, cache = fm.loss_and_grads(self.kind, self.dims, self.params, x, y)
        self._kink(cache)
        return per, g

    def losses(self, x, y):
        per, cache = fm.losses(self.kind, self.dims, self.params, x, y)
        self._kink(cache)
        return per

    def _kink(self, cache):
        for z in fm.relu_inputs(self.kind, cache):
            if z.size:
                self.stats["kink"] = min(self.stats["kink"], float(np.min(np.abs(z))))

    def shift(self, eps, sign):
        for n in self.names:
            self.params[n] = self.params[n] + sign * eps[n]

    def update(self, d, lr):
        h = self.hyper
        for n in self.names:
            dd = d[n] + h["weightDecay"] * self.params[n]
            self.buf[n] = h["momentum"] * self.buf[n] + dd
            self.params[n] = self.params[n] - lr * self.buf[n]


def load_params(fixture):
    kind, dims = fixture["model"]["kind"], fixture["model"]["dims"]
    shapes = fm.param_shapes(kind, dims)
    params = {}
    for name, entry in fixture["params"].items():
        if name not in shapes:
            raise ValueError(f"unexpected parameter {name!r} for a {kind} model")
        if tuple(entry["shape"]) != shapes[name]:
            raise ValueError(f"parameter {name!r} has shape {entry['shape']}, expected {list(shapes[name])}")
        params[name] = np.asarray(entry["data"], dtype=np.float64).reshape(shapes[name])
    missing = set(shapes) - set(params)
    if missing:
        raise ValueError(f"missing parameters: {sorted(missing)}")
    return params


def dot(a, b, names):
    return sum(float(np.sum(a[n] * b[n])) for n in names)


def norm(a, names):
    return math.sqrt(dot(a, a, names))


def sam_eps(params, g, on, rho, adaptive, beta=1.0):
    """rho*g/(||g||+1e-7)/beta (ASAM: rho*theta^2*g/(|||theta|*g||+1e-7)/beta) on `on`, 0 elsewhere."""
    if adaptive:
        nv = math.sqrt(sum(float(np.sum((np.abs(params[n]) * g[n]) ** 2)) for n in on))
    else:
        nv = norm(g, on)
    scale = rho / (nv + EPS_NORM) / beta
    return {n: ((params[n] ** 2 * g[n] if adaptive else g[n]) * scale) if n in on else np.zeros_like(params[n])
            for n in params}


def flat(d, names):
    return {n: d[n].ravel().tolist() for n in names}


def zeros(ctx):
    return {n: np.zeros_like(ctx.params[n]) for n in ctx.names}


def sam_pass(ctx, x, y, on, rho, beta=1.0):
    """ℓ(θ), g, ε, ℓ(θ+ε), ∇L(θ+ε): the two passes every perturbing rule shares (whole batch)."""
    before, g = ctx.grads(x, y)
    eps = sam_eps(ctx.params, g, on, rho, bool(ctx.hyper["adaptive"]), beta)
    ctx.shift(eps, +1)
    after, gp = ctx.grads(x, y)
    ctx.shift(eps, -1)
    return before, g, eps, after, gp


def record(ctx, before, after, selected, eps, sam_step, **extra):
    out = {
        "lossBefore": before.tolist(),
        "lossAfter": None if after is None else after.tolist(),
        "selected": [int(i) for i in selected],
        "samStep": bool(sam_step),
    }
    if eps is not None:
        out["perturbation"] = flat(eps, ctx.names)
    out.update(extra)
    out["params"] = flat(ctx.params, ctx.names)
    return out


# ----------------------------------------------------------------------------------------------
# The rules. Each takes (ctx, step, x, y, lr) and returns the step's expected record.
# ----------------------------------------------------------------------------------------------


def step_sam(ctx, step, x, y, lr):
    """SAM / ESAM (the block absent, or name "sam" / "esam"), with optional m-sharpness.

    Without `m`: exactly esam_reference.esam_step (SWP mask steps[t].swpMask with 1/beta, SDS
    with gamma), written here through the same building blocks.

    m-sharpness (Foret et al., 2021, Sec. 4.1 and App. C.3), block key `m`: the batch B of b
    samples is cut into b/m consecutive micro-batches B_j = samples [j*m, (j+1)*m) (b must be a
    multiple of m). Each micro-batch has its own perturbation from its own gradient,
        g_j = grad L_{B_j}(theta) on the masked-in tensors,  eps_j = sam_eps(g_j) / beta,
    its own SDS (B+_j = the floor(gamma*m) samples of B_j whose loss rose most, when gamma < 0.99),
    and the step's direction is the mean over the micro-batches
        d = (1 / (b/m)) * sum_j grad L_{B+_j}(theta + eps_j).
    (Every B+_j has the same size, so with eps_j = 0 this is grad L_{B+}(theta).) Foret et al. do
    this across accelerators (each device's shard is a micro-batch); the update itself is the one
    of the whole batch. m = b is ordinary SAM/ESAM. Expected: lossAfter_i is l_i(theta+eps_j) of
    i's own micro-batch; selected is the union of the B+_j (indices into B, ascending);
    microPerturbation[j] replaces perturbation.
    """
    h, block = ctx.hyper, ctx.block
    b = len(y)
    m = int(block.get("m", b))
    if m <= 0 or b % m != 0:
        raise ValueError(f"batch of {b} is not a whole number of micro-batches of m = {m}")
    mask = step["swpMask"]
    on = [n for n in ctx.names if mask[n]]
    before = np.empty(b)
    after = np.empty(b)
    selected = []
    d = zeros(ctx)
    micro_eps = []
    for j in range(b // m):
        idx = np.arange(j * m, (j + 1) * m)
        xb, yb = x[idx], y[idx]
        lb, g = ctx.grads(xb, yb)
        eps = sam_eps(ctx.params, g, on, h["rho"], bool(h["adaptive"]), h["beta"])
        ctx.shift(eps, +1)
        la = ctx.losses(xb, yb)
        sel, gap = er.select_top(la - lb, h["gamma"])
        ctx.stats["gap"] = min(ctx.stats["gap"], gap)
        _, gp = ctx.grads(xb[sel], yb[sel])
        ctx.shift(eps, -1)
        before[idx], after[idx] = lb, la
        selected += [int(i) for i in idx[sel]]
        micro_eps.append(eps)
        for n in ctx.names:
            d[n] = d[n] + gp[n] / (b // m)
    ctx.update(d, lr)
    if "m" in block:
        return record(ctx, before, after, sorted(selected), None, True,
                      microPerturbation=[flat(e, ctx.names) for e in micro_eps])
    return record(ctx, before, after, sorted(selected), micro_eps[0], True)


def step_looksam(ctx, step, x, y, lr):
    """LookSAM (Liu et al., "Towards Efficient and Scalable Sharpness-Aware Minimization", CVPR
    2022, Algorithm 1), block {k, alpha}.

    Step t with t % k == 0 (t = 0 included): a SAM step that also stores the component of the
    SAM gradient orthogonal to the SGD gradient,
        g = grad L(theta), eps = sam_eps(g), g_s = grad L(theta + eps),
        g_v = g_s - (<g_s, g> / ||g||^2) g          (stored; "orthogonal" in expected),
        d = g_s.
    Other steps: one pass at theta, and the stored component re-used, scaled to this gradient,
        g = grad L(theta), d = g + alpha * ||g|| / (||g_v|| + 1e-7) * g_v,
    with g_v unchanged. Norms and inner products are over all parameters together, as in the
    paper's Algorithm 1 (kozistr/pytorch_optimizer's LookSAM projects tensor by tensor instead; we
    keep the paper). The 1e-7 is the project's norm constant; the projection has no constant
    (||g|| > 0 for a cross-entropy of finite logits). samStep = (t % k == 0).
    """
    k, alpha = int(ctx.block["k"]), float(ctx.block["alpha"])
    names = ctx.names
    if ctx.t % k == 0:
        before, g, eps, after, gs = sam_pass(ctx, x, y, names, ctx.hyper["rho"])
        coef = dot(gs, g, names) / dot(g, g, names)
        ctx.state["gv"] = {n: gs[n] - coef * g[n] for n in names}
        d, sam_step = gs, True
    else:
        before, g = ctx.grads(x, y)
        gv = ctx.state["gv"]
        scale = alpha * norm(g, names) / (norm(gv, names) + EPS_NORM)
        d = {n: g[n] + scale * gv[n] for n in names}
        after, eps, sam_step = None, zeros(ctx), False
    ctx.update(d, lr)
    return record(ctx, before, after, range(len(y)), eps, sam_step, orthogonal=flat(ctx.state["gv"], names))


def rst_probability(block, t):
    """p_t = p + (pEnd - p) * min(t / totalSteps, 1); p_t = p without pEnd."""
    p = float(block["p"])
    if "pEnd" not in block:
        return p
    return p + (float(block["pEnd"]) - p) * min(t / float(block["totalSteps"]), 1.0)


def step_rst(ctx, step, x, y, lr):
    """Randomized SAM/SGD switching (RST; Zhao, Zhang and Hu, "Randomized Sharpness-Aware
    Training for Boosting Computational Efficiency in Deep Learning", 2022), block {p} or
    {p, pEnd, totalSteps}.

    Each step is a SAM step with probability p_t (Bernoulli, independent per step), otherwise an
    SGD step d = grad L(theta). The paper's schedules include a constant p and a p that moves
    linearly over training; here p_t = p + (pEnd - p) * min(t / totalSteps, 1). The draw itself is
    part of the fixture: steps[t].samStep (the generator drew it with numpy's RNG as u < p_t), so an
    engine need not reproduce numpy's generator; samProbability = p_t is recorded for reference.
    """
    if not isinstance(step.get("samStep"), bool):
        raise ValueError(f"step {ctx.t}: rst needs a boolean samStep")
    p_t = rst_probability(ctx.block, ctx.t)
    if step["samStep"]:
        before, _, eps, after, gp = sam_pass(ctx, x, y, ctx.names, ctx.hyper["rho"])
        d = gp
    else:
        before, d = ctx.grads(x, y)
        after, eps = None, zeros(ctx)
    ctx.update(d, lr)
    return record(ctx, before, after, range(len(y)), eps, step["samStep"], samProbability=p_t)


def aesam_c(block, t):
    """c_t = cStart + (cEnd - cStart) * min(t / totalSteps, 1)."""
    c0, c1 = float(block["cStart"]), float(block["cEnd"])
    return c0 + (c1 - c0) * min(t / float(block["totalSteps"]), 1.0)


def step_aesam(ctx, step, x, y, lr):
    """AE-SAM (Jiang, Yang, Zhang and Kwok, "An Adaptive Policy to Employ Sharpness-Aware
    Minimization", ICLR 2023, Algorithm 1), block {delta, cStart, cEnd, totalSteps, warmup}.

    With n_t = ||grad L_B(theta_t)||^2 (all parameters), exponential moving statistics
        mu_t  = delta * mu_{t-1}  + (1 - delta) * n_t,
        var_t = delta * var_{t-1} + (1 - delta) * (n_t - mu_t)^2,       mu_{-1} = var_{-1} = 0,
    (updated with the current n_t before the test, as in the paper), and
        c_t = cStart + (cEnd - cStart) * min(t / totalSteps, 1)   (the paper: c rises linearly
              from lambda_1 to lambda_2 over training; its defaults are -1 and 1),
    the step is SAM (d = grad L(theta + eps)) when t < warmup or n_t >= mu_t + c_t * sqrt(var_t),
    else SGD (d = grad L(theta), no second pass). The decision is deterministic from the
    statistics. `warmup` (SAM for the first steps while the statistics settle) is a setting of this
    project, 0 for the paper's rule. Recorded: gradNormSq n_t, emaMean mu_t, emaVar var_t, c = c_t,
    threshold = mu_t + c_t sqrt(var_t), samStep. The official code could not be read here; the
    equations follow the paper's Algorithm 1 and Sec. 3.
    """
    block = ctx.block
    delta = float(block["delta"])
    before, g = ctx.grads(x, y)
    n2 = dot(g, g, ctx.names)
    mu = delta * ctx.state.get("mu", 0.0) + (1 - delta) * n2
    var = delta * ctx.state.get("var", 0.0) + (1 - delta) * (n2 - mu) ** 2
    ctx.state["mu"], ctx.state["var"] = mu, var
    c = aesam_c(block, ctx.t)
    threshold = mu + c * math.sqrt(var)
    warm = ctx.t < int(block.get("warmup", 0))
    sam_step = warm or n2 >= threshold
    if not warm:
        ctx.stats["decision"] = min(ctx.stats["decision"], abs(n2 - threshold) / n2)
    if sam_step:
        eps = sam_eps(ctx.params, g, ctx.names, ctx.hyper["rho"], bool(ctx.hyper["adaptive"]))
        ctx.shift(eps, +1)
        after, d = ctx.grads(x, y)
        ctx.shift(eps, -1)
    else:
        after, eps, d = None, zeros(ctx), g
    ctx.update(d, lr)
    return record(ctx, before, after, range(len(y)), eps, sam_step,
                  gradNormSq=n2, emaMean=mu, emaVar=var, c=c, threshold=threshold)


def gsam_rho(hyper, block, lr):
    """rho_t = rhoMin + (rho - rhoMin) * (lr_t - lrMin) / (lrMax - lrMin); rho when lrMax = lrMin."""
    rho_max, rho_min = float(hyper["rho"]), float(block["rhoMin"])
    lr_max, lr_min = float(block["lrMax"]), float(block["lrMin"])
    if lr_max == lr_min:
        return rho_max
    return rho_min + (rho_max - rho_min) * (lr - lr_min) / (lr_max - lr_min)


def step_gsam(ctx, step, x, y, lr):
    """GSAM (Zhuang et al., "Surrogate Gap Guided Sharpness-Aware Minimization", ICLR 2022,
    Algorithm 1), block {alpha, rhoMin, lrMax, lrMin}; hyper.rho is rho_max.

        rho_t = rhoMin + (rho_max - rhoMin) * (lr_t - lrMin) / (lrMax - lrMin)   (Sec. 5.1: rho
                follows the learning-rate schedule; lr_t = steps[t].lr or hyper.lr),
        g = grad L(theta), eps = sam_eps(g) with rho_t, g_p = grad L(theta + eps),
        g_perp = g - (<g, g_p> / ||g_p||^2) g_p     (the part of g orthogonal to g_p),
        d = g_p - alpha * g_perp                    (descend L_p, ascend the surrogate gap).
    Checked against the authors' PyTorch re-implementation (juntang-zhuang/GSAM, gsam.py:
    perturb_weights, gradient_decompose with the vertical component of old_g against the new
    gradient, then base_optimizer.step) and its ProportionScheduler, and kozistr/pytorch_optimizer's
    GSAM. Those add 1e-12 to the norms of the projection; we use none (norms are far from 0 here),
    and the project's 1e-7 in eps. Recorded: rho = rho_t.
    """
    rho_t = gsam_rho(ctx.hyper, ctx.block, lr)
    alpha = float(ctx.block["alpha"])
    names = ctx.names
    before, g, eps, after, gp = sam_pass(ctx, x, y, names, rho_t)
    coef = dot(g, gp, names) / dot(gp, gp, names)
    d = {n: gp[n] - alpha * (g[n] - coef * gp[n]) for n in names}
    ctx.update(d, lr)
    return record(ctx, before, after, range(len(y)), eps, True, rho=rho_t)


def step_samon(ctx, step, x, y, lr):
    """SAM-ON (Mueller, Vlaar, Rolnick and Hein, "Normalization Layers Are All That
    Sharpness-Aware Minimization Needs", NeurIPS 2023), block {} (hyper.rho, hyper.adaptive).

    SAM with the perturbation restricted to the normalization parameters N (BatchNorm gamma and
    beta, `bn*/gamma`, `bn*/beta`): the ascent backward needs only grad_N L(theta), so no conv
    filter gradient;
        eps_N = sam_eps(grad_N L(theta)) (norm over N only), eps = 0 elsewhere,
        d = grad L(theta + eps) for every parameter.
    The paper pairs SAM-ON with both SAM's and the elementwise-adaptive ASAM perturbation;
    hyper.adaptive chooses. A model without normalization parameters is refused (eps would be 0).
    """
    on = [n for n in ctx.names if fm.is_norm_param(n)]
    if not on:
        raise ValueError("samon needs a model with normalization parameters (conv-bn)")
    before, _, eps, after, gp = sam_pass(ctx, x, y, on, ctx.hyper["rho"])
    ctx.update(gp, lr)
    return record(ctx, before, after, range(len(y)), eps, True)


def step_ksam(ctx, step, x, y, lr):
    """K-SAM (Ni, Zhang, Ren and Jin, "K-SAM: Sharpness-Aware Minimization at the Speed of SGD",
    2022), block {k}.

    A gradient-free forward at theta ranks the batch; S = the k samples with the largest
    l_i(theta) (ties to the lower index; selected = S ascending); then both SAM passes on S only:
        g = grad L_S(theta), eps = sam_eps(g), d = grad L_S(theta + eps).
    Recorded: lossBefore = l_i(theta) for all of B; lossAfter = l_i(theta + eps) for the samples
    of S, in the order of `selected`.
    """
    k = int(ctx.block["k"])
    b = len(y)
    if not 0 < k <= b:
        raise ValueError(f"ksam k = {k} for a batch of {b}")
    before = ctx.losses(x, y)
    order = np.argsort(-before, kind="stable")
    sel = np.sort(order[:k])
    if k < b:
        ctx.stats["gap"] = min(ctx.stats["gap"], float(before[order[k - 1]] - before[order[k]]))
    _, _, eps, after, gp = sam_pass(ctx, x[sel], y[sel], ctx.names, ctx.hyper["rho"])
    ctx.update(gp, lr)
    return record(ctx, before, after, sel, eps, True)


RULES = {
    "sam": step_sam,
    "esam": step_sam,
    "looksam": step_looksam,
    "rst": step_rst,
    "aesam": step_aesam,
    "gsam": step_gsam,
    "samon": step_samon,
    "ksam": step_ksam,
}


def run_fixture(fixture, stats=None):
    if fixture.get("format") != FORMAT:
        raise ValueError(f'"format" must be "{FORMAT}"')
    ctx = Ctx(fixture)
    name = ctx.block.get("name")
    if name not in RULES:
        raise ValueError(f"unknown optimizer {name!r}")
    out = []
    for i, step in enumerate(fixture["steps"]):
        xs = step["batch"]["x"]
        x = np.asarray(xs["data"], dtype=np.float64).reshape(xs["shape"])
        y = np.asarray(step["batch"]["y"], dtype=np.int64)
        mask = step.get("swpMask")
        if mask is None or any(not isinstance(mask.get(n), bool) for n in ctx.names):
            raise ValueError(f"step {i}: swpMask needs a boolean for every parameter")
        if name not in ("sam", "esam") and not all(mask.values()):
            raise ValueError(f"step {i}: {name} takes no SWP mask (every entry must be true)")
        if name not in ("sam", "esam") and (ctx.hyper["beta"] != 1 or ctx.hyper["gamma"] < er.GAMMA_ALL):
            raise ValueError(f"{name} takes no SWP or SDS: hyper.beta and hyper.gamma must be 1")
        lr = float(step.get("lr", ctx.hyper["lr"]))
        out.append(RULES[name](ctx, step, x, y, lr))
        ctx.t += 1
    if stats is not None:
        stats.update(ctx.stats)
    return out


# ----------------------------------------------------------------------------------------------
# Comparison with a fixture's expected: every key, recursively.
# ----------------------------------------------------------------------------------------------


def compare_values(ours, ref, where, rows):
    """Appends (where, relative error, or 0 / inf for exact values) for every leaf of `ref`.

    Keys that only `ours` has are not compared, so an esam-golden@1 fixture without the family's
    extra keys is checked on the keys it has."""
    if isinstance(ref, dict):
        if not isinstance(ours, dict) or not set(ref) <= set(ours):
            rows.append((where, math.inf))
            return
        for key in ref:
            compare_values(ours[key], ref[key], f"{where}.{key}", rows)
    elif isinstance(ref, list) and ref and isinstance(ref[0], dict):
        if not isinstance(ours, list) or len(ours) != len(ref):
            rows.append((where, math.inf))
            return
        for j, (o, r) in enumerate(zip(ours, ref)):
            compare_values(o, r, f"{where}[{j}]", rows)
    elif ref is None or isinstance(ref, bool) or where.endswith("selected"):
        rows.append((where, 0.0 if ours == ref else math.inf))
    else:
        rows.append((where, er.rel_err(ours, ref)))


def check_file(path: str, verbose: bool = False) -> bool:
    with open(path) as fh:
        fixture = json.load(fh)
    ours = run_fixture(fixture)
    rows = []
    if len(ours) != len(fixture["expected"]):
        rows.append(("steps", math.inf))
    for i, (o, r) in enumerate(zip(ours, fixture["expected"])):
        compare_values(o, r, f"step {i}", rows)
    worst = max(e for _, e in rows)
    if verbose:
        for where, e in rows:
            print(f"  {where:40s} {e:.3e}")
    ok = worst < 1e-10
    print(f"{path}: max relative error {worst:.3e} over {len(rows)} arrays and flags -> {'OK' if ok else 'MISMATCH'}")
    return ok


# ----------------------------------------------------------------------------------------------
# Fixture generation.
# ----------------------------------------------------------------------------------------------

SGD = dict(lr=0.1, momentum=0.9, weightDecay=0.0005)


def H(rho, adaptive=False, beta=1.0, gamma=1.0, **sgd):
    return dict(rho=rho, beta=beta, gamma=gamma, adaptive=adaptive, **dict(SGD, **sgd))


# name, description, model kind, dims, image (h, w), batch, steps, seed, hyper, optimizer block,
# optional per-step lr list, and which branches the steps must take (both for switching rules).
SPECS = [
    dict(name="mlp-looksam", description="LookSAM k=2, alpha=0.7: SAM at steps 0, 2, 4 (storing g_v), g + alpha*||g||/||g_v||*g_v at steps 1, 3; 5 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=5, seed=301, hyper=H(0.05), optimizer=dict(name="looksam", k=2, alpha=0.7)),
    dict(name="conv-looksam", description="LookSAM k=3, alpha=0.5 with ASAM's perturbation: SAM at steps 0 and 3; 4 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=4, seed=302, hyper=H(0.5, adaptive=True), optimizer=dict(name="looksam", k=3, alpha=0.5)),
    dict(name="mlp-rst", description="RST with constant p=0.5; the per-step draw samStep is in the fixture (both branches occur); 4 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=4, seed=311, hyper=H(0.05), optimizer=dict(name="rst", p=0.5), both=True),
    dict(name="conv-rst", description="RST with p falling linearly from 0.8 to 0.2 over 4 steps; draws in samStep (both branches occur); 4 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=4, seed=312, hyper=H(0.1), optimizer=dict(name="rst", p=0.8, pEnd=0.2, totalSteps=4), both=True),
    dict(name="mlp-aesam", description="AE-SAM delta=0.9, c from -1 to 1 over 6 steps, no warm-up; SAM only when ||g||^2 >= mu + c*sigma (both branches occur); 6 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=6, seed=321, hyper=H(0.05), optimizer=dict(name="aesam", delta=0.9, cStart=-1.0, cEnd=1.0, totalSteps=6, warmup=0), both=True),
    dict(name="conv-aesam", description="AE-SAM delta=0.8, c from -0.5 to 1 over 5 steps, warm-up 1 step; both branches occur; 5 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=5, seed=322, hyper=H(0.1), optimizer=dict(name="aesam", delta=0.8, cStart=-0.5, cEnd=1.0, totalSteps=5, warmup=1), both=True),
    dict(name="mlp-gsam", description="GSAM alpha=0.3, rho from 0.1 (lr 0.1) down to 0.02 (lr 0.02) with the per-step lr; 4 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=4, seed=331, hyper=H(0.1), optimizer=dict(name="gsam", alpha=0.3, rhoMin=0.02, lrMax=0.1, lrMin=0.02),
         lrs=[0.1, 0.08, 0.05, 0.03]),
    dict(name="conv-gsam", description="GSAM alpha=0.2 with ASAM's perturbation, rho from 0.5 to 0.1 following lr 0.1 -> 0.01; 3 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=332, hyper=H(0.5, adaptive=True), optimizer=dict(name="gsam", alpha=0.2, rhoMin=0.1, lrMax=0.1, lrMin=0.01),
         lrs=[0.1, 0.07, 0.04]),
    dict(name="conv-bn-sam", description="SAM on the conv-bn model (conv without bias -> BatchNorm with batch statistics -> ReLU -> mean -> dense), pinning the model itself; 3 steps, conv-bn 2-4-5, 5x5 images",
         kind="conv-bn", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=340, hyper=H(0.05), optimizer=dict(name="sam")),
    dict(name="conv-bn-samon", description="SAM-ON: only bn0/gamma and bn0/beta are perturbed (norm over them only); 3 steps on conv-bn 2-4-5, 5x5 images",
         kind="conv-bn", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=341, hyper=H(0.1), optimizer=dict(name="samon")),
    dict(name="conv-bn-samon-asam", description="SAM-ON with ASAM's elementwise perturbation on the BatchNorm parameters, rho=0.5; 3 steps on conv-bn 3-5-4, 5x7 RGB images",
         kind="conv-bn", dims=[3, 5, 4], image=(5, 7), batch=10, steps=3, seed=342, hyper=H(0.5, adaptive=True, lr=0.05), optimizer=dict(name="samon")),
    dict(name="mlp-ksam", description="K-SAM k=6 of 16: both passes on the 6 samples with the largest loss at theta; 3 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=3, seed=351, hyper=H(0.05), optimizer=dict(name="ksam", k=6)),
    dict(name="conv-ksam", description="K-SAM k=5 of 12; 3 steps on a conv 2-4-5 model, 5x5 images",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=352, hyper=H(0.1), optimizer=dict(name="ksam", k=5)),
    dict(name="mlp-msharp-sam", description="m-sharpness m=4: SAM with one eps per micro-batch of 4 (4 micro-batches), the step's gradient their mean; 3 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=3, seed=361, hyper=H(0.05), optimizer=dict(name="sam", m=4)),
    dict(name="conv-msharp-sam", description="m-sharpness m=3 (4 micro-batches of 3) on a conv 2-4-5 model, 5x5 images; 3 steps",
         kind="conv", dims=[2, 4, 5], image=(5, 5), batch=12, steps=3, seed=362, hyper=H(0.1), optimizer=dict(name="sam", m=3)),
    dict(name="mlp-msharp-esam", description="m-sharpness m=8 with ESAM (SWP beta=0.6 masks, SDS gamma=0.5 within each micro-batch: 4 of 8); 3 steps on a 10-12-5 MLP",
         kind="mlp", dims=[10, 12, 5], batch=16, steps=3, seed=363, mixed=True, hyper=H(0.05, beta=0.6, gamma=0.5), optimizer=dict(name="esam", m=8)),
]

MIN_SELECTION_GAP = er.MIN_SELECTION_GAP
MIN_RELU_MARGIN = er.MIN_RELU_MARGIN
MIN_DECISION_MARGIN = 1e-3  # AE-SAM: |n_t - threshold| / n_t


def build_fixture(spec, attempt):
    rng = np.random.default_rng([spec["seed"], attempt])
    kind, dims, b = spec["kind"], spec["dims"], spec["batch"]
    params = fm.random_params(kind, dims, rng)
    names = list(params)
    block = spec["optimizer"]
    steps = []
    for t in range(spec["steps"]):
        if kind == "mlp":
            x = er.f32(rng.standard_normal((b, dims[0])))
        else:
            h, w = spec["image"]
            x = er.f32(rng.standard_normal((b, h, w, dims[0])))
        y = rng.integers(dims[-1], size=b)
        step = {"batch": {"x": {"shape": list(x.shape), "data": x.ravel().tolist()}, "y": [int(v) for v in y]},
                "swpMask": er.random_mask(names, spec["hyper"]["beta"], rng, spec.get("mixed", False))}
        if block["name"] == "rst":
            step["samStep"] = bool(rng.random() < rst_probability(block, t))
        if "lrs" in spec:
            step["lr"] = spec["lrs"][t]
        steps.append(step)
    fixture = {
        "format": FORMAT,
        "name": spec["name"],
        "description": spec["description"],
        "model": {"kind": kind, "dims": list(dims)},
        "hyper": dict(spec["hyper"]),
        "optimizer": dict(block),
        "params": {n: {"shape": list(p.shape), "data": p.ravel().tolist()} for n, p in params.items()},
        "steps": steps,
    }
    stats = {}
    fixture["expected"] = run_fixture(fixture, stats)
    return fixture, stats


def acceptable(spec, fixture, stats) -> bool:
    if stats["gap"] < MIN_SELECTION_GAP or stats["kink"] < MIN_RELU_MARGIN or stats["decision"] < MIN_DECISION_MARGIN:
        return False
    if spec.get("both"):
        taken = {e["samStep"] for e in fixture["expected"]}
        return taken == {True, False}
    return True


def generate(outdir: str) -> None:
    os.makedirs(outdir, exist_ok=True)
    for spec in SPECS:
        for attempt in range(200):
            fixture, stats = build_fixture(spec, attempt)
            if acceptable(spec, fixture, stats):
                break
        else:
            raise RuntimeError(f"{spec['name']}: no draw with clear margins")
        text = json.dumps(fixture)
        again = json.loads(text)
        rows = []
        for i, (o, r) in enumerate(zip(run_fixture(again), again["expected"])):
            compare_values(o, r, f"step {i}", rows)
        if max(e for _, e in rows) != 0.0:
            raise RuntimeError(f"{spec['name']}: not reproducible from its own JSON")
        path = os.path.join(outdir, spec["name"] + ".json")
        with open(path, "w") as fh:
            fh.write(text + "\n")
        sam = "".join("S" if e["samStep"] else "-" for e in fixture["expected"])
        print(f"{path}: {len(text) / 1024:.1f} KB, draw {attempt}, SAM steps {sam}, min |ReLU input| {stats['kink']:.2e}")


# ----------------------------------------------------------------------------------------------
# Self-test.
# ----------------------------------------------------------------------------------------------


def _fd_check(kind, dims, params, x, y, rng, label) -> bool:
    names = list(params)
    _, grads, _ = fm.loss_and_grads(kind, dims, params, x, y)
    direction = {n: rng.standard_normal(params[n].shape) for n in names}
    t = 1e-6
    plus = {n: params[n] + t * direction[n] for n in names}
    minus = {n: params[n] - t * direction[n] for n in names}
    fd = (fm.losses(kind, dims, plus, x, y)[0].mean() - fm.losses(kind, dims, minus, x, y)[0].mean()) / (2 * t)
    worst = 0.0
    for n in names:
        an = float(np.sum(grads[n] * direction[n]))
        p2 = {m: v + (t * direction[m] if m == n else 0) for m, v in params.items()}
        m2 = {m: v - (t * direction[m] if m == n else 0) for m, v in params.items()}
        fdn = (fm.losses(kind, dims, p2, x, y)[0].mean() - fm.losses(kind, dims, m2, x, y)[0].mean()) / (2 * t)
        worst = max(worst, abs(fdn - an) / max(1e-9, abs(an)))
    an = sum(float(np.sum(grads[n] * direction[n])) for n in names)
    err = abs(fd - an) / abs(an)
    ok = err < 1e-6 and worst < 1e-5
    print(f"  gradient check {label}: directional rel err {err:.2e}, worst tensor {worst:.2e} -> {'ok' if ok else 'FAIL'}")
    return ok


def _same(a, b) -> float:
    rows = []
    for i, (o, r) in enumerate(zip(a, b)):
        compare_values({k: o[k] for k in ("lossBefore", "params")}, {k: r[k] for k in ("lossBefore", "params")}, f"step {i}", rows)
    return max(e for _, e in rows)


def _variant(fixture, block, **step_extra):
    f = json.loads(json.dumps(fixture))
    f["optimizer"] = block
    for s in f["steps"]:
        s.update(step_extra)
    return f


def self_test() -> bool:
    rng = np.random.default_rng(4321)
    ok = True
    for dims, (h, w) in (([2, 3, 4], (4, 4)), ([3, 4, 5], (5, 7))):
        params = fm.random_params("conv-bn", dims, rng)
        x = rng.standard_normal((4, h, w, dims[0]))
        y = rng.integers(dims[-1], size=4)
        ok &= _fd_check("conv-bn", dims, params, x, y, rng, f"conv-bn {dims} {h}x{w}")

    here = os.path.dirname(os.path.abspath(__file__))
    golden = os.path.join(here, "..", "..", "tests", "fixtures", "golden")
    # The block absent: the same numbers as esam_reference.py on every existing fixture.
    worst = 0.0
    for f in sorted(os.listdir(golden)):
        if f.endswith(".json"):
            with open(os.path.join(golden, f)) as fh:
                fixture = json.load(fh)
            ours = run_fixture(fixture)
            theirs = er.run_fixture(fixture)
            rows = []
            for i, (o, r) in enumerate(zip(ours, theirs)):
                compare_values({k: o[k] for k in r}, r, f"step {i}", rows)
            worst = max(worst, max(e for _, e in rows))
    print(f"  no optimizer block = esam_reference.py on tests/fixtures/golden: max rel err {worst:.1e} -> {'ok' if worst < 1e-13 else 'FAIL'}")
    ok &= worst < 1e-13

    # Degenerate settings that must reduce to SAM (mlp-sam.json) exactly.
    with open(os.path.join(golden, "mlp-sam.json")) as fh:
        sam = json.load(fh)
    ref = run_fixture(sam)
    cases = [
        ("m = batch", _variant(sam, {"name": "sam", "m": len(sam["steps"][0]["batch"]["y"])})),
        ("looksam k = 1", _variant(sam, {"name": "looksam", "k": 1, "alpha": 0.7})),
        ("rst all samStep", _variant(sam, {"name": "rst", "p": 1.0}, samStep=True)),
        ("aesam c = -1e9", _variant(sam, {"name": "aesam", "delta": 0.9, "cStart": -1e9, "cEnd": -1e9, "totalSteps": 1})),
        ("gsam alpha = 0", _variant(sam, {"name": "gsam", "alpha": 0.0, "rhoMin": 0.0, "lrMax": 0.1, "lrMin": 0.1})),
        ("ksam k = batch", _variant(sam, {"name": "ksam", "k": len(sam["steps"][0]["batch"]["y"])})),
    ]
    for label, f in cases:
        e = _same(run_fixture(f), ref)
        print(f"  {label} equals SAM: {e:.1e} -> {'ok' if e < 1e-13 else 'FAIL'}")
        ok &= e < 1e-13
    # Switching rules with every step SGD equal plain momentum SGD (rho = 0 SAM).
    sgd = run_fixture(_variant(dict(sam, hyper=dict(sam["hyper"], rho=0.0)), {"name": "sam"}))
    for label, f in (("rst no samStep", _variant(sam, {"name": "rst", "p": 0.0}, samStep=False)),
                     ("aesam c = 1e9", _variant(sam, {"name": "aesam", "delta": 0.9, "cStart": 1e9, "cEnd": 1e9, "totalSteps": 1}))):
        e = _same(run_fixture(f), sgd)
        print(f"  {label} equals SGD: {e:.1e} -> {'ok' if e < 1e-13 else 'FAIL'}")
        ok &= e < 1e-13
    # LookSAM's schedule of SAM steps.
    rec = run_fixture(_variant(sam, {"name": "looksam", "k": 2, "alpha": 0.7}))
    good = all(r["samStep"] == (i % 2 == 0) for i, r in enumerate(rec))
    print(f"  looksam k = 2 takes SAM at even steps only: {'ok' if good else 'FAIL'}")
    ok &= good
    # m-sharpness with rho = 0 is SGD on the whole batch; with rho > 0 and m < b it is not SAM.
    e = _same(run_fixture(_variant(dict(sam, hyper=dict(sam["hyper"], rho=0.0)), {"name": "sam", "m": 4})), sgd)
    d = _same(run_fixture(_variant(sam, {"name": "sam", "m": 4})), ref)
    good = e < 1e-13 and d > 1e-6
    print(f"  m-sharpness m = 4: rho = 0 equals SGD ({e:.1e}), rho > 0 differs from SAM ({d:.1e}) -> {'ok' if good else 'FAIL'}")
    ok &= good
    ok &= _discriminates(os.path.join(golden, "family"))
    print("self-test", "passed" if ok else "FAILED")
    return ok


def _step_looksam_layerwise(ctx, step, x, y, lr):
    """LookSAM with tensor-by-tensor projection and scaling (a plausible misreading of the paper)."""
    k, alpha = int(ctx.block["k"]), float(ctx.block["alpha"])
    if ctx.t % k == 0:
        before, g, eps, after, gs = sam_pass(ctx, x, y, ctx.names, ctx.hyper["rho"])
        ctx.state["gv"] = {n: gs[n] - float(np.sum(gs[n] * g[n])) / float(np.sum(g[n] * g[n])) * g[n] for n in ctx.names}
        d = gs
    else:
        before, g = ctx.grads(x, y)
        gv = ctx.state["gv"]
        d = {n: g[n] + alpha * np.linalg.norm(g[n]) / (np.linalg.norm(gv[n]) + EPS_NORM) * gv[n] for n in ctx.names}
        after, eps = None, zeros(ctx)
    ctx.update(d, lr)
    return record(ctx, before, after, range(len(y)), eps, ctx.t % k == 0, orthogonal=flat(ctx.state["gv"], ctx.names))


def _discriminates(folder) -> bool:
    """Plausible wrong readings of each rule miss the family fixtures by far more than the
    engine's 1e-4 tolerance, so the fixtures can tell them apart."""

    def load(name):
        with open(os.path.join(folder, name + ".json")) as fh:
            return json.load(fh)

    def miss(fixture):
        ours = run_fixture(fixture)
        return max(er.rel_err(ours[i]["params"][n], e["params"][n])
                   for i, e in enumerate(fixture["expected"]) for n in e["params"])

    def with_block(name, **change):
        f = load(name)
        f["optimizer"] = dict(f["optimizer"], **change)
        return f

    ok = True
    cases = [
        ("GSAM with +alpha (descending the gap)", lambda: with_block("mlp-gsam", alpha=-0.3)),
        ("GSAM with a constant rho", lambda: with_block("mlp-gsam", rhoMin=0.1)),
        ("one eps for the whole batch instead of per micro-batch", lambda: {**load("mlp-msharp-sam"), "optimizer": {"name": "sam"}}),
        ("K-SAM on the whole batch", lambda: with_block("mlp-ksam", k=16)),
        ("SAM-ON perturbing every parameter", lambda: {**load("conv-bn-samon"), "optimizer": {"name": "sam"}}),
        ("AE-SAM with c fixed at its start", lambda: with_block("mlp-aesam", cEnd=-1.0)),
    ]
    for label, make in cases:
        e = miss(make())
        good = e > 1e-3
        print(f"  fixtures catch {label}: params off by {e:.1e} -> {'ok' if good else 'FAIL'}")
        ok &= good
    saved = RULES["looksam"]
    RULES["looksam"] = _step_looksam_layerwise
    try:
        e = miss(load("mlp-looksam"))
    finally:
        RULES["looksam"] = saved
    good = e > 1e-3
    print(f"  fixtures catch LookSAM projected tensor by tensor: params off by {e:.1e} -> {'ok' if good else 'FAIL'}")
    return ok and good


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Float64 reference of the sharpness-aware family's steps.")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("fixture", nargs="?", help="fixture JSON: print {\"steps\": [...]} computed by the reference")
    g.add_argument("--check", metavar="FIXTURE", nargs="+", help="compare with each fixture's expected")
    g.add_argument("--self-test", action="store_true", help="gradient and consistency checks")
    g.add_argument("--generate", metavar="OUTDIR", help="write the seeded family fixtures into OUTDIR")
    ap.add_argument("-v", "--verbose", action="store_true", help="with --check: one line per compared array")
    args = ap.parse_args(argv)
    if args.self_test:
        return 0 if self_test() else 1
    if args.check:
        return 0 if all([check_file(p, args.verbose) for p in args.check]) else 1
    if args.generate:
        generate(args.generate)
        return 0
    with open(args.fixture) as fh:
        fixture = json.load(fh)
    sys.stdout.write(json.dumps({"steps": run_fixture(fixture)}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
