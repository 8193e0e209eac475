"""Code a hostile submission runs at import: it finds the runner's nonce and writes result lines of its own."""


def forged_lines(report: str) -> str:
    """Source that reports `{"index": i, "ok": True, **report}` for every case of the job, before the runner does.

    report is a Python expression for the rest of each line, e.g. '{"output": {"grad": 1.0}}'.
    """
    return f"""
import json as _json, sys as _sys
_frame = _sys._getframe()
while _frame is not None and "nonce" not in _frame.f_locals:
    _frame = _frame.f_back
_nonce, _out, _job = _frame.f_locals["nonce"], _frame.f_locals["results"], _frame.f_locals["job"]
_out.write(_nonce + ' {{"index": -1, "ok": true, "output": {{}}}}\\n')
for _case in _job["cases"]:
    _fake = {{"index": _case["index"], "ok": True, **{report}}}
    _out.write(_nonce + " " + _json.dumps(_fake) + "\\n")
_out.flush()
"""
