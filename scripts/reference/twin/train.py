#!/usr/bin/env python3
"""The PyTorch twin of `npm run train`: trains the app's models on an exported dataset and
writes run@1 JSON (runs@1 with --seeds N > 1) that the app imports. See README.md here.

    python3 scripts/reference/twin/train.py --data exports/synthetic-seed1 --model cnn --optimizer esam
    torchrun --nproc-per-node 2 scripts/reference/twin/train.py --data ... (data parallel)
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import ddp  # noqa: E402
from config import build_config, parser, read_config_file, run_name  # noqa: E402
from data import load_export, manifest_name  # noqa: E402
from record import runs_document  # noqa: E402
from runner import run_training  # noqa: E402


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    rank, world = ddp.init(args.device)
    device = args.device
    if device.startswith("cuda") and world > 1 and device == "cuda":
        device = f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}"
    log = (lambda line: print(line, file=sys.stderr, flush=True)) if rank == 0 and not args.quiet else None
    records = []
    try:
        first_seed = args.seed if args.seed is not None else (read_config_file(args.config)["seed"] if args.config else 1)
        folder_of = lambda seed: args.data.replace("{seed}", str(seed))
        base = build_config(args, manifest_name(folder_of(first_seed)))
        for k in range(max(1, args.seeds)):
            config = {**base, "seed": base["seed"] + k}
            dataset = load_export(folder_of(config["seed"]))
            name = run_name(config) + (f" · seed {config['seed']}" if args.seeds > 1 else "")
            if log:
                log(f"{name}: {args.device}, {world} process{'es' if world > 1 else ''}")
            records.append(run_training(config, dataset, name, device, log))
            if log:
                s = records[-1]["summary"]
                log(f"{records[-1]['status']}, final test acc {s['finalTestAcc']}")
    except ValueError as exc:
        print(f"train.py: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"train.py: {exc}", file=sys.stderr)
        return 3
    finally:
        ddp.finish()
    if rank == 0:
        doc = records[0] if args.seeds <= 1 else runs_document(records)
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if args.out:
            tmp = f"{args.out}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, args.out)
        else:
            sys.stdout.write(text)
    return 0 if all(r["status"] == "completed" for r in records) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
