"""Accounts for the review pages: scrypt password hashes, roles, signed session tokens.

Roles: viewer (read), editor (read, edit metadata, select for a year), approver (everything,
including đối chiếu and phê duyệt).
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
CAN = {"viewer": set(), "editor": {"edit"}, "approver": {"edit", "review"}}
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


def authenticate(session: Session, name: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        check_password(password, hash_password("timing"))  # same work whether or not the name exists
        return None
    return user if check_password(password, user.password_hash) else None


def sign(secret: bytes, user_id: int, now: float | None = None) -> str:
    expires = int((now or time.time()) + SESSION_SECONDS)
    payload = f"{user_id}:{expires}"
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}:{mac}"


def verify_token(secret: bytes, token: str, now: float | None = None) -> int | None:
    try:
        user_id, expires, mac = token.split(":")
    except ValueError:
        return None
    expected = hmac.new(secret, f"{user_id}:{expires}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected) or int(expires) < (now or time.time()):
        return None
    return int(user_id)
