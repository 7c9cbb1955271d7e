"""Settings of the submission benchmark's server: Guichet's own, with the floor's URLconf.

Everything else (DEBUG, SECRET_KEY, the database, middleware, REST framework) comes from
``guichet.settings`` and the environment the benchmark gives the server, as in production.
"""

from guichet.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor_urls"
