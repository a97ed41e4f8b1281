"""BERT pretraining: data (data.py), masking (masking.py), model and loss (model.py), the loop (train.py)."""
