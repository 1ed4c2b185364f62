"""The reader's core, a library on its own: parsing the digests, the paper
model, loading a library, the search index, the state store, the config.
Nothing here imports Textual, the UI or the commands (the import-linter
contracts in pyproject.toml, checked by tests/unit/test_layers.py)."""
