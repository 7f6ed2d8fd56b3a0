"""What one accounts operation works with: the transaction, the outbox, the time, the settings,
and billing (which decides whether a subscriber accepts a member)."""

from dataclasses import dataclass
from datetime import datetime

from services.accounts.settings import AccountSettings
from services.contracts.accounts import SESSIONS_CHANGED, SessionsChanged
from services.infra.audit import Audited

SESSIONS_CHANGED_EVENT = SessionsChanged()


@dataclass
class Work(Audited):
    db: object
    outbox: object
    now: datetime
    settings: AccountSettings
    billing: object

    def sessions_changed(self, account_id) -> None:
        """Announce, in this transaction, that `resolve_session` may now answer otherwise for
        the account's sessions (ended, disabled, another role or name), so that every gateway
        forgets the answers it remembers."""
        self.outbox.dispatch(
            SESSIONS_CHANGED, SESSIONS_CHANGED_EVENT.dump({"account_id": account_id})
        )
