"""Runs cleaning where it cannot stall the service, with a bound on how much runs at once.

Stripping and verifying is CPU work: in a native thread (eventlet.tpool) the service keeps
answering while it runs. At most `MEDIA_CLEANING_CONCURRENCY` files are cleaned at a time, so the
memory they take together stays below that many times the per-file bound.
"""

from eventlet import tpool
from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider

from services.media.cleaned import Cleaned
from services.media.cleaning import clean_upload
from services.media.settings import settings_from


class Cleaner(DependencyProvider):
    def setup(self):
        settings = settings_from(self.container.config)
        self.limits = settings.cleaning
        self.turns = Semaphore(settings.cleaning_concurrency)

    def get_dependency(self, worker_ctx):
        return self.clean

    def clean(self, data: bytes, filename: str) -> Cleaned:
        with self.turns:
            return tpool.execute(clean_upload, data, filename, self.limits)
