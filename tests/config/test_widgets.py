"""``config.widgets``: the Python-rendered selects give the same HTML as Django's ``Select``."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from config.widgets import FastSelect, PrerenderedSelect, options_html

CHOICES = [
    ("", "Semua"),
    ("a", "Alpha & <b>"),
    ("Kelompok", [("b", "Beta"), ("c", 'Gamma "q"')]),
    (3, "Tiga"),
    ("a", "Alpha lagi"),  # a repeated value: only the first is selected, as Django does
]


@pytest.mark.parametrize("value", [None, "", "a", "b", "c", 3, "3", "zzz", ["b"]])
@pytest.mark.parametrize("attrs", [{}, {"class": "form-select", "required": True, "id": "x"}])
def test_fast_select_renders_what_django_select_renders(value, attrs):
    django_html = forms.Select(choices=CHOICES, attrs=attrs).render("f", value)
    fast_html = FastSelect(choices=CHOICES, attrs=attrs).render("f", value)
    assert parse_html(fast_html) == parse_html(django_html)


def test_values_and_labels_are_escaped():
    html = options_html([('"><script>', "<i>x</i>")])
    assert "<script>" not in html and "<i>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html and "&lt;i&gt;x&lt;/i&gt;" in html


@pytest.mark.parametrize("value", ["", "a", "c", "zzz", '"><x'])
def test_prerendered_select_marks_the_selection_like_django(value):
    flat = [("", "Semua"), ("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")]
    widget = PrerenderedSelect(attrs={"class": "form-select"})
    widget.prerendered = options_html(flat)
    django_html = forms.Select(choices=flat, attrs={"class": "form-select"}).render("f", value)
    assert parse_html(widget.render("f", value)) == parse_html(django_html)
