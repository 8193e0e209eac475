"""The child under bubblewrap: no network, its own PID namespace, a private /tmp, and almost nothing visible.

Visible inside: /usr (and the /bin, /lib links into it), the Python installation (the base interpreter and
the virtual environment, read-only), the question's work folder (read-only, at /job), a small fresh /tmp
and /dev/shm, /proc and a minimal read-only /dev; the root itself is read-only. Not visible: the
repository (the reference solution, the hidden tests), other submissions, the output folder. The kit's own
packages, where they are installed into site-packages (`pip install .`, as the Gradescope bundle does),
and, when the job blocks autodiff libraries, those libraries' folders are replaced by a folder whose
__init__.py refuses to import. The child has no capabilities (bwrap started by root would otherwise keep
them all); where user namespaces are allowed it is uid/gid 65534 (nobody) inside and may not make further
user namespaces. Everything the child starts lives in the sandbox's PID namespace and dies with it, also
processes that detach with setsid.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits
from .launch import Launcher, child_user, plain_launcher, prepare_child, site_dirs

JOB = "/job"
KIT_PACKAGES = ("autograder", "solutions")  # never importable inside, even when installed into site-packages


def python_roots() -> list[str]:
    """The folders the interpreter needs: the venv and the installation it was made from."""
    roots = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent.parent)}
    return sorted(r for r in roots if r and not r.startswith("/usr"))


def hidden_libraries(names: list[str]) -> list[str]:
    """Folders in site-packages to hide: those of the libraries named (e.g. torch, torchvision, torch-2.4.dist-info
    for 'torch'), and the kit's own packages where they are installed there."""
    found = []
    for site in site_dirs():
        try:
            entries = list(Path(site).iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and (entry.name in KIT_PACKAGES or any(entry.name.startswith(n) for n in names)):
                found.append(str(entry))
    return sorted(found)


@functools.cache
def bwrap_options() -> frozenset[str]:
    """The newer bubblewrap options this bwrap knows (--size and --disable-userns came with 0.8)."""
    try:
        text = subprocess.run([shutil.which("bwrap") or "bwrap", "--help"], capture_output=True, text=True,
                              timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(option for option in ("--size", "--disable-userns") if option in text)


SCRATCH_BYTES = 64 * 1024 * 1024  # /tmp and /dev/shm each: tmpfs is memory that RLIMIT_AS does not count


def sized_tmpfs(path: str, size: int | None = None) -> list[str]:
    """A fresh tmpfs at path, of at most size bytes (SCRATCH_BYTES) where this bwrap can say so."""
    size = SCRATCH_BYTES if size is None else size
    return (["--size", str(size)] if "--size" in bwrap_options() else []) + ["--tmpfs", path]


def base_options() -> list[str]:
    """Namespaces, no capabilities, and the file system every child sees (before Python and its work folder)."""
    return ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc", "--dev", "/dev", *sized_tmpfs("/dev/shm"), "--remount-ro", "/dev",
            *sized_tmpfs("/tmp")]


def nobody_options() -> list[str]:
    """uid/gid 65534 in a user namespace of the child's own, which may not make more of them."""
    extra = ["--disable-userns"] if "--disable-userns" in bwrap_options() else []
    return ["--unshare-user", "--uid", "65534", "--gid", "65534", *extra]


def python_mounts() -> list[str]:
    args = []
    for root in python_roots():
        args += ["--ro-bind", root, root]
    return args


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
        args = [shutil.which("bwrap") or "bwrap", *base_options()]
        if user_namespace_works():
            args += nobody_options()
        args += python_mounts()
        for folder in hidden_libraries(list(blocked_imports)):
            args += ["--ro-bind", str(refusing_package()), folder]
        args += ["--ro-bind", str(workdir), JOB, "--remount-ro", "/", "--chdir", JOB]
        relative_runner = Path(JOB) / runner.relative_to(workdir)
        return args + [os.path.abspath(sys.executable), "-I", "-S", str(relative_runner), JOB, *site_dirs()]


def probe(extra: list[str]) -> bool:
    """Whether bwrap with the base options and extra ones starts this Python (as the child's user, if any)."""
    command = [shutil.which("bwrap") or "bwrap", *base_options(), *extra, *python_mounts(), "--remount-ro", "/",
               os.path.abspath(sys.executable), "-I", "-S", "-c", "pass"]
    user, limits = child_user(), Limits()
    try:
        return subprocess.run(command, capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
                              preexec_fn=lambda: prepare_child(limits, user)).returncode == 0
    except (OSError, subprocess.SubprocessError):  # also a child user that does not exist
        return False


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap can start a sandbox here (Linux, installed, allowed to make namespaces, the Python
    installation reachable by the child's user); asked once."""
    return sys.platform.startswith("linux") and shutil.which("bwrap") is not None and probe([])


@functools.cache
def user_namespace_works() -> bool:
    """Whether the child can also be uid/gid 65534 (nobody) in a user namespace of its own; asked once."""
    return bwrap_works() and probe(nobody_options())


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
