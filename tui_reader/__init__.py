"""tui_reader: a terminal reader for AI-enhanced daily arXiv digests."""

__version__ = "0.1.0"
