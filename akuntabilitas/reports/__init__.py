"""Reports for the office, their CSV and XLSX files, the SIPPN-shaped export of the service
standards and the compliance checklist (what the Ombudsman observes, with evidence).

Each report is a list of ``Table`` objects built by one function; the same tables are shown on
the page and written to CSV (the first table, or the one asked for) and XLSX (one sheet per
table), both through the formula guard. Application data comes through
``Permohonan.objects.visible_to(user)`` and complaints through
``Pengaduan.objects.visible_to(user)``, like every other view.

One module per family; this package re-exports what the views and tests use
(``reports.build``, ``reports.Table``, ...):

``access``       who may read the reports and the compliance page
``tables``       ``Table``, CSV and XLSX files and responses, the formula guard (``safe_cell``)
``periods``      ``Period`` and ``parse_period`` (``?tahun=&bulan=``)
``performance``  the monthly recap per service and OPD, the overdue list
``workload``     actions and files held per officer
``complaints``   the complaint register and its summary
``survey``       the IKM report and the anonymous answers
``sippn``        the service standards in the SIPPN shape
``registry``     the list of reports (``REPORTS``) and ``build``
``compliance``   the compliance checklist
"""

from akuntabilitas.reports.access import (
    COMPLIANCE_ROLES,
    REPORT_ROLES,
    can_view_compliance,
    can_view_reports,
)
from akuntabilitas.reports.complaints import complaint_report
from akuntabilitas.reports.compliance import (
    INFO,
    MISSING,
    OK,
    PARTIAL,
    ComplianceItem,
    compliance_items,
)
from akuntabilitas.reports.performance import overdue_report, rekap_report
from akuntabilitas.reports.periods import Period, parse_period
from akuntabilitas.reports.registry import REPORTS, REPORTS_BY_SLUG, Report, build
from akuntabilitas.reports.sippn import sippn_report
from akuntabilitas.reports.survey import anonymous_answers, ikm_report
from akuntabilitas.reports.tables import (
    FORMULA_START,
    Table,
    csv_response,
    safe_cell,
    to_csv,
    to_xlsx,
    xlsx_response,
)
from akuntabilitas.reports.workload import workload_report

__all__ = [
    "COMPLIANCE_ROLES",
    "FORMULA_START",
    "INFO",
    "MISSING",
    "OK",
    "PARTIAL",
    "REPORTS",
    "REPORTS_BY_SLUG",
    "REPORT_ROLES",
    "ComplianceItem",
    "Period",
    "Report",
    "Table",
    "anonymous_answers",
    "build",
    "can_view_compliance",
    "can_view_reports",
    "complaint_report",
    "compliance_items",
    "csv_response",
    "ikm_report",
    "overdue_report",
    "parse_period",
    "rekap_report",
    "safe_cell",
    "sippn_report",
    "to_csv",
    "to_xlsx",
    "workload_report",
    "xlsx_response",
]
