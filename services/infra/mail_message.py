"""The message every service composes its mails in: `new_message()`.

The standard library's `email.policy.default` asks its header registry for a header class each
time a header is set, parsed or counted, and the registry makes a new class with `type()` on
every call (CPython's email/headerregistry.py). That was half of composing a booking's
confirmation. `MAIL_POLICY` is the default policy with a registry that makes each header's
class once and remembers it; the classes, and so the messages, are the same.
"""

from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import default


class RememberingHeaderRegistry(HeaderRegistry):
    def __init__(self):
        super().__init__()
        self.made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = super().__getitem__(name)
        return made


MAIL_POLICY = default.clone(header_factory=RememberingHeaderRegistry())


def new_message() -> EmailMessage:
    return EmailMessage(policy=MAIL_POLICY)
