"""The child under bubblewrap: no network, its own PID namespace, a private /tmp, and almost nothing visible.

Visible inside: /usr (and the /bin, /lib links into it), the Python installation (the base interpreter and
the virtual environment, read-only), the question's work folder (read-only, at /job), a fresh /tmp, /proc
and a minimal /dev; the root itself is read-only. Not visible: the repository (the reference solution,
the hidden tests, the kit's own packages), other submissions, the output folder. When the job blocks
autodiff libraries, their folders in site-packages are replaced by a folder whose __init__.py refuses to
import. Where user namespaces are allowed, the child is uid/gid 65534 (nobody) inside. Everything the
child starts lives in the sandbox's PID namespace and dies with it, also processes that detach with setsid.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits
from .launch import Launcher, child_user, plain_launcher, site_dirs

JOB = "/job"


def python_roots() -> list[str]:
    """The folders the interpreter needs: the venv and the installation it was made from."""
    roots = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent.parent)}
    return sorted(r for r in roots if r and not r.startswith("/usr"))


def hidden_libraries(names: list[str]) -> list[str]:
    """Folders in site-packages that belong to the libraries named (e.g. torch, functorch, torchvision)."""
    found = []
    for site in site_dirs():
        for entry in Path(site).iterdir():
            if entry.is_dir() and any(entry.name == n or entry.name.startswith(n) for n in names):
                found.append(str(entry))
    return sorted(found)


BASE = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
NOBODY = ["--unshare-user", "--uid", "65534", "--gid", "65534"]


@functools.cache
def refusing_package() -> Path:
    """A folder whose __init__.py refuses to import: mounted over each blocked library's folder.

    (An empty folder would not do: Python imports it as a namespace package.) One per process, removed at exit.
    """
    folder = Path(tempfile.mkdtemp(prefix="nnkit-blocked-"))
    (folder / "__init__.py").write_text('raise ImportError(f"import of {__name__} is not allowed here")\n')
    folder.chmod(0o755)
    (folder / "__init__.py").chmod(0o644)
    atexit.register(shutil.rmtree, folder, True)
    return folder


@dataclass
class BwrapLauncher(Launcher):
    """The plain launcher's limits and session, with the command wrapped in bubblewrap."""

    name: str = "bwrap"

    def command(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = ()) -> list[str]:
        args = [shutil.which("bwrap") or "bwrap", *BASE]
        if user_namespace_works():
            args += NOBODY
        for root in python_roots():
            args += ["--ro-bind", root, root]
        for folder in hidden_libraries(list(blocked_imports)):
            args += ["--ro-bind", str(refusing_package()), folder]
        args += ["--ro-bind", str(workdir), JOB, "--remount-ro", "/", "--chdir", JOB]
        relative_runner = Path(JOB) / runner.relative_to(workdir)
        return args + [sys.executable, "-I", "-S", str(relative_runner), JOB, *site_dirs()]


def probe(extra: list[str]) -> bool:
    """Whether bwrap with BASE and extra options runs `true`."""
    command = [shutil.which("bwrap") or "bwrap", *BASE, *extra, "--remount-ro", "/", "true"]
    try:
        return subprocess.run(command, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap can start a sandbox here (Linux, installed, allowed to make namespaces); asked once."""
    return sys.platform.startswith("linux") and shutil.which("bwrap") is not None and probe([])


@functools.cache
def user_namespace_works() -> bool:
    """Whether the child can also be uid/gid 65534 (nobody) in a user namespace of its own; asked once."""
    return bwrap_works() and probe(NOBODY)


class SandboxUnavailable(RuntimeError):
    """--require-sandbox was given and bubblewrap cannot run here."""


UNAVAILABLE = ("bubblewrap (bwrap) is not available here: student code will run in a plain child process with "
               "resource limits only, able to read every file of the user running the grader (the reference "
               "solution included) and to leave processes behind. Install bubblewrap (apt-get install "
               "bubblewrap), or pass --require-sandbox to refuse to grade without it.")


@functools.cache
def warn_unsandboxed() -> None:
    """Say it on stderr, loudly, once per process."""
    bar = "!" * 100
    print(f"{bar}\nWARNING: {UNAVAILABLE}\n{bar}", file=sys.stderr, flush=True)


def default_launcher(limits: Limits, require_sandbox: bool = False) -> Launcher:
    """bubblewrap when it works; otherwise a loud warning and the plain child (or refusal, if required)."""
    if bwrap_works():
        return BwrapLauncher(limits, user=child_user())
    if require_sandbox:
        raise SandboxUnavailable(UNAVAILABLE)
    warn_unsandboxed()
    return plain_launcher(limits)


LAUNCHERS = ("auto", "bwrap", "plain")


def launcher_for(name: str, limits: Limits) -> Launcher:
    """The launcher a name picks: "auto" (bwrap if it works, else plain with a warning), "bwrap" (required), "plain"."""
    if name == "auto":
        return default_launcher(limits)
    if name == "bwrap":
        return default_launcher(limits, require_sandbox=True)
    if name == "plain":
        return plain_launcher(limits)
    raise ValueError(f"unknown launcher {name!r}; one of {', '.join(LAUNCHERS)}")
