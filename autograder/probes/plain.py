"""Turning probe results into plain values, so nothing of the student's crosses to the judge."""


def probe(fn):
    """Mark fn as a probe, so that run_probe will run it."""
    fn.is_probe = True
    return fn


def plain(value):
    """value as None/bool/int/float/str/list/dict only; numpy and torch values converted, anything else refused.

    Subclasses of the built-in types are turned into the exact built-in type through the base class's own
    method, so a float subclass with its own comparisons or repr reaches the judge as a bare number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return bool.__bool__(value) if type(value) is not bool else value
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, dict):
        return {str.__str__(str(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if type(value).__module__.split(".")[0] in ("numpy", "torch") and hasattr(value, "tolist"):
        return plain(value.tolist())
    raise TypeError(f"expected numbers, got an object of type {type(value).__name__}")
