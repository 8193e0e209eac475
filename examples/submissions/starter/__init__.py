"""Your package for the nnkit assignment: the autograd engine, the networks and their training.

Each body you write is marked `# TODO (<question id>): <hint>` and raises NotImplementedError until you
replace the `raise` statement with your code. The notebooks check each question with `check("<question id>")`,
and `python submit.py` packs this folder for upload.
"""
