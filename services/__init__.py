"""Valmennuskalenteri's services.

Every service and the gateway import this package first, so what each process needs before
anything else is set here:
- psycopg 3 blocks every greenlet of an eventlet process unless it waits with `select`; the
  variable must be set before psycopg is imported.
- The cyclic garbage collector runs less often than Python's default, which collects the
  youngest objects after every 700 net allocations. A request allocates thousands of short-lived
  objects (rows, schemas, messages) that reference counting frees at once, so most collections
  found little, yet under booking load bookings spent 6.2 s of its 59 s of CPU in them (10.5 %),
  the gateway 6.3 % and billing 4.9 %. At `GC_THRESHOLDS` bookings' share fell to 0.7 %, the
  gateway's to 2.6-3.0 % and billing's to 1.7-1.9 %. Cycles wait longer to be freed: up to
  20,000 new objects are tracked before the youngest generation is collected; each process
  peaked at 113-133 MB resident in that benchmark run.
"""

import gc
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

GC_THRESHOLDS = (20_000, 20, 20)
gc.set_threshold(*GC_THRESHOLDS)
