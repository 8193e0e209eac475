"""The preloaded child's server, inside the sandbox: imports the libraries once, then forks a child per question.

Run by bubblewrap as `python -I -S forkserver.py CONTROL_FD SITE_DIR...`, as the sandbox's PID 1
(`--as-pid-1`). Standard library only; it never imports anything of the kit, the reference or a student.
It speaks with the grader over CONTROL_FD, a Unix seqpacket socket, one JSON message per packet:

- grader: {"preload": [module, ...]}; server: {"ready": true} once they are imported (or {"error": ...});
- grader: {"fork": true}; server: {"forked": true} with three file descriptors: the child's stdin (to write
  the job into), stdout (its report lines) and stderr (its log). The job never passes through the server,
  so no later child can find an earlier child's job (the reference's stand-ins) in the memory it inherits;
- when the child has exited, or the grader says {"kill": true}: every other process in the sandbox is
  killed and reaped, /tmp and /dev/shm are emptied, and the server says {"done": RETURNCODE, "clean": bool}.
  Only then does the grader send the next child's job, so nothing of one question's child outlives it.

Why a child cannot get at the server or at a later child: the server is PID 1 of the sandbox's PID
namespace, which the kernel protects from every signal it has no handler for (it installs none); it is not
dumpable, so its /proc files (memory, file descriptors) belong to root; the seccomp filter refuses ptrace,
the keyring and System V IPC; the child closes the control socket before it reads its job.
"""

import ctypes
import gc
import importlib
import json
import os
import pickle
import select
import signal
import socket
import stat
import sys

JOB_DIR = "/tmp/job"  # where a child writes its job's files (the package under test and its probes)
SCRATCH = ("/tmp", "/dev/shm")  # the sandbox's only writable places
PR_SET_DUMPABLE = 4
PACKET = 1 << 16


def send(control, message, fds=()):
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(control, [data], list(fds))
    else:
        control.send(data)


def receive(control):
    """The grader's next message, or None when it has closed the socket."""
    data = control.recv(PACKET)
    return json.loads(data) if data else None


def preload(names):
    """Import the libraries; torch's first use switched on (deterministic algorithms, one thread)."""
    for name in names:
        importlib.import_module(name)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)
        torch._C._set_deterministic_algorithms(True)  # the switch alone: use_deterministic_algorithms imports dynamo
    gc.collect()
    gc.freeze()  # what is loaded now is never garbage: the children's collections need not scan it


def write_files(root, files):
    for relative, data in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def child(control, ends):
    """In the forked child: standard streams from the grader, the job's files written, the job run."""
    control.close()
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # its own /proc files its own again, as in any process
    for target, fd in enumerate(ends):
        os.dup2(fd, target)
    for fd in ends:
        os.close(fd)
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")  # where memory runs out, the kernel kills this child, not the server
    except OSError:
        pass
    job = pickle.loads(sys.stdin.buffer.read())
    write_files(JOB_DIR, job.pop("files"))
    os.chdir(JOB_DIR)
    sys.path.insert(0, JOB_DIR)
    from nnkit_probes.runner import run

    run(JOB_DIR, job)  # ends the process


def end_every_process():
    """Kill every process of the sandbox but this one, and reap them (orphans are this PID 1's children)."""
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def empty(folder):
    """Remove everything in folder, whatever its modes, but the sandbox's own mounts and the folders that lead
    to them (bubblewrap binds the Python installation where it is, which may be under /tmp; nothing in the
    sandbox can mount); whether nothing else is left."""
    clean = True
    for entry in os.scandir(folder):
        path = entry.path
        if os.path.ismount(path):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                os.chmod(path, stat.S_IRWXU)
                if not empty(path):
                    clean = False
                elif not os.listdir(path):
                    os.rmdir(path)
            else:
                os.unlink(path)
        except OSError:
            clean = False
    return clean


def serve_one(control):
    """Fork a child for one question; when it is over, end what it left and report."""
    stdin, stdout, stderr = os.pipe(), os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:
        for fd in (stdin[1], stdout[0], stderr[0]):
            os.close(fd)
        try:
            child(control, (stdin[0], stdout[1], stderr[1]))
        finally:
            os._exit(70)
    for fd in (stdin[0], stdout[1], stderr[1]):
        os.close(fd)
    ends = (stdin[1], stdout[0], stderr[0])
    send(control, {"forked": True}, ends)
    for fd in ends:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    returncode = None
    while returncode is None:
        ready, _, _ = select.select([control, pidfd], [], [])
        if pidfd in ready:
            returncode = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        elif receive(control) is None:
            return False
        else:  # {"kill": true}
            os.kill(pid, signal.SIGKILL)
    os.close(pidfd)
    end_every_process()
    clean = all([empty(folder) for folder in SCRATCH if os.path.isdir(folder)])
    send(control, {"done": returncode, "clean": clean})
    return True


def main():
    control = socket.socket(fileno=int(sys.argv[1]))
    sys.path[:0] = sys.argv[2:]
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # PID 1 with no handler: no signal from a child reaches it
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    request = receive(control)
    try:
        preload(request["preload"])
    except Exception as error:  # noqa: BLE001 - said to the grader, which falls back to a child per question
        send(control, {"error": f"{type(error).__name__}: {error}"})
        return
    send(control, {"ready": True})
    while (message := receive(control)) is not None:
        if message.get("fork") and not serve_one(control):
            return


if __name__ == "__main__":
    main()
