"""The fixed pages every visitor can read: the privacy notice, the accessibility statement
(Act 306/2019) and the cookies the site sets (R-COOKIE-1/2, R-NOINDEX-1).

The cookie page takes the cookies' names from `gateway.cookies`, so it names what is set.
"""

from dataclasses import dataclass

from gateway.cookies import PREFERENCES_COOKIE, SESSION_COOKIE, TEST_COOKIE
from gateway.pages.navigation import N_
from gateway.pages.rendering import render
from gateway.pages.routing import page

PRIVACY_NOTICE = "/tietosuojaseloste"
ACCESSIBILITY_STATEMENT = "/saavutettavuusseloste"
COOKIES = "/evasteet"


@dataclass(frozen=True)
class Cookie:
    name: str
    title: str
    purpose: str
    lifetime: str


SITE_COOKIES = (
    Cookie(
        SESSION_COOKIE,
        N_("Kirjautuminen"),
        N_("Pitää sinut kirjautuneena. Asetetaan, kun kirjaudut sisään."),
        N_(
            "Kaksi vuorokautta, tai kaksi viikkoa, jos valitset kirjautuessa Muista minut. "
            "Poistetaan heti, kun kirjaudut ulos."
        ),
    ),
    Cookie(
        TEST_COOKIE,
        N_("Evästetesti ja lomakkeiden suojaus"),
        N_(
            "Kertoo, hyväksyykö selaimesi evästeet. Sen satunnainen arvo varmistaa, että "
            "lähettämäsi lomake tuli tältä sivustolta eikä toiselta sivustolta."
        ),
        N_("Istunnon ajan: poistuu, kun suljet selaimen."),
    ),
    Cookie(
        PREFERENCES_COOKIE,
        N_("Näyttöasetukset"),
        N_(
            "Tallentaa valitsemasi kielen ja teeman (vaalea tai tumma). Asetetaan vain, kun "
            "vaihdat kieltä tai teemaa."
        ),
        N_("Vuosi viimeisimmästä valinnasta."),
    ),
)


class StatementPages:
    @page("GET", PRIVACY_NOTICE)
    def privacy_notice_page(self, request, visitor):
        return render(visitor, "account/privacy_notice.html")

    @page("GET", ACCESSIBILITY_STATEMENT)
    def accessibility_statement_page(self, request, visitor):
        return render(visitor, "account/accessibility_statement.html")

    @page("GET", COOKIES)
    def cookies_page(self, request, visitor):
        return render(visitor, "account/cookies.html", {"cookies": SITE_COOKIES})
