"""Reading a run's results files and the few facts every report takes from them."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import Config

RESULTS = "results"


def results_dir(out_dir: Path) -> Path:
    return Path(out_dir) / RESULTS


def read_result(path: Path) -> dict:
    """One results file; a ValueError names the file if it is not a results dict."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: not a readable results file ({e})") from e
    if not isinstance(data, dict) or "score" not in data:
        raise ValueError(f"{path}: not a results file (no top-level 'score')")
    return data


def result_files(out_dir: Path) -> list[Path]:
    """The results files of a run, by submission name. Temporary files of an atomic write start with a dot."""
    folder = results_dir(out_dir)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.json") if not p.name.startswith(".")), key=lambda p: p.stem)


def load_results(out_dir: Path) -> list[dict]:
    """Every results file of a run, sorted by submission name."""
    return [read_result(p) for p in result_files(out_dir)]


def name_of(result: dict) -> str:
    return str(result.get("extra_data", {}).get("submission", ""))


def error_of(result: dict) -> str | None:
    """Why the submission could not be graded, or None if it was."""
    return result.get("extra_data", {}).get("error") or None


def max_score(result: dict, config: Config) -> float:
    return float(result.get("extra_data", {}).get("max_score", config.total_points))


def question_scores(result: dict, config: Config) -> dict[str, tuple[float, float]]:
    """{question id: (score, max score)} for every question of the configuration, in course order.

    Taken from extra_data.questions; a question missing there is summed from its tests, and a question
    with no tests at all scores 0 of its points.
    """
    given = result.get("extra_data", {}).get("questions") or {}
    scores = {}
    for qid, question in config.questions.items():
        if qid in given:
            scores[qid] = (float(given[qid]["score"]), float(given[qid]["max_score"]))
            continue
        tests = [t for t in result.get("tests", []) if question_of(t) == qid]
        scores[qid] = (sum(float(t.get("score", 0)) for t in tests), float(question.points))
    return scores


def question_of(test: dict) -> str:
    """The question id of a test: its extra_data, or the part of its name before the colon."""
    return str(test.get("extra_data", {}).get("question") or test.get("name", "").split(":")[0].strip())


def case_of(test: dict) -> str:
    name = test.get("name", "")
    return str(test.get("extra_data", {}).get("case") or (name.split(":", 1)[1].strip() if ":" in name else ""))


def failed(test: dict) -> bool:
    return test.get("status") == "failed" or float(test.get("score", 0)) < float(test.get("max_score", 0))


def fmt_points(x: float) -> str:
    """A score as people write it: 2, 1.5, 0.3333 (at most 4 decimals, no trailing zeros)."""
    text = f"{round(float(x), 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
