"""Fixtures of the browser tests: Playwright for Python (sync API) driving Debian's Chromium
against pytest-django's live server on 127.0.0.1, with a real Celery worker process.

- ``browser`` (one per module) is always closed in teardown, so no Chromium outlives a module.
- ``worker`` (one per module) is ``celery -A config worker`` pointed at the test database and
  the test Redis, writing e-mails to a file mailbox (``Mailbox``); it is the process that sends
  the verification e-mail and delivers the notification outbox. Its helper is the one of the
  notification worker tests (``tests/notifikasi/test_worker.py``).
- ``site`` (per test) ties them together: the live server's URL (also set as ``SITE_URL`` so
  that links in e-mails and PDFs point at it), the mailbox and a ``new_page()`` factory whose
  pages record JavaScript errors and Content-Security-Policy violations.

Tests are marked ``browser`` and skipped only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, RESULTS, Findings, Mailbox

# pytest-django's live server binds to this address (its own default is "localhost").
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="module")
def _orm_beside_playwright():
    """Playwright's sync API keeps its asyncio loop registered as running in the test thread,
    and Django then refuses ORM calls from that thread (SynchronousOnlyOperation). Test code
    and Playwright take turns on that thread and never overlap, so the check is switched off
    for the browser modules only, and put back afterwards."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def worker(live_server, django_db_setup, tmp_path_factory):
    """A real Celery worker for the module, on the test database and the test Redis."""
    from tests.notifikasi.test_worker import celery_worker, purge

    folder = tmp_path_factory.mktemp("browser-worker")
    broker_url = settings.CELERY_BROKER_URL
    purge(broker_url)
    env = {
        "SITE_URL": live_server.url,
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "MEDIA_ROOT": str(folder / "media"),
        "LOG_LEVEL": "WARNING",
    }
    with celery_worker(folder, redis_url=broker_url, name="browser", extra_env=env) as process:
        yield Mailbox(folder / "mail", folder / "browser.log"), process


@dataclass
class Site:
    url: str
    browser: object
    mailbox: Mailbox
    page_errors: Findings = field(default_factory=Findings)
    contexts: list = field(default_factory=list)

    def new_page(self, *, viewport=DESKTOP, **kwargs):
        """A page in a fresh context (its own cookies). JavaScript errors and CSP violations
        on it are recorded in ``page_errors`` and fail the test at teardown."""
        context = self.browser.new_context(
            viewport=viewport, locale="id-ID", accept_downloads=True, **kwargs
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.page_errors.add(page.url, f"JS error: {exc}"))

        def on_console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                self.page_errors.add(page.url, f"CSP: {message.text[:300]}")

        page.on("console", on_console)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


def _failure_screenshots(site: Site, name: str) -> None:
    """Each open page of a failed test, as it was, under test-results/failures/<test>/."""
    folder = RESULTS / "failures" / re.sub(r"[^\w.-]+", "_", name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for context in site.contexts:
        for page in context.pages:
            n += 1
            with contextlib.suppress(Exception):
                page.screenshot(path=str(folder / f"page-{n}.png"), full_page=True)
                (folder / f"page-{n}.url").write_text(page.url)


@pytest.fixture
def site(request, live_server, browser, worker, settings):
    settings.SITE_URL = live_server.url
    mailbox, _process = worker
    current = Site(url=live_server.url, browser=browser, mailbox=mailbox)
    try:
        yield current
    finally:
        if getattr(request.node, "browser_call_failed", False):
            _failure_screenshots(current, request.node.name)
        current.close()
    current.page_errors.assert_empty()
