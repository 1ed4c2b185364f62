"""One module per command-line subcommand."""
