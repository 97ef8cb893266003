#!/usr/bin/env bash
# A command objective for SlotEndToEndTests: records where it ran (HPO_WORKER_INDEX, HPO_SLOT,
# CUDA_VISIBLE_DEVICES) and when, in $1/trial-$HPO_TRIAL_ID. It waits (up to 30 s) until $2 trials have started,
# so it only completes when that many ran at once: a worker that ran them one after another fails the study.
# Usage: slot-probe.sh DIR EXPECTED
dir="$1"; expected="$2"
start=$(date +%s.%N)
echo "start" > "$dir/started-$HPO_TRIAL_ID"
for _ in $(seq 600); do
    [ "$(ls "$dir" | grep -c '^started-')" -ge "$expected" ] && break
    sleep 0.05   # polling the other trials' marker files: real time must pass
done
if [ "$(ls "$dir" | grep -c '^started-')" -lt "$expected" ]; then
    echo "only $(ls "$dir" | grep -c '^started-') of $expected trials started within 30 s" >&2
    exit 1
fi
end=$(date +%s.%N)
echo "${HPO_WORKER_INDEX:-unset} ${HPO_SLOT:-unset} ${CUDA_VISIBLE_DEVICES:-unset} $start $end" > "$dir/trial-$HPO_TRIAL_ID"
echo "{\"hpo\": {\"accuracy\": 0.$HPO_TRIAL_ID}}"
