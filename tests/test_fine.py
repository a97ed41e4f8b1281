"""Fine-grained sentiment: the NoReC_fine reader and Sentiment Graph F1 on hand-computed cases."""

import json

import pytest

from conftest import SHARED_DATA
from smie.documents import InputError
from smie.evaluate.fine import FineSentence, Opinion, token_spans, read_norec_fine, sentiment_graph_f1

NOREC_FINE_DEV = SHARED_DATA / "norec_fine" / "dev.json"


def spans(text, *pieces):
    """Character spans of pieces that each occur once in text."""
    assert all(text.count(p) == 1 for p in pieces), pieces
    return tuple((text.index(p), text.index(p) + len(p)) for p in pieces)


def sentence(sent_id, text, *opinions):
    """opinions: (holder pieces, target pieces, expression pieces, polarity)."""
    return FineSentence(sent_id, text, tuple(Opinion(spans(text, *h), spans(text, *t), spans(text, *e), pol)
                                             for h, t, e, pol in opinions))


# token indices:  0    1     2      3   4       5   6
FILM = "Jeg synes filmen var utrolig bra ."
# token indices:  0    1  2         3 4   5       6       7
BOOK = "Boka er spennende , men slutten skuffer ."
# token indices:  0     1   2    3      4   5 6   7      8
FOOD = "Maten var ikke særlig god , men billig ."


def score(gold, predicted, **kw):
    """The result with the scores rounded, so hand-computed fractions compare equal."""
    result = sentiment_graph_f1(gold, predicted, **kw)
    return {k: round(v, 12) if isinstance(v, float) else v for k, v in result.items()}


def test_perfect_prediction_scores_one():
    gold = [sentence("1", FILM, (["Jeg"], ["filmen"], ["utrolig bra"], "Positive")),
            sentence("2", BOOK, ([], ["Boka"], ["spennende"], "Positive"), ([], ["slutten"], ["skuffer"], "Negative")),
            sentence("3", "Ingen mening her .")]
    for weighted in (True, False):
        result = sentiment_graph_f1(gold, list(reversed(gold)), weighted=weighted)
        assert result == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "gold_tuples": 3, "predicted_tuples": 3,
                          "matched_gold": 3, "matched_predicted": 3}


def test_no_opinions_anywhere_scores_zero():
    # The official script divides by (0 + 1e-16): with no tuples on either side P, R and F1
    # are all 0, not undefined and not 1.
    gold = [sentence("1", "Ingen mening her .")]
    assert score(gold, gold) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "gold_tuples": 0,
                                 "predicted_tuples": 0, "matched_gold": 0, "matched_predicted": 0}


def test_one_of_two_opinions_matched():
    gold = [sentence("2", BOOK, ([], ["Boka"], ["spennende"], "Positive"), ([], ["slutten"], ["skuffer"], "Negative"))]
    # the second prediction shares its target with the first gold opinion and its expression
    # with the second, but no single gold opinion overlaps it in all three parts
    pred = [sentence("2", BOOK, ([], ["Boka"], ["spennende"], "Positive"), ([], ["Boka"], ["skuffer"], "Negative"))]
    # P = 1/2 (one of two predictions), R = 1/2 (one of two gold), F1 = 1/2
    assert score(gold, pred) == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "gold_tuples": 2,
                                 "predicted_tuples": 2, "matched_gold": 1, "matched_predicted": 1}


def test_partial_overlap_weighted_and_unweighted():
    gold = [sentence("1", FILM, (["Jeg"], ["filmen"], ["utrolig bra"], "Positive"))]  # expression tokens {4, 5}
    pred = [sentence("1", FILM, (["Jeg"], ["filmen"], ["bra"], "Positive"))]          # expression tokens {5}
    # Weighted: each side divides by its own part sizes.
    #   precision: the predicted tuple, holder 1/1, target 1/1, expression |{5}|/|{5}| = 1 -> 1
    #   recall: the gold tuple, holder 1/1, target 1/1, expression |{5}|/|{4, 5}| = 1/2 -> (1 + 1 + 1/2)/3 = 5/6
    #   F1 = 2 * 1 * 5/6 / (1 + 5/6) = 10/11
    weighted = score(gold, pred)
    assert (weighted["precision"], weighted["recall"], weighted["f1"]) == (1.0, round(5 / 6, 12), round(10 / 11, 12))
    # Unweighted: any overlap in all three parts is a full match.
    unweighted = score(gold, pred, weighted=False)
    assert (unweighted["precision"], unweighted["recall"], unweighted["f1"]) == (1.0, 1.0, 1.0)


def test_discontinuous_expression_is_a_token_set_not_a_range():
    gold = [sentence("3", FOOD, ([], ["Maten"], ["ikke", "god"], "Negative"))]  # expression tokens {2, 4}
    assert gold[0].opinions[0].expression == ((10, 14), (22, 25))
    assert score(gold, gold)["f1"] == 1.0
    # "ikke særlig god" is tokens {2, 3, 4}: it holds both gold tokens, and one more.
    #   precision: (1 + 1 + 2/3)/3 = 8/9   (implicit holders match: 1; target 1/1; expression 2/3)
    #   recall:    (1 + 1 + 2/2)/3 = 1
    #   F1 = 2 * 8/9 / (8/9 + 1) = 16/17
    pred = [sentence("3", FOOD, ([], ["Maten"], ["ikke særlig god"], "Negative"))]
    result = score(gold, pred)
    assert (result["precision"], result["recall"], result["f1"]) == (round(8 / 9, 12), 1.0, round(16 / 17, 12))


def test_wrong_polarity_does_not_match():
    gold = [sentence("2", BOOK, ([], ["Boka"], ["spennende"], "Positive"))]
    pred = [sentence("2", BOOK, ([], ["Boka"], ["spennende"], "Negative"))]
    assert score(gold, pred)["f1"] == 0.0
    # the official non-polar variant ignores polarity
    assert score(gold, pred, keep_polarity=False)["f1"] == 1.0


def test_implicit_holder_matches_only_an_implicit_holder():
    gold = [sentence("1", FILM, ([], ["filmen"], ["utrolig bra"], "Positive"))]
    assert score(gold, gold)["f1"] == 1.0
    explicit = [sentence("1", FILM, (["Jeg"], ["filmen"], ["utrolig bra"], "Positive"))]
    assert score(gold, explicit)["f1"] == 0.0
    assert score(explicit, gold)["f1"] == 0.0
    # an opinion without an expression matches nothing, not even itself
    no_expression = [sentence("1", FILM, ([], ["filmen"], [], "Positive"))]
    assert score(no_expression, no_expression)["f1"] == 0.0


def test_weighted_best_overlap_ignores_polarity_as_the_official_code_does():
    gold = [sentence("2", BOOK, ([], ["Boka"], ["er spennende"], "Positive"))]  # expression {1, 2}
    pred = [sentence("2", BOOK, ([], ["Boka"], ["er spennende"], "Negative"),   # exact, wrong polarity
                     ([], ["Boka"], ["spennende"], "Positive"))]                # expression {2}
    # precision: the Negative prediction matches nothing; the Positive one has expression
    #   |{2}|/|{2}| = 1 -> credit 1; P = 1/2
    # recall: the gold tuple matches the Positive prediction, and its credit is the best overlap
    #   over both predictions, 1 (from the Negative one), not (1 + 1 + 1/2)/3; R = 1
    # F1 = 2 * 1/2 * 1 / (3/2) = 2/3
    result = score(gold, pred)
    assert (result["precision"], result["recall"], result["f1"]) == (0.5, 1.0, round(2 / 3, 12))


def test_tokens_are_pieces_between_single_spaces():
    # a double space leaves an empty token between the two; leading and trailing ones do not count
    assert token_spans(" a  b ") == [(1, 2), (3, 3), (4, 5)]
    assert token_spans("") == []


def test_sentences_are_paired_by_id():
    gold = [sentence("1", FILM), sentence("2", BOOK)]
    with pytest.raises(ValueError, match=r"1 missing \['2'\].*1 not in gold \['3'\]"):
        sentiment_graph_f1(gold, [sentence("1", FILM), sentence("3", BOOK)])
    with pytest.raises(ValueError, match="duplicate"):
        sentiment_graph_f1(gold, [sentence("1", FILM), sentence("1", FILM), sentence("2", BOOK)])
    with pytest.raises(ValueError, match="sentence 2: predicted text differs"):
        sentiment_graph_f1(gold, [sentence("1", FILM), sentence("2", FOOD)])


# --- reader ------------------------------------------------------------------------

def part(text, *pieces):
    return [list(pieces), [f"{a}:{b}" for a, b in spans(text, *pieces)]]


def raw_opinion(text, holder=(), target=(), expression=(), polarity="Positive", **extra):
    return {"Source": part(text, *holder), "Target": part(text, *target),
            "Polar_expression": part(text, *expression), "Polarity": polarity, "Intensity": "Standard",
            "NOT": False, "Type": "E", **extra}


def test_reader_reads_spans_polarity_and_intensity(tmp_path):
    items = [{"sent_id": "a-1", "text": "Ingen mening her .", "opinions": []},
             {"sent_id": "a-2", "text": FOOD,
              "opinions": [raw_opinion(FOOD, [], ["Maten"], ["ikke", "god"], "Negative")]},
             {"sent_id": "a-3", "text": FILM, "opinions": [raw_opinion(FILM, ["Jeg"], ["filmen"], ["bra"])]}]
    path = tmp_path / "fine.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    sentences = read_norec_fine(path)
    assert [s.id for s in sentences] == ["a-1", "a-2", "a-3"]
    assert sentences[0].opinions == ()
    assert sentences[1].opinions == (Opinion((), ((0, 5),), ((10, 14), (22, 25)), "Negative", "Standard"),)
    assert sentences[2].opinions == (Opinion(((0, 3),), ((10, 16),), ((29, 32),), "Positive", "Standard"),)


def _with_opinion(**changes):
    opinion = raw_opinion(FILM, ["Jeg"], ["filmen"], ["bra"])
    opinion.update(changes)
    return [{"sent_id": "ok", "text": "God .", "opinions": []},
            {"sent_id": "b-7", "text": FILM, "opinions": [opinion]}]


@pytest.mark.parametrize("content, message", [
    ("[{", "not JSON"),
    ('{"sent_id": "b-7"}', "expected a JSON array"),
    ([{"sent_id": "b-7", "text": FILM}], "sentence 0 lacks sent_id, text or opinions"),
    ([{"sent_id": "b-7", "text": FILM, "opinions": []}] * 2, r"sentence 1 \(b-7\): duplicate sent_id"),
    (_with_opinion(Polarity="Mixed"), r"sentence 1 \(b-7\), opinion 0: polarity 'Mixed'"),
    ([{"sent_id": "b-7", "text": FILM, "opinions": [{"Source": [[], []]}]}],
     r"sentence 0 \(b-7\), opinion 0: lacks one of"),
    (_with_opinion(Target=[["filmen"], []]), r"sentence 1 \(b-7\), opinion 0, Target: expected \[\[texts\]"),
    (_with_opinion(Target=[["filmen"], ["10-16"]]), r"sentence 1 \(b-7\), opinion 0, Target: offset '10-16' is not"),
    (_with_opinion(Source=[["."], ["33:40"]]), r"sentence 1 \(b-7\), opinion 0, Source: offset '33:40' is not a span"),
    (_with_opinion(Polar_expression=[["bra"], ["28:31"]]),
     r"sentence 1 \(b-7\), opinion 0, Polar_expression: offset '28:31' covers ' br', not the given 'bra'"),
])
def test_reader_errors_name_the_file_and_the_sentence(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_norec_fine(path)
    assert str(error.value).startswith(f"{path}: ")


# --- real data (shared) --------------------------------------------------------------

@pytest.mark.skipif(not NOREC_FINE_DEV.is_file(),
                    reason=f"NoReC_fine dev.json not found under {SHARED_DATA} (set SMIE_SHARED_DATA)")
def test_real_dev_file_reads_and_scores_itself_perfectly():
    sentences = read_norec_fine(NOREC_FINE_DEV)
    # the shared data README gives 1,531 sentences, 821 of them with opinions, 1,432 opinions
    assert len(sentences) == 1531
    assert sum(bool(s.opinions) for s in sentences) == 821
    assert sum(len(s.opinions) for s in sentences) == 1432
    for weighted in (True, False):
        result = sentiment_graph_f1(sentences, sentences, weighted=weighted)
        assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
        assert result["gold_tuples"] == result["matched_gold"] == 1432


# --- opinions as word tags (smie/evaluate/opinion_tags.py) -----------------------------

def test_opinions_become_joined_bio_tags_and_come_back():
    from smie.evaluate.opinion_tags import decode, encode

    gold = sentence("s", "Jeg synes boka var ikke bra , men maten var god .",
                    (["Jeg"], ["boka"], ["ikke bra"], "Negative"), (["Jeg"], ["maten"], ["god"], "Positive"))
    tagged = encode(gold)
    assert tagged.words[:6] == ("Jeg", "synes", "boka", "var", "ikke", "bra")
    assert tagged.tags[:6] == ("B-holder|O|O", "O|O|O", "O|B-target|O", "O|O|O", "O|O|B-Negative", "O|O|I-Negative")
    assert decode(gold, tagged.tags) == gold  # each expression finds its nearest target, the one holder


def test_decoding_links_the_nearest_spans_and_reads_stray_tags_as_spans():
    from smie.evaluate.opinion_tags import chunks, decode

    assert chunks(["I-Positive", "I-Positive", "O", "B-Negative", "I-Positive"]) == [
        (0, 2, "Positive"), (3, 4, "Negative"), (4, 5, "Positive")]
    text = "Boka var god , filmen var dårlig ."
    tags = ["O|B-target|O", "O|O|O", "O|O|B-Positive", "O|O|O", "O|B-target|O", "O|O|O", "O|O|B-Negative", None]
    (good, bad) = decode(FineSentence("s", text, ()), tags).opinions
    assert (good.target, good.expression, good.polarity) == (spans(text, "Boka"), spans(text, "god"), "Positive")
    assert (bad.target, bad.holder) == (spans(text, "filmen"), ())  # no holder in the sentence: implicit


def test_the_tag_scheme_represents_most_real_opinions():
    """Its ceiling: gold -> tags -> opinions on NoReC_fine dev (discontinuous spans and
    shared words are what it loses)."""
    from smie.evaluate.opinion_tags import decode, encode

    if not NOREC_FINE_DEV.exists():
        pytest.skip(f"no NoReC_fine dev file at {NOREC_FINE_DEV} (set SMIE_SHARED_DATA)")
    gold = read_norec_fine(NOREC_FINE_DEV)
    assert sentiment_graph_f1(gold, [decode(s, encode(s).tags) for s in gold])["f1"] > 0.84
