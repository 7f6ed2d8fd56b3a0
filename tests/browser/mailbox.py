"""The mails the site sent, as a browser test reads them: wait for one, follow its link."""

import re
from dataclasses import dataclass
from email.message import EmailMessage

from tests.servers import SmtpSink, wait_for

URL = re.compile(r"https?://[^\s<>\"']+")


def text_of(mail: EmailMessage) -> str:
    """The plain-text body (the HTML one where there is none)."""
    return mail.get_body(preferencelist=("plain", "html")).get_content()


@dataclass(frozen=True)
class Mailbox:
    sink: SmtpSink
    site_url: str

    def received(self, to: str | None = None) -> list[EmailMessage]:
        """Every mail so far, oldest first; only those addressed to `to` if given."""
        return self.sink.received(to)

    def wait_for_mail(self, to: str, subject: str = "", seconds: float = 15) -> EmailMessage:
        """The newest mail to `to` whose subject contains `subject`, once one has come."""

        def newest():
            matching = [m for m in self.received(to) if subject in str(m["Subject"])]
            return matching[-1] if matching else None

        return wait_for(newest, seconds=seconds, interval=0.2)

    def links(self, mail: EmailMessage) -> list[str]:
        """The links in the mail's text that lead to this site, in order."""
        return [url for url in URL.findall(text_of(mail)) if url.startswith(self.site_url)]

    def link(self, mail: EmailMessage, containing: str = "") -> str:
        """The first link to this site whose URL contains `containing`."""
        found = [url for url in self.links(mail) if containing in url]
        assert found, f"no link to {self.site_url} containing {containing!r} in:\n{text_of(mail)}"
        return found[0]
