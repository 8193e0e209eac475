"""The last step of a run: every report written from the results files in OUT/results/.

`nnkit grade` calls it after grading, `nnkit report OUT` calls it alone, and a merge calls it on the
joined folder; so a report always covers every results file in OUT/results/, however they got there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_text_atomic
from ..config import Config
from .feedback import write_feedback
from .final import ADJUSTMENTS, final_grades, read_adjustments, unmatched_adjustments
from .gradebook import DEFAULT_ASSIGNMENT, canvas_export, grades_csv, read_roster
from .groups import read_group_comments
from .load import load_results
from .ta_report import TA_REPORT, write_ta_report

GRADES = "grades.csv"
CANVAS = "canvas.csv"


@dataclass
class Finished:
    """What finish wrote, and what the TA should hear about the Canvas export."""

    out_dir: Path
    submissions: int
    files: list[Path] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unadjusted: list[str] = field(default_factory=list)  # names in adjustments.csv that no submission has

    def lines(self) -> list[str]:
        out = [f"reports for {self.submissions} submissions: {self.out_dir / GRADES}, {self.out_dir / CANVAS}, "
               f"{self.out_dir / TA_REPORT}, {self.out_dir / 'feedback'}/"]
        if self.unmatched:  # names join with "; ": a roster's "Chen, Alice" holds a comma itself
            names = "; ".join(self.unmatched)
            out.append(f"not in the roster (their submission name stands as SIS Login ID): {names}")
        if self.missing:
            out.append(f"in the roster but without a submission: {'; '.join(self.missing)}")
        if self.unadjusted:
            out.append(f"in {ADJUSTMENTS} but without a submission (not applied): {'; '.join(self.unadjusted)}")
        return out


def finish(out_dir: Path, config: Config, *, roster: Path | None = None, assignment: str = DEFAULT_ASSIGNMENT,
           include_hidden: bool = False) -> Finished:
    """Write grades.csv, canvas.csv, the feedback pages and the TA report from OUT/results/, with the late
    policy and OUT/adjustments.csv applied (`final.py`)."""
    out_dir = Path(out_dir)
    results = load_results(out_dir)
    done = Finished(out_dir, len(results))
    adjustments = read_adjustments(out_dir, config)
    finals = final_grades(results, config, adjustments)  # the one place the late policy and adjustments apply
    done.unadjusted = unmatched_adjustments(results, adjustments)
    write_text_atomic(out_dir / GRADES, grades_csv(results, config, finals))
    export = canvas_export(results, config, assignment=assignment, roster=read_roster(roster) if roster else None,
                           finals=finals)
    done.unmatched, done.missing = export.unmatched, export.missing
    write_text_atomic(out_dir / CANVAS, export.text())
    done.files = [out_dir / GRADES, out_dir / CANVAS, write_ta_report(results, out_dir, config, finals),
                  *write_feedback(results, out_dir, config, finals, read_group_comments(out_dir),
                                  include_hidden=include_hidden)]
    return done
