"""End to end: `hpo run` on a study whose command uses hpo_client, per-trial and persistent, checked in the journal."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from harness import BEHAVIOUR, base_environment

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HPO = os.environ.get("HPO_BIN") or os.path.join(REPOSITORY, ".build", "debug", "hpo")

STUDY = """\
name: python-client
direction: maximize
metric: accuracy
space:
  do: {{type: categorical, choices: ["finish", "raise", "nan", "last"]}}
objective:
  kind: command
  argv: [{python}, {script}]
  timeout: 2m
{persistent}optimizer: {{kind: random, seed: 0}}
enqueue:
  - {{do: finish}}
  - {{do: raise}}
  - {{do: "nan"}}
  - {{do: last}}
budget: {{trials: 2, max_failures: 5}}
"""


@unittest.skipUnless(os.access(HPO, os.X_OK), f"no hpo binary at {HPO}: build it (swift build) or set HPO_BIN")
class HPORunTests(unittest.TestCase):
    def run_study(self, persistent):
        """The trials of the study by their "do" parameter, after `hpo run` with one worker."""
        directory = tempfile.mkdtemp(prefix="hpo-client-run-")
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)
        study = os.path.join(directory, "study.yaml")
        with open(study, "w") as file:
            file.write(STUDY.format(
                python=json.dumps(sys.executable), script=json.dumps(BEHAVIOUR),
                persistent="  persistent: true\n" if persistent else ""))
        run = subprocess.run(
            [HPO, "run", study, "--workers", "1", "--json", "--quiet"], env=base_environment(),
            capture_output=True, text=True, timeout=600)
        if persistent and run.returncode == 65 and 'unknown option "persistent"' in run.stderr:
            self.skipTest(f"{HPO} has no persistent workers yet (it refuses persistent: true)")
        self.assertEqual(run.returncode, 0, run.stderr)
        session = json.loads(run.stdout)
        shown = subprocess.run(
            [HPO, "show", session["journal"], "--format", "json"], capture_output=True, text=True, timeout=60)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        trials = {trial["parameters"]["do"]: trial for trial in json.loads(shown.stdout)["trials"]}
        self.assertEqual(sorted(trials), ["finish", "last", "nan", "raise"])
        return trials

    def check(self, trials):
        self.assertEqual((trials["finish"]["state"], trials["finish"]["value"]), ("completed", 0.9))
        self.assertEqual(trials["finish"]["metrics"]["loss"], 0.25)
        self.assertEqual((trials["last"]["state"], trials["last"]["value"]), ("completed", 0.75))
        self.assertEqual(trials["raise"]["state"], "failed")
        # The reason holds the exception and its traceback's tail (as the error line, or, from an hpo that reads
        # only numbers in reports, as the stderr tail the helper also prints).
        reason = trials["raise"]["reason"]
        self.assertIn("ValueError: boom in trial", reason)
        self.assertIn('raise ValueError(f"boom in trial {trial.id}")', reason)
        self.assertEqual(trials["nan"]["state"], "failed")
        self.assertIn("reported accuracy = nan, which is not finite (diverged?)", trials["nan"]["reason"])

    def test_per_trial_processes_record_completed_failed_with_traceback_and_nan_trials(self):
        self.check(self.run_study(persistent=False))

    def test_one_persistent_process_records_the_same_outcomes(self):
        trials = self.run_study(persistent=True)
        self.check(trials)
        self.assertIn("hpo_start_overhead_ms", trials["finish"]["metrics"], "the worker's overhead figures")


if __name__ == "__main__":
    unittest.main()
