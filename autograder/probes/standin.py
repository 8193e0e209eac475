"""The reference standing in for what a question depends on.

When the grader assembles a package to grade, say, nn.mlp, it adds the reference's nn.py as
`_reference_nn`; probes then put the reference Layer and Neuron into the student's module, so only MLP is
the student's. In the student's own public checks there is no reference, and the student's code is used.
"""


def use_reference(pkg, module: str, *names: str) -> None:
    """Replace names in the student's module by the reference's, when the reference is there."""
    reference = getattr(pkg, f"_reference_{module}", None)
    if reference is None:
        return
    student = getattr(pkg, module)
    for name in names:
        setattr(student, name, getattr(reference, name))
