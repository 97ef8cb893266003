#!/bin/sh
# A stand-in training program for examples/command.yaml: takes --lr, --depth, --optimizer and --seed, "trains"
# for a few epochs and reports a made-up validation accuracy that peaks near lr=0.01, depth=4, adam.
# It speaks the command objective's protocol: one JSON line per epoch with "step", and a final line without.
lr=0.01 depth=4 optimizer=adam
for arg in "$@"; do
  case "$arg" in
    --lr=*) lr="${arg#--lr=}" ;;
    --depth=*) depth="${arg#--depth=}" ;;
    --optimizer=*) optimizer="${arg#--optimizer=}" ;;
    --seed=*) ;;
    *) echo "toy-train: unknown argument $arg" >&2; exit 2 ;;
  esac
done
awk -v lr="$lr" -v depth="$depth" -v optimizer="$optimizer" 'BEGIN {
  x = log(lr) / log(10) + 2
  bonus = (optimizer == "adam") ? 0.02 : 0
  final = 0.97 - 0.08 * x * x - 0.01 * (depth - 4) * (depth - 4) + bonus - 0.02
  if (final < 0.1) final = 0.1
  for (epoch = 1; epoch <= 3; epoch++) {
    printf "{\"hpo\": {\"step\": %d, \"accuracy\": %.4f}}\n", epoch, final * (0.7 + 0.1 * epoch)
  }
  printf "{\"hpo\": {\"accuracy\": %.4f}}\n", final
}'
