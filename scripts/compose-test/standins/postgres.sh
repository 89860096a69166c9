#!/usr/bin/env bash
# postgres:15.10-bookworm: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB create the cluster on first start
# in /var/lib/postgresql/data; the server runs as `postgres`; pg_isready on PATH.
# packages: postgresql-15
# config: ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
# config: CMD ["postgres"]
# config: ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# config: ENV PGDATA=/var/lib/postgresql/data
# config: EXPOSE 5432
# shellcheck source=scripts/compose-test/standins/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install -m 0755 "$here/postgres-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
chroot "$root" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
chmod 0700 "$root/var/lib/postgresql/data"
slim
