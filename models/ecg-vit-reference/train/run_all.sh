#!/bin/sh
# Whole training pipeline: pretrain -> fine-tune (pretrained) -> fine-tune (scratch) -> predictions.
# Usage: sh run_all.sh [DATA_DIR] [WORK_DIR]   (export: python3 export.py, see README.md)
set -eu
cd "$(dirname "$0")"
DATA=${1:-/work/scratch/ptbxl-100hz}
WORK=${2:-/work/scratch/ecg-vit-run}
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$WORK"
[ -f "$WORK/pretrain.json" ] || $PY train.py pretrain --data "$DATA" --work "$WORK"
[ -f "$WORK/finetune_pretrained.json" ] || $PY train.py finetune --init pretrained --data "$DATA" --work "$WORK"
[ -f "$WORK/finetune_scratch.json" ] || $PY train.py finetune --init scratch --data "$DATA" --work "$WORK"
$PY train.py predict --init pretrained --data "$DATA" --work "$WORK"
$PY train.py predict --init scratch --data "$DATA" --work "$WORK"
echo "run_all done"
