"""Open statistics: reads with rules for ``/statistik/``, the complaint register and reports.

Definitions (also printed under the tables of ``/statistik/``):

* *received* in a month: applications submitted in that month (drafts never count);
* *issued* / *rejected*: decisions (``TERBIT`` / ``DITOLAK``) made in that month;
* *in progress* at the end of a month: submitted by then and not yet closed by then (closed
  means any final state: issued, rejected, withdrawn, lapsed);
* *processing time*: working days on the office calendar from the day the file was declared
  complete (``registered_at``) to the decision, minus the working days the file was back with
  the applicant for a technical fix (the clock stops, as for the due date);
* *within the service time*: processing time <= the service's working days frozen on the
  application (equivalently: decided on or before its due date, moved by the clock stops);
* complaints *answered on time*: answered on or before their due date.

Every function runs a fixed number of queries, whatever the number of rows.

The computation, one module per subject: ``measures`` (year bounds, share, median),
``permohonan`` (applications), ``survei`` (IKM groups, respondents' profile), ``pengaduan``
(complaints) and ``page`` (``compute_statistik``: everything the page shows). ``cache``
keeps the result and the rendered page in Redis for ``STATISTICS_CACHE_SECONDS``; a new survey
answer bumps the cache generation (``invalidate``) so that the published index moves at once.
``datasets`` holds the CSV downloads of the page; it builds report tables
(``akuntabilitas.reports.tables``), so it is imported on its own, not re-exported here.
"""

from akuntabilitas.statistik.cache import (
    available_years,
    cached_content,
    get_statistik,
    invalidate,
)
from akuntabilitas.statistik.measures import median, months_shown, share, year_bounds
from akuntabilitas.statistik.page import Delegation, Statistik, compute_statistik
from akuntabilitas.statistik.pengaduan import ComplaintStats, complaint_stats
from akuntabilitas.statistik.permohonan import (
    DECISIONS,
    Decision,
    MonthRow,
    ServiceRow,
    decisions,
    monthly_counts,
    service_rows,
)
from akuntabilitas.statistik.survei import (
    IkmGroup,
    Profile,
    answers_in_year,
    ikm_groups,
    ikm_overall,
    labelled_groups,
    min_group_size,
    respondent_profile,
)

__all__ = [
    "DECISIONS",
    "ComplaintStats",
    "Decision",
    "Delegation",
    "IkmGroup",
    "MonthRow",
    "Profile",
    "ServiceRow",
    "Statistik",
    "answers_in_year",
    "available_years",
    "cached_content",
    "complaint_stats",
    "compute_statistik",
    "decisions",
    "get_statistik",
    "ikm_groups",
    "ikm_overall",
    "invalidate",
    "labelled_groups",
    "median",
    "min_group_size",
    "monthly_counts",
    "months_shown",
    "respondent_profile",
    "service_rows",
    "share",
    "year_bounds",
]
