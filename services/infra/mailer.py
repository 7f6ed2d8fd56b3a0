"""Sending mail over SMTP, and how often a service retries a mail that could not be sent.

A batch of messages goes over one connection (`SmtpMailer.connection()`, with a timeout), opened
by the worker that sends the batch and closed when it is done, so nothing is shared between
workers and a broken connection never outlives its batch. A message the server refuses fails
alone; once the connection breaks, every message after it in the batch fails with the break's
reason without another connection being tried, so no message already accepted goes twice.
smtplib cooperates with eventlet's monkey patching.
"""

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from nameko.extensions import DependencyProvider

DEFAULT_SENDER = "Valmennuskalenteri <noreply@valmennuskalenteri.local>"
DEFAULT_BATCH_SIZE = 20


class MailNotSent(Exception):
    """Sending failed; the text says why in a few words and never names a recipient."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str | None
    password: str | None
    starttls: bool
    timeout_seconds: float


@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta
    cap: timedelta
    max_attempts: int

    def delay_after(self, attempts: int) -> timedelta:
        """The wait before the next try once `attempts` tries have been made: doubling, capped."""
        return min(self.base * 2 ** max(attempts - 1, 0), self.cap)


def enabled(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def smtp_settings_from(config: dict) -> SmtpSettings:
    return SmtpSettings(
        host=str(config.get("SMTP_HOST", "127.0.0.1")),
        port=int(config.get("SMTP_PORT", 1025)),
        sender=str(config.get("SMTP_FROM") or DEFAULT_SENDER),
        username=config.get("SMTP_USERNAME") or None,
        password=config.get("SMTP_PASSWORD") or None,
        starttls=enabled(config.get("SMTP_STARTTLS", False)),
        timeout_seconds=float(config.get("SMTP_TIMEOUT_SECONDS", 10)),
    )


def retry_policy_from(config: dict) -> RetryPolicy:
    return RetryPolicy(
        base=timedelta(seconds=float(config.get("MAIL_RETRY_BASE_SECONDS", 60))),
        cap=timedelta(seconds=float(config.get("MAIL_RETRY_MAX_SECONDS", 3600))),
        max_attempts=int(config.get("MAIL_MAX_ATTEMPTS", 8)),
    )


def batch_size_from(config: dict) -> int:
    return max(1, int(config.get("MAIL_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def failure_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} {exc.smtp_code}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(codes)}"
    return f"{type(exc).__name__}: {exc}"


class SmtpConnection:
    """One SMTP session, opened at the first `send`, for the messages of one batch.

    smtplib closes its socket whenever the transport fails (the server gone, a timeout, a 421),
    and keeps it open after a refusal of one message (it resets the transaction), so whether the
    socket is still there tells a refused message from a broken connection.
    """

    def __init__(self, settings: SmtpSettings):
        self._settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._broken: MailNotSent | None = None

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; MailNotSent when it was not accepted."""
        if self._broken is not None:
            raise self._broken
        if "From" not in message:
            message["From"] = self._settings.sender
        try:
            smtp = self._open()
            smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            failure = MailNotSent(failure_reason(exc))
            if self._smtp is None or self._smtp.sock is None:
                self._broken = failure
            raise failure from exc

    def _open(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        settings = self._settings
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        try:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        """Say goodbye; the messages already accepted stay accepted whatever the answer."""
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()
        self._smtp = None


class SmtpMailer:
    """What a worker sees: a `connection()` to send a batch over; `sender`, `retry` and
    `batch_size` say from whom, how often and how many at a time."""

    def __init__(
        self, settings: SmtpSettings, retry: RetryPolicy, batch_size: int = DEFAULT_BATCH_SIZE
    ):
        self._settings = settings
        self.retry = retry
        self.batch_size = batch_size

    @property
    def sender(self) -> str:
        return self._settings.sender

    @contextmanager
    def connection(self) -> Iterator[SmtpConnection]:
        connection = SmtpConnection(self._settings)
        try:
            yield connection
        finally:
            connection.close()


class Mailer(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.mailer = SmtpMailer(
            smtp_settings_from(config), retry_policy_from(config), batch_size_from(config)
        )

    def get_dependency(self, worker_ctx) -> SmtpMailer:
        return self.mailer
