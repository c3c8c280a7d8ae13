"""The optional speed layer of validation: light facts, worker processes, caches."""
