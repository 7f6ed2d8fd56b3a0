"""Sending the mails that carry password-reset links.

`services.infra.mail_queue.send_due` claims a batch of mails and commits the claim first; the
batch's resets are read in one query and its mails go over one SMTP connection. Each link's
token is made here, just before its mail goes, and only its SHA-256 is stored, committed (for
the whole batch) before the SMTP server is asked, so the link works as soon as it arrives. A
mail that failed leaves a token nobody holds; its retry makes a new one. A mail whose reset was
used, replaced or has expired, or whose account is no longer in use, is closed unsent.
"""

import math
from datetime import datetime

from sqlalchemy.engine import RowMapping

from services.accounts import repository as repo
from services.accounts.logins import is_disabled
from services.accounts.models import password_reset_mails
from services.accounts.reset_mail import ResetMail, compose
from services.accounts.sessions import new_token
from services.accounts.work import Work
from services.infra import mail_queue
from services.infra.database import step
from services.infra.mail_queue import Outcomes
from services.infra.mailer import SmtpMailer
from services.infra.tokens import token_hash


def reason_not_to_send(reset, now: datetime) -> str | None:
    if reset["used_at"] is not None:
        return "the reset was used"
    if reset["revoked_at"] is not None:
        return "a newer reset replaced it"
    if reset["expires_at"] <= now:
        return "the reset has expired"
    if not reset["email"] or is_disabled(reset, now):
        return "the account is not in use"
    return None


def reset_mail(work: Work, job, reset, token: str) -> ResetMail:
    rules = work.settings.resets
    return ResetMail(
        job_id=job["id"],
        language=job["language"],
        username=reset["username"],
        recipient_name=reset["name"],
        recipient_email=reset["email"],
        token=token,
        valid_minutes=max(1, math.ceil(rules.valid_for.total_seconds() / 60)),
        link_base_url=rules.link_base_url,
    )


def send_batch(work: Work, mailer: SmtpMailer, batch: list[RowMapping], outcomes: Outcomes):
    """Send a claimed batch's mails over one connection, each with a new token."""
    resets = repo.resets_with_accounts(work.db, {job["password_reset_id"] for job in batch})
    to_send = []
    for job in batch:
        reset = resets[job["password_reset_id"]]
        reason = reason_not_to_send(reset, work.now)
        if reason is None:
            to_send.append((job, reset, new_token()))
        else:
            outcomes.not_sent(job, reason)
    if not to_send:
        return
    with step(work.db):
        for _, reset, token in to_send:
            repo.set_reset_token(work.db, reset["id"], token_hash(token))
    with mailer.connection() as smtp:
        for job, reset, token in to_send:
            try:
                smtp.send(compose(reset_mail(work, job, reset, token), mailer.sender, work.now))
            except Exception as exc:
                outcomes.failed(job, exc)
            else:
                outcomes.sent(job)


def send_due_reset_mails(work: Work, mailer: SmtpMailer) -> int:
    """Send every password-reset mail due at `work.now`; returns how many went."""
    return mail_queue.send_due(
        work.db,
        password_reset_mails,
        work.now,
        mailer,
        "password-reset mail",
        lambda batch, outcomes: send_batch(work, mailer, batch, outcomes),
    )
