import numpy as np

from storylens.analyze.vectors import embed, from_blob, minhash, shingles, to_blob

WIRE = ("A section of the Colbeck Bridge collapsed into the River Senn late on Monday, killing four "
        "people, the fire service said. Rescue teams searched the water through the night.")


def test_embeddings_are_unit_vectors_and_close_for_paraphrases():
    vectors = embed([
        "The bridge collapsed into the river on Monday night.",
        "On Monday night the bridge fell into the river.",
        "The striker signed for a new club for 42 million euros.",
    ])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    same, other = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > 0.8 and other < 0.3
    assert embed([]).shape == (0, 384)


def test_minhash_estimates_shingle_overlap():
    edited = WIRE.replace("through the night", "until dawn on Tuesday")
    unrelated = "The striker signed for Lindenhof Rovers for a fee of 42 million euros on Wednesday."
    assert minhash(WIRE).jaccard(minhash(WIRE)) == 1.0
    near = minhash(WIRE).jaccard(minhash(edited))
    assert 0.5 < near < 1.0
    assert minhash(WIRE).jaccard(minhash(unrelated)) < 0.1
    assert len(shingles("one two three")) == 1 and shingles("") == set()


def test_blobs_round_trip():
    vector = embed(["The bridge reopened."])[0]
    assert np.array_equal(from_blob(to_blob(vector)), vector)
    hashes = minhash(WIRE).hashvalues
    assert np.array_equal(from_blob(to_blob(hashes), hashes.dtype), hashes)
