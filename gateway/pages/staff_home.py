"""`/tyopoyta`: each staff role's home, a work queue of what needs doing now.

Each role's page mixin gives `<role>_home(request, visitor)`; a coachee's home is their bookings.
"""

from gateway.pages.navigation import STAFF_HOME
from gateway.pages.rendering import redirect
from gateway.pages.routing import ANY_ROLE, page
from services.contracts.accounts import COACHEE


class StaffHomePage:
    @page("GET", STAFF_HOME.path, roles=ANY_ROLE)
    def staff_home(self, request, visitor):
        if visitor.role == COACHEE:
            return redirect(visitor, "/omat-varaukset")
        return getattr(self, f"{visitor.role}_home")(request, visitor)
