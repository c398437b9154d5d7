"""Starts client processes for the matrix: forking the test worker (a node process of several hundred
megabytes) costs ~2.5 ms of CPU per process, this small launcher a fifth of that. Each client is
still a process of its own, started with exactly the environment the request names.

stdin: one JSON request per line, {"id", "argv", "env"}; each runs at once in its own thread.
stdout: one JSON line per finished process, {"id", "code", "stdout", "stderr"}, in finishing order.
"""
import json
import subprocess
import sys
import threading

TIMEOUT = 60
output = threading.Lock()


def start(request):
    try:
        done = subprocess.run(request["argv"], env=request["env"], input=b"", capture_output=True, timeout=TIMEOUT)
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
        if code < 0:
            code = 128 - code  # killed by a signal, as a shell reports it
    except subprocess.TimeoutExpired as error:
        code, stdout, stderr = 124, error.stdout or b"", (error.stderr or b"") + b"\nkilled after %d s" % TIMEOUT
    except OSError as error:
        code, stdout, stderr = 127, b"", str(error).encode()
    line = json.dumps({"id": request["id"], "code": code, "stdout": stdout.decode(errors="replace"), "stderr": stderr.decode(errors="replace")})
    with output:
        print(line, flush=True)


threads = []
for line in sys.stdin:
    threads.append(threading.Thread(target=start, args=(json.loads(line),)))
    threads[-1].start()
for thread in threads:
    thread.join()
