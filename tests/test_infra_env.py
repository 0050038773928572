"""Strict parsing of environment variables: a malformed value stops the start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from mybusiness.env import Env


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " True "])
def test_it_reads_true_booleans(value):
    assert Env({"X": value}).bool("X", default=False) is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_it_reads_false_booleans(value):
    assert Env({"X": value}).bool("X", default=True) is False


@pytest.mark.parametrize("value", ["ture", "y", "2", "vrai", "enabled"])
def test_it_refuses_a_malformed_boolean(value):
    with pytest.raises(ImproperlyConfigured, match="is not a boolean"):
        Env({"DEBUG": value}).bool("DEBUG", default=False)


@pytest.mark.parametrize("environ", [{}, {"X": ""}, {"X": "   "}])
def test_an_unset_or_blank_variable_gives_the_default(environ):
    env = Env(environ)
    assert env.bool("X", default=True) is True
    assert env.int("X", 7) == 7
    assert env.str("X", "d") == "d"
    assert env.list("X", ["a"]) == ["a"]


def test_it_refuses_a_malformed_integer():
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        Env({"PORT": "58x"}).int("PORT", 587)


def test_it_refuses_an_integer_below_its_minimum():
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        Env({"PORT": "0"}).int("PORT", 587, minimum=1)


def test_it_requires_a_required_string():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        Env({}).str("SECRET_KEY", required=True)


def test_it_splits_a_list_and_refuses_an_empty_item():
    assert Env({"H": "a.example, b.example"}).list("H") == ["a.example", "b.example"]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        Env({"H": "a.example,,b.example"}).list("H")


@pytest.mark.parametrize("value", ["adv", "adv@localhost", "a dv@x.example", "@x.example"])
def test_it_refuses_a_malformed_email(value):
    with pytest.raises(ImproperlyConfigured, match="not an email address"):
        Env({"SALES_ADMIN_EMAIL": value}).email("SALES_ADMIN_EMAIL", "adv@x.example")


def test_it_reads_a_database_url():
    config = Env({"DATABASE_URL": "postgresql://me:p%40ss@db.example:5433/portal"}).database("DATABASE_URL", "x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("portal", "me", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db.example", "5433")


def test_an_unset_database_url_means_sqlite():
    config = Env({}).database("DATABASE_URL", "/tmp/x.sqlite3")
    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", "/tmp/x.sqlite3")
    # Concurrent writers of the demo wait for each other instead of failing with « database is locked ».
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and config["OPTIONS"]["timeout"] >= 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql://me@db/portal", "must start with postgres"),
        ("postgresql://me@db.example:5432/", "names no database"),
        ("postgresql://me@db.example:port/portal", "invalid port"),
    ],
)
def test_it_refuses_a_malformed_database_url(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        Env({"DATABASE_URL": value}).database("DATABASE_URL", "x")


@pytest.mark.parametrize("value", ["amqp://guest@rabbit//", "redis://", "localhost:6379"])
def test_it_refuses_a_broker_that_is_not_redis(value):
    with pytest.raises(ImproperlyConfigured, match="not a redis:// URL"):
        Env({"CELERY_BROKER_URL": value}).redis_url("CELERY_BROKER_URL")


def test_it_reads_a_redis_url():
    assert Env({"B": "redis://127.0.0.1:6379/4"}).redis_url("B") == "redis://127.0.0.1:6379/4"
    assert Env({}).redis_url("B") is None
