"""Searchable choosers: one text input instead of a ``<select>`` of every unit in scope.

With JavaScript the input searches as the user types (HTMX, ``units:chooser``) and a pick puts
the chosen id in a hidden input named like the field. Without JavaScript the same text input
takes a code or a name, resolved on the server: exact code first, then a unique match on the
folded name; an ambiguous or unknown text is a field error that keeps what was typed.

A *source* says what a chooser offers: the rows the access layer lets the user use for that
field, how they are searched, ordered and labelled. Sources register by name, so an app above
``units`` (exemplars) adds its own without ``units`` importing it.
"""

from __future__ import annotations

import copy
import functools
from abc import ABC, abstractmethod
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guongsang.core.forms import QueryText, id_field, refuse_control_characters
from guongsang.core.text import fold, search_tokens

from . import access
from .access import Perm
from .models import SEGMENT_WIDTH, Unit, UnitKind

MAX_RESULTS = 20
MAX_TEXT = 200
SEPARATOR = " – "

SOURCES: dict[str, ChooserSource] = {}


def register(source: ChooserSource) -> ChooserSource:
    SOURCES[source.name] = source
    return source


_ID = id_field()


def _parse_id(value) -> int | None:
    """An id as the id fields of query strings read it (bounded; ``²`` and 40 digits are not
    ids), or None."""
    try:
        return _ID.clean(str(value))
    except ValidationError:
        return None


class ChooserSource(ABC):
    """What a chooser offers; subclasses fill the four abstract hooks."""

    name = ""
    placeholder = gettext_lazy("Gõ tên hoặc mã để tìm…")

    @abstractmethod
    def scoped(self, user, perm: Perm, kinds: list[str]) -> QuerySet:
        """Every row the user may pick for a field asking ``perm`` (and ``kinds``)."""

    def is_wide(self, user, perm: Perm) -> bool:
        """Whether the scope is so wide that the search should favour a cheap order."""
        return False

    def exact(self, qs: QuerySet, query: str) -> list:
        """Rows ``query`` names exactly (a code), shown first."""
        return []

    @abstractmethod
    def search(self, qs: QuerySet, query: str, *, wide: bool = False) -> QuerySet:
        """Matches for ``query``, ordered by the database."""

    @abstractmethod
    def label(self, obj) -> str:
        """The text shown for ``obj`` in the results and the field."""

    @abstractmethod
    def resolve(self, qs: QuerySet, text: str):
        """The one row ``text`` names (no-JavaScript path), or a ValidationError."""

    @staticmethod
    def _ambiguous(text: str, labels: list[str]) -> ValidationError:
        return ValidationError(
            _("Có nhiều kết quả khớp với “%(text)s”: %(examples)s. Hãy gõ đầy đủ hơn hoặc gõ mã.")
            % {"text": text, "examples": "; ".join(labels)},
            code="ambiguous",
        )


class UnitSource(ChooserSource):
    name = "don-vi"
    placeholder = gettext_lazy("Gõ tên hoặc mã đơn vị…")

    def scoped(self, user, perm, kinds):
        qs = access.units_for(user, perm).current()
        if kinds:
            qs = qs.filter(kind__in=kinds)
        return qs

    def exact(self, qs, query):
        return list(qs.filter(code=query).select_related("parent")[:1]) if " " not in query else []

    def is_wide(self, user, perm):
        return any(len(path) <= SEGMENT_WIDTH for path in access.scope_paths(user, perm))

    def search(self, qs, query, *, wide=False):
        # Inside a province or below, every match is sorted: upper levels first, then by name.
        # Over the whole country a common word matches ~100k units; name order then walks the
        # name_folded index and stops at the page (measured on national data, "chi hoi": 6 ms
        # against 150 ms for sorting every match by depth first).
        order = ("name_folded", "pk") if wide else ("depth", "name_folded", "pk")
        return qs.search(query).select_related("parent").order_by(*order)

    def label(self, obj) -> str:
        return unit_label(obj)

    def resolve(self, qs, text):
        text = " ".join(text.split())
        found = list(qs.filter(code=text).select_related("parent")[:1])
        if found:
            return found[0]
        name, _sep, parent = text.partition(SEPARATOR)
        candidates = qs.filter(name_folded=fold(name)).select_related("parent")
        if parent.strip():  # a label as the chooser shows it: "Chi hội Nà Pàn – Xã Đông Khê"
            candidates = candidates.filter(parent__name_folded=fold(parent))
        matches = list(candidates.order_by("depth", "pk")[:6])
        if not matches and not parent.strip():  # any few matches tell unique from ambiguous
            found = qs.search(name).select_related("parent").order_by()[:6]
            matches = sorted(found, key=lambda u: (u.depth, u.name_folded, u.pk))
        if len(matches) > 1:  # a filter may offer closed units too: today's one wins
            today = timezone.localdate()
            current = [u for u in matches if u.valid_to is None or u.valid_to >= today]
            matches = current if len(current) == 1 else matches
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                _(
                    "Không tìm thấy đơn vị “%(text)s” trong phạm vi của bạn. "
                    "Hãy gõ mã đơn vị hoặc tên đơn vị."
                )
                % {"text": text},
                code="not_found",
            )
        labels = [f"{unit_label(u)} ({_('mã')} {u.code})" for u in matches[:5]]
        raise self._ambiguous(text, labels)


def unit_label(unit: Unit) -> str:
    """ "Tổ phụ nữ số 1 – Chi hội Nà Pàn": the parent tells apart the many same-named units.
    The caller selects ``parent`` when labelling many units."""
    if unit.parent_id is None or unit.kind == UnitKind.PROVINCE:
        return unit.name
    return f"{unit.name}{SEPARATOR}{unit.parent.name}"


register(UnitSource())


# ---- the form field ---------------------------------------------------------------------------
class ChooserWidget(forms.Widget):
    """A visible text input ``<name>_text`` plus the picked id(s) under ``<name>``.

    Data comes back as ``(ids, text)``; ``text`` is ``None`` when the form sent no text input
    at all (a client posting only the id, as the HTMX pick does)."""

    template_name = "units/widget_chooser.html"
    field: ChooserField | None = None

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            ids = [v for v in data.getlist(name) if v]
        else:
            raw = data.get(name)
            ids = [v for v in (raw if isinstance(raw, list | tuple) else [raw]) if v]
        return (ids, data.get(f"{name}_text"))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field = self.field
        text, chosen = "", []
        if isinstance(value, tuple):
            ids, typed = value
            if field is not None and field.multiple:
                chosen = field.labels_for(ids)
                text = typed or ""
            elif typed is not None:
                text = typed
                chosen = [(i, typed) for i in ids[:1]]
            elif field is not None:
                resolved = getattr(field, "resolved", None)
                if resolved is not None and ids and str(resolved.pk) == str(ids[0]):
                    chosen = [(resolved.pk, field.source.label(resolved))]
                else:
                    chosen = field.labels_for(ids[:1])
                text = chosen[0][1] if chosen else ""
        elif value not in (None, "", [], ()) and field is not None:
            values = value if isinstance(value, list | tuple) else [value]
            chosen = field.labels_for([getattr(v, "pk", v) for v in values])
            if not field.multiple and chosen:
                text = chosen[0][1]
        attrs = context["widget"]["attrs"]
        context["widget"].update(
            {
                "text_name": f"{name}_text",
                "text": text,
                "chosen": [(str(pk), label) for pk, label in chosen],
                "multiple": bool(field and field.multiple),
                "url": field.search_url() if field is not None else "",
                "results_id": f"{attrs.get('id', name)}-results",
                "placeholder": field.source.placeholder if field is not None else "",
            }
        )
        return context


class ChooserField(forms.Field):
    """A field choosing one row (or several, ``multiple=True``) among ``queryset``.

    ``queryset`` is the authority: whatever the browser sends is looked up inside it (it may be
    given as a function that returns it, called only when a value is looked up). ``perm`` and
    ``kinds`` only tell the search endpoint which rows to suggest; keep them matching."""

    widget = ChooserWidget
    default_error_messages = {
        "invalid_choice": gettext_lazy("Lựa chọn không hợp lệ hoặc nằm ngoài phạm vi của bạn."),
    }

    def __init__(
        self,
        *,
        source: str = UnitSource.name,
        queryset=None,
        perm: Perm = Perm.VIEW,
        kinds=(),
        multiple: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.source = SOURCES[source]
        self.source_name = source
        self.queryset = queryset
        self.perm = perm
        self.kinds = [str(k) for k in kinds]
        self.multiple = multiple
        self.widget.field = self

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.field = result
        return result

    def search_url(self) -> str:
        params = [("quyen", str(self.perm))] + [("loai", k) for k in self.kinds]
        return f"{reverse('units:chooser', args=[self.source_name])}?{urlencode(params)}"

    def _queryset(self):
        if callable(self.queryset):
            self.queryset = self.queryset()
        return self.queryset if self.queryset is not None else Unit.objects.none()

    def labels_for(self, ids) -> list[tuple[int, str]]:
        pks = [pk for pk in map(_parse_id, ids) if pk is not None]
        if not pks:
            return []
        rows = {obj.pk: obj for obj in self._with_related(self._queryset().filter(pk__in=pks))}
        return [(pk, self.source.label(rows[pk])) for pk in dict.fromkeys(pks) if pk in rows]

    def _with_related(self, qs):
        return qs.select_related("parent") if qs.model is Unit else qs

    def _by_id(self, value):
        try:
            return self._with_related(self._queryset()).get(pk=_parse_id(value))
        except self._queryset().model.DoesNotExist:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def clean(self, value):
        self.resolved = super().clean(value)
        return self.resolved

    def to_python(self, value):
        if not isinstance(value, tuple):  # programmatic data: an id or a list of ids
            value = (
                [v for v in (value if isinstance(value, list | tuple) else [value]) if v],
                None,
            )
        ids, text = value
        text = (text or "").strip()[:MAX_TEXT] if text is not None else None
        refuse_control_characters(text)  # NUL would fail the lookup on PostgreSQL
        if self.multiple:
            chosen = [self._by_id(i) for i in dict.fromkeys(ids)]
            for part in (text or "").replace("\n", ";").split(";"):
                if part.strip():
                    obj = self.source.resolve(self._queryset(), part.strip())
                    if obj not in chosen:
                        chosen.append(obj)
            return chosen
        if text is None:  # only the id was sent
            return self._by_id(ids[0]) if ids else None
        if not text:  # the user cleared the text: nothing chosen
            return None
        if ids:  # a pick, unless the text was changed after it (without JavaScript)
            try:
                picked = self._by_id(ids[0])
            except ValidationError:
                picked = None
            names = {getattr(picked, "name", None), getattr(picked, "code", None)}
            if picked is not None and text in names | {self.source.label(picked)}:
                return picked
        return self.source.resolve(self._queryset(), text)

    def resolve(self, queryset, ids, text):
        """What the field would choose among ``queryset`` for this data (for a view that needs
        the choice before validating the whole form); a ValidationError otherwise."""
        field = copy.deepcopy(self)
        field.queryset = queryset
        return field.to_python((ids, text))

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return True


def unit_chooser(*, perm: Perm = Perm.VIEW, kinds=(), **kwargs) -> ChooserField:
    return ChooserField(source=UnitSource.name, perm=perm, kinds=kinds, **kwargs)


# ---- a unit filter on a list page -------------------------------------------------------------
class UnitFilterForm(forms.Form):
    """The "unit (with its subtree)" filter of a list: ``don_vi`` (an id, from a link or a pick)
    or ``don_vi_text`` (a code or a name typed without JavaScript)."""

    def __init__(self, data, *, user, perm: Perm = Perm.VIEW, kinds=(), name="don_vi", **kwargs):
        super().__init__(data, **kwargs)
        self.name = name
        self.fields[name] = unit_chooser(
            perm=perm,
            kinds=kinds,
            # Built when a value is looked up: most list pages are opened without a unit.
            queryset=functools.partial(access.units_for, user, perm),
            required=False,
            label=gettext_lazy("Đơn vị (gồm cấp dưới)"),
        )
        self.fields[name].widget.attrs["id"] = "f-dv"

    @property
    def unit(self) -> Unit | None:
        """The chosen unit, None for none or a text that names no unit (the form then shows the
        error); an id that is missing or outside the scope is a 404, as ``get_unit`` gives."""
        if self.is_valid():
            return self.cleaned_data.get(self.name)
        if self.data.get(f"{self.name}_text") is None:
            raise Http404
        return None

    @property
    def field(self):
        return self[self.name]


def unit_filter(request, *, perm: Perm = Perm.VIEW, kinds=(), name="don_vi") -> UnitFilterForm:
    """The request's unit filter, built once per request (the view and its template share it)."""
    cache = request.__dict__.setdefault("_gs_unit_filters", {})
    if name not in cache:
        cache[name] = UnitFilterForm(
            request.GET, user=request.user, perm=perm, kinds=kinds, name=name
        )
    return cache[name]


# ---- the search endpoint's parameters --------------------------------------------------------
class ChooserQueryForm(forms.Form):
    q = QueryText(max_length=MAX_TEXT)
    quyen = forms.ChoiceField(required=False, choices=[(p.value, p.value) for p in Perm])
    loai = forms.MultipleChoiceField(required=False, choices=UnitKind.choices)


def chooser_results(user, source: ChooserSource, params) -> dict:
    """At most ``MAX_RESULTS`` (id, label) pairs for the endpoint (one or two queries), the query
    searched and whether there were more."""
    form = ChooserQueryForm(params)
    if not form.is_valid():
        return {"results": [], "q": "", "more": False}
    query = form.cleaned_data["q"].strip()
    if not fold(query):
        return {"results": [], "q": query, "more": False}
    perm = Perm(form.cleaned_data["quyen"] or Perm.VIEW)
    qs = source.scoped(user, perm, form.cleaned_data["loai"])
    exact = source.exact(qs, query)
    wide = source.is_wide(user, perm)
    # Over the whole country, words of one or two letters ("to 1") match too much for any
    # index (trigrams need three): ask for more instead of scanning every unit.
    short = wide and max(len(token) for token in search_tokens(query)) < 3
    found = [] if short else source.search(qs, query, wide=wide)[: MAX_RESULTS + 1]
    rows = exact + [obj for obj in found if obj not in exact]
    return {
        "results": [(obj.pk, source.label(obj)) for obj in rows[:MAX_RESULTS]],
        "q": query,
        "more": len(rows) > MAX_RESULTS,
        "short": short,
    }
