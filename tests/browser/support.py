"""Helpers of the browser tests: the axe-core scan, screenshots, the development mailbox, log-in
and the scripted checks axe cannot make (focus, target size). Used by ``tests/browser``.

Every check collects its findings in a ``Findings`` list so that one run reports every page at
once; ``Findings.assert_empty()`` fails the test with all of them.
"""

from __future__ import annotations

import email
import email.policy
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=(
        "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium; "
        ".ci/run installs it). Playwright's own browser downloads are not used."
    ),
)

RESULTS = Path(settings.BASE_DIR) / "test-results"
AXE_SOURCE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WAIT_SECONDS = 45  # the longest a test waits for the worker (an e-mail, a notification)

# Small phone (the 390x844) and an ordinary laptop.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# --- Findings ----------------------------------------------------------------------------------


@dataclass
class Findings:
    """Problems found on the pages of one test, reported together."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")

    def assert_empty(self) -> None:
        assert not self.items, f"{len(self.items)} problem(s):\n" + "\n".join(self.items)


# --- axe-core ----------------------------------------------------------------------------------

_axe_source: str | None = None


def axe_source() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_SOURCE_PATH.read_text(encoding="utf-8")
    return _axe_source


def axe_violations(page) -> list[dict]:
    """Run axe-core with the WCAG 2.0/2.1/2.2 A and AA tags on the page as it is now.

    ``page.evaluate`` runs through the DevTools protocol, so the page's Content-Security-Policy
    (no inline scripts) does not apply to it; the application's own scripts stay under the CSP.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({
                    target: n.target.join(' '),
                    summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300),
                })),
                count: v.nodes.length,
            }));
        }""",
        AXE_TAGS,
    )


def scan(page, findings: Findings, label: str) -> None:
    """Record every axe violation of the current page under ``label``."""
    for v in axe_violations(page):
        nodes = "; ".join(f"{n['target']} ({n['summary']})" for n in v["nodes"])
        findings.add(
            f"{label} [{page.url}]",
            f"axe {v['id']} ({v['impact']}, {v['count']} node(s)): {v['help']}: {nodes}",
        )


# --- Screenshots -------------------------------------------------------------------------------


class Camera:
    """Numbered full-page screenshots under ``test-results/<journey>/``."""

    def __init__(self, journey: str):
        self.folder = RESULTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page, name: str) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


# --- The development mailbox (the worker's file e-mail backend) --------------------------------


class Mailbox:
    """E-mails the worker wrote with Django's file backend (``EMAIL_FILE_PATH``)."""

    SEPARATOR = "\n" + "-" * 79 + "\n"

    def __init__(self, folder: Path, log: Path):
        self.folder = folder
        self.log = log

    def messages(self) -> list[email.message.EmailMessage]:
        found = []
        if not self.folder.exists():
            return found
        for path in sorted(self.folder.glob("*.log")):
            for chunk in path.read_text(encoding="utf-8").split(self.SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_string(chunk, policy=email.policy.default))
        return found

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages() if address in str(m.get("To", ""))]

    def wait_for(self, address: str, *, subject_contains: str = "", timeout=WAIT_SECONDS):
        """The first e-mail to ``address`` (whose subject contains the text), waiting for the
        worker to send it."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.to(address):
                if subject_contains.lower() in str(message.get("Subject", "")).lower():
                    return message
            if time.monotonic() > deadline:
                tail = self.log.read_text()[-3000:] if self.log.exists() else "(no worker log)"
                raise AssertionError(
                    f"no e-mail to {address} with {subject_contains!r} within {timeout} s; "
                    f"worker log:\n{tail}"
                )
            time.sleep(0.25)


def plain_text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text)


def wait_until(predicate, timeout: float = WAIT_SECONDS, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


# --- Log-in ------------------------------------------------------------------------------------


def log_in(page, base_url: str, email_address: str, password: str) -> None:
    """Log in through the pages. Staff then type the current code of their authenticator on
    the second-factor page, as a person reading it from their phone would (the test gives
    the user a device with a known key first, see ``tests/mfa.py``)."""
    device = _staff_device(email_address)
    page.goto(f"{base_url}/akun/masuk/")
    page.get_by_label("E-mail").fill(email_address)
    page.get_by_label("Kata sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Masuk").click()
    assert "/akun/masuk/" not in page.url, f"log-in as {email_address} failed"
    if device is not None:
        assert "/akun/mfa/" in page.url, f"{email_address}: no second-factor page ({page.url})"
        type_second_factor(page, device)
        assert "/akun/mfa/" not in page.url, f"second factor of {email_address} failed"


def _staff_device(email_address: str):
    from accounts.mfa import services as mfa
    from accounts.models import User
    from tests.mfa import give_device

    user = User.objects.filter(email__iexact=email_address).first()
    if user is None or not mfa.required_for(user):
        return None
    return give_device(user)


def type_second_factor(page, device) -> None:
    from tests.mfa import fresh_code

    page.get_by_label(label("Kode verifikasi")).fill(fresh_code(device))
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Verifikasi").click()


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar").first.click()


# --- Scripted checks axe cannot make -----------------------------------------------------------

# Visible focus: the focused element has an outline (or a box-shadow ring) of at least 2 px and
# its box is not hidden under a sticky or fixed header.
FOCUS_STATE_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow && style.boxShadow !== 'none';
    const rect = el.getBoundingClientRect();
    let covered = false;
    for (const other of document.querySelectorAll('body *')) {
        const pos = getComputedStyle(other).position;
        if ((pos === 'sticky' || pos === 'fixed') && !other.contains(el)) {
            const r = other.getBoundingClientRect();
            if (r.height > 0 && r.width > 0 && r.bottom > rect.top && r.top < rect.bottom
                && r.right > rect.left && r.left < rect.right && rect.top < r.bottom
                && getComputedStyle(other).visibility !== 'hidden') {
                if (rect.top >= r.top && rect.bottom <= r.bottom) covered = true;
            }
        }
    }
    const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id
                  || el.tagName).toString().trim().slice(0, 40);
    return {tag: el.tagName.toLowerCase(), name, outline, ring, covered,
            top: rect.top, bottom: rect.bottom, width: rect.width, height: rect.height};
}"""


def check_focus_on_tab(page, findings: Findings, label: str, *, max_stops: int = 60) -> int:
    """Tab through the page from the top: every stop must show a focus indicator and not sit
    under a sticky header. Returns the number of stops visited."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.keyboard.press("Home")
    seen = 0
    first = None
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE_JS)
        if state is None:
            break
        key = (state["tag"], state["name"], round(state["top"]))
        if first is None:
            first = key
        elif key == first:
            break
        seen += 1
        if state["width"] == 0 and state["height"] == 0:
            continue
        if not (state["outline"] or state["ring"]):
            findings.add(label, f"no visible focus on <{state['tag']}> {state['name']!r}")
        if state["covered"]:
            findings.add(label, f"focused <{state['tag']}> {state['name']!r} is under a header")
    return seen


# WCAG 2.2 2.5.8 Target Size (Minimum): 24x24 CSS px, or a 24 px circle around the target's
# centre that does not intersect another target; inline links in sentences are exempt.
TARGET_SIZE_JS = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
                   + '[role=button], [tabindex]:not([tabindex="-1"])';
    const targets = [...document.querySelectorAll(selector)].filter(el => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
    });
    const rects = targets.map(el => el.getBoundingClientRect());
    const inlineInText = (el) => {
        if (el.tagName !== 'A') return false;
        if (getComputedStyle(el).display !== 'inline') return false;
        const block = el.closest('p, li, dd, td, th, span, small, label, div');
        if (!block) return false;
        const text = block.innerText.replace(el.innerText, '').trim();
        return text.length > 0;
    };
    const small = [];
    targets.forEach((el, i) => {
        const r = rects[i];
        if (r.width >= 24 && r.height >= 24) return;
        if (inlineInText(el)) return;
        if (el.closest('.visually-hidden, .visually-hidden-focusable')) return;
        // Spacing exception: a 24 px circle around the centre touches no other target.
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        const clash = rects.some((o, j) => {
            if (j === i || targets[j].contains(el) || el.contains(targets[j])) return false;
            const nx = Math.max(o.left, Math.min(cx, o.right));
            const ny = Math.max(o.top, Math.min(cy, o.bottom));
            return Math.hypot(nx - cx, ny - cy) < 12;
        });
        if (clash) {
            const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.name
                          || el.id || el.tagName).toString().trim().slice(0, 40);
            small.push(`<${el.tagName.toLowerCase()}> ${JSON.stringify(name)} `
                       + `${Math.round(r.width)}x${Math.round(r.height)}`);
        }
    });
    return small;
}"""


def check_target_size(page, findings: Findings, label: str) -> None:
    for problem in page.evaluate(TARGET_SIZE_JS):
        findings.add(label, f"target smaller than 24x24 px and too close to another: {problem}")


def label(text: str) -> re.Pattern:
    """A form label as crispy-forms renders it: the text, maybe followed by the required ``*``."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")
