"""The test case: which probe to run on which inputs, what is checked and how it is compared."""

from __future__ import annotations

from dataclasses import dataclass, field

# How one output of a probe is compared with the reference's:
#   close          float64 relative tolerance (config.tolerances.rtol/atol)
#   torch          float32 tolerance (torch_rtol/torch_atol)
#   exact          equal (counts, shapes, flags, strings)
#   at_least:NAME  not below the reference's minus the margin config.tolerances.NAME
# (judge/compare.py judge_output reads them.)


@dataclass(frozen=True)
class Case:
    question: str
    name: str
    probe: str
    inputs: dict
    checked: str
    rules: dict = field(default_factory=dict)
    keys: tuple = ()
    weight: float = 1.0
    public: bool = False
    # A measurement the judge makes of the probe's report (judge/measure.py), with inputs the child never sees.
    measure: str = ""
    withheld: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The test's name in results: 'question: case', public cases marked as such."""
        return f"{self.question}: {self.name}" + (" (public)" if self.public else "")

