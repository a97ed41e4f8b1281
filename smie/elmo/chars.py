"""ELMo's character ids, as bilm-tf's inference code and AllenNLP number them.

A token becomes ``max_chars`` ids: begin-of-word, its UTF-8 bytes (cut to leave
room for the markers), end-of-word, then padding. The sentence boundaries <S> and
</S> are words of their own, made of one special character. Every id is one
more than bilm-tf's training ids, so that 0 marks a position with no token at all
(padding of a short sentence in a batch): 256 byte values + 5 specials + 1 = 262
ids (``n_characters`` of options.json), and the exported ``char_embed`` has the
261 rows of the non-zero ids (loaders insert the zero row themselves).
"""

from __future__ import annotations

import numpy as np

N_CHARACTERS = 262
MASK = 0
BOS_CHAR, EOS_CHAR, BOW, EOW, PAD = (c + 1 for c in (256, 257, 258, 259, 260))
BOS, EOS = "<S>", "</S>"
MAX_CHARS = 50


class CharIds:
    """Maps words to their character ids, caching the frequent ones."""

    def __init__(self, max_chars: int = MAX_CHARS, cache_size: int = 200_000):
        if max_chars < 3:
            raise ValueError(f"max_characters_per_token must be at least 3, not {max_chars}")
        self.max_chars = max_chars
        self.cache_size = cache_size
        self._cache: dict[str, np.ndarray] = {BOS: self._boundary(BOS_CHAR), EOS: self._boundary(EOS_CHAR)}

    def _boundary(self, char: int) -> np.ndarray:
        ids = np.full(self.max_chars, PAD, dtype=np.int16)
        ids[:3] = (BOW, char, EOW)
        return ids

    def word(self, word: str) -> np.ndarray:
        ids = self._cache.get(word)
        if ids is None:
            raw = word.encode("utf-8", "ignore")[: self.max_chars - 2]
            ids = np.full(self.max_chars, PAD, dtype=np.int16)
            ids[0] = BOW
            ids[1 : len(raw) + 1] = np.frombuffer(raw, dtype=np.uint8).astype(np.int16) + 1
            ids[len(raw) + 1] = EOW
            if len(self._cache) < self.cache_size:
                self._cache[word] = ids
        return ids

    def batch(self, sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A batch with <S> and </S> added around every sentence, as the distinct words'
        character ids [words, max_chars], each position's row in them [sentences,
        longest + 2] and the lengths (with <S> and </S>).

        Row 0 is all zeros, the "no token" of positions after a sentence's end. The
        character CNN then runs once per distinct word, not once per position: a
        batch repeats its frequent words many times.
        """
        lengths = np.array([len(s) + 2 for s in sentences], dtype=np.int64)
        index = np.zeros((len(sentences), int(lengths.max(initial=2))), dtype=np.int64)
        rows: dict[str, int] = {}
        table = [np.zeros(self.max_chars, dtype=np.int16)]
        for b, sentence in enumerate(sentences):
            for t, word in enumerate((BOS, *sentence, EOS)):
                k = rows.get(word)
                if k is None:
                    k = rows[word] = len(table)
                    table.append(self.word(word))
                index[b, t] = k
        return np.stack(table).astype(np.int64), index, lengths
