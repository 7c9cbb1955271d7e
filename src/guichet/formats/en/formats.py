"""English formats for a French city: British day-first dates and 24-hour times."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
