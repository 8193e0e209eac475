"""Reports built from a grading run's results files: gradebooks, student feedback, the TA report, comparisons.

Every writer here reads `OUT/results/<submission>.json` (Gradescope's results.json schema) and nothing
else, so a report can be rebuilt, compared or merged long after grading, without grading again.
`finish.finish` writes them all.
"""
