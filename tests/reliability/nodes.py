"""Several app nodes behind Debian's nginx over one PostgreSQL and one Redis, on one machine.

The set-up of README "Production, two or more machines": each node is a gunicorn on its own
port (standing in for its own machine) with the same SECRET_KEY, DATABASE_URL and
RATELIMIT_STORAGE_URI; deploy/nginx.conf lists every node in its upstream block. Used by
tests/reliability/test_two_nodes.py and `bench/load.py --topology two-nodes`.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from tests.reliability.live import Server
from tests.reliability.test_proxy import Nginx

# Per worker process (gthread): as many pooled connections as threads, no overflow.
POOL_SIZE = 2
MAX_OVERFLOW = 0
POST_LINE = re.compile(r'"POST /e/')


def node_url(database_url: str, name: str) -> str:
    """`database_url` with the connections named `name` in pg_stat_activity."""
    url = sa.engine.make_url(database_url).update_query_dict({"application_name": name})
    return url.render_as_string(hide_password=False)


class Cluster:
    """`nodes` gunicorns and one nginx in front of them, for a `with` block.

    `prefix` names this cluster's Redis keys (RATELIMIT_KEY_PREFIX) and its database
    connections (application_name `<prefix>-node<n>`)."""

    def __init__(
        self,
        database_url: str,
        folder: Path,
        redis_uri: str,
        prefix: str,
        nodes: int = 2,
        workers: int = 2,
        threads: int = POOL_SIZE,
        env: dict | None = None,
    ):
        self.prefix = prefix
        self.workers = workers
        self.names = [f"{prefix}-node{n}" for n in range(nodes)]
        shared = {
            "RATELIMIT_ENABLED": "1",
            "RATELIMIT_STORAGE_URI": redis_uri,
            "RATELIMIT_KEY_PREFIX": prefix,
            # Behind its one proxy: the family's address comes from X-Forwarded-For.
            "TRUSTED_PROXIES": "1",
            "DB_POOL_SIZE": str(POOL_SIZE),
            "DB_MAX_OVERFLOW": str(MAX_OVERFLOW),
            # gunicorn.conf.py's access log (no address, no query string), to see which node
            # served what.
            "ACCESS_LOG": "-",
            **(env or {}),
        }
        self.servers = [
            Server(
                node_url(database_url, name),
                workers=workers,
                threads=threads,
                env=dict(shared),
                log_dir=folder,
            )
            for name in self.names
        ]
        self.nginx = Nginx(folder / "nginx", [server.host for server in self.servers])
        # Every node builds links on the one public address, nginx's.
        for server in self.servers:
            server.env["PUBLIC_BASE_URL"] = f"http://{self.nginx.host}"
        self._entered = []

    @property
    def host(self) -> str:
        return self.nginx.host

    def __enter__(self):
        try:
            # The nodes start side by side (each loads the app and its text models), then nginx.
            self._entered.extend(self.servers)
            with ThreadPoolExecutor(len(self.servers)) as pool:
                for started in [pool.submit(server.__enter__) for server in self.servers]:
                    started.result()
            self._entered.append(self.nginx)
            self.nginx.__enter__()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        while self._entered:
            part = self._entered.pop()
            process = getattr(part, "process", None)
            if process is not None and process.poll() is None:  # still running
                part.__exit__(None, None, None)

    def stop_node(self, index: int) -> None:
        """Stop one node, as if its machine went down (nginx is not told)."""
        server = self.servers[index]
        server.__exit__(None, None, None)
        self._entered.remove(server)

    def posts_served(self) -> list[int]:
        """How many family answers (POST /e/...) each node's gunicorn has logged."""
        return [
            len(POST_LINE.findall(server.log_path.read_text(errors="replace")))
            for server in self.servers
        ]

    def logs(self) -> str:
        tails = [server.log_path.read_text(errors="replace")[-5000:] for server in self.servers]
        return "\n".join(tails) + self.nginx.errors()

    def connections(self, database_url: str) -> dict[str, int]:
        """Open database connections of each node, from pg_stat_activity."""
        engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    sa.text(
                        "SELECT application_name, count(*) FROM pg_stat_activity "
                        "WHERE application_name LIKE :prefix GROUP BY application_name"
                    ),
                    {"prefix": f"{self.prefix}-node%"},
                ).all()
        finally:
            engine.dispose()
        return {name: count for name, count in rows}

    @property
    def connection_budget(self) -> int:
        """Connections one node may hold: workers x (pool + overflow)."""
        return self.workers * (POOL_SIZE + MAX_OVERFLOW)
