"""The editorial review chain: required reviewers by role, verifiable from git alone."""
