"""Dataset specifications (data) and their loader."""
