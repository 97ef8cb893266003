#!/usr/bin/env bash
# A tiny program speaking hpo's command protocol (docs/objective-protocol.md), for CommandObjectiveTests.
# Usage: trial.sh MODE [LR]
mode="$1"; lr="${2:-0.5}"
case "$mode" in
    report)       # intermediate and final values, plus lines that are not reports
        echo "starting in $(pwd) with lr=$lr"
        echo "warming up" >&2
        [[ -n "${OUT:-}" ]] && printf '%s' "$HPO_PARAMS" > "$OUT/params.json"
        for step in 1 2 3; do
            echo "{\"hpo\": {\"step\": $step, \"accuracy\": 0.$step, \"loss\": $step}}"
        done
        echo "{\"hpo\": {\"accuracy\": $HPO_PARAM_LR, \"loss\": 0.25, \"trial\": $HPO_TRIAL_ID}}"
        ;;
    result-file)  # the result written to $HPO_RESULT instead of stdout
        echo "{\"accuracy\": 0.75, \"loss\": 0.3}" > "$HPO_RESULT"
        ;;
    fail)         # a crash after some output
        echo '{"hpo": {"step": 1, "accuracy": 0.2}}'
        echo "Traceback: ValueError: lr=$lr is too large" >&2
        exit 3
        ;;
    no-metric)    # a final report without the study's metric
        echo '{"hpo": {"loss": 0.2}}'
        ;;
    nan)          # a non-finite metric, as Python's json.dumps writes it
        echo '{"hpo": {"accuracy": NaN}}'
        ;;
    nan-in-text)  # the letters NaN inside a string are text, not a number: the trial completes
        echo '{"hpo": {"accuracy": 0.9, "note": "val: NaN", "other": "x:NaN"}}'
        ;;
    silent)       # exits 0 without any report
        echo "done, but forgot to report"
        ;;
    hang)         # reports once, then never ends
        echo '{"hpo": {"step": 1, "accuracy": 0.1}}'
        sleep 300   # not synchronization: a trainer that runs far past its timeout
        ;;
    tree)         # a process tree that resists SIGTERM: the group must still disappear on stop
        trap '' TERM
        sleep 300 &   # not synchronization: long-lived children the stop must kill
        (trap '' TERM; sleep 300) &   # not synchronization: a child that ignores SIGTERM
        echo "{\"hpo\": {\"step\": 1, \"accuracy\": 0.5, \"pid\": $$}}"
        wait
        ;;
    leftover)     # exits normally but leaves a child behind in its process group
        sleep 300 &   # not synchronization: the child left behind
        echo "{\"hpo\": {\"accuracy\": 0.9, \"pid\": $$}}"
        ;;
    *)
        echo "unknown mode $mode" >&2
        exit 64
        ;;
esac
