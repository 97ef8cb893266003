"""Plays hpo's side of both protocols for the tests: a per-trial run (plain), and a persistent worker that creates
the fd 3/4 pipes, starts the script in its own process group with the protocol's environment, sends trial and stop
messages and reads the reports."""
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BEHAVIOUR = os.path.join(HERE, "scripts", "behaviour.py")
#: A fail-safe for reads that should succeed (seconds): a broken helper fails the test instead of hanging it. Generous,
#: because on a busy machine `import torch` alone has taken over a minute.
PATIENCE = 300.0


def base_environment(extra=None):
    """The test process's environment without hpo's variables, plus `extra`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HPO_")}
    environment.update(extra or {})
    return environment


def trial_environment(trial_id, params, attempt, scratch):
    """The per-trial variables as the worker sets them (docs/objective-protocol.md)."""
    environment = {
        "HPO_PARAMS": json.dumps(params), "HPO_TRIAL_ID": str(trial_id), "HPO_ATTEMPT": str(attempt),
        "HPO_RESULT": os.path.join(scratch, f"result-{trial_id}"),
        "HPO_PRUNE_FILE": os.path.join(scratch, f"prune-{trial_id}"),
    }
    for name, value in params.items():
        text = json.dumps(value) if not isinstance(value, str) else value
        environment["HPO_PARAM_" + "".join(c if c.isalnum() else "_" for c in name.upper())] = text
    return environment


def decode(line):
    return json.loads(line)   # accepts NaN and Infinity, as hpo's JSON5 reader does


def is_final(message):
    body = message.get("hpo")
    return isinstance(body, dict) and "step" not in body


class PlainRun:
    """One per-trial process: `HPO_PARAMS` etc. in its environment, reports on stdout."""

    def __init__(self, params, trial_id=3, attempt=1, script=BEHAVIOUR, extra_env=None, python=sys.executable, args=()):
        self.scratch = tempfile.mkdtemp(prefix="hpo-client-test-")
        environment = base_environment(extra_env)
        environment.update(trial_environment(trial_id, params, attempt, self.scratch))
        self.prune_file = environment["HPO_PRUNE_FILE"]
        self.process = subprocess.Popen(
            [python, script, *args], env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True)
        self._pending = b""

    def next_line(self):
        """The next stdout line (text), read as soon as the script writes it."""
        deadline = time.monotonic() + PATIENCE
        while b"\n" not in self._pending:
            if not select.select([self.process.stdout], [], [], max(0, deadline - time.monotonic()))[0]:
                raise AssertionError(f"no line on stdout within {PATIENCE}s")
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"stdout ended; stderr: {self.process.stderr.read().decode()}")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode()

    def finish(self):
        """(exit status, stdout lines, stderr text) once the process has exited."""
        stdout, stderr = self.process.communicate(timeout=PATIENCE)
        shutil.rmtree(self.scratch, ignore_errors=True)
        text = (self._pending + stdout).decode()
        return self.process.returncode, text.splitlines(), stderr.decode()

    @staticmethod
    def reports(lines):
        return [decode(line) for line in lines if line.startswith('{"hpo"')]


def _high(fd):
    """`fd` moved to 10 or above (close-on-exec), so the child's dup2 onto 3 and 4 never lands on itself."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class PersistentWorker:
    """A persistent process as hpo's worker runs it: fd 3 trials in, fd 4 reports out, stdout/stderr to files."""

    def __init__(self, script=BEHAVIOUR, extra_env=None, metric="accuracy", python=sys.executable, args=()):
        self.scratch = tempfile.mkdtemp(prefix="hpo-client-test-")
        trials_read, self.trials_write = map(_high, os.pipe())
        self.reports_read, reports_write = map(_high, os.pipe())
        self.stdout_path = os.path.join(self.scratch, "stdout")
        self.stderr_path = os.path.join(self.scratch, "stderr")
        environment = base_environment(extra_env)
        environment.update({
            "HPO_PROTOCOL": "persistent/1", "HPO_TRIALS_FD": "3", "HPO_REPORTS_FD": "4", "HPO_METRIC": metric,
            "HPO_WORKER_INDEX": "0", "HPO_SLOT": "0"})
        self.pid = os.posix_spawn(python, [python, script, *args], environment, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, self.stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
            (os.POSIX_SPAWN_OPEN, 2, self.stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
            (os.POSIX_SPAWN_DUP2, trials_read, 3),
            (os.POSIX_SPAWN_DUP2, reports_write, 4),
        ], setpgroup=0)
        os.close(trials_read)
        os.close(reports_write)
        self._pending = b""
        self.status = None

    def send(self, message):
        os.write(self.trials_write, (json.dumps(message) + "\n").encode())

    def send_trial(self, trial_id, params, attempt=1):
        environment = trial_environment(trial_id, params, attempt, self.scratch)
        self.send({"trial": {"id": trial_id, "attempt": attempt, "params": params, "env": environment}})
        return environment

    def read(self):
        """The next message on fd 4, or None at EOF."""
        deadline = time.monotonic() + PATIENCE
        while b"\n" not in self._pending:
            if not select.select([self.reports_read], [], [], max(0, deadline - time.monotonic()))[0]:
                raise AssertionError(f"no message on fd 4 within {PATIENCE}s; stderr: {self.stderr()}")
            chunk = os.read(self.reports_read, 65536)
            if not chunk:
                return None
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return decode(line)

    def run_trial(self, trial_id, params, attempt=1):
        """Sends a trial and returns its messages up to and including the final one."""
        self.send_trial(trial_id, params, attempt)
        return self.read_until_final()

    def read_until_final(self):
        messages = []
        while True:
            message = self.read()
            if message is None:
                raise AssertionError(f"fd 4 closed before a final line; got {messages}; stderr: {self.stderr()}")
            messages.append(message)
            if is_final(message):
                return messages

    def close_trials(self):
        if self.trials_write is not None:
            os.close(self.trials_write)
            self.trials_write = None

    def wait(self):
        """The exit status (negative: killed by that signal) once the process has ended."""
        if self.status is None:
            pidfd = os.pidfd_open(self.pid)
            try:
                if not select.select([pidfd], [], [], PATIENCE)[0]:
                    raise AssertionError(f"the script did not exit within {PATIENCE}s; stderr: {self.stderr()}")
            finally:
                os.close(pidfd)
            self.status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.status

    def stdout(self):
        with open(self.stdout_path) as file:
            return file.read()

    def stderr(self):
        with open(self.stderr_path) as file:
            return file.read()

    def close(self):
        self.close_trials()
        if self.status is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait()
        os.close(self.reports_read)
        shutil.rmtree(self.scratch, ignore_errors=True)
