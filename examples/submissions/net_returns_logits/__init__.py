"""The reference solution of the assignment: the package students write, complete.

Bodies that students write are marked `# BEGIN SOLUTION <question id>` ... `# END SOLUTION`, their hints
(`# hint:`, `# nudge:`, `# walkthrough:`) first; `nnkit build` turns each into a stub in `starter/` that
carries the hint. Everything else is identical in both.
"""
