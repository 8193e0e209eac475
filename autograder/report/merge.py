"""`nnkit report --merge SHARD... --out OUT`: the output folders of a sharded run joined into one.

Each shard's results files are copied into OUT/results/ (and shard 1's similarity check beside them) and
`finish` writes every report from them, so the gradebook and reports are the ones a single run over all
submissions would have written.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_text_atomic
from ..config import Config
from ..errors import KitError
from ..results import read_results, results_dir
from ..similarity import SIMILARITY_CSV, SIMILARITY_JSON
from .finish import Finished, finish
from .load import result_files


class MergeError(KitError, ValueError):
    """Two shards hold different results for the same submission."""


def merge(shards: list[Path], out_dir: Path, config: Config, **finish_options) -> Finished:
    """Copy every shard's results into out_dir/results/ (a shard's file replaces one already there), then finish."""
    out_dir = Path(out_dir)
    source: dict[str, Path] = {}
    texts: dict[str, str] = {}
    for shard in shards:
        shard = Path(shard)
        if not results_dir(shard).is_dir():
            raise MergeError(f"{shard}: no results/ folder; is it the --out folder of a shard?")
        for path in result_files(shard):
            read_results(path)  # refuse a damaged file before copying anything
            text = path.read_text(encoding="utf-8")
            name = path.stem
            if name in texts and texts[name] != text:
                raise MergeError(f"{name}: different results in {source[name]} and {path}; grade it in one shard only")
            source.setdefault(name, path)
            texts[name] = text
    for name, text in texts.items():
        target = results_dir(out_dir) / f"{name}.json"
        if source[name].resolve() != target.resolve():
            write_text_atomic(target, text)
    for shard in map(Path, shards):  # the class's similarity check, made by the shard that ran it (shard 1)
        for file in (SIMILARITY_CSV, SIMILARITY_JSON):
            if (shard / file).is_file() and (shard / file).resolve() != (out_dir / file).resolve():
                write_text_atomic(out_dir / file, (shard / file).read_text(encoding="utf-8"))
    return finish(out_dir, config, **finish_options)
