import math

import numpy as np
import pytest

from storylens.compare.similarity import (
    FEATURES,
    SAME_CLAIM_THRESHOLD,
    ClaimText,
    pair_features,
    same_claim,
    same_claim_matrix,
)

SENTENCES = {
    "bridge": "A section of the Colbeck Bridge collapsed into the River Senn on Monday, killing 12 people.",
    "bridge_paraphrase": "Twelve people were killed on Monday when part of the Colbeck Bridge fell into the "
                         "River Senn.",
    "bridge_digits": "Part of the Colbeck Bridge fell into the River Senn on Monday, killing 12 people.",
    "bridge_other_number": "Part of the Colbeck Bridge fell into the River Senn on Monday, killing 15 "
                           "people.",
    "attend": "The prime minister will attend the summit in Samarkand on Thursday.",
    "attend_not": "The prime minister will not attend the summit in Samarkand on Thursday.",
    "football": "The striker signed for Lindenhof Rovers for a fee of 42 million euros on Wednesday.",
}


@pytest.fixture(scope="module")
def claims() -> dict[str, ClaimText]:
    from storylens.analyze.vectors import embed

    vectors = embed(list(SENTENCES.values()))
    return {key: ClaimText(text, v) for (key, text), v in zip(SENTENCES.items(), vectors, strict=True)}


def test_threshold_is_a_probability():
    assert not math.isnan(SAME_CLAIM_THRESHOLD) and 0.0 < SAME_CLAIM_THRESHOLD < 1.0


def test_paraphrase_scores_above_threshold_and_unrelated_below(claims):
    assert same_claim(claims["bridge"], claims["bridge_paraphrase"]) >= SAME_CLAIM_THRESHOLD
    assert same_claim(claims["bridge"], claims["bridge_digits"]) >= SAME_CLAIM_THRESHOLD
    assert same_claim(claims["bridge"], claims["football"]) < 0.1


def test_numbers_that_disagree_lower_the_probability(claims):
    agree = same_claim(claims["bridge"], claims["bridge_digits"])
    disagree = same_claim(claims["bridge"], claims["bridge_other_number"])
    assert disagree < agree
    features = dict(zip(FEATURES, pair_features(SENTENCES["bridge"], SENTENCES["bridge_other_number"], 0.9),
                        strict=True))
    assert features["numbers_differ"] > 0 and features["numbers_equal"] == 0


def test_negation_lowers_the_probability(claims):
    same = ClaimText(SENTENCES["attend"], claims["attend"].vector)
    assert same_claim(claims["attend"], claims["attend_not"]) < same_claim(claims["attend"], same)


def test_matrix_matches_pairwise_and_is_symmetric_in_meaning(claims):
    a = [claims["bridge"], claims["attend"], claims["football"]]
    b = [claims["bridge_paraphrase"], claims["attend_not"], claims["football"], claims["bridge_digits"]]
    matrix = same_claim_matrix(a, b)
    assert matrix.shape == (3, 4)
    assert np.all((matrix >= 0) & (matrix <= 1))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            assert matrix[i, j] == pytest.approx(same_claim(x, y))
    assert matrix[0, 0] >= SAME_CLAIM_THRESHOLD and matrix[2, 2] >= SAME_CLAIM_THRESHOLD
    assert matrix[0, 2] < SAME_CLAIM_THRESHOLD and matrix[2, 0] < SAME_CLAIM_THRESHOLD
    # Swapping the sides gives the same probabilities (the features are symmetric).
    assert np.allclose(same_claim_matrix(b, a), matrix.T)


def test_pairs_below_the_floor_get_the_cosine_only_probability(claims):
    a, b = [claims["bridge"]], [claims["football"]]
    assert same_claim_matrix(a, b, floor=1.1)[0, 0] < 0.1  # every pair below the floor
    assert same_claim_matrix([claims["bridge"]], [claims["bridge_digits"]], floor=1.1)[0, 0] > 0.5


def test_empty_inputs():
    assert same_claim_matrix([], []).shape == (0, 0)
    one = ClaimText("A sentence.", np.ones(384, dtype=np.float32) / np.sqrt(384))
    assert same_claim_matrix([one], []).shape == (1, 0)


def test_top_k_limits_lexical_work_to_nearest_neighbours(claims):
    a = [claims["bridge"], claims["attend"]]
    b = [claims["bridge_digits"], claims["bridge_paraphrase"], claims["football"]]
    full = same_claim_matrix(a, b)
    nearest = same_claim_matrix(a, b, top_k=1)
    assert nearest[0, 0] == pytest.approx(full[0, 0])  # the nearest pair keeps its lexical evidence
    assert nearest.shape == full.shape and np.all((nearest >= 0) & (nearest <= 1))
