"""Deterministic synthetic player telemetry: 8 weekly observations of 6 behaviour features per player.

Writes five raw channels, as the gaming platform's data lake would hold them: four small labelled sets (normal,
heavy, dormant and the rare `risky` class) and a large unlabelled pool with the same mixture of behaviours.
"""
import argparse
import os

import numpy as np

WEEKS, FEATURES = 8, 6  # sessions, minutes, purchases, chat_reports, win_rate, login_spread
CLASSES = ("normal", "heavy", "dormant", "risky")


def players(rng, kind, n):
    t = np.linspace(0, 1, WEEKS)[None, :, None]
    base = {
        "normal": [5, 60, 1.0, 0.2, 0.50, 1.0],
        "heavy": [12, 180, 3.0, 0.3, 0.55, 0.6],
        "dormant": [2, 15, 0.2, 0.1, 0.45, 2.0],
        "risky": [5.2, 64, 1.15, 0.3, 0.51, 1.1],
    }[kind]
    x = np.array(base)[None, None, :] * np.ones((n, WEEKS, FEATURES))
    if kind == "dormant":
        x[:, :, :3] *= (1.2 - t[:, :, 0:1])  # activity fades
    if kind == "risky":
        spikes = rng.random((n, WEEKS, 1)) < 0.15  # bursts of purchases and reports
        x[:, :, 2:4] *= 1 + 1.5 * spikes
    noise = rng.normal(scale=0.9, size=x.shape) * x + rng.normal(scale=0.05, size=x.shape)
    return np.clip(x + noise, 0, None).reshape(n, WEEKS * FEATURES).astype(np.float32)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--unlabeled", type=int, default=3000)
    p.add_argument("--scale", type=float, default=1.0, help="multiplies the labelled set sizes")
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    sizes = {"normal": 300, "heavy": 120, "dormant": 110, "risky": 40}  # few, weak labels; risky is rare
    out = "/opt/ml/processing/output"
    for kind, n in sizes.items():
        d = os.path.join(out, kind)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, "telemetry.npy"), players(rng, kind, int(n * a.scale)))
    mix = rng.choice(len(CLASSES), size=a.unlabeled, p=[0.62, 0.2, 0.15, 0.03])
    pool = np.concatenate([players(rng, CLASSES[c], int((mix == c).sum())) for c in range(len(CLASSES))])
    rng.shuffle(pool)
    os.makedirs(os.path.join(out, "unlabeled"), exist_ok=True)
    np.save(os.path.join(out, "unlabeled", "telemetry.npy"), pool)
    print(f"generated {sum(int(n * a.scale) for n in sizes.values())} labelled players and {len(pool)} unlabelled")


if __name__ == "__main__":
    main()
