"""Assisted entry at the counter (/petugas/loket/): the front office picks a service open
at its office and files a walk-in applicant's application in one page (the applicant, found
by e-mail or NIK, or a new account; the service's fields; the documents; the
declaration). The applicant gets the receipt and the tracking PIN."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role
from perizinan import selectors, services
from perizinan.exceptions import WorkflowError
from perizinan.forms.pemohon import ServiceFieldsForm
from perizinan.forms.petugas import AssistedApplicantForm, AssistedDocumentsForm, CounterLookupForm
from perizinan.services import petugas as desk
from perizinan.views.petugas.common import file_url, officer_required


def _front_office(request):
    if request.user.role != Role.FRONT_OFFICE:
        raise PermissionDenied(_("Entri berbantuan dilakukan petugas front office."))


@never_cache
@officer_required
@require_GET
def counter(request):
    """The counter: pick the service for a walk-in applicant."""
    _front_office(request)
    services_list = selectors.open_services_for_counter(request.user)
    return render(
        request,
        "perizinan/petugas/counter.html",
        {"services": services_list, "lookup": CounterLookupForm(request.GET or None)},
    )


@never_cache
@officer_required
@require_http_methods(["GET", "POST"])
def counter_entry(request, slug):
    """One page: the applicant, the service's fields, the documents, the declaration."""
    _front_office(request)
    service = next(
        (s for s in selectors.open_services_for_counter(request.user) if s.slug == slug), None
    )
    if service is None:
        raise Http404
    definitions = selectors.form_fields_of(service)
    requirements = selectors.requirements_of(service)
    found = None
    errors: list[str] = []
    if request.method == "POST":
        applicant_form = AssistedApplicantForm(request.POST, prefix="p")
        fields_form = ServiceFieldsForm(request.POST, prefix="f", definitions=definitions)
        docs_form = AssistedDocumentsForm(
            request.POST, request.FILES, prefix="d", requirements=requirements
        )
        if applicant_form.is_valid() and fields_form.is_valid() and docs_form.is_valid():
            try:
                result = desk.create_assisted_application(
                    officer=request.user,
                    jenis_izin=service,
                    applicant_data=applicant_form.to_data(),
                    email=applicant_form.cleaned_data.get("email", ""),
                    form_data=fields_form.to_data(),
                    files=docs_form.files_by_requirement(),
                    declaration_accepted=docs_form.cleaned_data["declaration"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, messages_ in exc.message_dict.items():
                        target = docs_form if key.startswith("dok_") else applicant_form
                        target.add_error(key if key in target.fields else None, messages_)
                else:
                    errors = list(exc.messages)
            except WorkflowError as exc:
                errors = [exc.message]
            else:
                permohonan = result.permohonan
                messages.success(
                    request,
                    _(
                        "Permohonan %(number)s diajukan atas nama %(name)s. Serahkan tanda "
                        "terima dan PIN %(pin)s kepada pemohon."
                    )
                    % {
                        "number": permohonan.number,
                        "name": permohonan.applicant_name,
                        "pin": permohonan.pin,
                    },
                )
                return redirect(file_url(permohonan))
    else:
        lookup = CounterLookupForm(request.GET or None)
        initial = {}
        if lookup.is_valid() and lookup.cleaned_data["identifier"]:
            found = desk.find_applicant(lookup.cleaned_data["identifier"])
            if found is not None:
                initial = services.profile_prefill(found)
                initial = {**AssistedApplicantForm.initial_from(initial), "email": found.email}
            else:
                messages.info(
                    request,
                    _("Akun pemohon tidak ditemukan; isi data untuk membuat akun baru."),
                )
        applicant_form = AssistedApplicantForm(prefix="p", initial=initial)
        fields_form = ServiceFieldsForm(prefix="f", definitions=definitions)
        docs_form = AssistedDocumentsForm(prefix="d", requirements=requirements)
    has_errors = bool(errors or applicant_form.errors or fields_form.errors or docs_form.errors)
    context = {
        "service": service,
        "applicant_form": applicant_form,
        "fields_form": fields_form,
        "docs_form": docs_form,
        "errors": errors,
        "found": found,
        "has_errors": has_errors,
    }
    return render(
        request, "perizinan/petugas/counter_entry.html", context, status=400 if has_errors else 200
    )
