"""Reads with rules, one module per concern; everything callers use is re-exported here, so
``from perizinan import selectors; selectors.officer_queue(...)`` works:

``catalogue``: the service catalogue as applications need it (and the counter's services) ·
``permohonan``: the citizen's applications, what to fix, expected completion, public tracking
· ``queue``: the officers' queues and their keyset pages · ``desk``: the dashboard counts, the
file page, the documents an officer may open · ``izin``: permits (imported as a module:
``from perizinan.selectors import izin``).
"""

from perizinan.selectors.catalogue import (
    accepts_applications,
    counter_services_matching,
    current_version,
    form_fields_of,
    get_published_service,
    open_services_for_counter,
    published_services,
    requirements_of,
)
from perizinan.selectors.desk import (
    COUNTS_CACHE_SECONDS,
    HistoryItem,
    dashboard_counts,
    my_open_count,
    officer_berita_acara,
    officer_document,
    officer_file,
    officer_history,
)
from perizinan.selectors.permohonan import (
    CorrectionRequest,
    correction_request,
    current_documents,
    document_history,
    expected_completion,
    get_own,
    get_visible,
    list_for,
    payment_due,
    timeline,
    track,
)
from perizinan.selectors.queue import (
    ASSIGNED_MINE,
    ASSIGNED_NONE,
    DUE_OVERDUE,
    DUE_TODAY,
    DUE_WEEK,
    QUEUE_ACTIVE,
    QUEUE_DONE,
    QUEUE_VIEWS,
    QUEUE_WAITING,
    QUEUE_WORK,
    QueueCursor,
    QueuePage,
    officer_queue,
    queue_page,
    queue_page_queryset,
    queue_statuses,
    with_deadlines,
)

__all__ = [
    "ASSIGNED_MINE",
    "ASSIGNED_NONE",
    "COUNTS_CACHE_SECONDS",
    "DUE_OVERDUE",
    "DUE_TODAY",
    "DUE_WEEK",
    "QUEUE_ACTIVE",
    "QUEUE_DONE",
    "QUEUE_VIEWS",
    "QUEUE_WAITING",
    "QUEUE_WORK",
    "CorrectionRequest",
    "HistoryItem",
    "QueueCursor",
    "QueuePage",
    "accepts_applications",
    "correction_request",
    "current_documents",
    "current_version",
    "dashboard_counts",
    "document_history",
    "expected_completion",
    "payment_due",
    "form_fields_of",
    "get_own",
    "get_published_service",
    "get_visible",
    "list_for",
    "my_open_count",
    "officer_berita_acara",
    "officer_document",
    "officer_file",
    "officer_history",
    "officer_queue",
    "counter_services_matching",
    "open_services_for_counter",
    "published_services",
    "queue_page",
    "queue_page_queryset",
    "queue_statuses",
    "requirements_of",
    "timeline",
    "track",
    "with_deadlines",
]
