# elmo: ELMo pretraining and export (issue 6, in progress).


rule elmo:
    """Every configured ELMo model, trained and exported."""
    input:
        [],
