"""hpo_client: one loop for scripts run by hpo's `command` objective, per-trial or persistent (docs/python-client.md).

    import hpo_client

    for trial in hpo_client.trials():          # one trial per process, or many with `persistent: true`
        with trial:                            # an exception fails this trial; the loop goes on
            model = build(trial.params["lr"])
            for epoch in range(1, 11):
                trial.report(epoch, train_one_epoch(model))
                if trial.should_stop():        # pruned, cancelled or shutting down
                    break
            trial.finish(evaluate(model))      # or leave it out: the last report's value counts

Standard library only; Python 3.9 or later.
"""
from ._errors import HPOClientError
from ._trial import Trial
from ._trials import trials

__all__ = ["HPOClientError", "Trial", "trials"]
__version__ = "0.1.0"

for _public in (HPOClientError, Trial):
    _public.__module__ = __name__
