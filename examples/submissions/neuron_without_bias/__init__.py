"""The reference solution of the assignment: the package students write, complete.

Bodies that students write are marked `# BEGIN SOLUTION <question id>: <hint>` ... `# END SOLUTION`;
`nnkit build` turns each into a stub in `starter/`. Everything else is identical in both.
"""
