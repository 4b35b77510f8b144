"""The citizen's pages, one module per concern:

``apply``: start an application and its four steps, discard a draft, withdraw · ``files``:
the list and detail of one's applications, the receipt (page and PDF) and document downloads
· ``tracking``: the public tracking page (number and PIN, no login).

Thin: every read goes through ``selectors``, every change through ``services``; every object
is fetched through ``Permohonan.objects.visible_to``.
"""
