"""Every output format of every command; the only code that imports rich."""
