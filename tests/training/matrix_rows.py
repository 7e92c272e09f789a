"""Permission-matrix rows of the training app (merged into tests/test_permission_matrix.MATRIX).

The target class is organised by branch A and open for enrolment: HQ and branch A's cadre organise
it; leadership reads it; plant A1's lead sees it (it is for A's subtree) and enrols its team; branch
B's cadre, the other lead (B1) and the expert do not see it (404). Trainees' pages need no login:
the signed token decides, so every role gets the same answer.
"""

from ..matrix import Row, cells, signed_in
from . import fixtures as tf

SEEN = {"unit_cadre_other": 404, "other_lead": 404, "expert": 404}
VIEW = signed_in(200, **SEEN)
MANAGE_GET = signed_in(403, hq=200, unit_cadre=200, **SEEN)
MANAGE_POST = signed_in(403, hq=400, unit_cadre=400, **SEEN)
MANAGE_STATE = signed_in(403, hq=409, unit_cadre=409, **SEEN)
MANAGE_DONE = signed_in(403, hq=302, unit_cadre=302, **SEEN)
NO_POST = signed_in(405)
ORGANISE_GET = signed_in(403, hq=200, unit_cadre=200, unit_cadre_other=200)
ORGANISE_POST = signed_in(403, hq=400, unit_cadre=400, unit_cadre_other=400)
# The trainee in A1 is not in the lead's team: the lead does not see the place.
PLACE_SEEN = {"unit_cadre_other": 404, "studio_lead": 404, "other_lead": 404, "expert": 404}

TRAINING_ROWS = {
    "training:class_list": Row(get=signed_in(200, expert=403), post=signed_in(405, expert=403)),
    "training:class_create": Row(get=ORGANISE_GET, post=ORGANISE_POST),
    "training:class_detail": Row(get=VIEW, post=NO_POST, kwargs=tf.class_pk()),
    "training:class_update": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=tf.class_pk()),
    # Already open for enrolment, with nobody enrolled: each step is refused by the state (409).
    "training:class_open": Row(get=MANAGE_GET, post=MANAGE_STATE, kwargs=tf.class_pk()),
    "training:class_start": Row(get=MANAGE_GET, post=MANAGE_STATE, kwargs=tf.class_pk()),
    "training:class_finish": Row(get=MANAGE_GET, post=MANAGE_STATE, kwargs=tf.class_pk()),
    "training:session_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=tf.class_pk()),
    "training:enrol": Row(
        get=signed_in(403, hq=200, unit_cadre=200, studio_lead=200, **SEEN),
        post=signed_in(403, hq=400, unit_cadre=400, studio_lead=400, **SEEN),
        kwargs=tf.class_pk(),
    ),
    "training:attendance_export": Row(get=signed_in(200, studio_lead=403, **SEEN), post=NO_POST, kwargs=tf.class_pk()),
    "training:certificates": Row(get=MANAGE_GET, post=NO_POST, kwargs=tf.finished_class_pk),
    "training:material_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=tf.class_pk()),
    "training:session_update": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=tf.session_pk()),
    "training:session_delete": Row(get=MANAGE_GET, post=MANAGE_DONE, kwargs=tf.session_pk()),
    "training:session_code": Row(get=MANAGE_GET, post=NO_POST, kwargs=tf.session_pk()),
    "training:attendance_record": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=tf.session_pk()),
    "training:enrolment_cancel": Row(
        get=signed_in(403, hq=200, unit_cadre=200, **PLACE_SEEN),
        post=signed_in(403, hq=302, unit_cadre=302, **PLACE_SEEN),
        kwargs=tf.enrolment_pk(),
    ),
    "training:certificate": Row(get=signed_in(200, **PLACE_SEEN), post=NO_POST, kwargs=tf.certificate_pk),
    "training:material_file": Row(get=VIEW, post=NO_POST, kwargs=lambda world: tf.material_pk(world)),
    "training:material_delete": Row(get=MANAGE_GET, post=MANAGE_DONE, kwargs=tf.material_pk),
    "training:sign_in": Row(get=cells(200), post=cells(400), kwargs=tf.sign_in_token),
    "training:trainee": Row(get=cells(200), post=cells(400), kwargs=tf.trainee_token),
    "training:trainee_certificate": Row(get=cells(200), post=cells(405), kwargs=tf.trainee_token),
}
