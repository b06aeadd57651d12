"""Training is deterministic: retraining on the committed corpus gives the committed model
file byte for byte, so the model in the repository is the one the script makes."""

from __future__ import annotations

import pytest

from bot.recognition._model import MODEL_PATH, RecognitionModel
from training.train import serialise, train


@pytest.mark.long
def test_retraining_reproduces_the_committed_model() -> None:
    model, scores = train()
    assert model is not None
    assert serialise(model) == MODEL_PATH.read_text(encoding="utf-8")
    figures = {"all", "precision", "recall", "dates", "certainty", "overstated", "seasons added"}
    assert set(scores) == {*"RCEP", *figures}


def test_the_model_file_round_trips() -> None:
    text = MODEL_PATH.read_text(encoding="utf-8")
    import json

    model = RecognitionModel.from_json(json.loads(text))
    assert serialise(model) == text
    assert set(model.thresholds) >= set("RCEP")
