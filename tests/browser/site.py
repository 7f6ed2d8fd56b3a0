"""The site the browser tests drive: the whole system as processes, on a vhost, databases, S3
bucket and SMTP sink of its own."""

import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import SmtpSink, fresh_databases, rabbitmq_vhost, s3_server, smtp_sink_server
from tests.system import migrated_databases, process_env, running_processes


@dataclass(frozen=True)
class Site:
    url: str
    amqp_uri: str
    env: dict
    processes: dict[str, subprocess.Popen]
    mail: SmtpSink


@contextmanager
def running_site(mail_dir: Path) -> Iterator[Site]:
    """The databases are migrated while the vhost, moto_server and the SMTP sink are made,
    which takes seconds off the run's fixed cost.

    The gateway trusts X-Forwarded-For, as behind the real proxy: each browser context and API
    client comes from an address of its own, so one test's failed logins never throttle
    another's."""
    with fresh_databases() as make_url, ThreadPoolExecutor(max_workers=1) as migrations:
        migrating = migrations.submit(migrated_databases, make_url, "browser_")
        with (
            rabbitmq_vhost("browser") as amqp_uri,
            s3_server() as s3_config,
            smtp_sink_server(mail_dir) as sink,
        ):
            servers = {**s3_config, **sink.config}
            env = process_env(amqp_uri, migrating.result(), servers, TRUST_PROXY_HEADERS="true")
            with running_processes(env) as (processes, url):
                yield Site(url, amqp_uri, env, processes, sink)
