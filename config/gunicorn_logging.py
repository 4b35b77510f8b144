"""gunicorn's logger for Satu Pintu (``logger_class`` in ``gunicorn.conf.py``): gunicorn's own,
with ``config.logs.RedactTokens`` on its access and error logs, so that an access line reads
``"GET /survei/:token/ HTTP/1.1" 410``: no token of a URL and no query string (searches, the
counter's e-mail lookup) whatever ``access_log_format`` says."""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.logs import RedactTokens


class RedactingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactTokens) for f in log.filters):
                log.addFilter(RedactTokens())
