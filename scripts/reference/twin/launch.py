#!/usr/bin/env python3
"""A minimal stand-in for `torchrun --nproc-per-node N` on one machine.

Debian's torch 1.13 torchrun (python3-torch, Python 3.11) fails at start (its elastic launcher cannot parse
its own default --redirects). This starts N copies of a script with the environment torchrun
gives them (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT) and exits with the first
non-zero exit code. With a working torchrun, use torchrun instead: the script does not change.

    python3 scripts/reference/twin/launch.py --nproc-per-node 2 scripts/reference/twin/train.py ...
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--nproc-per-node", "--nproc_per_node", type=int, required=True)
    p.add_argument("script")
    p.add_argument("args", nargs=argparse.REMAINDER)
    a = p.parse_args()
    port = str(free_port())
    procs = []
    for rank in range(a.nproc_per_node):
        env = {
            **os.environ,
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(a.nproc_per_node),
            "LOCAL_WORLD_SIZE": str(a.nproc_per_node),
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": port,
        }
        procs.append(subprocess.Popen([sys.executable, a.script, *a.args], env=env))
    codes = [proc.wait() for proc in procs]
    return next((c for c in codes if c != 0), 0)


if __name__ == "__main__":
    sys.exit(main())
