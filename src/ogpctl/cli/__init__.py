"""The command line: typer wiring only (options, prompts, parsing); it renders nothing itself."""

from ogpctl.cli.program import app, main

__all__ = ["app", "main"]
