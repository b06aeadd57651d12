"""The shows the train split names, shipped beside the curated catalogue: generated from
train labels only, and read in training as the bot would know them (from other news)."""

from __future__ import annotations

import json

from bot.models import Show
from bot.shows.catalogue import NEWS_SHOWS_PATH, Catalogue, curated_shows, seed_shows
from bot.shows.names import name_key
from training.corpus import items_of
from training.gazetteer import FOLDS, fold_of, gazetteer, read_train_items, serialise


def _item(url: str, *shows: str, network: str | None = "NBC") -> dict[str, object]:
    labels = [{"show": show, "event": "renewed", "network": network} for show in shows]
    return {"url": url, "title": "", "summary": "", "labels": labels}


def test_the_shipped_list_is_the_train_labels_the_curated_list_lacks() -> None:
    assert NEWS_SHOWS_PATH.read_text(encoding="utf-8") == serialise(gazetteer(items_of("train")))

    def spellings(shows: tuple[Show, ...]) -> set[str]:
        return {name_key(name) for show in shows for name in (show.name, *show.aliases)}

    train = {name_key(label["show"]) for item in items_of("train") for label in item["labels"]}
    assert spellings(seed_shows()) == spellings(curated_shows()) | train


def test_no_name_comes_from_a_test_item_alone() -> None:
    train = {name_key(label["show"]) for item in items_of("train") for label in item["labels"]}
    curated = {name_key(show.name) for show in curated_shows()}
    test_only = (
        {name_key(label["show"]) for item in items_of("test") for label in item["labels"]}
        - train
        - curated
    )
    assert test_only  # the test split does name shows of its own...
    assert not test_only & {name_key(show.name) for show in seed_shows()}  # ...never shipped


def test_each_show_keeps_its_most_labelled_spelling_and_network() -> None:
    items = [
        _item("https://a.example/1", "Quillon Harbour", network="HBO"),
        _item("https://a.example/2", "Quillon Harbour", network="HBO"),
        _item("https://a.example/3", "The Quillon Harbour", network="Max"),
        _item("https://a.example/4", "Citadel"),  # curated already: not repeated
    ]
    [show] = gazetteer(items)
    assert (show.name, show.network) == ("Quillon Harbour", "HBO")


def test_an_item_is_read_knowing_only_the_shows_other_folds_name() -> None:
    # Two items per fold would do; find URLs landing in two different folds.
    urls = [f"https://news.example/{n}" for n in range(50)]
    first = urls[0]
    other = next(url for url in urls if fold_of({"url": url}) != fold_of({"url": first}))
    same = next(url for url in urls[1:] if fold_of({"url": url}) == fold_of({"url": first}))
    items = [
        _item(first, "Quillon Harbour") | {"title": "NBC renews Quillon Harbour and Brisk Vale"},
        _item(same, "Brisk Vale"),
        _item(other, "Quillon Harbour"),
    ]
    [read, _, _] = read_train_items(items)
    known = {
        span.known for sentence in read.reading.sentences for span in sentence.spans if span.known
    }
    assert "Quillon Harbour" in known  # another fold's item names it
    assert "Brisk Vale" not in known  # only its own fold does
    assert FOLDS >= 5


def test_the_default_catalogue_knows_the_shipped_news_shows() -> None:
    catalogue = Catalogue.default()
    assert len(catalogue) == len(seed_shows()) > len(curated_shows())
    shipped = json.loads(NEWS_SHOWS_PATH.read_text(encoding="utf-8"))
    assert all(catalogue.get(item["name"]) for item in shipped)
