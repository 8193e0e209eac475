"""Children forked from a preloaded server: per submission, one sandbox for each set of blocked imports, not one
sandbox per question.

Starting Python and importing numpy costs about 0.8 s of CPU per child, and torch 3 s more: more than most
questions' cases. So, under bubblewrap, the grader starts one server (forkserver.py) per submission and set of
blocked imports, confined exactly as a child is (its own uid, control group, namespaces, seccomp filter). The
server imports the third-party libraries the reference and the probes import at their top, and nothing of
the student's or the reference's; then, per question, it forks a child that receives the question's work
folder over its stdin, with its job, and runs it as a child started afresh would (probes/runner.py).

What a question's child leaves behind is gone before the next one starts: the server kills every other process
of the sandbox and empties its writable folders before it says the child is done, and the grader sends the
next question's files only then. A server that does not answer, or cannot empty its folders, is killed
with its sandbox and the next question gets a fresh one; a server that cannot start gives way to a sandbox
per question, as before.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import select
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..contract import MODULES
from ..paths import PACKAGE, SOLUTIONS
from .bwrap import BwrapLauncher
from .launch import Launcher

SERVER = Path(__file__).with_name("forkserver.py")
PACKET = 1 << 16
START_S = 120.0  # to import torch on a busy machine
END_S = 10.0  # to kill a child's processes and empty the scratch folders


@functools.cache
def preloaded_libraries() -> tuple[str, ...]:
    """What the graded reference modules and the probes import at their top, outside the kit: the libraries
    every child would import. Read from the kit's own files, never from a student's."""
    names = set()
    sources = [SOLUTIONS / f"{module}.py" for module in MODULES] + sorted((PACKAGE / "probes").glob("*.py"))
    for path in sources:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module)
    return tuple(sorted(names))


class ServerGone(OSError):
    """The server stopped answering: its sandbox is killed, and the child it forked counts as killed."""


class ForkedChild:
    """A child forked by a server, with the parts of subprocess.Popen that the grader uses."""

    def __init__(self, server: Server, fds: Sequence[int]) -> None:
        self.server = server
        self.stdin = os.fdopen(fds[0], "wb")
        self.stdout = os.fdopen(fds[1], "rb")
        self.stderr = os.fdopen(fds[2], "rb")
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.server.wait_done(self, 0.0)
            except subprocess.TimeoutExpired:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.server.wait_done(self, timeout)
        return self.returncode


class Server:
    """One forkserver in its sandbox, and the socket the grader speaks to it on."""

    def __init__(self, launcher: BwrapLauncher, blocked_imports: Sequence[str]) -> None:
        self.launcher = launcher
        self.folder = Path(tempfile.mkdtemp(prefix="nnkit-server-"))
        shutil.copyfile(SERVER, self.folder / SERVER.name)
        self.folder.chmod(0o755)
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        confinement = launcher.confine(self.folder)
        confinement.pass_fds.append(theirs.detach())
        command = launcher.server_command(self.folder, SERVER.name, confinement, blocked_imports)
        self.process = launcher.spawn(command, self.folder, confinement, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        blocked = {name.split(".")[0] for name in blocked_imports}
        preload = [name for name in preloaded_libraries() if name.split(".")[0] not in blocked]
        self.send({"preload": preload})
        answer = self.receive(START_S)
        if not answer.get("ready"):
            self.close()
            raise ServerGone(f"the preloaded server did not start: {answer.get('error', answer)}")

    def send(self, message: dict) -> None:
        try:
            self.control.send(json.dumps(message).encode())
        except OSError as error:
            raise ServerGone(str(error)) from error

    def receive(self, timeout: float | None, fds: int = 0) -> dict:
        """The server's next message (with the file descriptors it passed); TimeoutError if none comes in time."""
        try:
            if not select.select([self.control], [], [], timeout)[0]:
                raise TimeoutError
            if fds:
                data, received, _, _ = socket.recv_fds(self.control, PACKET, fds)
            else:
                data, received = self.control.recv(PACKET), []
        except TimeoutError:
            raise
        except (OSError, ValueError) as error:
            raise ServerGone(str(error)) from error
        if not data:
            raise ServerGone("the server ended")
        message = json.loads(data)
        message["fds"] = received
        return message

    def fork(self) -> ForkedChild:
        self.send({"fork": True})
        answer = self.receive(START_S, fds=3)
        if not answer.get("forked") or len(answer["fds"]) != 3:
            raise ServerGone(f"the server did not fork: {answer}")
        return ForkedChild(self, answer["fds"])

    def wait_done(self, child: ForkedChild, timeout: float | None) -> None:
        """Take the server's word that child is over (its returncode), or raise TimeoutExpired."""
        try:
            answer = self.receive(timeout)
        except TimeoutError:
            raise subprocess.TimeoutExpired("forked child", timeout) from None
        except ServerGone:
            self.close()
            answer = {"done": -9, "clean": True}
        child.returncode = int(answer.get("done", -9))
        if not answer.get("clean"):
            self.close()

    def end(self, child: ForkedChild) -> None:
        """Kill child and whatever it started (or the whole sandbox, if the server does not do it in time)."""
        if child.returncode is None and self.alive:
            try:
                self.send({"kill": True})
                self.wait_done(child, END_S)
            except (ServerGone, subprocess.TimeoutExpired):
                self.close()
        if child.returncode is None:
            child.returncode = -9
        child.stdin.close()

    @property
    def alive(self) -> bool:
        return self.process is not None

    def close(self) -> None:
        """End the server and its sandbox."""
        if self.process is not None:
            self.control.close()
            self.launcher.kill(self.process)
            self.process = None
            shutil.rmtree(self.folder, ignore_errors=True)


class PreloadedChildren:
    """The children of one submission: forked by a server per set of blocked imports, started lazily."""

    def __init__(self, launcher: BwrapLauncher) -> None:
        self.launcher = launcher
        self.servers: dict[tuple[str, ...], Server] = {}
        self.unavailable: set[tuple[str, ...]] = set()

    def start(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = ()):
        key = tuple(sorted(blocked_imports))
        if key not in self.unavailable:
            server = self.servers.get(key)
            try:
                if server is None or not server.alive:
                    server = self.servers[key] = Server(self.launcher, key)
                return server.fork()
            except (ServerGone, TimeoutError):
                if server is not None:
                    server.close()
                self.unavailable.add(key)
        return self.launcher.start(workdir, runner, blocked_imports)

    def kill(self, process) -> None:
        if isinstance(process, ForkedChild):
            process.server.end(process)
        else:
            self.launcher.kill(process)

    def close(self) -> None:
        for server in self.servers.values():
            server.close()
        self.servers.clear()


class OwnProcesses:
    """The children of one submission, each started afresh by the launcher (the direct child's way)."""

    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher

    def start(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = ()):
        return self.launcher.start(workdir, runner, blocked_imports)

    def kill(self, process) -> None:
        self.launcher.kill(process)

    def close(self) -> None:
        pass


Children = PreloadedChildren | OwnProcesses


def children_of(launcher: Launcher) -> Children:
    """Preloaded children under bubblewrap (its PID namespace is what lets the server end a child's every
    process); a process per question otherwise."""
    return PreloadedChildren(launcher) if isinstance(launcher, BwrapLauncher) else OwnProcesses(launcher)
