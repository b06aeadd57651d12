"""The shipped model is read as json would read it, however it is read (bot/recognition/
_model.py reads it sparing the process's peak memory), and only once."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from bot.recognition import _model
from bot.recognition._model import MODEL_PATH, LinearModel, RecognitionModel, shipped_model


def test_the_shipped_model_is_read_as_json_reads_it() -> None:
    expected = RecognitionModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    assert shipped_model() == expected


def test_names_in_any_script_and_shared_weights_survive_the_reading(tmp_path: Path) -> None:
    linear = LinearModel(0.5, {"w=吳謹言": 0.25, "w=café": -1.5, "w=plain": 0.25, "w=x": 2.0})
    model = RecognitionModel(
        event=linear,
        show=LinearModel(0.0, {'a"b': 1.0}),
        season=linear,
        value=linear,
        certainty={"official": linear, "reported": LinearModel(-1.0, {"ŵ": 0.125})},
        thresholds={"R": 0.5},
        item={"R": LinearModel(-0.25, {"tb=renewed_for": 0.5})},
    )
    path = tmp_path / "model.json"
    path.write_text(
        json.dumps(model.to_json(), indent=0, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    read = _model._load(path)
    assert read == model
    assert read.event.weights["w=吳謹言"] is read.event.weights["w=plain"]  # one float


def _one_of_each(weights: dict[str, float]) -> RecognitionModel:
    linear = LinearModel(0.5, weights)
    return RecognitionModel(
        event=linear,
        show=linear,
        season=linear,
        value=linear,
        certainty={"official": linear, "reported": LinearModel(-1.0, dict(weights))},
        thresholds={"R": 0.5},
        item={"R": linear},
    )


def test_names_that_look_like_the_layout_and_blocks_cut_anywhere_read_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Names ending in braces, commas, colons or spaces, and more lines than one block holds.
    weights = {"w={": 1.0, "w=}": -1.0, "w=},": 0.5, 'w=": {': 0.25, "w= ": 2.0, "w=a:": 3.0}
    weights |= {f"w=word{n}": n / 8 for n in range(3_000)}
    model = _one_of_each(weights)
    path = tmp_path / "model.json"
    path.write_text(
        json.dumps(model.to_json(), indent=0, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    for block in (7, 64, 1 << 16):
        monkeypatch.setattr(_model, "_BLOCK", block)
        read = _model._load(path)
        assert read == model
        # Names the certainty models share are made once for all of them.
        official, reported = read.certainty["official"].weights, read.certainty["reported"]
        names = dict(zip(official, official, strict=True))
        assert all(names[name] is name for name in reported.weights)


def test_a_model_in_another_layout_is_read_whole(tmp_path: Path) -> None:
    model = _one_of_each({"w=x": 1.5, "w=y": -0.5})
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")  # one line
    assert _model._load(path) == model
    path.write_text(json.dumps(model.to_json(), indent=2), encoding="utf-8")
    assert _model._load(path) == model


def test_parsed_weights_are_kept_not_copied() -> None:
    weights = {"w=x": 1.5, "w=y": -0.5}
    assert LinearModel.from_json({"bias": 0.0, "weights": weights}).weights is weights
    # Anything else is made into names and floats.
    assert LinearModel.from_json({"bias": 1, "weights": {"w=x": 2}}).weights == {"w=x": 2.0}


def test_threads_reading_at_once_load_the_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Path] = []
    real = _model._load

    def counted(path: Path) -> RecognitionModel:
        loads.append(path)
        return real(path)

    monkeypatch.setattr(_model, "_SHIPPED", [])  # as in a fresh process
    monkeypatch.setattr(_model, "_load", counted)
    start = threading.Barrier(4)
    found: list[RecognitionModel] = []

    def read() -> None:
        start.wait()
        found.append(shipped_model())

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert len(found) == 4 and all(model is found[0] for model in found)
