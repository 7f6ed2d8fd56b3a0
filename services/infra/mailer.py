"""Sending mail over SMTP, and how often a service retries a mail that could not be sent.

Each message opens its own connection (with a timeout), so nothing is shared between workers and
a broken connection never outlives one send. smtplib cooperates with eventlet's monkey patching.
"""

import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from nameko.extensions import DependencyProvider

DEFAULT_SENDER = "Valmennuskalenteri <noreply@valmennuskalenteri.local>"


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


def failure_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} {exc.smtp_code}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(codes)}"
    return f"{type(exc).__name__}: {exc}"


class SmtpMailer:
    """What a worker sees: `send` a message; `sender` and `retry` say from whom and how often."""

    def __init__(self, settings: SmtpSettings, retry: RetryPolicy):
        self._settings = settings
        self.retry = retry

    @property
    def sender(self) -> str:
        return self._settings.sender

    def send(self, message: EmailMessage) -> None:
        if "From" not in message:
            message["From"] = self._settings.sender
        try:
            self._deliver(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailNotSent(failure_reason(exc)) from exc

    def _deliver(self, message: EmailMessage) -> None:
        settings = self._settings
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)


class Mailer(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.mailer = SmtpMailer(smtp_settings_from(config), retry_policy_from(config))

    def get_dependency(self, worker_ctx) -> SmtpMailer:
        return self.mailer
