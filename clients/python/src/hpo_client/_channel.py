"""The two ways a script talks to hpo: stdout lines (plain, one trial per process) and fds 3/4 (persistent/1)."""
import collections
import json
import os
import select
import sys

from ._errors import HPOClientError

#: The longest line either side may write (bytes, newline excluded), as in the protocol.
MAX_LINE_BYTES = 1 << 20


def encode(message):
    """One protocol line: compact JSON (NaN and Infinity as Python writes them), UTF-8, '\\n'-terminated.

    Raises:
        HPOClientError: the line is longer than 1 MiB (hpo would fail the trial and restart the process).
    """
    line = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(line) > MAX_LINE_BYTES:
        raise HPOClientError(
            f"this report is {len(line)} bytes as a JSON line; hpo reads lines of at most {MAX_LINE_BYTES} bytes: "
            "report fewer or shorter metrics")
    return line + b"\n"


def flush_standard_streams():
    """Flushes Python's stdout and stderr (also the originals when they were redirected), so what the script
    printed before a report reaches hpo before the report does."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stream: nothing of it can reach hpo anyway


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class PlainChannel:
    """Per-trial processes (today's protocol): reports are `{"hpo": ...}` lines on stdout (fd 1, written directly
    so a redirected `sys.stdout` cannot swallow them); there is no message from hpo but the prune file and SIGTERM."""

    persistent = False

    def send(self, message):
        flush_standard_streams()
        write_all(1, encode(message))

    def poll_stop(self, trial_id):
        return None


class PersistentChannel:
    """`HPO_PROTOCOL=persistent/1`: trial and stop messages arrive on `trials_fd` (3), reports go to `reports_fd` (4),
    one JSON object per line each way, so stray prints on stdout and stderr are never read as protocol."""

    persistent = True

    def __init__(self, trials_fd, reports_fd):
        self.trials_fd = trials_fd
        self.reports_fd = reports_fd
        self._buffer = bytearray()
        self._messages = collections.deque()
        self._closed = False

    def send(self, message):
        flush_standard_streams()
        write_all(self.reports_fd, encode(message))

    def next_trial(self):
        """Blocks until the next `{"trial": {...}}` and returns its body; None once hpo closed the channel (EOF).

        Stop messages still queued belong to trials that have ended, and are dropped.
        """
        while True:
            while self._messages:
                kind, body = self._messages.popleft()
                if kind == "trial":
                    return body
            if self._closed:
                return None
            self._read()

    def poll_stop(self, trial_id):
        """The reason of a `{"stop": {"id": trial_id, ...}}` that has arrived, or of EOF on the trial channel (hpo
        closed it: no more trials), without blocking; else None."""
        while not self._closed and select.select([self.trials_fd], [], [], 0)[0]:
            self._read()
        reason = None
        kept = collections.deque()
        for kind, body in self._messages:
            if kind == "stop":
                if body.get("id") == trial_id and reason is None:
                    reason = str(body.get("reason") or "stop requested")
                continue  # a stop for another trial is stale: that trial has ended
            kept.append((kind, body))
        self._messages = kept
        if reason is None and self._closed:
            reason = f"hpo closed the trial channel (fd {self.trials_fd}): the worker is shutting down"
        return reason

    def _read(self):
        chunk = os.read(self.trials_fd, 1 << 16)
        if not chunk:
            self._closed = True
            if self._buffer.strip():
                self._warn(f"the trial channel closed in the middle of a line ({len(self._buffer)} bytes); dropped it")
            self._buffer.clear()
            return
        self._buffer += chunk
        *lines, rest = self._buffer.split(b"\n")
        if len(rest) > MAX_LINE_BYTES:
            raise HPOClientError(
                f"a message from hpo on fd {self.trials_fd} is over {MAX_LINE_BYTES} bytes without a newline; "
                "is something else writing to this pipe?")
        self._buffer = bytearray(rest)
        for line in lines:
            if line.strip():
                self._accept(line)

    def _accept(self, line):
        try:
            message = json.loads(line)
        except ValueError as error:
            self._warn(f"ignored a line from hpo that is not JSON ({error}): {line[:200]!r}")
            return
        if not isinstance(message, dict) or len(message) != 1:
            self._warn(f"ignored a message from hpo that is not an object with one key: {line[:200]!r}")
            return
        (kind, body), = message.items()
        if kind not in ("trial", "stop") or not isinstance(body, dict):
            self._warn(f"ignored a message this hpo_client does not know (upgrade hpo_client?): {line[:200]!r}")
            return
        self._messages.append((kind, body))

    @staticmethod
    def _warn(text):
        print(f"hpo_client: {text}", file=sys.stderr, flush=True)
