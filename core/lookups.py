"""Lookups of the portal's own, registered when core is ready."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`pk__in` with a value no integer column can hold (a posted 10**30 among the ticked ids of a
    multiple choice) finds nothing, as `pk=10**30` already does in Django; on SQLite it would
    raise OverflowError, a 500 (PostgreSQL answers no match)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
