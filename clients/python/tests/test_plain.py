"""hpo_client in plain mode: one trial per process, from HPO_PARAMS, reports on stdout (today's protocol)."""
import math
import os
import signal
import subprocess
import sys
import unittest

from harness import BEHAVIOUR, PlainRun, base_environment


class PlainModeTests(unittest.TestCase):
    def test_one_trial_from_the_environment_with_reports_on_stdout(self):
        status, lines, _ = PlainRun({"do": "finish", "steps": 2, "value": 0.8}, trial_id=5).finish()
        self.assertEqual(status, 0)
        reports = PlainRun.reports(lines)
        self.assertEqual(reports[0], {"hpo": {"step": 1, "accuracy": 0.1, "loss": 1.0}})
        self.assertEqual((reports[-1]["hpo"]["accuracy"], reports[-1]["hpo"]["loss"]), (0.8, 0.25))
        self.assertEqual(lines[-1], "loop ended", "the loop yields exactly one trial")

    def test_an_exception_becomes_an_error_line_and_the_process_exits_0(self):
        status, lines, stderr = PlainRun({"do": "raise"}, trial_id=9).finish()
        self.assertEqual(status, 0)
        error = PlainRun.reports(lines)[-1]["hpo"]["error"]
        self.assertTrue(error.startswith("ValueError: boom in trial 9\n"), error)
        self.assertIn("ValueError: boom in trial 9", stderr, "the traceback is on stderr too, for hpo's stderr tail")
        self.assertEqual(lines[-1], "loop ended")

    def test_nan_is_a_final_nan(self):
        status, lines, _ = PlainRun({"do": "nan"}).finish()
        self.assertEqual(status, 0)
        self.assertTrue(math.isnan(PlainRun.reports(lines)[-1]["hpo"]["accuracy"]))

    def test_no_final_value_fails_clearly_and_says_so_on_stderr_too(self):
        status, lines, stderr = PlainRun({"do": "nothing"}).finish()
        self.assertEqual(status, 0)
        self.assertIn("ended without trial.finish(<accuracy>)", PlainRun.reports(lines)[-1]["hpo"]["error"])
        self.assertIn("ended without trial.finish(<accuracy>)", stderr)

    def test_the_prune_file_stops_the_trial(self):
        run = PlainRun({"do": "wait_stop"})
        self.assertEqual(run.next_line(), '{"hpo":{"step":1,"accuracy":0.5}}')
        with open(run.prune_file, "w") as file:
            file.write("pruned at step 1: test\n")
        status, lines, _ = run.finish()
        self.assertEqual(status, 0)
        self.assertEqual(lines[:2], ["stop reason: pruned at step 1: test", '{"hpo":{"accuracy":0.5}}'])

    def test_sigterm_is_a_stop_request_once_the_script_polls(self):
        run = PlainRun({"do": "wait_stop"})
        run.next_line()   # the script has called should_stop() before this report
        os.kill(run.process.pid, signal.SIGTERM)
        status, lines, _ = run.finish()
        self.assertEqual(status, 0)
        self.assertEqual(lines[:2], ["stop reason: SIGTERM received", '{"hpo":{"accuracy":0.5}}'])

    def test_sigterm_ends_a_script_that_never_polls_at_once(self):
        run = PlainRun({"do": "ignore_sigterm_unpolled"})
        run.next_line()
        os.kill(run.process.pid, signal.SIGTERM)
        status, _, _ = run.finish()
        self.assertEqual(status, -signal.SIGTERM)

    def test_timing_metrics_when_asked(self):
        status, lines, _ = PlainRun({"do": "finish"}, extra_env={"HPO_CLIENT_TIMING": "1"}).finish()
        final = PlainRun.reports(lines)[-1]["hpo"]
        self.assertGreater(final["hpo_client_startup_ms"], 0)
        self.assertGreaterEqual(final["hpo_client_trial_ms"], 0)

    def test_run_by_hand_without_hpo_params_says_how_to_run_it(self):
        result = subprocess.run(
            [sys.executable, BEHAVIOUR], env=base_environment(), capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 1)
        self.assertIn("HPO_PARAMS is not set, so this script was not started by hpo", result.stderr)
        self.assertIn("HPO_PARAMS='{\"lr\": 0.01}' python3 script.py", result.stderr)

    def test_an_unknown_protocol_is_refused(self):
        result = subprocess.run(
            [sys.executable, BEHAVIOUR], env=base_environment({"HPO_PROTOCOL": "persistent/2"}),
            capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 1)
        self.assertIn("HPO_PROTOCOL='persistent/2', but this hpo_client speaks 'persistent/1' only", result.stderr)


if __name__ == "__main__":
    unittest.main()
