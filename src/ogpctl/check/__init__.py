"""Checking the dataset: one file against its model, the cross-file rules, validation."""
