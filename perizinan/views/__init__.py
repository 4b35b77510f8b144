"""Views of the perizinan app, one module (or package) per audience:

``pemohon``: the citizen's applications, the receipt, documents and public tracking ·
``petugas``: the officers' desk (dashboard, queues, the file page, the counter) · ``izin``:
signing, issued permits, permit and rejection-letter downloads, public verification ·
``akses``: the citizen's log of staff access to their documents.
"""
