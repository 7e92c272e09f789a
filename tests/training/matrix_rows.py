"""Permission-matrix rows of this app (merged into tests/test_permission_matrix.MATRIX)."""

from ..matrix import LOGIN, Row, cells, signed_in  # noqa: F401

TRAINING_ROWS: dict = {}
