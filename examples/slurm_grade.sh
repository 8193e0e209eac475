#!/bin/bash
# Grade a class on a Slurm cluster: a job array grades one shard per task, then one job merges the shards.
#
#   bash examples/slurm_grade.sh SUBMISSIONS_DIR OUT_DIR [SHARDS] [-- options for every `nnkit grade`]
#
# e.g. bash examples/slurm_grade.sh ~/hw3/submissions ~/hw3/graded 8 -- --seed 2024
#
# Task K of the array runs
#   nnkit grade SUBMISSIONS_DIR --shard K/SHARDS --out OUT_DIR/shards/K --workers $SLURM_CPUS_PER_TASK --resume
# and, once every task has succeeded, a last job runs
#   nnkit report --merge OUT_DIR/shards/1 ... OUT_DIR/shards/SHARDS --out OUT_DIR
# which writes OUT_DIR/grades.csv, canvas.csv, feedback/ and ta_report.html as a single run would.
# Running this script again after a failure re-grades only what is missing (--resume). Give every shard the same
# --seed. NNKIT names the nnkit command (default: .venv/bin/nnkit of this repository). docs/cluster.md explains.
#
# The directives below size one array task; adjust them to your cluster (each worker needs about the
# memory limit of assignment.toml, limits.memory_mb, plus the grader's own share).
#SBATCH --job-name=nnkit-grade
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=5G
#SBATCH --time=02:00:00
#SBATCH --output=slurm-%x-%A_%a.out
set -euo pipefail

usage() {
    echo "usage: bash $0 SUBMISSIONS_DIR OUT_DIR [SHARDS] [-- options for nnkit grade]" >&2
    exit 2
}

case "${1:-}" in
task)  # inside the array: grade shard $SLURM_ARRAY_TASK_ID
    shift
    subs=$1 out=$2 shards=$3
    shift 3
    k=${SLURM_ARRAY_TASK_ID:?the task mode runs inside a Slurm array job}
    exec "$NNKIT" grade "$subs" --out "$out/shards/$k" --shard "$k/$shards" \
        --workers "${SLURM_CPUS_PER_TASK:-1}" --resume "$@"
    ;;
merge)  # after the array: join the shards' folders
    shift
    out=$1 shards=$2
    shift 2
    folders=()
    for ((k = 1; k <= shards; k++)); do folders+=("$out/shards/$k"); done
    exec "$NNKIT" report --merge "${folders[@]}" --out "$out" "$@"
    ;;
-h | --help | "")
    usage
    ;;
esac

# On the login node: submit the array, then the merge job that waits for it.
[[ $# -ge 2 ]] || usage
subs=$(realpath "$1")
out=$(realpath -m "$2")
shift 2
shards=8
if [[ $# -gt 0 && $1 != -- ]]; then shards=$1; shift; fi
if [[ ${1:-} == -- ]]; then shift; fi
[[ -d $subs ]] || { echo "$subs: not a folder of submissions" >&2; exit 2; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "SHARDS must be a positive number, not '$shards'" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export NNKIT=${NNKIT:-$repo/.venv/bin/nnkit}  # sbatch passes the environment on (--export=ALL)
mkdir -p "$out/shards"

# Slurm runs a copy of this script, so it is passed by its path here and finds its arguments in "task"/"merge".
array=$(sbatch --parsable --array="1-$shards" "${BASH_SOURCE[0]}" task "$subs" "$out" "$shards" "$@")
array=${array%%;*}  # --parsable prints "jobid" or "jobid;cluster"
merge=$(sbatch --parsable --dependency="afterok:$array" --job-name=nnkit-merge --cpus-per-task=1 --mem=4G \
    --output=slurm-%x-%j.out "${BASH_SOURCE[0]}" merge "$out" "$shards")
echo "submitted grading array $array ($shards shards) and merge job ${merge%%;*}; results will be in $out"
