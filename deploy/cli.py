"""`valmennus`: what operators do outside the web. `valmennus --help` lists the commands."""

import argparse
import json
import os
import sys

from services.contracts.names import ALL_SERVICES


def cmd_migrate(args) -> int:
    from services.infra.config import load_config
    from services.infra.migrations import upgrade

    for service in args.services or ALL_SERVICES:
        upgrade(service, load_config(service)["DATABASE_URL"])
        print(f"{service}: migrated to head")
    return 0


def cmd_declare_queues(args) -> int:
    from deploy.catalog import GATEWAY_CLASS, load_class, service_classes
    from services.infra.config import load_config
    from services.infra.queues import declare_queues

    components = [*service_classes(), load_class(GATEWAY_CLASS)]
    declared = declare_queues(components, load_config("accounts"))
    print(f"declared {len(declared)} queues")
    return 0


def cluster_rpc(service: str, timeout: float = 10):
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.infra.config import load_config

    return ClusterRpcProxy(load_config(service), timeout=timeout)


def cmd_parked(args) -> int:
    with cluster_rpc(args.service) as rpc:
        target = getattr(rpc, args.service)
        if args.action == "list":
            print(json.dumps(target.list_parked_events(args.limit), indent=2, ensure_ascii=False))
            return 0
        replayed = target.replay_parked_event(args.id)
        print("replayed" if replayed else "no such parked event")
        return 0 if replayed else 1


def cmd_retention(args) -> int:
    with cluster_rpc("privacy") as rpc:
        if not args.preview:
            print(json.dumps(rpc.privacy.run_retention(), indent=2))
            return 0
        items, cursor = [], None
        while True:
            page = rpc.privacy.retention_preview(None, 500, cursor)
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    preview = {"created_before": page["created_before"], "items": items}
    print(json.dumps(preview, indent=2, ensure_ascii=False))
    return 0


def cmd_create_admin(args) -> int:
    from services.contracts.errors import Conflict, InvalidInput

    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"Password for {args.username}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    with cluster_rpc("accounts") as rpc:
        try:
            account = rpc.accounts.create_admin(args.username, password)
        except (InvalidInput, Conflict) as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            print(f"not created: {exc.message} {problems}".strip(), file=sys.stderr)
            return 1
    print(f"admin {account['username']} created")
    return 0


REPORT_PUBLISH_TIMEOUT_SECONDS = 1800


def cmd_report_publish(args) -> int:
    from services.contracts.errors import Conflict

    with cluster_rpc("billing", timeout=REPORT_PUBLISH_TIMEOUT_SECONDS) as rpc:
        try:
            result = rpc.billing.publish_reports(args.period)
        except Conflict as exc:
            print(f"not published: {exc.message}", file=sys.stderr)
            return 1
    for report in result["published"]:
        print(f"published {report['period']} v{report['version']}: {report['subscriber_name']}")
    print(
        f"{result['period']}: {len(result['published'])} published now, "
        f"{result['already_published']} published before"
    )
    return 0


def period_argument(text: str) -> str:
    from services.billing.periods import parse_period

    try:
        parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def cmd_status(args) -> int:
    from deploy.status import status_report

    print(status_report(args.window, args.host))
    return 0


def cmd_run_local(args) -> int:
    from deploy.local import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="valmennus", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="create databases and apply migrations")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help="default: all")
    migrate.set_defaults(run=cmd_migrate)

    declare = commands.add_parser(
        "declare-queues", help="declare every exchange, consumer queue and binding"
    )
    declare.set_defaults(run=cmd_declare_queues)

    parked = commands.add_parser("parked", help="list or replay events a handler gave up on")
    parked.add_argument("action", choices=["list", "replay"])
    parked.add_argument("service", choices=ALL_SERVICES)
    parked.add_argument("id", nargs="?", type=int, help="with replay: the parked event's id")
    parked.add_argument("--limit", type=int, default=100)
    parked.set_defaults(run=cmd_parked)

    retention = commands.add_parser(
        "retention", help="erase coachees past their two calendar years now (the daily job)"
    )
    retention.add_argument(
        "--preview", action="store_true", help="only list whom the run a month from now erases"
    )
    retention.set_defaults(run=cmd_retention)

    create_admin = commands.add_parser(
        "create-admin", help="create an administrator; the password is read from standard input"
    )
    create_admin.add_argument("username")
    create_admin.set_defaults(run=cmd_create_admin)

    report = commands.add_parser("report", help="monthly billing reports")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    publish = report_commands.add_parser(
        "publish", help="publish a month's billing reports now; published ones are left alone"
    )
    publish.add_argument("--period", required=True, type=period_argument, metavar="YYYY-MM")
    publish.set_defaults(run=cmd_report_publish)

    status = commands.add_parser(
        "status", help="per service: instances, queue depth, p95, parked events, outbox backlog"
    )
    status.add_argument(
        "--window", type=float, default=5.0, metavar="SECONDS", help="measure over (default 5)"
    )
    status.add_argument(
        "--host",
        default=os.environ.get("STATUS_METRICS_HOST", "127.0.0.1"),
        help="host serving each component's metrics; {component} stands for its name "
        "(default: STATUS_METRICS_HOST or 127.0.0.1)",
    )
    status.set_defaults(run=cmd_status)

    run_local = commands.add_parser(
        "run-local", help="run the whole system on this machine (what `make run` calls)"
    )
    run_local.set_defaults(run=cmd_run_local)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "migrate" and set(args.services) - set(ALL_SERVICES):
        parser.error(f"migrate: services are {', '.join(ALL_SERVICES)}")
    if args.command == "parked" and args.action == "replay" and args.id is None:
        parser.error("parked replay needs the parked event's id")
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
