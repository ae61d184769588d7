"""The password policy for passwords an administrator types (`flowforce users add --password`).

Salesforce's default policy: at least 8 characters, mixing letters and numbers, and not the username. Generated
passwords (16 random characters) are not checked: they are long enough to stand without the mix.
"""

from __future__ import annotations

from flowforce.auth.errors import AuthAdminError

MIN_LENGTH = 8


def check_password(password: str, username: str) -> None:
    """Raise AuthAdminError saying what the password lacks."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"at least {MIN_LENGTH} characters")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append("both letters and numbers")
    if password.lower() == username.lower():
        problems.append("something other than the username")
    if problems:
        raise AuthAdminError("the password must have " + " and ".join(problems))
