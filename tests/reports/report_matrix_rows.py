"""Permission-matrix rows of the annual reports (merged into tests/test_permission_matrix.MATRIX)."""

REPORT_ROWS: dict = {}
