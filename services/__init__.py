"""Valmennuskalenteri's services.

psycopg 3 blocks every greenlet of an eventlet process unless it waits with `select`; the
variable must be set before psycopg is imported, and every service imports this package first.
"""

import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
