#!/usr/bin/env bash
# Installs what the kit needs on a fresh Debian/Ubuntu machine: system tools where they are missing,
# then a virtual environment at the repository root with the kit and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dot >/dev/null || need+=(graphviz)
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v chromium >/dev/null || need+=(chromium)
# tests/test_slurm.py starts a one-node Slurm cluster of its own (its own munged too); setup starts no daemon.
command -v slurmctld >/dev/null || [ -x /usr/sbin/slurmctld ] || need+=(slurmctld slurmd slurm-client munge)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || need+=(libseccomp2)  # the child's seccomp filter
if [ ${#need[@]} -gt 0 ]; then
    echo "Installing system packages: ${need[*]}"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
        || echo "WARNING: could not install ${need[*]}; draw_dot, the sandbox, its seccomp filter or the browser test may be unavailable." >&2
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/pip install -q --upgrade pip
# torch and torchvision come from pip's configured index; ranges in pyproject.toml, nothing pinned here.
.venv/bin/pip install -q -e '.[test]'
echo "Set up: .venv ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
