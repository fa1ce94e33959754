"""Accounts for the review pages: scrypt password hashes, roles, signed session tokens.

Roles: viewer (read, download), editor (also upload, edit metadata, select for a year), approver
(everything, including đối chiếu, phê duyệt and bundles).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from sqlmodel import Session, select

from catalog.models import User

ROLES = ("viewer", "editor", "approver")
CAN = {"viewer": {"download"}, "editor": {"download", "upload", "edit"},
       "approver": {"download", "upload", "edit", "review", "bundle"}}
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
SESSION_SECONDS = 12 * 3600


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${encode(salt)}${encode(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(actual, base64.b64decode(digest))


def add_user(session: Session, name: str, role: str, password: str) -> User:
    if role not in ROLES:
        raise ValueError(f"vai trò phải là một trong {', '.join(ROLES)}")
    if len(password) < 8:
        raise ValueError("mật khẩu cần ít nhất 8 ký tự")
    user = session.exec(select(User).where(User.name == name)).first() or User(name=name, role=role,
                                                                                 password_hash="")
    user.role, user.password_hash = role, hash_password(password)
    session.add(user)
    return user


def set_password(session: Session, name: str, password: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise ValueError(f"không có tài khoản {name}")
    if len(password) < 8:
        raise ValueError("mật khẩu cần ít nhất 8 ký tự")
    user.password_hash = hash_password(password)  # every session signed with the old one ends
    session.add(user)
    return user


def remove_user(session: Session, name: str) -> None:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise ValueError(f"không có tài khoản {name}")
    session.delete(user)


_NOBODY = hash_password(secrets.token_urlsafe(16))  # checked for an unknown name: the same work as a known one


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        check_password(password, _NOBODY)
        return None
    return user if check_password(password, user.password_hash) else None


def _fingerprint(user: User) -> str:
    """Changes with the password: a session signed before a password change no longer verifies."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def sign(secret: bytes, user: User, now: float | None = None) -> str:
    expires = int((now or time.time()) + SESSION_SECONDS)
    payload = f"{user.id}:{expires}:{_fingerprint(user)}"
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}:{mac}"


def verify_token(session: Session, secret: bytes, token: str, now: float | None = None) -> User | None:
    """The account a session cookie belongs to; None when forged, expired, its account removed or its
    password changed since."""
    try:
        user_id, expires, fingerprint, mac = token.split(":")
        expected = hmac.new(secret, f"{user_id}:{expires}:{fingerprint}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected) or int(expires) < (now or time.time()):
            return None
        user = session.get(User, int(user_id))
    except (ValueError, OverflowError):
        return None
    return user if user is not None and hmac.compare_digest(fingerprint, _fingerprint(user)) else None
