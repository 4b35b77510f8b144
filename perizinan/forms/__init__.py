"""Forms of the perizinan app: ``pemohon`` (the citizen's application steps) and ``petugas``
(the officers' desk)."""
