#!/bin/sh
# Run once by the postgres image on the primary's first start
# (/docker-entrypoint-initdb.d): lets the replica service stream from it
# with the same password as the app (docker-compose.yml, db-replica).
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
