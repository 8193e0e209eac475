"""OUT/run.json: what a run was asked for, kept so that a re-run or `nnkit report` loses nothing silently.

`nnkit grade` records the seed, the kit's version, the configuration file and its late policy, the entries it
skipped and the report settings (roster, Canvas column, hidden cases shown). A later `nnkit grade --out OUT`
or `nnkit report OUT` takes the configuration file and every report setting it is not given from the record,
and says so when one differs from the record: another file given, the file's late policy edited, or another
report setting.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .atomic import write_json_atomic
from .config import DEFAULT_PATH, Config
from .errors import KitError

RUN_FILE = "run.json"
# The report settings: the keyword arguments of autograder.report.finish.finish, with their defaults.
REPORT_SETTINGS = {"roster": None, "assignment": None, "include_hidden": False}
OPTION_NAMES = {"roster": "--roster", "assignment": "--canvas-assignment", "include_hidden": "--include-hidden"}


def read_record(out_dir: Path) -> dict:
    """The record of the run in out_dir ({} where there is none yet)."""
    path = Path(out_dir) / RUN_FILE
    if not path.exists():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise KitError(f"{path} cannot be read ({e}); remove it to start the run afresh") from None
    return record if isinstance(record, dict) else {}


def update_record(out_dir: Path, **entries) -> None:
    """Write entries into out_dir's record, keeping what it already holds."""
    write_json_atomic(Path(out_dir) / RUN_FILE, {**read_record(out_dir), **entries})


def settle_report_settings(out_dir: Path, given: dict) -> tuple[dict, list[str]]:
    """The report settings to use in out_dir, and a line per setting that differs from the recorded one.

    given holds None for a setting not given on the command line; the recorded value (else the default)
    stands for it. A roster's path is kept absolute, so a re-run from another folder finds it; an empty
    roster path drops the recorded roster.
    """
    recorded = read_record(out_dir).get("report", {})
    settings, changes = {}, []
    for key, default in REPORT_SETTINGS.items():
        value = given.get(key)
        if value is None:
            settings[key] = recorded.get(key, default)
            continue
        if key == "roster":
            value = str(Path(value).resolve()) if value else None
        if key in recorded and recorded[key] != value:
            changes.append(f"{OPTION_NAMES[key]}: {_shown(value)} (the run in {out_dir} had {_shown(recorded[key])})")
        settings[key] = value
    if settings["roster"] and not Path(settings["roster"]).is_file():
        raise KitError(f"the roster {settings['roster']} (recorded in {Path(out_dir) / RUN_FILE}) is gone; give "
                       "--roster again, or --roster '' to go without one")
    return settings, changes


def settle_config_path(out_dir: Path, given: str | None) -> tuple[str | None, list[str]]:
    """The configuration file to use in out_dir (None: the kit's own), and a line if it is not the recorded one."""
    recorded = read_record(out_dir).get("config")
    if given is None:
        if recorded and Path(recorded).is_file() and Path(recorded).resolve() != DEFAULT_PATH.resolve():
            return recorded, []
        return None, []
    if recorded and Path(given).resolve() != Path(recorded).resolve():
        return given, [f"--config: {given} (the run in {out_dir} had {recorded})"]
    return given, []


def late_policy_changes(out_dir: Path, late: dict) -> list[str]:
    """A line per key of the late policy that differs from the one recorded in out_dir."""
    recorded = read_record(out_dir).get("late")
    if not isinstance(recorded, dict):
        return []
    return [f"[late] {key}: {_shown(late.get(key))} (the run in {out_dir} had {_shown(recorded.get(key))})"
            for key in sorted(late.keys() | recorded.keys()) if late.get(key) != recorded.get(key)]


def config_record(config: Config) -> dict:
    """What run.json keeps of a configuration: its file (absolute) and its late policy."""
    return {"config": str(Path(config.source).resolve()) if Path(config.source).is_file() else config.source,
            "late": asdict(config.late)}


def _shown(value) -> str:
    return "none" if value is None else repr(value) if isinstance(value, str) else str(value).lower()


def report_settings(options: dict) -> dict:
    """The report settings of finish's keyword arguments, as run.json records them."""
    return {key: options.get(key, default) for key, default in REPORT_SETTINGS.items()}


def finish_options(settings: dict) -> dict:
    """The settings as keyword arguments of finish: an assignment left unset takes finish's own default."""
    return {k: v for k, v in settings.items() if not (k == "assignment" and v is None)}
