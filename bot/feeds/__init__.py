"""Feed ingestion: default sources, URL safety, fetching, parsing, normalising, the pure
poll decisions, the poller and its schedule. See poller.py for the flow."""
