"""Benchmarks of the hub's search (`peerhub bench search|relevance|http`): figures printed for a
person to read, with a reference measured in the same run. Not timed tests."""
