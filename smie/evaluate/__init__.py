"""Evaluation of pretrained models on downstream tasks: data readers (data.py), metrics (metrics.py)."""
