"""The `nnkit` command: one subcommand per stage (demo, build, grade, report, submit, config, mutate)."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from pathlib import Path

from .errors import KitError


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo(args.out, seed=args.seed, source=args.data, root=args.data_root, parts=tuple(args.parts))
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from .config import describe, load_config

    if args.describe:
        print(describe())
        return 0
    config = load_config(args.config)
    for q in config.questions.values():
        print(f"{q.id:26} {q.points:5g} points  hidden results: {q.visibility}")
    print(f"{'total':26} {config.total_points:5g} points  ({config.source})")
    return 0


def run_config(args: argparse.Namespace, out_dir: Path):
    """The configuration for a run's folder: --config, else the file the run recorded; a change is said."""
    from dataclasses import asdict

    from .config import load_config
    from .run_record import late_policy_changes, settle_config_path

    path, changes = settle_config_path(out_dir, args.config)
    config = load_config(path)
    for line in changes + late_policy_changes(out_dir, asdict(config.late)):
        print(f"nnkit {args.command}: changed {line}", file=sys.stderr)
    return config


def cmd_grade(args: argparse.Namespace) -> int:
    from .grade.run import grade_run

    summary = grade_run(args.submissions, args.out, config=run_config(args, args.out), seed=args.seed,
                        workers=args.workers, resume=args.resume, shard=args.shard,
                        require_sandbox=args.require_sandbox, **report_options(args, args.out))
    return 0 if summary.outcomes or args.shard else 1


def add_report_options(p: argparse.ArgumentParser) -> None:
    """Options of the reports written after grading: for `nnkit report` and `nnkit grade` alike."""
    p.add_argument("--roster", help="a Canvas gradebook export, to give canvas.csv the students' Canvas ids "
                   "('' for none); kept in OUT/run.json for later runs")
    p.add_argument("--canvas-assignment", metavar="TITLE",
                   help="the Canvas column: 'Title' creates an assignment, 'Title (12345)' fills assignment 12345; "
                   "kept in OUT/run.json for later runs")
    p.add_argument("--include-hidden", action=argparse.BooleanOptionalAction,
                   help="show hidden cases on the feedback pages too (kept in OUT/run.json for later runs)")


def report_options(args: argparse.Namespace, out_dir: Path) -> dict:
    """The keyword arguments of autograder.report.finish.finish (and of grade_all): the options given, the
    run's recorded ones for those not given. A change from the record is said on stderr."""
    from .run_record import finish_options, settle_report_settings

    given = {"roster": args.roster, "assignment": args.canvas_assignment, "include_hidden": args.include_hidden}
    settings, changes = settle_report_settings(out_dir, given)
    if settings["roster"]:
        from .report.gradebook import read_roster

        read_roster(settings["roster"])  # a wrong file is refused now, not after the grading
    for line in changes:
        print(f"nnkit {args.command}: changed {line}", file=sys.stderr)
    return finish_options(settings)


def cmd_report(args: argparse.Namespace) -> int:
    from .run_record import config_record, report_settings, update_record

    if args.compare:
        from .report.compare import compare_dirs, format_changes

        config = run_config(args, Path(args.compare[1]))  # the newer run's configuration, if none is given
        print(format_changes(*compare_dirs(*args.compare, config)))
        return 0
    if args.merge:
        from .report.merge import merge

        if not args.out:
            raise SystemExit("nnkit report --merge needs --out DIR for the joined folder")
        config = run_config(args, args.out)
        options = report_options(args, args.out)
        finished = merge(args.merge, args.out, config, **options)
    else:
        from .report.finish import finish
        from .report.load import require_results

        if len(args.folders) != 1:
            raise SystemExit("nnkit report: give one --out folder of a run, or --merge or --compare")
        require_results(args.folders[0])
        config = run_config(args, args.folders[0])
        options = report_options(args, args.folders[0])
        finished = finish(args.folders[0], config, **options)
    update_record(finished.out_dir, report=report_settings(options), **config_record(config))
    print("\n".join(finished.lines()))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import check_hints, check_starter
    from .config import load_config

    if args.check:
        leaks = check_hints()
        for leak in leaks:
            print(leak)
        if leaks:
            print("a hint gives away code: rewrite it in words and math (the walkthrough may hold code).")
            return 1
        differences = check_starter(config=load_config(args.config))
        for line in differences:
            print(line)
        if differences:
            print("starter/ is out of date: run `nnkit build` and commit starter/.")
            return 1
        print("the hints say what and why; starter/ is up to date.")
        return 0
    from .make import make_everything

    made = make_everything(load_config(args.config), seed=args.seed)
    print("\n".join(made.lines))
    return 0 if made.ok else 1


def cmd_mutate(args: argparse.Namespace) -> int:
    from .config import QUESTION_IDS, load_config
    from .mutate import mutate

    report = mutate(load_config(args.config), args.out, questions=args.questions or QUESTION_IDS,
                    per_question=args.max, seed=args.seed, workers=args.workers)
    print("\n".join(report.lines()))
    print(f"report: {args.out / 'mutation.md'}")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from .build.submit import main as submit

    return submit([args.package, "--out", args.out])


def shard_argument(text: str) -> tuple[int, int]:
    from .grade.batch import parse_shard

    try:
        return parse_shard(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnkit", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="the whole loop on the embedded defaults: tutorial, build, grading")
    demo.add_argument("--out", default="out/demo", help="folder for figures/ and graded/ (default: out/demo)")
    parts = ["tutorial", "build", "grade"]
    demo.add_argument("--parts", nargs="+", choices=parts, default=parts, help="parts to run (default: all)")
    demo.add_argument("--seed", type=int, default=1337)
    demo.add_argument("--data", choices=["auto", "digits", "mnist"], default="auto",
                      help="digits for the CNN: MNIST files under --data-root if present (auto), or the embedded ones")
    demo.add_argument("--data-root", default="data", help="where MNIST/raw/ lies, if anywhere (default: data)")
    demo.set_defaults(run=cmd_demo)

    config = sub.add_parser("config", help="show the points, tolerances and limits in force")
    config.add_argument("--config", help="an assignment.toml other than the kit's own")
    config.add_argument("--describe", action="store_true", help="list every key with its meaning")
    config.set_defaults(run=cmd_config)

    grade = sub.add_parser("grade", help="grade submissions: results/, grades.csv, feedback pages and the TA report",
                           description="Grade each SUBMISSION (a package folder or a .zip of one; a folder of them, "
                           "as an LMS exports, stands for each) into DIR.")
    grade.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION")
    grade.add_argument("--out", required=True, type=Path, metavar="DIR")
    grade.add_argument("--seed", type=int, help="the hidden cases' seed (default: the one recorded in DIR, else new)")
    grade.add_argument("--workers", type=int, help="parallel graders (default: the machine's cores)")
    grade.add_argument("--resume", action="store_true", help="skip submissions already graded, unchanged, in DIR")
    grade.add_argument("--shard", type=shard_argument, metavar="K/N",
                       help="grade only shard K of N (1 <= K <= N); join the shards with report --merge")
    add_report_options(grade)
    grade.add_argument("--require-sandbox", action="store_true",
                       help="refuse to grade where bubblewrap cannot sandbox student code (default: warn, then grade)")
    grade.add_argument("--config", help="an assignment.toml other than the kit's own")
    grade.set_defaults(run=cmd_grade)

    report = sub.add_parser("report", help="rebuild a run's gradebooks and reports, merge shards, or compare runs",
                            description="Rebuild grades.csv, canvas.csv, feedback/ and ta_report.html of a run from "
                            "its results/; or join the output folders of a sharded run (--merge); or list whose "
                            "scores changed between two runs, and why (--compare).")
    report.add_argument("folders", nargs="*", metavar="OUT", help="the --out folder of a run")
    report.add_argument("--merge", nargs="+", metavar="SHARD_OUT", help="join these shards' folders into --out")
    report.add_argument("--out", help="the joined folder, for --merge")
    report.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"), help="two runs' folders")
    add_report_options(report)
    report.add_argument("--config", help="an assignment.toml other than the kit's own")
    report.set_defaults(run=cmd_report)

    build = sub.add_parser("build", help="generate starter/ and the leak-checked student bundle dist/student.zip")
    build.add_argument("--check", action="store_true",
                       help="only check that starter/ is what solutions/ generates (exit 1 and list the files if not)")
    build.add_argument("--seed", type=int, help="the Gradescope bundle's hidden-case seed (default: a new one)")
    build.add_argument("--config", help="an assignment.toml other than the kit's own")
    build.set_defaults(run=cmd_build)

    mutate = sub.add_parser("mutate", help="test the tests: grade small wrong variants of the reference",
                            description="Grade first-order mutants of the bodies marked in solutions/ on their own "
                            "question's cases; report per question how many were killed, survived, or are named "
                            "equivalent in autograder/equivalent_mutants.toml.")
    mutate.add_argument("--out", required=True, type=Path, metavar="DIR", help="where mutation.md and .json go")
    mutate.add_argument("--questions", nargs="+", metavar="QID", help="question ids (default: all)")
    mutate.add_argument("--max", type=int, metavar="N", help="at most N mutants a question, sampled with --seed")
    mutate.add_argument("--seed", type=int, default=0, help="the cases' seed and the sampling's (default: 0)")
    mutate.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="mutants graded at once")
    mutate.add_argument("--config", help="an assignment.toml other than the kit's own")
    mutate.set_defaults(run=cmd_mutate)

    submit = sub.add_parser("submit", help="pack a student package's .py files into the .zip to upload")
    submit.add_argument("package", nargs="?", default="nnlab", help="the package folder (default: nnlab)")
    submit.add_argument("-o", "--out", default="submission.zip", help="the archive to write (default: submission.zip)")
    submit.set_defaults(run=cmd_submit)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KitError as e:
        raise SystemExit(f"nnkit {args.command}: {e}") from None


def console() -> None:
    """The `nnkit` command: main, then an exit without the interpreter's teardown (with torch loaded, freeing
    every module takes about a second of CPU), once the output is flushed and the exit handlers have run."""
    try:
        code = main()
    except SystemExit as end:
        code = end.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()  # what a normal exit would run: temporary folders, logging
    os._exit(code or 0)


if __name__ == "__main__":
    console()
