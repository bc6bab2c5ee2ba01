"""The learning rate per step, as src/engine/schedule.ts."""

import math


def learning_rate_at(schedule: str, base_lr: float, step: int, total_steps: int) -> float:
    if schedule == "constant" or total_steps <= 0:
        return base_lr
    return 0.5 * base_lr * (1 + math.cos(math.pi * min(step, total_steps) / total_steps))
