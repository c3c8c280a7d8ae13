"""Pure values: the record models, their keys and vocabularies, the dataset aggregate."""
