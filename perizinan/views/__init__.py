"""Views of the perizinan app, one module per audience:

``pemohon``: the citizen's applications, the receipt, documents and public tracking.
"""
