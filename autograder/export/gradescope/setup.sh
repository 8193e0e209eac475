#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
set -euo pipefail
ROOT=${NNKIT_AUTOGRADER_ROOT:-/autograder}
apt-get update -qq
apt-get install -y -qq python3 python3-venv python3-pip bubblewrap libseccomp2 >/dev/null
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/pip" install -q --upgrade pip
# The CPU build of torch: Gradescope's machines have no GPU.
"$ROOT/venv/bin/pip" install -q torch torchvision --index-url https://download.pytorch.org/whl/cpu
"$ROOT/venv/bin/pip" install -q "$ROOT/source/nnkit"
# Student code runs as a uid of its own per child process (docs/sandbox.md), who can read neither the
# source nor the results.
chmod 700 "$ROOT/source"
# pip put the kit (the reference included) into site-packages, which the student's process must read for
# numpy and torch: the kit's own folders there become root's alone, for when bubblewrap cannot hide them.
SITE=$("$ROOT/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
for package in autograder solutions; do
  if [ -d "$SITE/$package" ]; then chmod -R go-rwx "$SITE/$package"; fi
done
