#!/usr/bin/env python3
"""Train a 64-32 MLP on the UCI digits data with Keras, reporting to hpo's `command` objective.

Study file (see docs/objective-protocol.md):

    metric: accuracy
    space:
      lr:         {type: float, low: 1.0e-4, high: 0.3, log: true}
      batch_size: {type: int, low: 16, high: 256, log: true}
    objective:
      kind: command
      argv: [python3, examples/keras_mlp.py, "--lr={lr}", "--batch-size={batch_size}"]

Data: scikit-learn's copy of the digits (`sklearn.datasets.load_digits`), or `--data digits.csv.gz`
(64 pixel values then the label per row).
"""
import argparse
import json

import numpy as np
import keras


def report(step=None, **values):
    """The whole hpo protocol: one JSON line per report; no `step` means the final result."""
    print(json.dumps({"hpo": ({} if step is None else {"step": step}) | values}), flush=True)


class HPOReporter(keras.callbacks.Callback):
    """Reports each epoch's validation accuracy as an intermediate value."""

    def __init__(self):
        super().__init__()
        self.best = 0.0

    def on_epoch_end(self, epoch, logs=None):
        accuracy = float(logs["val_accuracy"])
        self.best = max(self.best, accuracy)
        report(epoch + 1, accuracy=accuracy, loss=float(logs["val_loss"]))


def load(path):
    if path:
        rows = np.loadtxt(path, delimiter=",")
        return rows[:, :-1], rows[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits
    digits = load_digits()
    return digits.data, digits.target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data")
    args = parser.parse_args()
    keras.utils.set_random_seed(args.seed)

    x, y = load(args.data)
    rng = np.random.default_rng(args.seed)
    validation = np.concatenate([rng.permutation(np.flatnonzero(y == c))[: round(0.2 * (y == c).sum())] for c in np.unique(y)])
    training = np.setdiff1d(np.arange(len(y)), validation)
    mean, std = x[training].mean(0), x[training].std(0)
    std[std == 0] = 1
    x = ((x - mean) / std).astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=args.lr, momentum=args.momentum),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    reporter = HPOReporter()
    history = model.fit(
        x[training], y[training], batch_size=args.batch_size, epochs=args.epochs,
        validation_data=(x[validation], y[validation]), callbacks=[reporter], verbose=0)
    report(accuracy=reporter.best, last_accuracy=float(history.history["val_accuracy"][-1]))


if __name__ == "__main__":
    main()
