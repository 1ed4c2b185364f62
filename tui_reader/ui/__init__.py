"""The Textual user interface. Everything Textual lives under this package."""
