"""The child under bubblewrap: no network, its own PID namespace, a private /tmp, and almost nothing visible.

Visible inside: /usr (and the /bin, /lib links into it), the Python installation (the base interpreter and
the virtual environment, read-only), the question's work folder (read-only, at /job), a small fresh /tmp
and /dev/shm, /proc (with /proc/sys read-only) and a minimal read-only /dev; the root itself is read-only.
Not visible: the repository (the reference solution, the hidden tests), other submissions, the output
folder. The kit's own packages, where they are installed into site-packages (`pip install .`, as the
Gradescope bundle does), and, when the job blocks autodiff libraries, those libraries' folders are replaced
by a folder whose __init__.py refuses to import.

bubblewrap runs as the child's own unprivileged uid (launch.py's confinement; as the grader's uid when the
grader is not root), so the user namespace it makes maps the child, uid/gid 65534 inside, to that uid on
the host, never to root; the child may not make further user namespaces, has no capabilities, and runs
under the seccomp filter, which bubblewrap loads. Everything the child starts lives in the sandbox's PID
namespace and dies with it, also processes that detach with setsid.
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
from . import seccomp
from .launch import KIT_PACKAGES, Confinement, Launcher, child_env, direct_launcher, python_roots, site_dirs

JOB = "/job"


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
            "--proc", "/proc", *read_only_proc(), "--dev", "/dev", *sized_tmpfs("/dev/shm"), "--remount-ro", "/dev",
            *sized_tmpfs("/tmp"), *user_options()]


def read_only_proc() -> list[str]:
    """/proc/sys and the other writable corners of /proc, read-only. bubblewrap covers them itself only when
    the folder is writable, and /proc/sys (mode 0555) is not, though its files are."""
    return [arg for corner in ("sys", "sysrq-trigger", "irq", "bus") if os.path.exists(f"/proc/{corner}")
            for arg in ("--ro-bind", f"/proc/{corner}", f"/proc/{corner}")]


def user_options() -> list[str]:
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
    """The direct launcher's limits and session, with the command wrapped in bubblewrap."""

    name: str = "bwrap"

    def needed(self, workdir: Path) -> list[Path]:
        return [*super().needed(workdir), refusing_package()]

    def confine(self, workdir: Path) -> Confinement:
        confinement = Confinement.make(self.limits, self.needed(workdir), sandboxed=True)
        program = seccomp.filter_program()
        if program:
            confinement.pass_fds.append(seccomp.program_fd(program))
        return confinement

    def sandbox(self, workdir: Path, blocked_imports: Sequence[str], confinement: Confinement | None) -> list[str]:
        """bubblewrap and its options, up to the command it runs, with workdir (read-only) at /job."""
        args = [shutil.which("bwrap") or "bwrap", *base_options()]
        if confinement and confinement.pass_fds:
            args += ["--seccomp", str(confinement.pass_fds[0])]
        args += python_mounts()
        for folder in hidden_libraries(list(blocked_imports)):
            args += ["--ro-bind", str(refusing_package()), folder]
        return args + ["--ro-bind", str(workdir), JOB, "--remount-ro", "/", "--chdir", JOB]

    def command(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = (),
                confinement: Confinement | None = None) -> list[str]:
        relative_runner = Path(JOB) / runner.relative_to(workdir)
        return [*self.sandbox(workdir, blocked_imports, confinement),
                os.path.abspath(sys.executable), "-I", "-S", str(relative_runner), JOB, *site_dirs()]

    def server_command(self, folder: Path, server: str, confinement: Confinement,
                       blocked_imports: Sequence[str]) -> list[str]:
        """The preloaded server (forkserver.py, in folder) as the sandbox's PID 1, speaking on the descriptor
        passed last."""
        return [*self.sandbox(folder, blocked_imports, confinement), "--as-pid-1",
                os.path.abspath(sys.executable), "-I", "-S", f"{JOB}/{server}", str(confinement.pass_fds[-1]),
                *site_dirs()]


def starts_a_child() -> bool:
    """Whether bwrap with the sandbox's options starts this Python, confined as a child would be."""
    launcher = BwrapLauncher(Limits())
    folder = Path(tempfile.mkdtemp(prefix="nnkit-bwrap-check-"))
    try:
        confinement = launcher.confine(folder)
        command = [shutil.which("bwrap") or "bwrap", *base_options(), *python_mounts(), "--remount-ro", "/",
                   os.path.abspath(sys.executable), "-I", "-S", "-c", "pass"]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=child_env(), pass_fds=confinement.pass_fds,
                                   preexec_fn=confinement.enter)
        process.confinement = confinement
        try:
            process.wait(timeout=60)
        finally:
            launcher.kill(process)
        return process.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap can start a sandbox here (Linux, installed, allowed to make user namespaces, the
    Python installation reachable by the child's uid); asked once."""
    return sys.platform.startswith("linux") and shutil.which("bwrap") is not None and starts_a_child()


class SandboxUnavailable(RuntimeError):
    """--require-sandbox was given and bubblewrap cannot run here."""


UNAVAILABLE = ("bubblewrap (bwrap) is not available here: student code will run in a direct child process with "
               "resource limits only, able to read every file of the user running the grader (the reference "
               "solution included) and to leave processes behind. Install bubblewrap (apt-get install "
               "bubblewrap), or pass --require-sandbox to refuse to grade without it.")
NO_FILTER = ("libseccomp is not available here (pip install pyseccomp; apt-get install libseccomp2): the child "
             "may use the kernel keyring, ptrace and sockets, ways to pass data between students. Pass "
             "--require-sandbox to refuse to grade without the filter.")


@functools.cache
def warn(message: str) -> None:
    """Say it on stderr, loudly, once per process."""
    bar = "!" * 100
    print(f"{bar}\nWARNING: {message}\n{bar}", file=sys.stderr, flush=True)


def default_launcher(limits: Limits, require_sandbox: bool = False) -> Launcher:
    """bubblewrap with the seccomp filter when both work; otherwise a loud warning and what there is (or
    refusal, if required)."""
    missing = [m for m, ok in ((UNAVAILABLE, bwrap_works()), (NO_FILTER, seccomp.filter_program())) if not ok]
    if missing and require_sandbox:
        raise SandboxUnavailable(" ".join(missing))
    for message in missing:
        warn(message)
    return BwrapLauncher(limits) if bwrap_works() else direct_launcher(limits)


LAUNCHERS = ("auto", "bwrap", "direct")


def launcher_for(name: str, limits: Limits) -> Launcher:
    """The launcher a name picks: "auto" (bwrap if it works, else the direct child with a warning), "bwrap"
    (required), "direct"."""
    if name == "auto":
        return default_launcher(limits)
    if name == "bwrap":
        return default_launcher(limits, require_sandbox=True)
    if name == "direct":
        return direct_launcher(limits)
    raise ValueError(f"unknown launcher {name!r}; one of {', '.join(LAUNCHERS)}")
