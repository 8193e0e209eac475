"""The `nnkit` command: one subcommand per stage (demo, build, grade, report, submit, config)."""

from __future__ import annotations

import argparse
import sys


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo(args.out, seed=args.seed, source=args.data, root=args.data_root)
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnkit", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the reference tutorial on the embedded data and save its figures")
    demo.add_argument("--out", default="out/demo", help="folder for the figures (default: out/demo)")
    demo.add_argument("--seed", type=int, default=1337)
    demo.add_argument("--data", choices=["auto", "digits", "mnist"], default="auto",
                      help="digits for the CNN: MNIST files under --data-root if present (auto), or the embedded ones")
    demo.add_argument("--data-root", default="data", help="where MNIST/raw/ lies, if anywhere (default: data)")
    demo.set_defaults(run=cmd_demo)

    config = sub.add_parser("config", help="show the points, tolerances and limits in force")
    config.add_argument("--config", help="an assignment.toml other than the kit's own")
    config.add_argument("--describe", action="store_true", help="list every key with its meaning")
    config.set_defaults(run=cmd_config)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
