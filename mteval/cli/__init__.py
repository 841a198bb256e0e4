"""The ``mteval`` command line: :mod:`mteval.cli.command` dispatches to one module per subcommand."""
