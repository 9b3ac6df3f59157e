"""The `blocker` command: the parser, one module per group of commands, and doctor."""
