"""Hostile submissions against the sandbox, shared by the hostile tests and benchmarks/bench_hostile.py.

Each is the starter's module (which earns nothing) with an attack inserted after its imports, so that any
point it earns is a point it stole. Attack classes follow docs/sandbox.md's threat table.
"""

from __future__ import annotations

import ctypes
import platform
import shutil
import zipfile
from pathlib import Path

from autograder.paths import SOLUTIONS, STARTER

SYSCTL = Path("/proc/sys/kernel/core_uses_pid")  # a harmless setting that an escaped child would flip
RELAY_KEY = b"nnkit-relay"
# keyctl and add_key by number (no libkeyutils here): x86_64, aarch64.
SYSCALLS = {"x86_64": {"add_key": 248, "keyctl": 250}, "aarch64": {"add_key": 217, "keyctl": 219}}
KEYCTL_SEARCH, KEYCTL_READ, KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_UNLINK = 10, 11, 1, 9
SESSION, USER = -3, -4

KEYRING = f'''
import ctypes, platform
_calls = {SYSCALLS!r}[platform.machine()]
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

def _find(description):
    for ring in ({SESSION}, {USER}):
        key = _libc.syscall(_calls["keyctl"], {KEYCTL_SEARCH}, ring, b"user", description, 0)
        if key > 0:
            buffer = ctypes.create_string_buffer(1 << 16)
            size = _libc.syscall(_calls["keyctl"], {KEYCTL_READ}, key, buffer, len(buffer))
            if size > 0:
                return buffer.raw[:size]
    return None

def _store(description, payload):
    for ring in ({SESSION}, {USER}):
        _libc.syscall(_calls["add_key"], b"user", description, payload, len(payload), ring)
'''

ATTACKS = {
    # 1: write a kernel setting as host root (works where the child is host uid 0 and /proc/sys is writable)
    "sysctl_writer": ("engine", f'''
try:
    _old = open("{SYSCTL}").read().strip()
    with open("{SYSCTL}", "w") as _f:
        _f.write("1" if _old == "0" else "0")
except OSError:
    pass
'''),
    # 2: keep the stand-in engine (the reference's, beside an nn question) in the kernel keyring ...
    "relay_a_store": ("nn", KEYRING + '''
import os
try:
    _store(b"nnkit-relay", open(os.path.join(os.path.dirname(__file__), "engine.py"), "rb").read())
except OSError:
    pass
'''),
    # ... and run it in place of the engine stubs, in a later child
    "relay_b_use": ("engine", KEYRING + '''
_payload = _find(b"nnkit-relay")
if _payload:
    exec(compile(_payload, "relayed", "exec"), globals())
''', "end"),
    # 3: read the stand-ins of questions graded earlier in the scratch folder (a direct child, no bwrap)
    "scratch_reader": ("engine", '''
import glob, os, sys
for _path in glob.glob(os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "*", "submission", "*.py")):
    _text = open(_path).read()
    if "class Value" in _text and "def backward" in _text and "not written yet" not in _text:
        exec(compile(_text, "stolen", "exec"), globals())
        break
''', "end"),
    # 6: reports far larger than any case needs, held by the grader
    "huge_reports": ("engine", '''
import importlib, sys
for _name in ("engine_ops", "engine_expression", "engine_graph"):
    try:
        importlib.import_module("nnkit_probes." + _name)
    except ImportError:
        pass
for _name, _module in list(sys.modules.items()):
    if _name.startswith("nnkit_probes."):
        for _attr in dir(_module):
            _fn = getattr(_module, _attr)
            if getattr(_fn, "is_probe", False):
                def _huge(pkg, **inputs):
                    return {"grad": [0.5] * 2_500_000}  # a 12.5 MB line: within the old 16 MB line bound
                _huge.is_probe = True
                setattr(_module, _attr, _huge)
'''),
    # 6: forked children that together hold more memory than one child may
    "fork_memory": ("engine", '''
import os, time
for _ in range(3):
    if os.fork() == 0:
        try:
            _block = bytearray(600 * 1024 * 1024)
            for _i in range(0, len(_block), 4096):
                _block[_i] = 1
        except MemoryError:
            pass
        time.sleep(30)
        os._exit(0)
time.sleep(2)  # the three hold their memory at once while the question's child lives
'''),
}


def module_with(module: str, attack: str, where: str = "top") -> str:
    """The starter's module with attack inserted before its first definition, or at its end (to replace them)."""
    lines = (STARTER / f"{module}.py").read_text().splitlines(keepends=True)
    if where == "end":
        return "".join(lines) + "\n" + attack
    at = next(i for i, line in enumerate(lines) if line.startswith(("class ", "def ", "@")))
    return "".join(lines[:at]) + attack + "\n" + "".join(lines[at:])


def make(name: str, folder: Path) -> Path:
    """The submission `name` of ATTACKS as a package folder in folder."""
    module, attack, *where = ATTACKS[name]
    target = folder / name
    target.mkdir(parents=True)
    (target / f"{module}.py").write_text(module_with(module, attack, *where))
    if name == "scratch_reader":  # optim's questions, graded first, leave the reference engine in the scratch
        shutil.copyfile(STARTER / "optim.py", target / "optim.py")
    return target


def nested_source(folder: Path, terms: int = 1_000_000) -> Path:
    """A few kilobytes of .zip that unpack to an engine.py of one nested expression of `terms` terms."""
    target = folder / "nested_source.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("engine.py", "x = " + "(1+" * 180 + "1+" * terms + "1" + ")" * 180 + "\n")
    return target


def extra_files(folder: Path, count: int = 400, size: int = 100_000) -> Path:
    """An honest engine with many large extra files (which must not be copied into every work folder)."""
    target = folder / "extra_files"
    target.mkdir(parents=True)
    shutil.copyfile(SOLUTIONS / "engine.py", target / "engine.py")
    for i in range(count):
        (target / f"padding_{i}.py").write_text("#" * size + "\n")
    return target


def libc_syscall(name: str, *args) -> int:
    """A keyring system call from the test's own process (there is no keyctl command here)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc.syscall(SYSCALLS[platform.machine()][name], *args)


def relay_key_present() -> bool:
    """Whether a relay key is in this process's session or user keyring."""
    return any(libc_syscall("keyctl", KEYCTL_SEARCH, ring, b"user", RELAY_KEY, 0) > 0 for ring in (SESSION, USER))


def join_fresh_session_keyring() -> None:
    """A new session keyring for this process and what it starts (as a login session gives a grader)."""
    libc_syscall("keyctl", KEYCTL_JOIN_SESSION_KEYRING, None)


def forget_relay_key() -> None:
    """Unlink a relay key left in this process's keyrings (a user keyring outlives the processes of its uid)."""
    for ring in (SESSION, USER):
        key = libc_syscall("keyctl", KEYCTL_SEARCH, ring, b"user", RELAY_KEY, 0)
        if key > 0:
            libc_syscall("keyctl", KEYCTL_UNLINK, key, ring)
