"""A script for hpo_client's tests: each trial does what its parameter "do" says (finish, raise, nan, ...)."""
import os
import sys
import time

import hpo_client


def behave(trial, do):
    if do == "finish":
        for step in range(1, int(trial.params.get("steps", 2)) + 1):
            trial.report(step, 0.1 * step, loss=1.0 / step)
        trial.finish(trial.params.get("value", 0.9), loss=0.25, pid=os.getpid())
    elif do == "last":
        trial.report(1, 0.5)
        trial.report(2, accuracy=0.75, loss=0.5)
    elif do == "nothing":
        pass
    elif do == "raise":
        trial.report(1, 0.5)
        raise ValueError(f"boom in trial {trial.id}")
    elif do == "long_error":
        raise ValueError("x" * 10000)
    elif do == "nan":
        trial.report(1, 0.5)
        trial.finish(float("nan"))
    elif do == "fail":
        trial.fail(f"custom reason {trial.params.get('why', '')}")
    elif do == "wait_stop":
        trial.should_stop()
        trial.report(1, 0.5)
        deadline = time.monotonic() + 60
        while not trial.should_stop() and time.monotonic() < deadline:
            time.sleep(0.01)
        print(f"stop reason: {trial.stop_reason}", flush=True)
    elif do == "ignore_sigterm_unpolled":
        trial.report(1, 0.5)
        time.sleep(60)
    elif do == "stopped_now":
        trial.finish(1.0, stopped=int(trial.should_stop()))
    elif do == "env":
        trial.finish(
            1.0, env_trial_id=int(os.environ["HPO_TRIAL_ID"]), has_x=int("HPO_PARAM_X" in os.environ),
            has_only_first=int("HPO_PARAM_ONLY_FIRST" in os.environ), prune_file_set=int("HPO_PRUNE_FILE" in os.environ))
    elif do == "print":
        print("printed before the final line")    # no flush: the helper must flush before its final line
        sys.stderr.write("stderr before the final line\n")
        trial.finish(0.5)
    elif do == "huge":
        trial.report(1, 0.5, **{f"metric_{i:07d}": 0.5 for i in range(100_000)})
    elif do == "exit":
        trial.report(1, 0.5)
        sys.exit(3)
    elif do == "report_after_finish":
        trial.finish(0.5)
        trial.report(2, 0.6)
    elif do == "bad_metric":
        trial.report(1, "high")
    elif do == "no_metric":
        trial.finish(loss=0.3)
    else:
        raise AssertionError(f"unknown do={do!r}")


for trial in hpo_client.trials():
    do = trial.params.get("do", "finish")
    if do == "raise_outside":
        trial.report(1, 0.5)
        raise RuntimeError(f"outside with, trial {trial.id}")
    if do == "break":
        trial.report(1, 0.25)
        break
    with trial:
        behave(trial, do)
print("loop ended", flush=True)
