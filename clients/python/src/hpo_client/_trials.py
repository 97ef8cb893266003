"""`trials()`: the loop that yields one trial (plain mode) or every trial hpo sends this process (persistent/1)."""
import atexit
import json
import os
import signal
import sys
import threading
import time

from ._channel import PersistentChannel, PlainChannel
from ._errors import HPOClientError
from ._trial import Trial, exception_reason

PROTOCOL = "persistent/1"
#: The per-trial variables: in the process environment in plain mode, in each trial message in persistent mode.
TRIAL_VARIABLES = ("HPO_PARAMS", "HPO_TRIAL_ID", "HPO_ATTEMPT", "HPO_RESULT", "HPO_PRUNE_FILE")


def trials():
    """The trials this process runs, in order: `for trial in hpo_client.trials(): with trial: ...`.

    Plain mode (no `HPO_PROTOCOL`; hpo starts the script once per trial): one trial, from `HPO_PARAMS`,
    `HPO_TRIAL_ID` and `HPO_ATTEMPT`; reports go to stdout. Persistent mode (`HPO_PROTOCOL=persistent/1`, the
    study's `persistent: true`): each trial hpo sends on fd 3, until hpo closes it; reports go to fd 4.

    Raises:
        HPOClientError: not started by hpo (no `HPO_PARAMS`, no `HPO_PROTOCOL`), an unknown protocol, or a
            malformed variable.
    """
    _install_hooks()
    metric = os.environ.get("HPO_METRIC") or "accuracy"
    timing = os.environ.get("HPO_CLIENT_TIMING", "") not in ("", "0")
    protocol = os.environ.get("HPO_PROTOCOL")
    if protocol is None:
        return _plain_trials(metric, timing)
    if protocol != PROTOCOL:
        raise HPOClientError(
            f"HPO_PROTOCOL={protocol!r}, but this hpo_client speaks {PROTOCOL!r} only; "
            "install the hpo_client that comes with this hpo (pip install <hpo>/clients/python)")
    channel = PersistentChannel(
        _descriptor("HPO_TRIALS_FD", 3), _descriptor("HPO_REPORTS_FD", 4))
    return _persistent_trials(channel, metric, timing)


def _plain_trials(metric, timing):
    environment = os.environ
    if "HPO_PARAMS" not in environment:
        raise HPOClientError(
            "hpo_client.trials(): HPO_PARAMS is not set, so this script was not started by hpo. Run it as a study's "
            "command objective (objective: {kind: command, argv: [python3, script.py]}, docs/python-client.md), "
            "or by hand with the parameters as JSON: HPO_PARAMS='{\"lr\": 0.01}' python3 script.py")
    params = _json_object("HPO_PARAMS", environment["HPO_PARAMS"])
    trial_env = {name: value for name, value in environment.items() if _is_trial_variable(name)}
    termination = _Termination()
    termination.install()
    trial = Trial(
        PlainChannel(), _integer("HPO_TRIAL_ID", environment.get("HPO_TRIAL_ID", "0")),
        _integer("HPO_ATTEMPT", environment.get("HPO_ATTEMPT", "1")), params, trial_env, metric,
        termination=termination, timing=timing, startup=_process_age_seconds() if timing else None)
    return _serve([trial], lambda trial: None)


def _persistent_trials(channel, metric, timing):
    def arrivals():
        while True:
            body = channel.next_trial()
            if body is None:
                return
            try:
                trial_env = {str(k): str(v) for k, v in dict(body.get("env") or {}).items()}
                params = body.get("params")
                if not isinstance(params, dict):
                    params = _json_object("the trial's env HPO_PARAMS", trial_env.get("HPO_PARAMS", "{}"))
                trial = Trial(
                    channel, int(body["id"]), int(body.get("attempt", 1)), params, trial_env, metric, timing=timing)
            except (KeyError, TypeError, ValueError, HPOClientError) as error:
                # The worker holds a trial in flight: end it, failed, with what was wrong, and wait for the next.
                text = f"hpo_client could not read the trial message ({type(error).__name__}: {error}): {body!r}"[:4000]
                print(f"hpo_client: {text}", file=sys.stderr)
                channel.send({"hpo": {"error": text}})
                continue
            yield trial

    return _serve(arrivals(), lambda trial: channel.send({"started": {"id": trial.id}}))


def _serve(arrivals, announce):
    for trial in arrivals:
        saved = {name: os.environ.get(name) for name in trial.env}
        os.environ.update(trial.env)
        _state.in_flight = trial
        try:
            trial._begun = time.monotonic()
            announce(trial)
            # A `break` or an exception in the loop body closes this generator here (GeneratorExit), without
            # saying which: the trial stays in flight, and the excepthook (exception) or atexit (break) ends it.
            yield trial
            trial._end()
            _state.in_flight = None
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


class _State:
    in_flight = None
    hooks = False


_state = _State()


def _install_hooks():
    """Ends a trial whose loop body was left by an exception outside `with trial:` (failed, with the traceback)
    or by `break` (as if its body had ended), before the process exits."""
    if _state.hooks:
        return
    _state.hooks = True
    previous = sys.excepthook

    def excepthook(kind, error, trace):
        trial = _state.in_flight
        if trial is not None and not trial.finished and isinstance(error, BaseException):
            previous(kind, error, trace)
            try:
                trial._send_failure(exception_reason(error), echo=False)
            except OSError:
                pass
            return
        previous(kind, error, trace)

    def at_exit():
        trial = _state.in_flight
        if trial is not None and not trial.finished:
            try:
                trial._end(left_loop=True)
            except OSError:
                pass

    sys.excepthook = excepthook
    atexit.register(at_exit)


class _Termination:
    """Plain mode's SIGTERM: a flag for `should_stop()` once the script has polled it; before that (a script that
    never asks) SIGTERM ends the process at once, as it would without hpo_client. A handler of the script's own
    is left alone."""

    def __init__(self):
        self.received = False
        self.polled = False

    def install(self):
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, number, frame):
        if not self.polled:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        self.received = True


def _is_trial_variable(name):
    return name in TRIAL_VARIABLES or name.startswith("HPO_PARAM_")


def _descriptor(name, default):
    return _integer(name, os.environ.get(name, str(default)))


def _integer(name, text):
    try:
        return int(text)
    except ValueError:
        raise HPOClientError(f"{name}={text!r} is not an integer; it is set by hpo, do not override it") from None


def _json_object(name, text):
    try:
        value = json.loads(text)
    except ValueError as error:
        raise HPOClientError(f"{name} is not valid JSON ({error}): {text[:200]!r}") from None
    if not isinstance(value, dict):
        raise HPOClientError(f"{name} must be a JSON object like {{\"lr\": 0.01}}, got {text[:200]!r}")
    return value


def _process_age_seconds():
    """Seconds since this process started (Linux: /proc/self/stat's start time, 10 ms resolution); None elsewhere."""
    try:
        with open("/proc/self/stat", encoding="ascii") as file:
            fields = file.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return None
