"""A subscriber contact's own organisation's billing reports (R-BILL); nothing else.

Which reports a contact may see is billing's rule (its actor carries the contact's subscriber):
another organisation's report is a 404 page.
"""

from gateway.pages.forms import load_form
from gateway.pages.i18n import HELSINKI
from gateway.pages.rendering import render
from gateway.pages.routing import page
from gateway.request_input import accepted
from services.contracts.accounts import SUBSCRIBER
from services.contracts.billing import DraftQuery, ReportQuery

HOME_REPORTS = 5


class SubscriberPages:
    def subscriber_home(self, request, visitor):
        actor = self.report_actor_of(visitor.caller)
        latest = accepted(ReportQuery(), {"limit": HOME_REPORTS})
        reports = self.billing.list_reports(actor, latest)["items"]
        period = self.clock.now().astimezone(HELSINKI).strftime("%Y-%m")
        month = {"subscriber_id": actor["subscriber_id"], "period": period, "limit": 1}
        draft = self.billing.preview_report(accepted(DraftQuery(), month), actor)
        context = {"reports": reports, "draft": draft}
        return render(visitor, "subscriber/home.html", context)

    @page("GET", "/raportit", roles=(SUBSCRIBER,))
    def subscriber_reports(self, request, visitor):
        query = load_form(ReportQuery(only=("cursor",)), request.args.to_dict(), visitor)
        actor = self.report_actor_of(visitor.caller)
        listed = self.billing.list_reports(actor, accepted(ReportQuery(), query))
        return render(visitor, "subscriber/reports.html", {"listed": listed})

    @page("GET", "/raportit/<uuid:report_id>", roles=(SUBSCRIBER,))
    def subscriber_report(self, request, visitor, report_id):
        actor = self.report_actor_of(visitor.caller)
        report = self.billing.get_report(str(report_id), actor)
        return render(visitor, "subscriber/report.html", {"report": report})
