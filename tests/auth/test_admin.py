"""Administration: hashed storage, the dev org, flowforce.toml configuration, profile/permission-set records."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from flowforce.auth.errors import AuthAdminError
from flowforce.auth.permissions import BUILTIN_PERMISSION_SETS, BUILTIN_PROFILES
from flowforce.auth.service import AuthService, DevOrg

from .conftest import ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, make_user


def all_text(auth: AuthService, table: sa.Table) -> str:
    with auth.store.engine.connect() as conn:
        return " ".join(str(value) for row in conn.execute(sa.select(table)) for value in row)


def test_secrets_are_not_stored_in_plain_text(auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "ops@example.com")
    access = auth.token_password(CLIENT_ID, CLIENT_SECRET, person.username, person.password_plus_token)
    refresh = auth.issue_refresh_token(CLIENT_ID, person.username)
    stored = " ".join(all_text(auth, table) for table in auth.tables.org.metadata.sorted_tables)
    for secret in (ADMIN_PASSWORD, CLIENT_SECRET, person.password, person.token, access.access_token, refresh):
        assert secret not in stored
    assert "scrypt$" in all_text(auth, auth.tables.users)
    assert auth.token_digest(access.access_token) in all_text(auth, auth.tables.tokens)


def test_ensure_schema_is_idempotent(auth: AuthService) -> None:
    org_id = auth.org_id
    auth.ensure_schema()
    again = AuthService(auth.store, auth.settings)
    again.ensure_schema()
    assert again.org_id == org_id
    with auth.store.transaction() as txn:
        profiles = txn.connection.execute(sa.text("SELECT COUNT(*) FROM profile")).scalar_one()
        sets = txn.connection.execute(sa.text("SELECT COUNT(*) FROM permissionset")).scalar_one()
    assert (profiles, sets) == (len(BUILTIN_PROFILES), len(BUILTIN_PERMISSION_SETS))  # not one more per start
    assert org_id.startswith("00D") and len(org_id) == 18


def test_configured_org_id(auth: AuthService) -> None:
    from .conftest import settings

    configured = AuthService(auth.store, settings(org_id="00D000000000001"))
    configured.ensure_schema()
    assert configured.org_id == "00D000000000001EAA"


def test_user_records_in_the_store(auth: AuthService) -> None:
    info = auth.add_user("rec@example.com", "pw", first_name="Rec", last_name="Ord", profile="Standard User",
                         permission_sets=["Flow_Runner"])
    with auth.store.transaction() as txn:
        user = txn.fetch_record("User", info.user_id)
        profile = txn.fetch_record("Profile", user["ProfileId"])
    assert user["Username"] == "rec@example.com" and user["Name"] == "Rec Ord"
    assert profile["Name"] == "Standard User"
    assert "Flow_Runner" in auth.catalog.permission_set_names()
    assert auth.list_users()[0].permission_sets == ("Flow_Runner",)


def test_duplicate_and_invalid_users(auth: AuthService) -> None:
    auth.add_user("dup@example.com", "pw")
    with pytest.raises(AuthAdminError):
        auth.add_user("DUP@example.com", "pw")
    with pytest.raises(AuthAdminError):
        auth.add_user("x@example.com", "pw", profile="No Such Profile")
    with pytest.raises(AuthAdminError):
        auth.add_user("y@example.com", "pw", permission_sets=["No_Such_Set"])


def test_set_password_and_reset_token(auth: AuthService, dev: DevOrg) -> None:
    person = make_user(auth, "ops@example.com")
    auth.set_password(person.username, "NewPassword1")
    token = auth.reset_security_token(person.username)
    assert auth.users.verify_login(person.username, "NewPassword1" + token) is not None
    assert auth.users.verify_login(person.username, person.password_plus_token) is None


def test_dev_org_uses_given_credentials(dev: DevOrg, auth: AuthService) -> None:
    assert dev.admin_username == ADMIN and dev.admin_password == ADMIN_PASSWORD
    assert dev.client_id == CLIENT_ID and dev.client_secret == CLIENT_SECRET
    assert dev.created == ("admin user", "client app")
    assert auth.token_client_credentials(CLIENT_ID, CLIENT_SECRET).user_id == auth.users.require(ADMIN).user_id
    assert auth.is_configured()


def test_dev_org_is_idempotent(auth: AuthService, dev: DevOrg) -> None:
    again = auth.ensure_dev_org(ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET)
    assert again.created == () and again.updated == ()
    assert len(auth.list_users()) == 1
    assert sorted(app.client_id for app in auth.list_apps()) == sorted([CLIENT_ID, "PlatformCLI"])  # + the sf CLI's
    bare = auth.ensure_dev_org()
    assert bare.created == () and bare.admin_username == ADMIN and bare.client_id == CLIENT_ID
    assert bare.client_secret is None and bare.admin_password is None


def test_dev_org_updates_changed_secrets(auth: AuthService, dev: DevOrg) -> None:
    changed = auth.ensure_dev_org(ADMIN, "Another-Password", CLIENT_ID, "another-secret")
    assert changed.updated == ("admin password", "client secret")
    assert auth.token_client_credentials(CLIENT_ID, "another-secret")
    assert auth.users.verify_login(ADMIN, "Another-Password") is not None


def test_dev_org_generates_missing_credentials(auth: AuthService) -> None:
    assert not auth.is_configured()
    dev = auth.ensure_dev_org()
    assert dev.admin_password and dev.client_secret and dev.security_token
    assert auth.token_password(dev.client_id, dev.client_secret, dev.admin_username, dev.admin_password)
    assert auth.ensure_dev_org().created == ()


def test_configure_from_toml_section(auth: AuthService, tmp_path) -> None:
    config = {
        "auth": {
            "permission_sets": {"Order_Desk": {"permissions": ["RunFlow"], "objects": {"Account": "read"}}},
            "users": [{"username": "int@example.com", "password_env": "INT_PW", "profile": "Minimum Access - API Only",
                       "permission_sets": ["Order_Desk"], "flow_user": False}],
            "apps": [{"name": "Integration", "client_id": "3MVG9int", "client_secret_env": "INT_SECRET",
                      "run_as": "int@example.com"}],
            "flow_shares": {"Create_Order": ["int@example.com"]},
        }
    }
    env = {"INT_PW": "pw-from-env", "INT_SECRET": "secret-from-env"}
    result = auth.configure_from(config, env=env)
    assert [u.username for u in result.users] == ["int@example.com"]
    assert [a.client_id for a in result.apps] == ["3MVG9int"]
    token = auth.token_client_credentials("3MVG9int", "secret-from-env").access_token
    session = auth.authenticate(token)
    assert session is not None and session.username == "int@example.com"
    assert auth.can_run_flow(session, "Create_Order").allowed
    assert auth.can_access_object(session, "Account", "read")
    again = auth.configure_from(config, env=env)
    assert again.users == [] and again.apps == [] and len(again.updated) == 2


def test_configure_from_missing_env(auth: AuthService) -> None:
    with pytest.raises(AuthAdminError):
        auth.configure_from({"users": [{"username": "a@example.com", "password_env": "NOPE"}]}, env={})
