"""ELMo (Peters et al., 2018) in PyTorch: train a bidirectional language model over
character-CNN word representations, export it in bilm-tf's layout (options.json,
model.hdf5, vocab.txt) and embed tokenized sentences with an export."""
