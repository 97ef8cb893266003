#!/usr/bin/env python3
"""Train a 64-32 MLP on the digits with PyTorch, one trial per iteration of hpo_client's loop (docs/python-client.md).

Written for a persistent process (`persistent: true`: torch is imported and the data loaded once, then trial after
trial arrives); it also runs as one process per trial, unchanged. Install the helper once:
`pip install ./clients/python` (and torch). Study file, from the repository root:

    metric: accuracy
    space:
      lr:         {type: float, low: 1.0e-4, high: 0.3, log: true}
      batch_size: {type: int, low: 16, high: 256, log: true}
    objective:
      kind: command
      argv: [python3, examples/pytorch_mlp.py, --epochs, "20"]
      persistent: true

Parameters (from the space, else the command line's defaults): lr, batch_size, momentum, epochs, seed. Each trial
is seeded (`seed`, default 0), so a trial gives the same result in a fresh process or a reused one. When hpo prunes
or cancels a trial, `trial.should_stop()` turns true and the trial ends after the current epoch with its last
report. Data: the digits embedded in hpo's sources, or `--data digits.csv.gz` (64 pixel values then the label).
"""
import torch

import digits_mlp
import hpo_client


def train(trial, data, defaults):
    """One trial: reports every epoch's validation accuracy; the trial's value is the best epoch's."""
    run = digits_mlp.settings(trial.params, defaults)
    x_train, y_train, x_valid, y_valid = data
    torch.manual_seed(run.seed)
    generator = torch.Generator().manual_seed(run.seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=run.lr, momentum=run.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    best = 0.0
    for epoch in range(1, run.epochs + 1):
        model.train()
        order = torch.randperm(len(y_train), generator=generator)
        for first in range(0, len(order), run.batch_size):
            batch = order[first:first + run.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(x_valid)
            accuracy = (logits.argmax(1) == y_valid).float().mean().item()
            validation_loss = loss_fn(logits, y_valid).item()
        best = max(best, accuracy)
        trial.report(epoch, accuracy, loss=validation_loss)
        if trial.should_stop():
            return   # pruned or cancelled: hpo has recorded it; the last report ends the trial
    trial.finish(best, last_accuracy=accuracy, loss=validation_loss)


def main():
    defaults = digits_mlp.command_line(__doc__.split("\n")[0])
    torch.set_num_threads(1)
    x_train, y_train, x_valid, y_valid = digits_mlp.split(*digits_mlp.load(defaults.data))
    data = (torch.tensor(x_train), torch.tensor(y_train), torch.tensor(x_valid), torch.tensor(y_valid))

    for trial in hpo_client.trials():
        with trial:   # an exception fails this trial (with its traceback) and the next one still runs
            train(trial, data, defaults)


if __name__ == "__main__":
    main()
