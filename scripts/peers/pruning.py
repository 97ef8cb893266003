#!/usr/bin/env python3
"""Optuna + PyTorch peer of `hpo-bench early-stopping`: the same digits split, space, epochs and trial count, with
Optuna's SuccessiveHalvingPruner and HyperbandPruner (and no pruner), one process, one thread.

Run through the dispatcher (it makes a venv with torch and optuna and sets one BLAS/OpenMP thread):
    scripts/bench-peers pruning [--trials 60] [--epochs 100] [--seeds 5] [--pruners none,sha,hyperband] [--target 0.97]

Space (as hpo-bench early-stopping): lr 1e-5..1 (log), batch_size 16..256 (log), hidden_1 16..128 (log),
hidden_2 8..64 (log), optimizer sgd (momentum 0.9) / adam, weight_decay 1e-6..1e-2 (log); ReLU MLP; the trial's value
is the last epoch's validation accuracy (hpo's `final: last`), reported every epoch for pruning. Data and split:
scripts/peers/trainer.py (the very bytes and split HPOTrainer uses). Prints per run and a table of medians: epochs
trained, wall time, best final accuracy, and seconds until a completed trial first reached `--target` (default: the
same seed's no-pruner best minus 0.3 pp).
"""
import argparse
import statistics
import time

import optuna
import torch

from trainer import load_digits, standardize, stratified_split


def make_objective(data, epochs, counter):
    x_train, y_train, x_valid, y_valid = data

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1.0, log=True)
        batch = trial.suggest_int("batch_size", 16, 256, log=True)
        widths = [trial.suggest_int("hidden_1", 16, 128, log=True), trial.suggest_int("hidden_2", 8, 64, log=True)]
        kind = trial.suggest_categorical("optimizer", ["sgd", "adam"])
        decay = trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True)
        torch.manual_seed(trial.number)
        sizes = [x_train.shape[1]] + widths
        layers = []
        for a, b in zip(sizes, sizes[1:]):
            layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 10))
        if kind == "sgd":
            optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=decay)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=decay)
        loss_fn = torch.nn.CrossEntropyLoss()
        n = x_train.shape[0]
        accuracy = 0.0
        for epoch in range(1, epochs + 1):
            model.train()
            order = torch.randperm(n)
            for first in range(0, n, batch):
                rows = order[first:first + batch]
                optimizer.zero_grad()
                loss = loss_fn(model(x_train[rows]), y_train[rows])
                loss.backward()
                optimizer.step()
            model.eval()
            with torch.no_grad():
                accuracy = (model(x_valid).argmax(1) == y_valid).float().mean().item()
            counter["epochs"] += 1
            if accuracy != accuracy:   # NaN: diverged
                accuracy = 0.0
            trial.report(accuracy, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return accuracy

    return objective


def pruner(name, epochs):
    if name == "sha":
        return optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3)
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs, reduction_factor=3)
    return optuna.pruners.NopPruner()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--pruners", default="none,sha,hyperband")
    parser.add_argument("--target", type=float, help="accuracy to reach (default: each seed's no-pruner best - 0.003)")
    parser.add_argument("--data")
    args = parser.parse_args()
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    features, labels = load_digits(args.data)
    training, validation = stratified_split(labels, 0.2, 0)
    x_train, x_valid = standardize(features[training], features[validation])
    data = (x_train, labels[training], x_valid, labels[validation])
    names = args.pruners.split(",")
    results = {name: [] for name in names}
    print(f"scripts/bench-peers pruning (Optuna {optuna.__version__} TPE + PyTorch {torch.__version__}, 1 thread, "
          f"digits, {args.trials} trials x {args.epochs} epochs, {args.seeds} seeds)")
    for seed in range(args.seeds):
        target = args.target
        for name in names:
            counter = {"epochs": 0}
            completions = []
            start = time.perf_counter()

            def record(study, trial):
                if trial.state == optuna.trial.TrialState.COMPLETE:
                    completions.append((time.perf_counter() - start, trial.value))

            study = optuna.create_study(
                direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed), pruner=pruner(name, args.epochs))
            study.optimize(make_objective(data, args.epochs, counter), n_trials=args.trials, callbacks=[record])
            wall = time.perf_counter() - start
            best = max((value for _, value in completions), default=0.0)
            if target is None:
                target = best - 0.003
            reached = next((seconds for seconds, value in completions if value >= target), None)
            pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials)
            results[name].append((counter["epochs"], wall, best, reached, pruned))
            print(f"seed {seed} {name}: {wall:.1f} s, {counter['epochs']} epochs, {pruned} pruned, best {best:.4f}, "
                  f"target at {'never' if reached is None else f'{reached:.1f} s'}", flush=True)
    print()
    print("pruner | epochs trained | wall s | best final accuracy | s to target (reached) | pruned trials")
    print("---|---|---|---|---|---")
    for name in names:
        rows = results[name]
        reached = [r[3] for r in rows if r[3] is not None]
        print(f"{name} | {statistics.median(r[0] for r in rows):.0f} | {statistics.median(r[1] for r in rows):.1f} | "
              f"{statistics.median(r[2] for r in rows):.4f} | "
              f"{'never' if not reached else f'{statistics.median(reached):.1f}'} ({len(reached)}/{len(rows)}) | "
              f"{statistics.median(r[4] for r in rows):.0f}")


if __name__ == "__main__":
    main()
