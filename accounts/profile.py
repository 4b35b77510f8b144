"""Sections other parts add to the signed-in user's profile page, without accounts knowing
them (accounts imports no part above it). A part registers a section in its
``AppConfig.ready()``; ``accounts.views.ProfileView`` renders each one whose ``context``
returns a dict for this request (None: the section is not shown)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class ProfileSection:
    name: str
    template_name: str
    context: Callable[[HttpRequest], dict[str, Any] | None]


_SECTIONS: dict[str, ProfileSection] = {}


def register_section(section: ProfileSection) -> None:
    _SECTIONS[section.name] = section


def render_sections(request: HttpRequest) -> list[SafeString]:
    rendered = []
    for section in _SECTIONS.values():
        context = section.context(request)
        if context is not None:
            rendered.append(render_to_string(section.template_name, context, request=request))
    return rendered
