"""`nnkit demo`'s first part, the optimization chapter, which is quick: its figures and what it prints."""

import re

from autograder import demo


def test_the_optimization_part_saves_its_figures_and_reports_the_gradient(tmp_path, capsys):
    demo.run_optimization(tmp_path, seed=1337)
    out = capsys.readouterr().out
    for name in ("landscape", "ascent", "gradient_descent"):
        assert (tmp_path / f"{name}.png").stat().st_size > 2000
    assert "gradient 26 there" in out
    assert "x=2.0" in out
    start, end = map(float, re.search(r"reward (-?[\d.]+) -> (-?[\d.]+)", out).groups())
    assert start < 0 < 0.9 < end
