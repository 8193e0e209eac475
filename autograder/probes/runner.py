"""The child process: import the package under test, run the probes of one question, report plain results.

Run as `python -I -S runner.py WORKDIR SITE_DIR...` (isolated, no site: the kit's own editable install is
not importable), or called (`run`) by a child that the preloaded server forked (sandbox/forkserver.py). The
job arrives on stdin, pickled by the trusted grader; each case's result leaves on the
original stdout as one line `NONCE JSON`. Whatever the student's code prints goes to stderr, which the
grader keeps for TAs. This process is untrusted: the grader treats every line as a claim to check, never as
a score.
"""

import gc
import importlib
import json
import os
import pickle
import sys
import traceback

IMPORTED = -1  # the index of the line that says the package is imported, before any case
FRAMES = 8  # the innermost frames in the package's files that a report names


def block_imports(names):
    """Make importing any of names (an autodiff library) fail inside this process."""

    class Blocker:
        def find_spec(self, fullname, path=None, target=None):
            if fullname.split(".")[0] in names:
                raise ImportError(f"import of {fullname} is not allowed here")
            return None

    sys.meta_path.insert(0, Blocker())


def where(error, package_dir):
    """'file.py, line N: source' of the innermost frame in the student's files, if any."""
    if isinstance(error, SyntaxError) and error.filename and error.filename.startswith(package_dir):
        text = (error.text or "").strip()
        return f"{os.path.basename(error.filename)}, line {error.lineno}: {text}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(package_dir)]
    if not frames:
        return ""
    f = frames[-1]
    return f"{os.path.basename(f.filename)}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}"


def frames(error, package_dir):
    """'file.py, line N, in name' of the innermost FRAMES frames in the package's files, innermost first, with
    no source text: the grader reads the line from its own copy of the student's file."""
    if isinstance(error, SyntaxError) and error.filename and error.filename.startswith(package_dir):
        return f"{os.path.basename(error.filename)}, line {error.lineno}"
    found = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(package_dir)]
    return "; ".join(f"{os.path.basename(f.filename)}, line {f.lineno}, in {f.name}" for f in found[::-1][:FRAMES])


MAX_MESSAGE = 1000  # characters of an error's message: a stub's, with its hint, is under 800


def describe(error, package_dir, locate=where):
    """The type, message and place (by locate) of an error, for a report."""
    message = str(error)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "…"
    return {"type": type(error).__name__, "message": message, "where": locate(error, package_dir)}


def stand_in(pkg, module, names):
    """Put the reference's names (from `_reference_<module>`, which the grader assembled) into the student's module."""
    student, reference = getattr(pkg, module), getattr(pkg, f"_reference_{module}")
    for name in names:
        setattr(student, name, getattr(reference, name))


def main():
    workdir, site_dirs = sys.argv[1], sys.argv[2:]
    sys.path[:0] = [workdir, *site_dirs]
    run(workdir, pickle.loads(sys.stdin.buffer.read()))


def run(workdir, job):
    """Run the job's cases on the package in workdir, a report line each; then end the process."""
    results = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # Student training loops build large cyclic graphs: see one_garbage_collection in solutions/engine.py.
    gc.set_threshold(100_000, 50, 100)
    if job["blocked_imports"]:
        block_imports(set(job["blocked_imports"]))

    from nnkit_probes import run_case

    package_dir = os.path.join(workdir, job["package"])
    nonce = job["nonce"]

    def report(**fields):
        results.write(nonce + " " + json.dumps(fields) + "\n")

    import_error = None
    try:
        pkg = importlib.import_module(job["package"])
        for module in job["modules"]:
            setattr(pkg, module, importlib.import_module(f"{job['package']}.{module}"))
        if job["stand_ins"]:
            stand_in(pkg, *job["stand_ins"])
    except BaseException as error:  # noqa: BLE001 - a broken module must not stop the report
        import_error = describe(error, package_dir, frames)
    report(index=IMPORTED, ok=True, output={})

    for case in job["cases"]:
        if import_error:
            report(index=case["index"], ok=False, error=import_error, phase="import")
            continue
        report(index=case["index"], **run_case(pkg, case["probe"], case["inputs"], package_dir, frames))
    results.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
