"""The fixed pages every visitor can read: the privacy notice, the accessibility statement
(Act 306/2019) and the cookies the site sets (R-COOKIE-1/2, R-NOINDEX-1).

The cookie page takes the cookies' names from `gateway.cookies`, so it names what is set.
"""

from gateway.cookies import PREFERENCES_COOKIE, SESSION_COOKIE, TEST_COOKIE
from gateway.pages.rendering import render
from gateway.pages.routing import page

PRIVACY_NOTICE = "/tietosuojaseloste"
ACCESSIBILITY_STATEMENT = "/saavutettavuusseloste"
COOKIES = "/evasteet"


class StatementPages:
    @page("GET", PRIVACY_NOTICE)
    def privacy_notice_page(self, request, visitor):
        return render(visitor, "account/privacy_notice.html")

    @page("GET", ACCESSIBILITY_STATEMENT)
    def accessibility_statement_page(self, request, visitor):
        return render(visitor, "account/accessibility_statement.html")

    @page("GET", COOKIES)
    def cookies_page(self, request, visitor):
        names = {
            "session": SESSION_COOKIE,
            "test": TEST_COOKIE,
            "preferences": PREFERENCES_COOKIE,
        }
        return render(visitor, "account/cookies.html", {"cookie_names": names})
