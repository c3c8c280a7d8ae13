"""ogpctl: a git-tracked YAML record of the Open Government Partnership's collective actions."""

__version__ = "0.1.0"
