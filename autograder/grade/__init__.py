"""Grading one submission: unpack → assemble per question → run probes in a sandboxed child → judge → results."""
