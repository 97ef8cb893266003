"""hpo_client in persistent mode (HPO_PROTOCOL=persistent/1), against a harness that plays hpo's worker."""
import math
import os
import signal
import unittest

from harness import PersistentWorker


class PersistentModeTests(unittest.TestCase):
    def worker(self, **options):
        worker = PersistentWorker(**options)
        self.addCleanup(worker.close)
        return worker

    def test_one_process_serves_many_trials_then_exits_0_when_hpo_closes_fd_3(self):
        worker = self.worker()
        pids = set()
        for trial_id in (7, 8, 9):
            messages = worker.run_trial(trial_id, {"do": "finish", "steps": 2, "value": trial_id / 10})
            self.assertEqual(messages[0], {"started": {"id": trial_id}})
            self.assertEqual(messages[1], {"hpo": {"step": 1, "accuracy": 0.1, "loss": 1.0}})
            self.assertEqual(messages[2]["hpo"]["step"], 2)
            final = messages[3]["hpo"]
            self.assertEqual((final["accuracy"], final["loss"]), (trial_id / 10, 0.25))
            pids.add(final["pid"])
        self.assertEqual(len(pids), 1, "one process for all trials")
        worker.close_trials()
        self.assertEqual(worker.wait(), 0)
        self.assertIsNone(worker.read(), "fd 4 reaches EOF when the script exits")
        self.assertIn("loop ended", worker.stdout())

    def test_an_exception_fails_its_trial_with_the_traceback_tail_and_the_next_trial_runs(self):
        worker = self.worker()
        messages = worker.run_trial(4, {"do": "raise"})
        self.assertEqual(messages[1], {"hpo": {"step": 1, "accuracy": 0.5}})
        error = messages[-1]["hpo"]["error"]
        self.assertTrue(error.startswith("ValueError: boom in trial 4\n"), error)
        self.assertIn("Traceback (most recent call last)", error)
        self.assertIn('raise ValueError(f"boom in trial {trial.id}")', error)
        self.assertIn("ValueError: boom in trial 4", worker.stderr(), "the traceback also goes to the trial's log")
        self.assertEqual(worker.run_trial(5, {"do": "finish"})[-1]["hpo"]["accuracy"], 0.9)

    def test_a_long_traceback_keeps_its_first_line_and_tail_within_4_kib(self):
        worker = self.worker()
        error = worker.run_trial(1, {"do": "long_error"})[-1]["hpo"]["error"]
        self.assertLessEqual(len(error.encode()), 4096)
        self.assertTrue(error.startswith("ValueError: xxx"))
        self.assertTrue(error.endswith("x" * 100), "the tail (the exception's own line) is kept")

    def test_nan_is_sent_as_a_number_so_hpo_fails_the_trial_as_not_finite(self):
        worker = self.worker()
        final = worker.run_trial(1, {"do": "nan"})[-1]["hpo"]
        self.assertTrue(math.isnan(final["accuracy"]))

    def test_a_body_without_finish_ends_with_its_last_report_or_fails_saying_so(self):
        worker = self.worker()
        self.assertEqual(worker.run_trial(1, {"do": "last"})[-1], {"hpo": {"accuracy": 0.75, "loss": 0.5}})
        error = worker.run_trial(2, {"do": "nothing"})[-1]["hpo"]["error"]
        self.assertIn("ended without trial.finish(<accuracy>)", error)
        self.assertEqual(worker.run_trial(3, {"do": "fail", "why": "x"})[-1], {"hpo": {"error": "custom reason x"}})

    def test_the_metric_is_the_studys(self):
        worker = self.worker(metric="val_loss")
        messages = worker.run_trial(1, {"do": "nan"})
        self.assertEqual(messages[1], {"hpo": {"step": 1, "val_loss": 0.5}})
        self.assertTrue(math.isnan(messages[-1]["hpo"]["val_loss"]))

    def test_a_stop_message_makes_should_stop_true_and_the_trial_ends_promptly(self):
        worker = self.worker()
        worker.send_trial(11, {"do": "wait_stop"})
        self.assertEqual(worker.read(), {"started": {"id": 11}})
        self.assertEqual(worker.read(), {"hpo": {"step": 1, "accuracy": 0.5}})
        worker.send({"stop": {"id": 11, "reason": "pruned at step 1: test"}})
        self.assertEqual(worker.read(), {"hpo": {"accuracy": 0.5}}, "ends with its last report")
        self.assertIn("stop reason: pruned at step 1: test", worker.stdout())

    def test_the_prune_file_makes_should_stop_true(self):
        worker = self.worker()
        environment = worker.send_trial(12, {"do": "wait_stop"})
        worker.read(), worker.read()
        with open(environment["HPO_PRUNE_FILE"] + ".tmp", "w") as file:
            file.write("cancelled by the coordinator: test\n")
        os.rename(environment["HPO_PRUNE_FILE"] + ".tmp", environment["HPO_PRUNE_FILE"])
        self.assertEqual(worker.read(), {"hpo": {"accuracy": 0.5}})
        self.assertIn("stop reason: cancelled by the coordinator: test", worker.stdout())

    def test_eof_on_fd_3_during_a_trial_stops_it_and_the_process_exits_0(self):
        worker = self.worker()
        worker.send_trial(13, {"do": "wait_stop"})
        worker.read(), worker.read()
        worker.close_trials()
        self.assertEqual(worker.read(), {"hpo": {"accuracy": 0.5}})
        self.assertEqual(worker.wait(), 0)
        self.assertIn("stop reason: hpo closed the trial channel (fd 3): the worker is shutting down", worker.stdout())

    def test_a_stop_for_an_ended_trial_does_not_stop_the_next_one(self):
        worker = self.worker()
        worker.run_trial(1, {"do": "finish"})
        worker.send({"stop": {"id": 1, "reason": "late"}})
        self.assertEqual(worker.run_trial(2, {"do": "stopped_now"})[-1]["hpo"]["stopped"], 0)

    def test_the_trials_variables_are_in_os_environ_during_its_trial_only(self):
        worker = self.worker()
        first = worker.run_trial(21, {"do": "env", "x": 1, "only_first": 1})[-1]["hpo"]
        self.assertEqual((first["env_trial_id"], first["has_x"], first["has_only_first"], first["prune_file_set"]), (21, 1, 1, 1))
        second = worker.run_trial(22, {"do": "env", "x": 2})[-1]["hpo"]
        self.assertEqual((second["env_trial_id"], second["has_x"], second["has_only_first"]), (22, 1, 0))

    def test_stdout_and_stderr_are_flushed_before_the_final_line(self):
        worker = self.worker()
        worker.run_trial(1, {"do": "print"})
        # Both files are read right after the final line arrived: nothing may still sit in Python's buffers.
        self.assertIn("printed before the final line", worker.stdout())
        self.assertIn("stderr before the final line", worker.stderr())
        self.assertNotIn("{\"hpo\"", worker.stdout(), "reports never go to stdout in persistent mode")

    def test_an_exception_outside_with_fails_the_trial_with_its_traceback_and_the_process_exits_1(self):
        worker = self.worker()
        messages = worker.run_trial(5, {"do": "raise_outside"})
        self.assertTrue(messages[-1]["hpo"]["error"].startswith("RuntimeError: outside with, trial 5\n"), messages)
        self.assertEqual(worker.wait(), 1)

    def test_break_out_of_the_loop_ends_the_trial_with_its_last_report_at_exit(self):
        worker = self.worker()
        messages = worker.run_trial(6, {"do": "break"})
        self.assertEqual(messages[-1], {"hpo": {"accuracy": 0.25}})
        self.assertEqual(worker.wait(), 0)

    def test_sys_exit_inside_the_trial_fails_it_and_the_process_exits_with_that_status(self):
        worker = self.worker()
        self.assertEqual(worker.run_trial(1, {"do": "exit"})[-1], {"hpo": {"error": "SystemExit: 3 during the trial"}})
        self.assertEqual(worker.wait(), 3)

    def test_misuse_fails_the_trial_with_a_message_that_says_what_to_do(self):
        worker = self.worker()
        error = worker.run_trial(1, {"do": "bad_metric"})[-1]["hpo"]["error"]
        self.assertIn('metric "accuracy" must be a number, got str \'high\'', error)
        error = worker.run_trial(5, {"do": "no_metric"})[-1]["hpo"]["error"]
        self.assertIn('trial.finish needs the study\'s metric "accuracy": pass it first (trial.finish(0.93)) or by name', error)
        error = worker.run_trial(2, {"do": "huge"})[-1]["hpo"]["error"]
        self.assertIn("hpo reads lines of at most 1048576 bytes", error)
        self.assertEqual(worker.run_trial(3, {"do": "report_after_finish"})[-1], {"hpo": {"accuracy": 0.5}})
        self.assertEqual(worker.run_trial(4, {"do": "finish"})[0], {"started": {"id": 4}}, "still serving")
        # Printed after trial 3's final line, so certainly written once trial 4's final line (which flushes) is read.
        self.assertIn("trial.report: trial 3 has already ended (completed)", worker.stderr())

    def test_garbage_and_unknown_messages_are_skipped(self):
        worker = self.worker()
        os.write(worker.trials_write, b"not json\n{\"future\": {}}\n[1]\n")
        self.assertEqual(worker.run_trial(1, {"do": "finish"})[-1]["hpo"]["accuracy"], 0.9)
        self.assertIn("ignored a line from hpo that is not JSON", worker.stderr())
        self.assertIn("does not know", worker.stderr())

    def test_a_trial_message_without_an_id_fails_that_trial_and_the_process_goes_on(self):
        worker = self.worker()
        worker.send({"trial": {"params": {"do": "finish"}}})
        self.assertIn("could not read the trial message", worker.read()["hpo"]["error"])
        self.assertEqual(worker.run_trial(2, {"do": "finish"})[-1]["hpo"]["accuracy"], 0.9)

    def test_timing_metrics_when_asked(self):
        worker = self.worker(extra_env={"HPO_CLIENT_TIMING": "1"})
        final = worker.run_trial(1, {"do": "finish"})[-1]["hpo"]
        self.assertGreaterEqual(final["hpo_client_trial_ms"], 0)
        self.assertNotIn("hpo_client_startup_ms", final, "per-trial start-up is the worker's figure in this mode")

    def test_the_worker_killing_the_group_leaves_nothing(self):
        worker = self.worker()
        worker.send_trial(1, {"do": "wait_stop"})
        worker.read()
        os.killpg(worker.pid, signal.SIGKILL)
        self.assertEqual(worker.wait(), -signal.SIGKILL)


if __name__ == "__main__":
    unittest.main()
