"""examples/pytorch_mlp.py and examples/keras_mlp.py on hpo_client, in both modes: reports every epoch, seeded
results, a clean end when stopped. They need torch (and Keras): scripts/test-python-client passes a venv that has
them as HPO_EXAMPLES_PYTHON; without one these tests skip, saying so."""
import os
import subprocess
import unittest

from harness import PersistentWorker, PlainRun

EXAMPLES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples"))
PYTHON = os.environ.get("HPO_EXAMPLES_PYTHON", "")
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "KERAS_BACKEND": "torch"}


def importable(modules):
    if not PYTHON or not os.access(PYTHON, os.X_OK):
        return False
    check = subprocess.run(
        [PYTHON, "-c", f"import hpo_client, {modules}"], env={**os.environ, **THREADS}, capture_output=True,
        timeout=300)
    return check.returncode == 0


class ExampleChecks:
    script = None
    params = {"lr": 0.05, "batch_size": 64}

    def test_plain_mode_reports_every_epoch_and_the_best_value(self):
        status, lines, stderr = PlainRun(
            self.params, script=self.script, python=PYTHON, args=("--epochs", "3"), extra_env=THREADS).finish()
        self.assertEqual(status, 0, stderr)
        reports = PlainRun.reports(lines)
        self.assertEqual([r["hpo"].get("step") for r in reports], [1, 2, 3, None])
        best = max(r["hpo"]["accuracy"] for r in reports[:3])
        self.assertEqual(reports[-1]["hpo"]["accuracy"], best)
        self.assertGreater(best, 0.8, "lr 0.05, 3 epochs learns the digits")

    def test_persistent_mode_serves_seeded_trials_and_stops_cleanly(self):
        worker = PersistentWorker(script=self.script, python=PYTHON, args=("--epochs", "3"), extra_env=THREADS)
        self.addCleanup(worker.close)
        first = worker.run_trial(1, self.params)[-1]["hpo"]
        other = worker.run_trial(2, {**self.params, "lr": 0.01})[-1]["hpo"]
        again = worker.run_trial(3, self.params)[-1]["hpo"]
        self.assertEqual(first["accuracy"], again["accuracy"], "the same parameters and seed, the same result")
        self.assertNotEqual(first["accuracy"], other["accuracy"])
        self.assertGreater(first["accuracy"], 0.8)

        worker.send_trial(4, {**self.params, "epochs": 1000})
        self.assertEqual(worker.read(), {"started": {"id": 4}})
        step = worker.read()
        self.assertEqual(step["hpo"]["step"], 1)
        worker.send({"stop": {"id": 4, "reason": "pruned at step 1: test"}})
        final = worker.read_until_final()[-1]["hpo"]
        self.assertNotIn("error", final, "a stopped trial ends with its last report")
        worker.close_trials()
        self.assertEqual(worker.wait(), 0, worker.stderr())


@unittest.skipUnless(importable("torch"), f"no Python with torch and hpo_client (HPO_EXAMPLES_PYTHON={PYTHON!r}); "
                     "scripts/test-python-client makes one")
class PyTorchExampleTests(ExampleChecks, unittest.TestCase):
    script = os.path.join(EXAMPLES, "pytorch_mlp.py")


@unittest.skipUnless(importable("keras, torch"), f"no Python with Keras, torch and hpo_client "
                     f"(HPO_EXAMPLES_PYTHON={PYTHON!r}); scripts/test-python-client makes one")
class KerasExampleTests(ExampleChecks, unittest.TestCase):
    script = os.path.join(EXAMPLES, "keras_mlp.py")


if __name__ == "__main__":
    unittest.main()
