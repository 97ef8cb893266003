#!/usr/bin/env python3
"""Train a 64-32 MLP on the UCI digits data with PyTorch, reporting to hpo's `command` objective.

Study file (see docs/objective-protocol.md):

    metric: accuracy
    space:
      lr:         {type: float, low: 1.0e-4, high: 0.3, log: true}
      batch_size: {type: int, low: 16, high: 256, log: true}
    objective:
      kind: command
      argv: [python3, examples/pytorch_mlp.py, "--lr={lr}", "--batch-size={batch_size}"]

Early stopping (a study with `pruner:`): when hpo prunes or cancels the trial it creates the file named by
`$HPO_PRUNE_FILE` and sends SIGTERM to the process group (docs/objective-protocol.md, *Stopping early*). This script
checks for both between epochs and exits 0 cleanly, after its last report; with `cooperative_stop: true` in the
objective only the file appears and it has `grace_period` to do so.

Data: scikit-learn's copy of the digits (`sklearn.datasets.load_digits`), or `--data digits.csv.gz`
(64 pixel values then the label per row).
"""
import argparse
import json
import os
import signal

import numpy as np
import torch


def report(step=None, **values):
    """The whole hpo protocol: one JSON line per report; no `step` means the final result."""
    print(json.dumps({"hpo": ({} if step is None else {"step": step}) | values}), flush=True)


class StopRequest:
    """Whether hpo asked this trial to stop: SIGTERM arrived, or $HPO_PRUNE_FILE exists (its text is the reason)."""

    def __init__(self):
        self.signalled = False
        self.file = os.environ.get("HPO_PRUNE_FILE")
        signal.signal(signal.SIGTERM, self._on_sigterm)

    def _on_sigterm(self, number, frame):
        self.signalled = True

    def __bool__(self):
        return self.signalled or bool(self.file and os.path.exists(self.file))


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
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)

    x, y = load(args.data)
    rng = np.random.default_rng(args.seed)
    validation = np.concatenate([rng.permutation(np.flatnonzero(y == c))[: round(0.2 * (y == c).sum())] for c in np.unique(y)])
    training = np.setdiff1d(np.arange(len(y)), validation)
    mean, std = x[training].mean(0), x[training].std(0)
    std[std == 0] = 1
    x = torch.tensor((x - mean) / std, dtype=torch.float32)
    y = torch.tensor(y)

    model = torch.nn.Sequential(
        torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    best = 0.0
    stop = StopRequest()
    for epoch in range(1, args.epochs + 1):
        if stop:
            # Pruned (or cancelled): hpo has recorded the trial already; leave at once, cleanly.
            return
        model.train()
        order = torch.tensor(training)[torch.randperm(len(training))]
        for first in range(0, len(order), args.batch_size):
            batch = order[first:first + args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(x[validation])
            accuracy = (logits.argmax(1) == y[validation]).float().mean().item()
            validation_loss = loss_fn(logits, y[validation]).item()
        best = max(best, accuracy)
        report(epoch, accuracy=accuracy, loss=validation_loss)
    report(accuracy=best, last_accuracy=accuracy)


if __name__ == "__main__":
    main()
