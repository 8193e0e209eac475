"""The child under bubblewrap: no network, its own PID namespace, a private /tmp, and almost nothing visible.

Visible inside: /usr (and the /bin, /lib links into it), the Python installation (the base interpreter and
the virtual environment, read-only), the question's work folder (read-only, at /job), a fresh /tmp, /proc
and a minimal /dev. Not visible: the repository (the reference solution, the hidden tests, the kit's own
packages), other submissions, the output folder. When the job blocks autodiff libraries, their folders in
site-packages are hidden under empty tmpfs mounts. Everything the child starts lives in the sandbox's PID
namespace and dies with it, also processes that detach with setsid.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


@dataclass
class BwrapLauncher(Launcher):
    name: str = "bwrap"
    blocked: tuple = ()

    def with_blocked(self, blocked_imports: list[str]) -> BwrapLauncher:
        return BwrapLauncher(self.limits, self.name, self.user, tuple(blocked_imports))

    def command(self, workdir: Path, runner: Path) -> list[str]:
        args = [shutil.which("bwrap") or "bwrap",
                "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--die-with-parent", "--new-session",
                "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for root in python_roots():
            args += ["--ro-bind", root, root]
        for folder in hidden_libraries(list(self.blocked)):
            args += ["--tmpfs", folder]
        args += ["--ro-bind", str(workdir), JOB, "--chdir", JOB]
        relative_runner = Path(JOB) / runner.relative_to(workdir)
        return args + [sys.executable, "-I", "-S", str(relative_runner), JOB, *site_dirs()]


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap can start a sandbox here (installed, and allowed to make namespaces)."""
    if not shutil.which("bwrap"):
        return False
    probe = [shutil.which("bwrap"), "--unshare-net", "--unshare-pid", "--die-with-parent",
             "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class SandboxUnavailable(RuntimeError):
    """--require-sandbox was given and bubblewrap cannot run here."""


def default_launcher(limits, require_sandbox: bool = False) -> Launcher:
    """bubblewrap when it works; otherwise a loud warning and the plain child (or refusal, if required)."""
    if sys.platform.startswith("linux") and bwrap_works():
        return BwrapLauncher(limits, user=child_user())
    message = ("bubblewrap (bwrap) is not available: student code will run in a plain child process with "
               "resource limits only, able to read the files of the user running the grader. "
               "Install bubblewrap (apt-get install bubblewrap) to sandbox it.")
    if require_sandbox:
        raise SandboxUnavailable(message)
    print(f"WARNING: {message}", file=sys.stderr)
    return plain_launcher(limits)
