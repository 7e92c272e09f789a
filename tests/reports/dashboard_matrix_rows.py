"""Permission-matrix rows of the dashboards (merged into tests/test_permission_matrix.MATRIX)."""

DASHBOARD_ROWS: dict = {}
