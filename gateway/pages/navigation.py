"""The site's addresses and each role's menu: one table, so every page links the same way.

Labels are Finnish message ids marked with `N_` (translated when shown). A role's first item is
its home: where logging in leads when no other page was asked for.
"""

from dataclasses import dataclass

from services.contracts.accounts import ADMIN, COACH, COACHEE, PRIVACY, SUBSCRIBER


def N_(message: str) -> str:
    """Marks a string for the catalogs; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Link:
    path: str
    label: str


FRONT = Link("/", N_("Varaa aika"))
LOGIN = Link("/kirjaudu", N_("Kirjaudu"))
LOGOUT = "/kirjaudu-ulos"
PREFERENCES = "/asetukset"
STAFF_HOME = Link("/tyopoyta", N_("Työpöytä"))

MENUS = {
    None: (FRONT, Link("/omat-varaukset", N_("Omat varaukset"))),
    COACHEE: (
        FRONT,
        Link("/omat-varaukset", N_("Omat varaukset")),
        Link("/omat-tiedot", N_("Omat tiedot")),
        Link("/tietojeni-hallinta", N_("Tietojeni hallinta")),
    ),
    COACH: (
        STAFF_HOME,
        Link("/kalenteri", N_("Kalenteri")),
        Link("/kalenteri/tyoajat", N_("Työajat")),
        Link("/omat-tiedot", N_("Omat tiedot")),
    ),
    ADMIN: (
        STAFF_HOME,
        Link("/hallinta/varaukset", N_("Varaukset")),
        Link("/hallinta/valmennettavat", N_("Valmennettavat")),
        Link("/hallinta/henkilosto", N_("Henkilöstö")),
        Link("/hallinta/palvelut", N_("Palvelut")),
        Link("/hallinta/valmentajat", N_("Valmentajat")),
        Link("/hallinta/tilaajat", N_("Tilaajat")),
        Link("/hallinta/raportit", N_("Laskutusraportit")),
        Link("/hallinta/palaute", N_("Palaute")),
        Link("/tietosuoja/loukkaukset", N_("Tietoturvaloukkaukset")),
    ),
    PRIVACY: (
        STAFF_HOME,
        Link("/tietosuoja/pyynnot", N_("Tietosuojapyynnöt")),
        Link("/tietosuoja/sailytys", N_("Säilytys")),
        Link("/tietosuoja/loki", N_("Loki")),
        Link("/tietosuoja/loukkaukset", N_("Tietoturvaloukkaukset")),
    ),
    SUBSCRIBER: (STAFF_HOME, Link("/raportit", N_("Raportit"))),
}
FOOTER = (
    Link("/tietosuojaseloste", N_("Tietosuojaseloste")),
    Link("/saavutettavuusseloste", N_("Saavutettavuusseloste")),
    Link("/evasteet", N_("Evästeet")),
)


def home_of(role: str | None) -> str:
    return MENUS[role][0].path


def navigation_for(visitor) -> tuple[Link, ...]:
    return MENUS[visitor.role]


def safe_return_path(path: str | None, fallback: str = "/") -> str:
    """`path` when it is a path on this site; never another site (`//host`, `https://…`)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return fallback
    return path
