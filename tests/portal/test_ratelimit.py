from unittest import mock

from django.utils import translation

from guichet.portal.accounts.ratelimit import Limit, too_many_attempts_message

LIMIT = Limit("test", attempts=3, period=600)


def test_attempts_over_the_limit_wait_for_the_period_from_the_first() -> None:
    """The fourth attempt is over the limit until ten minutes after the first one."""
    clock = "guichet.portal.accounts.ratelimit.time.time"
    with mock.patch(clock, return_value=6000.0):
        assert LIMIT.hit("1.2.3.4", "a@b.fr") == 0
    with mock.patch(clock, return_value=6100.0):
        assert [LIMIT.hit("1.2.3.4", "a@b.fr") for _ in range(2)] == [0, 0]
        assert LIMIT.hit("1.2.3.4", "a@b.fr") == 500
        assert LIMIT.blocked_for("1.2.3.4", "a@b.fr") == 500
        assert LIMIT.blocked_for("1.2.3.4", "c@d.fr") == 0
    with mock.patch(clock, return_value=6600.0):
        assert LIMIT.blocked_for("1.2.3.4", "a@b.fr") == 0
        assert LIMIT.hit("1.2.3.4", "a@b.fr") == 0


def test_message_in_whole_minutes() -> None:
    """The wait is rounded up to whole minutes, singular or plural."""
    with translation.override("fr"):
        assert too_many_attempts_message(30) == "Trop de tentatives, réessayez dans 1 minute."
        assert too_many_attempts_message(601) == "Trop de tentatives, réessayez dans 11 minutes."
