"""One trial as the script sees it: parameters, reports, stop requests, and exactly one final line."""
import os
import sys
import time
import traceback

from ._errors import HPOClientError

#: The longest failure reason sent to hpo (bytes of UTF-8), as in the protocol; a longer one keeps its tail.
MAX_REASON_BYTES = 4096


class Trial:
    """One trial handed to the script by `hpo_client.trials()`.

    Attributes:
        id: the trial's id (int; `HPO_TRIAL_ID`).
        attempt: the attempt, 1 for the first (int; `HPO_ATTEMPT`).
        params: the hyperparameters by name (dict of numbers, strings and booleans; `HPO_PARAMS`).
        metric: the study's metric name (`HPO_METRIC`, default "accuracy"): the key `report` and `finish` give
            their first argument.
        env: the trial's own variables (`HPO_PARAMS`, `HPO_PARAM_<NAME>`, `HPO_TRIAL_ID`, `HPO_ATTEMPT`,
            `HPO_RESULT`, `HPO_PRUNE_FILE`); they are also in `os.environ` while the trial runs.

    A trial ends once: `finish(value)` (completed), `fail(reason)` (failed), an exception in a `with trial:` block
    (failed with the traceback's tail), or, when the body ends without either, the last report's values (completed),
    or failed saying no value was reported.
    """

    def __init__(self, channel, trial_id, attempt, params, env, metric, termination=None, timing=False, startup=None):
        self.id = trial_id
        self.attempt = attempt
        self.params = params
        self.env = env
        self.metric = metric
        self._channel = channel
        self._termination = termination
        self._timing = timing
        self._startup_seconds = startup
        self._begun = time.monotonic()
        self._last = None
        self._outcome = None
        self._stop_reason = None

    def __repr__(self):
        return f"Trial(id={self.id}, attempt={self.attempt}, params={self.params!r})"

    @property
    def finished(self):
        """True once the trial's final line was sent (by finish, fail, an exception or the end of the body)."""
        return self._outcome is not None

    @property
    def stop_reason(self):
        """Why hpo asked this trial to stop (the text of the stop message or the prune file), once `should_stop()`
        has returned True; else None."""
        return self._stop_reason

    def report(self, step, value=None, **metrics):
        """Sends an intermediate value: `{"hpo": {"step": step, <metric>: value, **metrics}}`.

        Args:
            step: an integer, e.g. the epoch (hpo's pruners compare trials at equal steps).
            value: the study's metric at this step (or pass it by name: `report(3, accuracy=0.91)`).
            **metrics: other numbers to record with it (`loss=0.3`).
        Raises:
            HPOClientError: the trial has ended, the metric is missing, a value is not a number, or the line
                would be over 1 MiB.
        """
        self._require_running("report")
        if isinstance(step, bool) or not isinstance(step, int):
            if not (isinstance(step, float) and step.is_integer()):
                raise HPOClientError(f"trial.report: step must be an integer (e.g. the epoch), got {step!r}")
            step = int(step)
        values = self._values("report", value, metrics)
        self._channel.send({"hpo": {"step": step, **values}})
        self._last = values

    def should_stop(self):
        """True when hpo asked this trial to stop: pruned, cancelled or the worker is shutting down.

        Persistent mode: a `{"stop"}` message for this trial (read without blocking) or `$HPO_PRUNE_FILE`; plain
        mode: `$HPO_PRUNE_FILE` or a SIGTERM. Cheap enough to call every batch. The trial should then end soon
        (leave the training loop; its final line is sent at the end of the body), within the study's grace_period.
        """
        if self._termination is not None:
            self._termination.polled = True
        if self._stop_reason is None and not self.finished:
            self._stop_reason = self._channel.poll_stop(self.id) or self._prune_file_reason() or (
                "SIGTERM received" if self._termination is not None and self._termination.received else None)
        return self._stop_reason is not None

    def finish(self, value=None, **metrics):
        """Ends the trial as completed with `value` (the study's metric) and other metrics: the final line
        `{"hpo": {<metric>: value, **metrics}}`.

        A value that is NaN or infinite is sent as it is; hpo records the trial as failed, "reported accuracy = nan,
        which is not finite (diverged?)".
        """
        self._require_running("finish")
        values = self._values("finish", value, metrics)
        if self._timing:
            values["hpo_client_trial_ms"] = round((time.monotonic() - self._begun) * 1000, 3)
            if self._startup_seconds is not None:
                values["hpo_client_startup_ms"] = round(self._startup_seconds * 1000, 3)
        self._send_final({"hpo": values}, "completed")

    def fail(self, reason):
        """Ends the trial as failed; `reason` (text, at most 4 KiB are kept: the tail) is what hpo records."""
        self._require_running("fail")
        self._send_failure(str(reason))

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if error is None:
            self._end()
            return False
        if not isinstance(error, Exception):
            # SystemExit, KeyboardInterrupt: the process is leaving; end the trial, then let it go.
            if isinstance(error, SystemExit) and error.code in (None, 0):
                self._end()
            elif not self.finished:
                self._send_failure(f"{exception_headline(error)} during the trial")
            return False
        if self.finished:
            print(f"hpo_client: trial {self.id} had already ended when this exception was raised; "
                  "hpo has its result, the exception is not recorded:", file=sys.stderr)
            traceback.print_exception(kind, error, trace)
            return True
        traceback.print_exception(kind, error, trace)
        self._send_failure(exception_reason(error), echo=False)
        return True

    def _end(self, left_loop=False):
        """Ends a trial the body neither finished nor failed: its last report's values, or a clear failure."""
        if self.finished:
            return
        if self._last is not None:
            self.finish(**self._last)
        elif self._stop_reason is not None:
            self._send_failure(f"stopped before its first report ({self._stop_reason})")
        elif left_loop:
            self._send_failure(
                f"the script left the hpo_client.trials() loop (break or an exception caught outside it) during "
                f"trial {self.id} before any report; use `with trial:` and end it with trial.finish(<{self.metric}>)")
        else:
            self._send_failure(
                f"the trial's code ended without trial.finish(<{self.metric}>), trial.fail(reason) or any "
                f"trial.report(step, <{self.metric}>); end it with trial.finish(<{self.metric}>)")

    def _send_failure(self, reason, echo=True):
        if echo:
            print(f"hpo_client: trial {self.id} failed: {reason}", file=sys.stderr)
        self._send_final({"hpo": {"error": truncate_reason(reason)}}, "failed")

    def _send_final(self, message, outcome):
        self._outcome = outcome
        self._channel.send(message)

    def _require_running(self, what):
        if self.finished:
            raise HPOClientError(
                f"trial.{what}: trial {self.id} has already ended ({self._outcome}); each trial sends one final "
                "result: report and finish before the end of its block")

    def _values(self, what, value, metrics):
        values = {}
        if value is not None:
            if self.metric in metrics:
                raise HPOClientError(f"trial.{what}: {self.metric} is given twice, as the value and as {self.metric}=")
            values[self.metric] = number(value, self.metric)
        for name, metric in metrics.items():
            values[name] = number(metric, name)
        if self.metric not in values:
            raise HPOClientError(
                f"trial.{what} needs the study's metric \"{self.metric}\": pass it first (trial.{what}"
                f"({'3, ' if what == 'report' else ''}0.93)) or by name ({self.metric}=...); got {sorted(values) or 'none'}")
        return values

    def _prune_file_reason(self):
        path = self.env.get("HPO_PRUNE_FILE")
        if not path or not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                return file.read().strip() or "stop requested"
        except OSError:
            return "stop requested"


def number(value, name):
    """`value` as a JSON number: bools and ints stay integers; anything `float()` accepts (numpy and torch
    scalars, one-element tensors) becomes a float, NaN and infinities included."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise HPOClientError(
            f"metric \"{name}\" must be a number, got {type(value).__name__} {str(value)[:100]!r}") from None
    return result


def exception_headline(error):
    return "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]


def exception_reason(error):
    """`ValueError: boom` then the traceback's tail, at most 4 KiB in all."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
    return exception_headline(error)[:1024] + "\n" + text


def truncate_reason(reason):
    """At most 4 KiB of UTF-8: the first line (what happened), then as much of the end as fits."""
    data = reason.encode("utf-8")
    if len(data) <= MAX_REASON_BYTES:
        return reason
    head, _, rest = reason.partition("\n")
    head = head.encode("utf-8")[:1024].decode("utf-8", "ignore")
    room = MAX_REASON_BYTES - len(head.encode("utf-8")) - len("\n…\n".encode("utf-8"))
    tail = rest.encode("utf-8")[-room:].decode("utf-8", "ignore")
    return f"{head}\n…\n{tail}"
