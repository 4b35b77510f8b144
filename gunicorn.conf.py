"""gunicorn's settings, read from the working directory: run ``gunicorn config.wsgi`` from the
project's directory (or pass ``-c /path/to/gunicorn.conf.py``). Command-line flags still win.

Access lines leave out the query string and the token of a token URL
(``config/gunicorn_logging.py``); turn them on with ``--access-logfile -``.

gunicorn always sends ``Server: gunicorn`` (no setting removes it in gunicorn 27): the reverse
proxy in front drops it (README, Production: ``proxy_hide_header Server;``).
"""

logger_class = "config.gunicorn_logging.RedactingLogger"
# The combined format, with the path instead of the request line (%(r)s holds the query).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'
