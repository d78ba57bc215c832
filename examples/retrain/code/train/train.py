"""Retrain: SageMaker script-mode entry point. Trains four SGAN classifiers (one per k-fold split, and one on the
full training split) and writes them to SM_MODEL_DIR. Prints one metrics line per logged iteration, e.g.
Iteration=12; Discriminator_Supervised_Loss=0.41; Discriminator_UnSupervised_Loss=0.66; Generator_Loss=1.92; Accuracy_Supervised=0.87;

Each finished model is checkpointed to /opt/ml/checkpoints (synced to CheckpointConfig.S3Uri), so a job that is run
again continues with the models it has not finished. --fail_at_iteration N simulates an interruption (a reclaimed
spot instance) at overall iteration N (models train one after another, --iterations each), once: the rerun restores
the finished models from the checkpoints and gets past it.
"""
import argparse
import json
import os
import sys

import numpy as np
import tensorflow as tf

from sgan import SGAN

NUM_CLASSES = 4  # normal, heavy, dormant, risky
CHECKPOINTS = "/opt/ml/checkpoints"
INTERRUPTED = os.path.join(CHECKPOINTS, "interrupted")


def load(channel, *parts):
    return np.load(os.path.join(os.environ[f"SM_CHANNEL_{channel.upper()}"], *parts))


def train_one(name, x_lab, y_lab, x_unl, x_val, y_val, a, offset):
    tf.keras.utils.set_random_seed(a.seed)
    model = SGAN(x_lab.shape[1], NUM_CLASSES, a.latent_dim, a.learning_rate, a.seed)
    counts = np.bincount(y_lab, minlength=NUM_CLASSES).astype(np.float32)
    class_weight = tf.constant(counts.sum() / (NUM_CLASSES * np.maximum(counts, 1)), tf.float32)
    rng = np.random.default_rng(a.seed)
    for it in range(1, a.iterations + 1):
        li = rng.integers(0, len(x_lab), a.batch_size)
        ui = rng.integers(0, len(x_unl), a.batch_size)
        sup, unsup, gen, acc = (float(v) for v in model.step(tf.constant(x_lab[li]), tf.constant(y_lab[li]), tf.constant(x_unl[ui]), class_weight))
        if it % a.log_every == 0 or it == a.iterations:
            print(f"Model={name}; Iteration={it}; Discriminator_Supervised_Loss={sup:.4f}; "
                  f"Discriminator_UnSupervised_Loss={unsup:.4f}; Generator_Loss={gen:.4f}; Accuracy_Supervised={acc:.4f};", flush=True)
        if offset + it == a.fail_at_iteration and not os.path.exists(INTERRUPTED):
            os.makedirs(CHECKPOINTS, exist_ok=True)
            open(INTERRUPTED, "w").write(f"{name}:{it}")
            raise RuntimeError(f"training of model {name} was interrupted at its iteration {it} (fail_at_iteration={a.fail_at_iteration}); "
                               "finished models are checkpointed: run the job again to continue")
    val_acc = float(np.mean(np.argmax(model.classifier.predict(x_val, verbose=0), -1) == y_val))
    print(f"Model={name}; Validation_Accuracy={val_acc:.4f};", flush=True)
    return model.classifier, val_acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--batch_size", type=int, default=64)
    ap.add_argument("--latent_dim", type=int, default=16)
    ap.add_argument("--learning_rate", type=float, default=2e-3)
    ap.add_argument("--kfolds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log_every", type=int, default=10)
    ap.add_argument("--fail_at_iteration", type=int, default=-1)
    ap.add_argument("--model_dir", default=None, help="passed by SageMaker's TensorFlow estimator; models go to SM_MODEL_DIR")
    a = ap.parse_args()
    tf.config.experimental.enable_op_determinism()
    model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")

    runs = [(f"fold_{k}", load("train", "kfold", "data", f"fold_{k}.npy"), load("train", "kfold", "label", f"fold_{k}.npy"),
             load("train", "unlabeled", "kfold", f"fold_{k}.npy"), load("val", "kfold", "data", f"fold_{k}.npy"),
             load("val", "kfold", "label", f"fold_{k}.npy")) for k in range(a.kfolds)]
    runs.append(("full", load("train", "data", "data.npy"), load("train", "label", "label.npy"),
                 load("train", "unlabeled", "all", "unlabeled.npy"), load("val", "data", "data.npy"), load("val", "label", "label.npy")))
    state_file = os.path.join(CHECKPOINTS, "state.json")
    state = json.load(open(state_file)) if os.path.exists(state_file) else {}
    summary = {}
    for offset, (name, x_lab, y_lab, x_unl, x_val, y_val) in zip(range(0, a.iterations * len(runs), a.iterations), runs):
        checkpoint = os.path.join(CHECKPOINTS, f"model_{name}.keras")
        if name in state and os.path.exists(checkpoint):
            classifier, val_acc = tf.keras.models.load_model(checkpoint), state[name]
            print(f"Model={name}; restored from checkpoint; Validation_Accuracy={val_acc:.4f};", flush=True)
        else:
            classifier, val_acc = train_one(name, x_lab, y_lab, x_unl, x_val, y_val, a, offset)
            if os.path.isdir(CHECKPOINTS):
                classifier.save(checkpoint)
                state[name] = val_acc
                json.dump(state, open(state_file, "w"))
        classifier.save(os.path.join(model_dir, f"model_{name}.keras"))
        summary[name] = {"validation_accuracy": round(val_acc, 6), "labelled": int(len(x_lab)), "unlabelled": int(len(x_unl))}
    with open(os.path.join(model_dir, "models.json"), "w") as f:
        json.dump({"models": summary, "hyperparameters": vars(a)}, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - SageMaker reads the reason from /opt/ml/output/failure
        os.makedirs("/opt/ml/output", exist_ok=True)
        with open("/opt/ml/output/failure", "w") as f:
            f.write(str(e))
        print(f"training failed: {e}", file=sys.stderr)
        sys.exit(1)
