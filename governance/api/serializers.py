import copy
import datetime
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import F, Func, QuerySet
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, RelatedField
from rest_framework.settings import api_settings

from governance.privacy import masked, masked_diff, may_see_personal_data


class PortalModelSerializer(serializers.ModelSerializer):
    """The base of every model serializer of the portal: DRF's, with the fields it derives from
    the model built once per class instead of once per serializer instance, and rows read
    without DRF's per-field look-up machinery where a field reads a column.

    DRF's ModelSerializer.get_fields() inspects the model and builds every field each time a
    serializer is made: for a list, once for the list's child and once more per nested
    serializer, 2 ms a time; a decision list paid 10 of its 20 ms for it (bench/api_load). The
    fields depend only on the class (its Meta and declared fields), so the first instance's are
    kept on the class and each instance gets a copy (field_copy), bound to it as before; a
    subclass that adapts fields to the request does so in its own get_fields() or __init__, on
    that copy.
    """

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built_for_class")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built_for_class = built
        return {name: field_copy(field) for name, field in built.items()}

    def to_representation(self, instance):
        """DRF's representation of the instance, each field read as DRF reads it, but a field
        that reads one of the model's columns (or a foreign key's id) gets it straight from the
        instance: DRF's generic look-up (a Mapping test, a callable test, per field and row) was
        a third of a 50-row list's serialization. Anything else (a dict, a dotted source, a
        method field, a nested serializer) goes DRF's way."""
        if not isinstance(instance, self.Meta.model):
            return super().to_representation(instance)
        plan = self.__dict__.get("_representation_plan")
        if plan is None:
            plan = self._representation_plan = representation_plan(self)
        answer = {}
        for name, read, represent in plan:
            if read is not None and type(read) is RelatedColumn:
                value = instance.__dict__.get(read.annotation, NOT_ANNOTATED)
                if value is NOT_ANNOTATED:  # read without related_columns(): DRF's way
                    read, represent = None, read.field
                else:
                    answer[name] = None if value is None else read.represent(value)
                    continue
            if read is None:  # DRF's own way, for this field
                try:
                    attribute = represent.get_attribute(instance)
                except SkipField:
                    continue
                check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                answer[name] = None if check_for_none is None else represent.to_representation(attribute)
                continue
            value = read(instance)
            answer[name] = None if value is None else represent(value)
        return answer


def field_copy(field: serializers.Field) -> serializers.Field:
    """A copy of a class's built field for one serializer instance.

    DRF deep-copies each field (re-instantiating it from its arguments: 0.3 ms for a serializer
    of ten fields). A plain field holds nothing that binding or reading mutates in place, so a
    shallow copy with its own validators and messages does; its queryset (a related field's) is
    a fresh clone so that no evaluation is ever shared. A field holding other fields (a nested
    serializer, a list field's child, a many-related field's child relation, which binding
    points at its parent) is deep-copied as DRF does.
    """
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    clone = copy.copy(field)
    if "_validators" in field.__dict__:
        clone._validators = list(field._validators)
    clone.error_messages = dict(field.error_messages)
    queryset = getattr(field, "queryset", None)
    if isinstance(queryset, QuerySet):
        clone.queryset = queryset.all()
    return clone


def representation_plan(serializer: serializers.ModelSerializer) -> list[tuple]:
    """(name, read, represent) per readable field: `read` takes the value from the instance and
    `represent` renders a value that is not None, both as DRF would; `read` None means the field
    is DRF's to read (`represent` is then the field itself); `read` a RelatedColumn, that the
    value is the row's annotation when it has it (related_columns)."""
    columns = {model_field.attname: model_field for model_field in serializer.Meta.model._meta.concrete_fields}
    plan = []
    for field in serializer._readable_fields:
        source = field.source_attrs[0] if len(field.source_attrs) == 1 else None
        model_field = columns.get(source) if source else None
        if (
            model_field is not None
            and not model_field.is_relation
            and type(field).get_attribute is serializers.Field.get_attribute
        ):
            plan.append((field.field_name, operator.attrgetter(source), _represent(field)))
            continue
        if _column_hops(serializer.Meta.model, field) is not None:
            plan.append((field.field_name, RelatedColumn(related_column_name(field), field, _represent(field)), None))
            continue
        foreign_key = _forward_key(serializer.Meta.model, source)
        if (
            foreign_key is not None
            and isinstance(field, RelatedField)
            and type(field).get_attribute is RelatedField.get_attribute
            and field.use_pk_only_optimization()
        ):
            plan.append((field.field_name, operator.attrgetter(foreign_key.attname), _pk_only(field)))
            continue
        plan.append((field.field_name, None, field))
    return plan


# The prefix of the annotations related_columns() adds, so that none takes a model field's name.
RELATED_COLUMN_PREFIX = "related_column_"
NOT_ANNOTATED = object()


@dataclass(frozen=True)
class RelatedColumn:
    """A plan's reading of a related row's column from the annotation related_columns() made."""

    annotation: str
    field: serializers.Field
    represent: Callable


def related_column_name(field: serializers.Field) -> str:
    return RELATED_COLUMN_PREFIX + field.field_name


@functools.cache
def related_columns(serializer_class: type[serializers.ModelSerializer]) -> dict[str, Func]:
    """Annotations that bring a list's related columns into its own rows, by name.

    A read-only field whose source follows foreign keys that cannot be null to a column (a
    position's `person.name`, a grid event's `category.code`) is read from the row itself when
    the queryset carries this annotation: no related instance is built for it (a grid events
    page built 100 of them for three names), nor its other columns read. Without the annotation
    (a record answered after a write) the field is read DRF's way. Keys that may be null are left
    to DRF, which answers them differently (the field skipped, not null)."""
    model = serializer_class.Meta.model
    annotations = {}
    for field in serializer_class().fields.values():
        hops = _column_hops(model, field)
        if hops is not None:
            annotations[related_column_name(field)] = ColumnThrough(hops)
    return annotations


class ColumnThrough(Func):
    """A related row's column, read through the row's foreign keys by nested scalar subqueries
    on their targets' keys: `(SELECT name FROM villages_person WHERE id = person_id)`.

    Not a join (F("person__name")): PostgreSQL keeps an inner join even where a count or the
    page's choice of keys never reads the joined table (a town's positions counted through a hash
    join with its 21,536 people: 6.2 ms instead of 0.7), where Django leaves out an annotation
    they do not read, subquery and all. Written out, as one expression over one column: composed
    of ORM subqueries it would cost more to compile than the instances it saves."""

    def __init__(self, hops: tuple):
        self.hops = hops  # ((key field, target model), ...), then the column's model field
        *keys, column = hops
        target = column.target_field if column.is_relation else column
        super().__init__(F(keys[0][0].attname), output_field=target)

    def as_sql(self, compiler, connection, **extra_context):
        quote = connection.ops.quote_name
        *keys, column = self.hops
        sql = "%(expressions)s"
        for number, (key, target_model) in enumerate(keys):
            read = keys[number + 1][0].column if number + 1 < len(keys) else column.column
            alias = f"through_{number}"
            sql = (
                f"(SELECT {alias}.{quote(read)} FROM {quote(target_model._meta.db_table)} {alias} "
                f"WHERE {alias}.{quote(key.target_field.column)} = {sql})"
            )
        return super().as_sql(compiler, connection, template=sql, **extra_context)


def column_through(model, path: str) -> ColumnThrough:
    """A related column of `model`'s rows by its dotted path through foreign keys that cannot be
    null (`column_through(Violation, "person.division_id")`), as related_columns reads them."""
    hops = _hops_through(model, path.split("."))
    if hops is None:
        raise ValueError(f"{model.__name__}.{path} does not lead through keys that cannot be null to a column")
    return ColumnThrough(hops)


def _column_hops(model, field: serializers.Field) -> tuple | None:
    """The hops of a plain read-only field's dotted source (_hops_through), or None."""
    if not field.read_only or type(field).get_attribute is not serializers.Field.get_attribute:
        return None
    return _hops_through(model, field.source_attrs)


def _hops_through(model, attributes: list[str]) -> tuple | None:
    """((key, target model), ..., column) of a dotted path through foreign keys that cannot be
    null to a column, or None."""
    if len(attributes) < 2:
        return None
    hops = []
    for name in attributes[:-1]:
        key = _forward_key(model, name)
        if key is None or key.null or key.attname == name:
            return None
        model = key.related_model
        hops.append((key, model))
    try:
        column = model._meta.get_field(attributes[-1])
    except FieldDoesNotExist:
        return None
    if not column.concrete or (column.is_relation and column.attname != attributes[-1]):
        return None
    return (*hops, column)


def _forward_key(model, name: str | None):
    """The model's foreign key (or one-to-one) field called `name`, or None."""
    if not name:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field if model_field.concrete and (model_field.many_to_one or model_field.one_to_one) else None


def _represent(field):
    """The field's to_representation; for a plain ISO date-time, the same text without DRF's
    per-value look-up of the current time zone (three date-times a grid event, 150 a page)."""
    iso = str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    if type(field) is not serializers.DateTimeField or not iso or hasattr(field, "timezone") or not settings.USE_TZ:
        return field.to_representation
    zone = timezone.get_current_timezone()

    def represent(value):
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)  # DRF's own error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _pk_only(field):
    def represent(pk):
        return field.to_representation(PKOnlyObject(pk=pk))

    return represent


class AuditEventSerializer(serializers.Serializer):
    """One audit event: what changed, when, by whom.

    `data` and `diff` are snapshots of the record, so they carry its personal data: they are
    masked unless the view passes `personal_data_visible` in the context (masked by default).
    """

    label = serializers.CharField(source="pgh_label")
    created_at = serializers.DateTimeField(source="pgh_created_at")
    data = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def _visible(self) -> bool:
        return bool(self.context.get("personal_data_visible", False))

    def get_data(self, event) -> dict | None:
        return masked(event.pgh_data, visible=self._visible()) if event.pgh_data else event.pgh_data

    def get_diff(self, event) -> dict | None:
        return masked_diff(event.pgh_diff, visible=self._visible()) if event.pgh_diff else event.pgh_diff

    # The aggregated Events rows carry the context's metadata itself (a dict), not a Context row.
    def get_user(self, event) -> int | None:
        return (event.pgh_context or {}).get("user")

    def get_url(self, event) -> str | None:
        return (event.pgh_context or {}).get("url")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that only resolves to records the caller may view (else: does not exist)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.restrict(request.user if request else None, "view")


class ReadablePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that only resolves to records the caller may read through the
    queryset's `readable_by(user)`: restrict() widened by what an app lets a division read from
    above (a district's list templates read by its villages). Anything else does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            # A serializer made without its view's context would find nothing, silently.
            raise ImproperlyConfigured(f"{type(self.parent).__name__}.{self.field_name}: no request in the context")
        return super().get_queryset().readable_by(request.user)


class MaskedPersonalDataMixin:
    """For a serializer of records with personal data: `mask_person_fields(data, code)` masks
    `id_number` and `phone` unless the caller holds the personal-data permission at that division."""

    def mask_person_fields(self, data: dict, division_code: str) -> dict:
        request = self.context.get("request")
        return masked(data, visible=bool(request) and may_see_personal_data(request.user, division_code))
