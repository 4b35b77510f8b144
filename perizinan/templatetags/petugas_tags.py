"""Template filters of the officers' desk."""

from django import template

from accounts.roles import Role

register = template.Library()


@register.filter
def role_label(value) -> str:
    """``front_office`` -> ``Front office``; ``system`` -> ``Sistem``."""
    if value == "system":
        from django.utils.translation import gettext

        return gettext("Sistem")
    try:
        return str(Role(value).label)
    except ValueError:
        return value or ""


@register.simple_tag
def deadline(d) -> str:
    """The deadline of a file as the queue and the file page show it (a ``Deadline`` of
    ``perizinan.services.deadlines``): the days left or late and which limit it is."""
    from django.utils.safestring import mark_safe

    return mark_safe(deadline_html(d, {}))  # noqa: S308 - deadline_html escapes every value


def deadline_html(d, dates: dict) -> str:
    """``deadline``'s HTML; ``dates`` memoizes the formatted dates of one page."""
    from django.utils.formats import date_format
    from django.utils.html import escape

    if d.kind == "none":
        return '<span class="text-body-secondary">&ndash;</span>'
    if d.kind == "paused":
        return f'<span class="deadline deadline-paused">{escape(d.text)}</span>'
    extra = " deadline-overdue" if d.overdue else " deadline-today" if d.due_today else ""
    if d.date not in dates:
        dates[d.date] = escape(date_format(d.date, "j M Y"))
    return (
        f'<span class="deadline{extra}">{escape(d.text)}</span> '
        f'<span class="d-block small text-body-secondary">{escape(d.basis)} {dates[d.date]}'
        "</span>"
    )


@register.simple_tag
def queue_rows(rows):
    """The ``<tr>`` of a queue page, built in Python.

    The queue is the officers' busiest page. Written as a template loop, its 25 rows were
    some 700 template nodes per request, most of the page's cost (bench/README.md); here each
    row is one f-string. The cells: number (with the counter badge), applicant and service,
    status, deadline, holder; each cell's content is one element, for the phone layout
    (``.table-stack`` in satupintu.css). Every value from the
    database goes through ``escape``; the fixed texts are translated once per page.
    """
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    t_number, t_applicant, t_status, t_due, t_holder = (
        escape(gettext(text))
        for text in ("Nomor", "Pemohon dan layanan", "Status", "Tenggat", "Dipegang")
    )
    counter = (
        f' <span class="badge text-bg-light border" title="{escape(gettext("Dientri di loket"))}">'
        f"{escape(gettext('loket'))}</span>"
    )
    not_delegated = (
        f' <span class="badge text-bg-light border">{escape(gettext("belum dilimpahkan"))}</span>'
    )
    unclaimed = f'<span class="text-body-secondary">{escape(gettext("belum diambil"))}</span>'
    dates: dict = {}

    def row_html(p) -> str:
        overdue = ' class="queue-row-overdue"' if p.deadline.overdue else ""
        holder = escape(p.assigned_to) if p.assigned_to_id else unclaimed
        return (
            f'<tr{overdue}>\n<td class="font-monospace small" data-label="{t_number}"><div>'
            f'<a href="{escape(p.file_url)}">{escape(p.number)}</a>'
            f"{counter if p.assisted_by_id else ''}</div></td>\n"
            f'<td data-label="{t_applicant}"><div><span class="d-block">'
            f"{escape(p.applicant_name or '-')}</span>"
            f'<span class="small text-body-secondary">{escape(p.jenis_izin.name)}</span>'
            f"{not_delegated if p.route_delegated is False else ''}</div></td>\n"
            f'<td data-label="{t_status}"><span class="badge status-badge status-'
            f'{escape(p.status)}">{escape(p.status_label)}</span></td>\n'
            f'<td class="small" data-label="{t_due}"><div>{deadline_html(p.deadline, dates)}'
            "</div></td>\n"
            f'<td class="small" data-label="{t_holder}"><div>{holder}</div></td>\n</tr>\n'
        )

    return mark_safe("".join(row_html(p) for p in rows))  # noqa: S308 - values escaped above
