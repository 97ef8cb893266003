#!/usr/bin/env python3
"""A persistent-process fixture (docs/objective-protocol.md, *Persistent processes*), stdlib only: reads trial and
stop messages on descriptor 3, writes raw protocol lines on descriptor 4. The mode (argv[1]) picks a behaviour;
argv[2] is the trial id it applies to, where one is needed. Every final report carries the process's pid."""
import json
import os
import select
import signal
import sys
import time

mode = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else -1

if mode == "always-crash":
    print("cannot start: missing checkpoint", file=sys.stderr, flush=True)
    sys.exit(1)

pending = b""


def read_message(timeout=None):
    """The next line on descriptor 3 as an object; None at end of file or when `timeout` (s) passes."""
    global pending
    while b"\n" not in pending:
        if timeout is not None and not select.select([3], [], [], timeout)[0]:
            return "timeout"
        chunk = os.read(3, 65536)
        if not chunk:
            return None
        pending += chunk
    line, pending = pending.split(b"\n", 1)
    return json.loads(line)


def send(message):
    os.write(4, (json.dumps(message) + "\n").encode())


while True:
    message = read_message()
    if message is None:
        print("end of trials", file=sys.stderr, flush=True)
        if mode == "ignore-eof":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(3600)
        sys.exit(0)
    if "stop" in message:
        continue
    trial = message["trial"]
    tid, env, params = trial["id"], trial["env"], trial["params"]
    send({"started": {"id": tid}})
    if mode != "trivial":
        print(f"stdout of trial {tid}", flush=True)
        print(f"stderr of trial {tid}", file=sys.stderr, flush=True)
    if mode == "crash" and tid == target:
        sys.exit(3)
    if mode == "hang" and tid == target:
        time.sleep(3600)
    if mode == "ignore-stop":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        send({"hpo": {"step": 1, "accuracy": 0.1}})
        time.sleep(3600)
    if mode == "cooperative" and tid == target:
        send({"hpo": {"step": 1, "accuracy": 0.1}})
        while True:
            stop = read_message(timeout=0.05)
            if stop is None:
                sys.exit(0)
            if stop != "timeout" and "stop" in stop:
                print(f"stop seen: {stop['stop']['reason']}; file: {os.path.exists(env['HPO_PRUNE_FILE'])}", flush=True)
                send({"hpo": {"accuracy": 0.0}})
                break
        continue
    if mode == "stray":
        print('{"hpo": {"accuracy": 123}}', flush=True)
        print('{"hpo": {"step": 9, "accuracy": 124}}', file=sys.stderr, flush=True)
    if mode == "error":
        send({"hpo": {"error": "ValueError: bad lr"}})
        continue
    if mode == "overlong" and tid == target:
        os.write(4, b'{"hpo": {"note": "' + b"a" * (2 << 20) + b'"}}\n')
        continue
    if mode != "trivial":
        send({"hpo": {"step": 1, "accuracy": 0.5}})
    ok = (os.environ.get("HPO_PROTOCOL") == "persistent/1" and "HPO_PARAMS" not in os.environ
          and env["HPO_TRIAL_ID"] == str(tid) and json.loads(env["HPO_PARAMS"]) == params
          and os.environ.get("HPO_TRIALS_FD") == "3" and os.environ.get("HPO_REPORTS_FD") == "4")
    send({"hpo": {"accuracy": params.get("x", 0.5), "pid": os.getpid(), "trial": tid,
                  "slot": int(os.environ["HPO_SLOT"]), "protocol_ok": 1 if ok else 0,
                  "device": int(os.environ.get("CUDA_VISIBLE_DEVICES") or -1)}})
