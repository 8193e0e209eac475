"""Reading a run's results files, and the scores per question that every report takes from them."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import KitError
from ..results import Results, read_results, results_dir


def result_files(out_dir: Path) -> list[Path]:
    """The results files of a run, by submission name. Temporary files of an atomic write start with a dot."""
    folder = results_dir(out_dir)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.json") if not p.name.startswith(".")), key=lambda p: p.stem)


class NotARun(KitError):
    """A folder given as a run's output holds no results files."""


def require_results(out_dir: Path) -> list[Path]:
    """The results files of the run in out_dir, or NotARun if there is none (a typo, or a run not yet made)."""
    files = result_files(out_dir)
    if not files:
        where = "does not exist" if not Path(out_dir).exists() else "holds no results/*.json"
        raise NotARun(f"{out_dir} {where}: it is not the --out folder of a run. Give the folder that "
                      "`nnkit grade --out` wrote, or grade first.")
    return files


def load_results(out_dir: Path) -> list[Results]:
    """Every results file of a run, sorted by submission name."""
    return [read_results(p) for p in result_files(out_dir)]


def question_scores(result: Results, config: Config) -> dict[str, tuple[float, float]]:
    """{question id: (score, max score)} for every question of the configuration, in course order.

    Taken from the results' questions; a question missing there (a results file of another configuration)
    is summed from its tests, and a question with no tests at all scores 0 of its points.
    """
    scores = {}
    for qid, question in config.questions.items():
        if qid in result.questions:
            scores[qid] = (result.questions[qid].score, result.questions[qid].max_score)
        else:
            scores[qid] = (sum(t.score for t in result.tests if t.question == qid), float(question.points))
    return scores


def fmt_points(x: float) -> str:
    """A score as people write it: 2, 1.5, 0.3333 (at most 4 decimals, no trailing zeros)."""
    text = f"{round(float(x), 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
