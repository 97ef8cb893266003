#!/usr/bin/env python3
"""Optuna + PyTorch peer of `hpo-bench early-stopping`: the same digits split, space, epochs and trial count, with
Optuna's SuccessiveHalvingPruner and HyperbandPruner (and no pruner), one process, one thread.

Run through the dispatcher (it makes a venv with torch and optuna and sets one BLAS/OpenMP thread):
    scripts/bench-peers pruning [--trials 60] [--epochs 100] [--seeds 5] [--first-seed 0] [--pruners none,sha,hyperband]
                                [--target 0.97] [--hpo-bench .build/release/hpo-bench] [--hpo-rules none,asha] [--workers 4]

Side by side (--hpo-bench): for each seed, `hpo-bench early-stopping` runs the same study with --hpo-rules (the first,
normally none, sets the target) and Optuna runs --pruners, alternating which goes first; the target of both is hpo's
no-pruning best of that seed minus 0.3 pp (--target overrides it), and the table ends with, per Optuna pruner, the
ratio of its seconds to the target over hpo's with each pruning rule (per seed, then the median of those ratios; a
study that never reached the target counts its whole wall time, shown as ">=").

Space (as hpo-bench early-stopping): lr 1e-5..1 (log), batch_size 16..256 (log), hidden_1 16..128 (log),
hidden_2 8..64 (log), optimizer sgd (momentum 0.9) / adam, weight_decay 1e-6..1e-2 (log); ReLU MLP; the trial's value
is the last epoch's validation accuracy (hpo's `final: last`), reported every epoch for pruning. Data and split:
scripts/peers/trainer.py (the very bytes and split HPOTrainer uses). Prints per run and a table of medians: epochs
trained, wall time, best final accuracy, and seconds until a completed trial first reached `--target` (default: the
same seed's no-pruner best minus 0.3 pp).
"""
import argparse
import json
import statistics
import subprocess
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
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--hpo-bench", help="run hpo-bench early-stopping (this binary) side by side for each seed")
    parser.add_argument("--hpo-rules", default="none,asha", help="hpo rules side by side; the first sets the target")
    parser.add_argument("--workers", type=int, default=4, help="hpo's local workers")
    parser.add_argument("--pruners", help="Optuna pruners (default none,sha,hyperband; with --hpo-bench: hyperband)")
    parser.add_argument("--target", type=float, help="accuracy to reach (default: each seed's no-pruner best - 0.003)")
    parser.add_argument("--data")
    args = parser.parse_args()
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    features, labels = load_digits(args.data)
    training, validation = stratified_split(labels, 0.2, 0)
    x_train, x_valid = standardize(features[training], features[validation])
    data = (x_train, labels[training], x_valid, labels[validation])
    names = (args.pruners or ("hyperband" if args.hpo_bench else "none,sha,hyperband")).split(",")
    results = {name: [] for name in names}
    print(f"scripts/bench-peers pruning (Optuna {optuna.__version__} TPE + PyTorch {torch.__version__}, 1 thread, "
          f"digits, {args.trials} trials x {args.epochs} epochs, {args.seeds} seeds)")
    if args.hpo_bench:
        side_by_side(args, data, names)
        return
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        target = args.target
        for name in names:
            row = run_optuna(data, args, name, seed)
            if target is None:
                target = row["best"] - 0.003
            row["reached"] = reached_at(row["completions"], target)
            results[name].append(row)
            print_run(seed, name, row)
    print()
    print("pruner | epochs trained | wall s | best final accuracy | s to target (reached) | pruned trials")
    print("---|---|---|---|---|---")
    for name in names:
        print_median_row(name, results[name])


def run_optuna(data, args, name, seed):
    """One Optuna study; returns epochs, wall, best, pruned and completions [(seconds, accuracy)]."""
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
    pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials)
    best = max((value for _, value in completions), default=0.0)
    return {"epochs": counter["epochs"], "wall": wall, "best": best, "pruned": pruned, "completions": completions}


def run_hpo(args, seed):
    """`hpo-bench early-stopping` for one seed; returns {rule: row} in the shape run_optuna returns."""
    command = [args.hpo_bench, "early-stopping", "--seeds", "1", "--first-seed", str(seed), "--trials", str(args.trials),
               "--epochs", str(args.epochs), "--workers", str(args.workers), "--rules", args.hpo_rules, "--json"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in output.splitlines():
        if line.startswith("{"):
            run = json.loads(line)
            rows[run["rule"]] = {"epochs": run["epochs_trained"], "wall": run["wall_seconds"], "best": run["best"],
                                 "pruned": run["pruned"], "completions": [tuple(c) for c in run["completions"]]}
    return rows


def reached_at(completions, target):
    return next((seconds for seconds, value in completions if value >= target), None)


def print_run(seed, name, row):
    reached = row["reached"]
    print(f"seed {seed} {name}: {row['wall']:.1f} s, {row['epochs']} epochs, {row['pruned']} pruned, "
          f"best {row['best']:.4f}, target at {'never' if reached is None else f'{reached:.1f} s'}", flush=True)


def print_median_row(name, rows):
    reached = [r["reached"] for r in rows if r["reached"] is not None]
    print(f"{name} | {statistics.median(r['epochs'] for r in rows):.0f} | {statistics.median(r['wall'] for r in rows):.1f} | "
          f"{statistics.median(r['best'] for r in rows):.4f} | "
          f"{'never' if not reached else f'{statistics.median(reached):.1f}'} ({len(reached)}/{len(rows)}) | "
          f"{statistics.median(r['pruned'] for r in rows):.0f}")


def side_by_side(args, data, names):
    """hpo-bench and Optuna on the same seeds, alternating which goes first; one target per seed for both."""
    hpo_rules = args.hpo_rules.split(",")
    results = {("hpo", rule): [] for rule in hpo_rules}
    results.update({("optuna", name): [] for name in names})
    for index, seed in enumerate(range(args.first_seed, args.first_seed + args.seeds)):
        optuna_rows = {}
        hpo_rows = {}
        for side in (["hpo", "optuna"] if index % 2 == 0 else ["optuna", "hpo"]):
            if side == "hpo":
                hpo_rows = run_hpo(args, seed)
            else:
                optuna_rows = {name: run_optuna(data, args, name, seed) for name in names}
        target = args.target if args.target is not None else hpo_rows[hpo_rules[0]]["best"] - 0.003
        print(f"seed {seed}: target {target:.4f} (hpo {hpo_rules[0]} best - 0.3 pp)" if args.target is None
              else f"seed {seed}: target {target:.4f}")
        for key, row in [(("hpo", r), hpo_rows[r]) for r in hpo_rules] + [(("optuna", n), optuna_rows[n]) for n in names]:
            row["reached"] = reached_at(row["completions"], target)
            results[key].append(row)
            print_run(seed, f"{key[0]} {key[1]}", row)
    print()
    print("who | epochs trained | wall s | best final accuracy | s to target (reached) | pruned trials")
    print("---|---|---|---|---|---")
    for key, rows in results.items():
        print_median_row(f"{key[0]} {key[1]}", rows)
    print()
    print("Optuna s to target / hpo s to target (per seed; >= when Optuna never reached it: its whole wall time)")
    for name in names:
        for rule in hpo_rules[1:]:
            ratios = []
            texts = []
            for ours, theirs in zip(results[("hpo", rule)], results[("optuna", name)]):
                if ours["reached"] is None:
                    texts.append("hpo never")
                    continue
                bound = theirs["reached"] is None
                ratio = (theirs["wall"] if bound else theirs["reached"]) / max(ours["reached"], 1e-9)
                ratios.append(ratio)
                texts.append(f"{'>=' if bound else ''}{ratio:.1f}x")
            summary = f"median {statistics.median(ratios):.1f}x" if ratios else "no seed reached by hpo"
            print(f"optuna {name} / hpo {rule}: {', '.join(texts)}; {summary}")

if __name__ == "__main__":
    main()
