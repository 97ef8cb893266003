#!/usr/bin/env python3
"""Loads an Optuna journal file with Optuna's own JournalStorage and prints the study as JSON (used by the export
test): {"name", "direction", "trials": [{"trial", "number", "state", "parameters", "value", "intermediate"}]}, with
hpo's trial id (the hpo_trial_id user attribute) as "trial" and "parameters" named as in `hpo export --format json`."""
import json
import sys

import optuna
from optuna.storages import JournalStorage

try:
    from optuna.storages.journal import JournalFileBackend as Backend
except ImportError:  # Optuna < 4
    from optuna.storages import JournalFileStorage as Backend

path, name = sys.argv[1], sys.argv[2]
study = optuna.load_study(study_name=name, storage=JournalStorage(Backend(path)))
print(json.dumps({
    "name": study.study_name,
    "direction": study.direction.name.lower(),
    "trials": [{
        "trial": t.user_attrs.get("hpo_trial_id"),
        "number": t.number,
        "state": t.state.name,
        "parameters": t.params,
        "value": t.value,
        "intermediate": {str(k): v for k, v in t.intermediate_values.items()},
    } for t in study.trials],
}))
