"""The administrator's services, coaches and hours, subscribers and rosters, reports, feedback."""


class AdminCataloguePages:
    pass
