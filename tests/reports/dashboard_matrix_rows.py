"""Permission-matrix rows of the dashboards (merged into tests/test_permission_matrix.MATRIX).

HQ and leadership see any unit's dashboard, each unit cadre its own subtree's (the default scope);
leads and experts are refused. The pages only read: POST is not allowed to those who may look.
"""

from ..matrix import Row, signed_in

REFUSED = {"studio_lead": 403, "other_lead": 403, "expert": 403}
LOOK = signed_in(200, **REFUSED)
NO_POST = signed_in(405, **REFUSED)

DASHBOARD_ROWS: dict = {
    "dashboard:index": Row(get=LOOK, post=NO_POST),
    "dashboard:chart_xlsx": Row(get=LOOK, post=NO_POST, kwargs=lambda world: {"code": "kpis"}),
}
