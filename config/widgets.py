"""Form widgets shared by the apps.

``FastSelect`` renders a ``<select>`` in Python. Django renders every ``<option>`` through the
template engine (an include per option, plus one for its attributes); for the services of the
catalogue that alone cost 18-25 ms per page (bench/README.md, finding 2). The HTML is the same
as ``forms.Select``'s (``tests/config/test_widgets.py`` compares them).

``PrerenderedSelect`` goes one step further for a long list that many requests share: the
options are rendered once (the form memoizes them) and only the selection is applied per
request.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def _option(value, label, selected: bool) -> str:
    selected_attr = " selected" if selected else ""
    return f'<option value="{escape(value)}"{selected_attr}>{escape(label)}</option>'


def options_html(choices, values=()) -> str:
    """The ``<option>`` (and ``<optgroup>``) elements of ``choices``; the first option whose
    value is in ``values`` is selected, as in ``ChoiceWidget.optgroups`` for a single select."""
    values = {str(v) for v in values}
    parts, done = [], False
    for group_value, group_label in choices:
        group = group_label if isinstance(group_label, (list, tuple)) else None
        if group is not None:
            parts.append(format_html('<optgroup label="{}">', group_value))
        for value, label in group if group is not None else [(group_value, group_label)]:
            value = "" if value is None else str(value)
            selected = not done and value in values
            done = done or selected
            parts.append(_option(value, label, selected))
        if group is not None:
            parts.append("</optgroup>")
    return "".join(parts)


class FastSelect(forms.Select):
    """A single ``<select>``, with optgroups, rendered without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        body = options_html(self.choices, self.format_value(value))
        return mark_safe(format_html('<select name="{}"{}>', name, attrs) + body + "</select>")  # noqa: S308


class PrerenderedSelect(forms.Select):
    """A ``<select>`` whose options were rendered beforehand (``options_html`` of the choices,
    none selected): the form sets ``widget.prerendered``. The selected option is marked by
    finding its exact ``<option value="...">`` (values are unique and escaped the same way)."""

    prerendered = ""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        body = self.prerendered
        if value is not None:
            marker = f'<option value="{escape(value)}">'
            body = body.replace(marker, marker[:-1] + " selected>", 1)
        return mark_safe(format_html('<select name="{}"{}>', name, attrs) + body + "</select>")  # noqa: S308
