"""The words pages use for the system's codes (states, roles, kinds), in one place.

Templates have it as `words`: `{{ _(words.status[booking.status]) }}`.
"""

from types import SimpleNamespace

from gateway.pages.navigation import N_
from services.contracts import bookings, privacy
from services.contracts.accounts import ADMIN, COACH, COACHEE, PRIVACY, SUBSCRIBER

words = SimpleNamespace(
    status={
        bookings.PENDING: N_("Odottaa tilaajan päätöstä"),
        bookings.CONFIRMED: N_("Vahvistettu"),
        bookings.COMPLETED: N_("Toteutunut"),
        bookings.CANCELLED: N_("Peruttu"),
        bookings.NO_SHOW: N_("Ei saapunut"),
    },
    delivery={
        "video": N_("Videoyhteys"),
        "phone": N_("Puhelin"),
        "on_site": N_("Paikan päällä"),
    },
    availability={
        bookings.TIME_OFF: N_("Vapaa"),
        bookings.EXTRA: N_("Lisätyöaika"),
    },
    role={
        COACHEE: N_("Valmennettava"),
        COACH: N_("Valmentaja"),
        ADMIN: N_("Pääkäyttäjä"),
        PRIVACY: N_("Tietosuojahenkilöstö"),
        SUBSCRIBER: N_("Tilaajan yhteyshenkilö"),
    },
    request_kind={
        privacy.EXPORT: N_("Tietojen vienti"),
        privacy.ERASURE: N_("Tietojen poisto"),
        privacy.INSPECTION: N_("Tarkastuspyyntö"),
        privacy.RECTIFICATION: N_("Tietojen oikaisu"),
    },
    request_state={
        privacy.OPEN: N_("Käsittelyssä"),
        privacy.COMPLETED: N_("Valmis"),
    },
    weekday=(
        N_("maanantai"),
        N_("tiistai"),
        N_("keskiviikko"),
        N_("torstai"),
        N_("perjantai"),
        N_("lauantai"),
        N_("sunnuntai"),
    ),
)
