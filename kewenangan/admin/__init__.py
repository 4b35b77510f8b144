"""Django admin of the kewenangan app, one module per concern (importing this package
registers them all):

``kewenangan``: OPDs, the authorities with their history, and moving or delegating them in
bulk · ``jenis_izin``: service types with their standards, publishing, the published
versions · ``kantor``: local holidays and the service pledge · ``common``: what they share.

Every change of a kewenangan's holder goes through ``reassign_kewenangan`` (edit form and
bulk action alike), so each writes a history row. A published service is re-published after
each edit: a changed standard becomes a new version.
"""

from kewenangan.admin import jenis_izin, kantor, kewenangan

__all__ = ["jenis_izin", "kantor", "kewenangan"]
