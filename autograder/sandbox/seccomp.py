"""The system calls a child may not make: a seccomp filter in the spirit of Flatpak's, made with libseccomp.

The filter is compiled once, in the grader, to a BPF program. bubblewrap loads it from a file descriptor
(`--seccomp FD`) just before it runs the child; the direct child installs the same program itself, after
it has given up root and before it runs Python. What it refuses, and why:

- the kernel keyring (`keyctl`, `add_key`, `request_key`): keys outlive the process, and children of one
  grader share its session keyring, so they would be a channel between students;
- System V IPC and POSIX message queues (`shmget`, `msgget`, `semget`, `mq_open`): they outlive the process
  in the sandbox's IPC namespace, which a preloaded server's children share one after another;
- `ptrace` and reading or writing another process's memory, `perf_event_open`, `bpf`, `userfaultfd`,
  io_uring, `kcmp`: ways to watch or attack other processes and the kernel;
- mounting, `pivot_root`, `chroot`, `unshare`, `setns`, and `clone` or `clone3` that make namespaces:
  no new view of the file system or of the users;
- loading kernel modules, `kexec`, `reboot`, swap, the clock, `syslog`, `acct`, handles to files by
  number (`open_by_handle_at`), `TIOCSTI` (typing into a terminal), `personality` other than Linux's;
- sockets other than Unix ones: no network, also where the child has no network namespace of its own.

The call fails with an error (EPERM; ENOSYS for clone3 so that libc falls back to clone, whose flags the
filter can read; EAFNOSUPPORT for sockets), as Flatpak does, so the child gets an exception, not a crash.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import socket
import tempfile

REFUSED = (
    "keyctl", "add_key", "request_key", "shmget", "msgget", "semget", "mq_open",
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "perf_event_open", "bpf", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "move_mount", "open_tree", "fsopen",
    "fsmount", "fsconfig", "fspick", "mount_setattr",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
    "swapon", "swapoff", "syslog", "acct", "quotactl", "settimeofday", "clock_settime", "clock_adjtime",
    "adjtimex", "name_to_handle_at", "open_by_handle_at", "lookup_dcookie", "vhangup", "uselib",
    "ioperm", "iopl",
)  # fmt: skip

NAMESPACE_FLAGS = (0x10000000, 0x00020000, 0x20000000, 0x40000000, 0x04000000, 0x08000000,
                   0x02000000)  # CLONE_NEWUSER, NEWNS, NEWPID, NEWNET, NEWUTS, NEWIPC, NEWCGROUP
TERMINAL_IOCTLS = (0x5412, 0x541C)  # TIOCSTI, TIOCLINUX
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


def libseccomp():
    """libseccomp's Python bindings: PyPI's pyseccomp, or Debian's python3-seccomp; None if neither is there."""
    try:
        import pyseccomp as bindings
    except (ImportError, OSError):
        try:
            import seccomp as bindings
        except (ImportError, OSError):
            return None
    return bindings


def build_filter(s):
    """Every call allowed but those above, with libseccomp bindings s."""
    refuse = s.ERRNO(errno.EPERM)
    rules = s.SyscallFilter(defaction=s.ALLOW)
    for name in REFUSED:
        try:
            rules.add_rule(refuse, name)
        except (ValueError, RuntimeError, OSError):
            pass  # not a system call on this architecture
    rules.add_rule(s.ERRNO(errno.ENOSYS), "clone3")
    for flag in NAMESPACE_FLAGS:
        rules.add_rule(refuse, "clone", s.Arg(0, s.MASKED_EQ, flag, flag))
    for request in TERMINAL_IOCTLS:
        rules.add_rule(refuse, "ioctl", s.Arg(1, s.MASKED_EQ, 0xFFFFFFFF, request))
    rules.add_rule(s.ERRNO(errno.EAFNOSUPPORT), "socket", s.Arg(0, s.NE, socket.AF_UNIX))
    rules.add_rule(s.ERRNO(errno.EINVAL), "personality", s.Arg(0, s.NE, 0))  # PER_LINUX only, as Flatpak
    return rules


@functools.cache
def filter_program() -> bytes | None:
    """The filter as a BPF program (what bwrap --seccomp reads), or None where libseccomp is missing."""
    bindings = libseccomp()
    if bindings is None:
        return None
    with tempfile.TemporaryFile() as out:
        build_filter(bindings).export_bpf(out)
        out.seek(0)
        return out.read()


def program_fd(program: bytes) -> int:
    """A file descriptor from which bwrap reads the program (one per child: bwrap reads it to the end)."""
    fd = os.memfd_create("nnkit-seccomp", 0)
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(program: bytes) -> None:
    """Load the program into this process for good (in the direct child, before exec); raises OSError."""
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


KEYCTL = {"x86_64": 250, "aarch64": 219, "i686": 288, "armv7l": 311, "ppc64le": 271, "s390x": 280}
KEYCTL_JOIN_SESSION_KEYRING = 1


def join_fresh_session_keyring() -> None:
    """Give the calling process a new, empty session keyring (in the child, before the filter): where the filter
    cannot be had, a child at least does not inherit the grader's keyring, shared by every child it starts."""
    number = KEYCTL.get(platform.machine())
    if number is not None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall(number, KEYCTL_JOIN_SESSION_KEYRING, None)
