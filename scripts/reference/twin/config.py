"""A run's config (the `config` object of run@1, README "Run JSON") from a JSON file and flags.

The defaults are the app's (src/engine/defaults.ts defaultRunConfig); the flags are those of
`npm run train` (scripts/cli/args.ts), plus the twin's own (--data, --seeds, --device, ...).
"""

from __future__ import annotations

import argparse
import copy
import json

from models import MODEL_NAMES

DATASETS = ["synthetic", "cifar10", "cifar100", "fashion-mnist"]


DEFAULT_MODEL = "cnn-bn"
# lr and rho per model (src/engine/defaults.ts MODEL_TRAINING_DEFAULTS; tests/twin checks they agree).
MODEL_TRAINING_DEFAULTS = {name: {"lr": 0.05, "rho": 0.05} for name in MODEL_NAMES} | {
    "cnn-bn": {"lr": 0.2, "rho": 0.05},
    "cnn": {"lr": 0.01, "rho": 0.05},
    "mlp": {"lr": 0.01, "rho": 0.05},
    "linear": {"lr": 0.01, "rho": 0.05},
}


def default_config(dataset: str = "synthetic", model: str = DEFAULT_MODEL) -> dict:
    d = MODEL_TRAINING_DEFAULTS[model]
    return {
        "dataset": {"name": dataset, "trainSize": 0, "testSize": 0, "augment": dataset in ("cifar10", "cifar100"), "labelNoise": 0},
        "model": model,
        "optimizer": {"name": "esam", "rho": d["rho"], "adaptive": False, "swp": True, "beta": 0.6, "sds": True, "gamma": 0.5},
        "lr": d["lr"],
        "momentum": 0.9,
        "weightDecay": 5e-4,
        "schedule": "cosine",
        "batchSize": 64,
        "epochs": 5,
        "seed": 1,
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="train.py",
        description="Trains the app's models in PyTorch on an exported dataset and writes run@1 JSON.",
    )
    p.add_argument("--config", help="a run config JSON (the `config` object, or a whole run@1 file); flags override it")
    p.add_argument("--data", required=True, help="folder written by `npm run export:dataset`; '{seed}' is replaced by each run's seed")
    p.add_argument("--dataset", choices=DATASETS, help="recorded dataset name (default: the export's)")
    p.add_argument("--model", choices=MODEL_NAMES)
    p.add_argument("--optimizer", choices=["sgd", "sam", "esam"])
    for flag in ("--beta", "--gamma", "--rho", "--lr", "--momentum", "--weight-decay", "--label-noise"):
        p.add_argument(flag, type=float)
    for flag in ("--epochs", "--batch-size", "--train-size", "--test-size", "--seed"):
        p.add_argument(flag, type=int)
    p.add_argument("--schedule", choices=["cosine", "constant"])
    p.add_argument("--adaptive", action=argparse.BooleanOptionalAction, default=None, help="ASAM")
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--linearity", action=argparse.BooleanOptionalAction, default=None, help="also measure zeta each epoch")
    p.add_argument("--hessian", action=argparse.BooleanOptionalAction, default=None, help="accepted so the app's commands run; the twin does not measure lambda_max")
    p.add_argument("--seeds", type=int, default=1, help="N runs with seeds seed..seed+N-1, written as one runs@1 file")
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:0, ... (default cpu)")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads per process (default 1)")
    p.add_argument("--out", help="write the JSON there instead of stdout")
    p.add_argument("--quiet", action="store_true", help="no per-epoch lines on stderr")
    return p


def read_config_file(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if isinstance(doc, dict) and "config" in doc:
        doc = doc["config"]
    if not isinstance(doc, dict) or "optimizer" not in doc:
        raise ValueError(f"{path}: expected a run config or a run@1 file")
    return doc


def build_config(args: argparse.Namespace, dataset_name: str) -> dict:
    """The config: the file's (or the app's defaults), then every flag given on top."""
    base = read_config_file(args.config) if args.config else default_config(args.dataset or dataset_name, args.model or DEFAULT_MODEL)
    c = copy.deepcopy(base)
    d, o = c["dataset"], c["optimizer"]
    if args.dataset:
        d["name"] = args.dataset
    set_if = lambda obj, key, value: value is not None and obj.__setitem__(key, value)
    set_if(d, "trainSize", args.train_size)
    set_if(d, "testSize", args.test_size)
    set_if(d, "labelNoise", args.label_noise)
    set_if(d, "augment", args.augment)
    set_if(c, "model", args.model)
    set_if(o, "name", args.optimizer)
    set_if(o, "rho", args.rho)
    set_if(o, "beta", args.beta)
    set_if(o, "gamma", args.gamma)
    set_if(o, "adaptive", args.adaptive)
    set_if(c, "lr", args.lr)
    set_if(c, "momentum", args.momentum)
    set_if(c, "weightDecay", args.weight_decay)
    set_if(c, "schedule", args.schedule)
    set_if(c, "batchSize", args.batch_size)
    set_if(c, "epochs", args.epochs)
    set_if(c, "seed", args.seed)
    if args.linearity is not None:
        if args.linearity:
            c["linearity"] = True
        else:
            c.pop("linearity", None)
    if any(v is not None for v in (args.optimizer, args.beta, args.gamma)) or not args.config:
        # As the CLI: a ratio of 1 turns that half of ESAM off; SGD and SAM use neither.
        o["swp"] = o["name"] == "esam" and o["beta"] < 1
        o["sds"] = o["name"] == "esam" and o["gamma"] < 1
    check(c)
    return c


def check(c: dict) -> None:
    """The ranges of src/engine/validation.ts that the twin relies on."""
    o = c["optimizer"]
    problems = []
    if c["model"] not in MODEL_NAMES:
        problems.append(f"model: unknown model {c['model']!r}")
    if not (0 < o["beta"] <= 1):
        problems.append("beta must be in (0, 1]")
    if not (0 < o["gamma"] <= 1):
        problems.append("gamma must be in (0, 1]")
    if o["rho"] < 0:
        problems.append("rho must be >= 0")
    if c["lr"] <= 0:
        problems.append("lr must be > 0")
    if c["batchSize"] < 1 or c["epochs"] < 1:
        problems.append("batch size and epochs must be at least 1")
    if not (0 <= c["dataset"]["labelNoise"] <= 1):
        problems.append("label noise must be in [0, 1]")
    if problems:
        raise ValueError("; ".join(problems))


def run_name(c: dict) -> str:
    """As scripts/cli/report.ts runName: "ESAM β=0.6 γ=0.5 · synthetic · cnn"."""
    o = c["optimizer"]
    method = [o["name"].upper()]
    if o["name"] != "sgd" and o["adaptive"]:
        method.append("adaptive")
    if o["name"] == "sam":
        method.append(f"ρ={_num(o['rho'])}")
    if o["name"] == "esam":
        method += [f"β={_num(o['beta']) if o['swp'] else 1}", f"γ={_num(o['gamma']) if o['sds'] else 1}"]
    return " · ".join([" ".join(method), c["dataset"]["name"], c["model"]])


def _num(v: float) -> str:
    """A number as JavaScript's String() writes it for these values (0.6, 1, 0.05)."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))
