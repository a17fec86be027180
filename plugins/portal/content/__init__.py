"""Content: the schema of items and data files, and the checks every submission passes."""
