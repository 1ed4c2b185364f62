"""One module per command-line subcommand."""

# The help of every command's PATH arguments (light: the command line imports it before any command).
PATHS_HELP = "digest files or folders (default: the configured library, else the embedded samples)"
