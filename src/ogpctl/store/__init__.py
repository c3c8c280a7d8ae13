"""The only code that touches files or git: reading, writing, scanning, settings, git."""
