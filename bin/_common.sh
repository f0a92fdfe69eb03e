# Shared by bin/run and bin/test: locate Odoo and make sure PostgreSQL answers.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

require_odoo() {
    if ! "$PYTHON" -c "import odoo.release" >/dev/null 2>&1; then
        echo "ERROR: '$PYTHON -c \"import odoo\"' fails: this addon needs an Odoo 19.0 installation" >&2
        echo "whose 'odoo' package this Python can import (see README.md, 'Prerequisites')." >&2
        exit 3
    fi
    local version
    version=$("$PYTHON" -c "import odoo.release as r; print(r.serie)")
    if [ "$version" != "19.0" ]; then
        echo "ERROR: found Odoo $version, this addon needs Odoo 19.0 (see README.md)." >&2
        exit 3
    fi
    ODOO_CORE_ADDONS=$("$PYTHON" -c "
import os
from odoo.tools import config
print(','.join(p for p in (config.addons_community_dir, config.addons_base_dir) if os.path.isdir(p)))")
    ADDONS_PATH="$REPO_ROOT,${ODOO_CORE_ADDONS}${EXTRA_ADDONS_PATH:+,$EXTRA_ADDONS_PATH}"
}

run_odoo() {
    "$PYTHON" -c "import sys; from odoo.cli.command import main; sys.argv[0] = 'odoo'; main()" "$@"
}

ensure_postgres() {
    if psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        return 0
    fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
        # Debian's PostgreSQL: start every cluster that is down.
        pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
            if [ "$status" != "online" ]; then
                pg_ctlcluster "$ver" "$name" start || true
            fi
        done
    fi
    for _ in $(seq 1 30); do
        pg_isready -q 2>/dev/null && break
        sleep 1
    done
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        # Running as root: give root a PostgreSQL superuser role, as Odoo connects as the OS user.
        su postgres -c "psql -Atqc \"select 1 from pg_roles where rolname='$(id -un)'\"" | grep -q 1 \
            || su postgres -c "createuser --superuser $(id -un)"
    fi
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        echo "ERROR: PostgreSQL does not answer for user $(id -un) (see README.md, 'Prerequisites')." >&2
        exit 4
    fi
}
