"""Recognition's laboratory: the real news corpus and its frozen split, scoring, and the
training script that writes `bot/recognition/model.json`. Not shipped with the bot."""
