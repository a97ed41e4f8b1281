# bert: BERT pretraining data, pretraining and export (in progress).


rule bert:
    """Every configured BERT model, pretrained and exported."""
    input:
        [],
