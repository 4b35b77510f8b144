"""Assisted service at the counter (/petugas/loket/): the front office picks a service open
at its office and files a walk-in applicant's application in one page (the applicant, found
by e-mail, or a new account; the service's fields; the documents; the declaration); prints
the applicant's receipt, the only place the tracking PIN is printed, once; and corrects a
counter file sent back to its applicant and hands it in again on their behalf."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from perizinan import selectors, services
from perizinan.exceptions import WorkflowError
from perizinan.forms.pemohon import ServiceFieldsForm
from perizinan.forms.petugas import AssistedApplicantForm, AssistedDocumentsForm, CounterLookupForm
from perizinan.pdf import receipt
from perizinan.services import petugas as desk
from perizinan.services.actor import may_act_for_applicant
from perizinan.views.pemohon.files import receipt_pdf_response
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
    query = " ".join(str(request.GET.get("layanan", ""))[:100].split())
    if query:  # without JavaScript: the same filter as the list's, on the server
        services_list = selectors.counter_services_matching(services_list, query)
    return render(
        request,
        "perizinan/petugas/counter.html",
        {
            "services": services_list,
            "query": query,
            "lookup": CounterLookupForm(request.GET or None),
        },
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
                errors = _place_errors(exc, applicant_form, docs_form)
            except WorkflowError as exc:
                errors = [exc.message]
            else:
                permohonan = result.permohonan
                messages.success(
                    request,
                    _(
                        "Permohonan %(number)s diajukan atas nama %(name)s. Cetak tanda terima "
                        "pemohon dan serahkan kepadanya: hanya lembar itu yang memuat PIN "
                        "pelacakan, dan PIN dicetak sekali."
                    )
                    % {"number": permohonan.number, "name": permohonan.applicant_name},
                )
                return redirect(file_url(permohonan) + "#tanda-terima")
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


@never_cache
@officer_required
@require_http_methods(["GET", "POST"])
def counter_fix(request, public_id):
    """A counter file back with its applicant (returned, technical fix): the front office
    corrects it with the applicant at the counter and hands it in again on their behalf."""
    permohonan = selectors.officer_file(request.user, public_id)
    if not may_act_for_applicant(permohonan, request.user) or not permohonan.is_editable:
        raise Http404
    service = permohonan.jenis_izin
    definitions = selectors.form_fields_of(service)
    requirements = selectors.requirements_of(service)
    errors: list[str] = []
    if request.method == "POST":
        applicant_form = AssistedApplicantForm(request.POST, prefix="p", with_email=False)
        fields_form = ServiceFieldsForm(request.POST, prefix="f", definitions=definitions)
        docs_form = AssistedDocumentsForm(
            request.POST, request.FILES, prefix="d", requirements=requirements, optional=True
        )
        if applicant_form.is_valid() and fields_form.is_valid() and docs_form.is_valid():
            try:
                desk.correct_assisted_application(
                    officer=request.user,
                    permohonan=permohonan,
                    applicant_data=applicant_form.to_data(),
                    form_data=fields_form.to_data(),
                    files=docs_form.files_by_requirement(),
                    declaration_accepted=docs_form.cleaned_data["declaration"],
                )
            except ValidationError as exc:
                errors = _place_errors(exc, applicant_form, docs_form)
            except WorkflowError as exc:
                errors = [exc.message]
            else:
                messages.success(
                    request,
                    _("Perbaikan permohonan %(number)s dikirim atas nama %(name)s.")
                    % {"number": permohonan.number, "name": permohonan.applicant_name},
                )
                return redirect(file_url(permohonan))
    else:
        applicant_form = AssistedApplicantForm(
            prefix="p",
            with_email=False,
            initial=AssistedApplicantForm.initial_from(permohonan.applicant_data),
        )
        fields_form = ServiceFieldsForm(
            prefix="f", definitions=definitions, initial=permohonan.form_data or {}
        )
        docs_form = AssistedDocumentsForm(prefix="d", requirements=requirements, optional=True)
    has_errors = bool(errors or applicant_form.errors or fields_form.errors or docs_form.errors)
    context = {
        "permohonan": permohonan,
        "service": service,
        "correction": selectors.correction_request(permohonan),
        "current": selectors.current_documents(permohonan),
        "applicant_form": applicant_form,
        "fields_form": fields_form,
        "docs_form": docs_form,
        "errors": errors,
        "has_errors": has_errors,
    }
    return render(
        request, "perizinan/petugas/counter_fix.html", context, status=400 if has_errors else 200
    )


@never_cache
@officer_required
@require_POST
def applicant_receipt(request, public_id):
    """Print the applicant's receipt of a counter file: the PDF with the PIN, once (again only
    with a new PIN, ``new_pin=1``)."""
    permohonan = selectors.officer_file(request.user, public_id)
    try:
        printed = desk.print_applicant_receipt(
            officer=request.user, permohonan=permohonan, new_pin=request.POST.get("new_pin") == "1"
        )
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(file_url(permohonan) + "#tanda-terima")
    response = receipt_pdf_response(request, printed, pin_note=receipt.COUNTER_PIN_NOTE)
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-pemohon-{printed.number}.pdf"'
    )
    return response


def _place_errors(exc: ValidationError, applicant_form, docs_form) -> list[str]:
    """A service's ``ValidationError`` on the form it belongs to (documents: ``dok_<id>``);
    returns the messages that belong to no field."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    for key, messages_ in exc.message_dict.items():
        target = docs_form if key.startswith("dok_") else applicant_form
        target.add_error(key if key in target.fields else None, messages_)
    return []
