"""Small hand-made tables for the engine's unit tests."""

import numpy as np

from peerhub.whatmatters.stats.table import Table


def make_table(**columns) -> Table:
    """A Table from keyword columns; values are written as text, as a CSV file would hold them."""
    text = {name: np.array([str(value) for value in values], dtype=object) for name, values in columns.items()}
    return Table(text, "test.csv")
