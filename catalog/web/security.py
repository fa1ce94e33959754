"""What keeps the review pages safe on an office network whose browsers also visit the internet.

- Host allow-list: a page is served only to the names the server is reached by (the served address,
  localhost, the machine's own names and those in tusach.toml `[web] hosts`): a DNS-rebinding page
  (`attacker.example` resolving to this machine) gets 400.
- Same origin for every change: a POST must carry an Origin (or, failing that, a Referer) of this
  server; a form submitted from another site or another port of the same host gets 403.
- CSRF tokens bound to the browser's session: an HMAC of the session cookie (logged in) or of a signed
  browser id; a token or cookie planted by another site does not verify.
- Frames, sniffing and referrers: `Content-Security-Policy` (own resources only, `frame-ancestors
  'none'`), `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
- Flash messages signed by the server (never text from the URL).
- Login throttling per account and per address (`Throttle`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BROWSER_COOKIE = "browser"  # a signed random id: what a CSRF token is bound to before login
FLASH_COOKIE = "flash"


def host_name(host_header: str) -> str:
    """`Example.org:8000` -> `example.org`; `[::1]:8000` -> `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def machine_names() -> set[str]:
    """The names and addresses this machine is reached by on the office network."""
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for name in list(names):
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(name, None))
        except OSError:
            continue
    return names


def allowed_hosts(served: str, configured: list[str] | None = None) -> set[str]:
    hosts = {"localhost", "127.0.0.1", "::1"} | {h.lower() for h in configured or []}
    wildcard = served in ("0.0.0.0", "::", "")
    if wildcard:
        hosts |= machine_names()
    else:
        hosts.add(served.lower())
    return hosts


def is_loopback(host: str) -> bool:
    """True when every address `host` names is this machine's loopback (`localhost`, `127.0.0.1`, `::1`)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def same_origin(origin_or_referer: str, host_header: str, scheme: str) -> bool:
    parts = urlsplit(origin_or_referer)
    return bool(parts.scheme) and parts.scheme == scheme and parts.netloc.lower() == host_header.strip().lower()


@dataclass
class Signer:
    """HMACs with the server's secret: tokens, browser ids, flash messages."""

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def new_browser_id(self) -> str:
        value = secrets.token_urlsafe(18)
        return f"{value}.{self.mac('browser', value)}"

    def browser_id_valid(self, cookie: str) -> bool:
        value, _, mac = cookie.rpartition(".")
        return bool(value) and hmac.compare_digest(mac, self.mac("browser", value))

    def csrf_token(self, binding: str) -> str:
        return self.mac("csrf", binding)

    def flash(self, kind: str, text: str) -> str:
        payload = base64.urlsafe_b64encode(f"{kind}\n{text}".encode()).decode()
        return f"{payload}.{self.mac('flash', payload)}"

    def read_flash(self, cookie: str) -> tuple[str, str] | None:
        payload, _, mac = cookie.rpartition(".")
        if not payload or not hmac.compare_digest(mac, self.mac("flash", payload)):
            return None
        kind, _, text = base64.urlsafe_b64decode(payload.encode()).decode().partition("\n")
        return kind, text


@dataclass
class Throttle:
    """Failed logins per account and per address: after LIMIT within WINDOW seconds, locked until the
    oldest of them is WINDOW old."""

    limit: int = 5
    window: float = 15 * 60
    failures: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))

    def _recent(self, key: str, now: float) -> deque:
        times = self.failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait_seconds(self, keys: list[str], now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        waits = [self.window - (now - times[0]) for times in (self._recent(k, now) for k in keys)
                 if len(times) >= self.limit]
        return max(waits, default=0.0)

    def failed(self, keys: list[str], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for key in keys:
            self._recent(key, now).append(now)

    def succeeded(self, keys: list[str]) -> None:
        for key in keys:
            self.failures.pop(key, None)
