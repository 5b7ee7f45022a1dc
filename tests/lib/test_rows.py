"""`levelup.lib.rows`: a row split into instances must match the models it was selected for."""

from __future__ import annotations

import pytest

from levelup.accounts.models import ApiToken, User
from levelup.accounts.tokens import api_token_create
from levelup.lib import rows

pytestmark = pytest.mark.django_db


def test_a_row_becomes_one_instance_per_model(alice: User) -> None:
    api_token_create(user=alice, name="t")
    tokens, users = rows.Columns(ApiToken, "t"), rows.Columns(User, "u")
    sql = (
        f"SELECT {tokens.sql()}, {users.sql()} FROM {rows.table(ApiToken)} t"
        f" JOIN {rows.table(User)} u ON u.id = t.user_id"
    )
    token, user = rows.instances(rows.fetch(sql, [])[0], tokens, users)
    assert (token.name, token.user_id) == ("t", alice.pk)
    assert user.username == "alice" and user.is_active is True


def test_a_row_of_the_wrong_width_is_refused(alice: User) -> None:
    users = rows.Columns(User, "u")
    row = rows.fetch(f"SELECT {users.sql()}, 1 FROM {rows.table(User)} u", [])[0]
    with pytest.raises(ValueError, match="columns"):
        rows.instances(row, users)
