"""Settings of the resilience run: production settings (``config.settings``) with the slow
file mailbox of ``bench/mailbox.py``. Everything else comes from the environment that
``bench/resilience.py`` sets (private PostgreSQL and Redis, short notification sweeps)."""

from config.settings import *  # noqa: F403
from config.settings import env

EMAIL_BACKEND = "bench.mailbox.SlowFileBackend"
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
BENCH_MAIL_DELAY = env.float("BENCH_MAIL_DELAY", default=0.3)
