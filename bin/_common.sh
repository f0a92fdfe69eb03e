# Shared by bin/run, bin/test, bin/setup and .ci/run: locate Odoo 19.0 (or have bin/setup set it
# up), install the OS packages that are missing, make sure PostgreSQL answers.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
CM_VENV=$(realpath -m "${CM_VENV:-$REPO_ROOT/.venv}")
CM_ODOO_DIR=$(realpath -m "${CM_ODOO_DIR:-$REPO_ROOT/.odoo}")
ODOO_BIN=""

_apt_updated=0
apt_install() {  # apt_install WHY PACKAGE...: installs those of the Debian packages that are missing
    local why=$1 missing=() pkg sudo=""
    shift
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "ERROR: $why needs ${missing[*]} (Debian's names), and this system has no apt-get:" >&2
        echo "install them with your system's package manager." >&2
        exit 4
    fi
    if [ "$(id -u)" != 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "ERROR: $why needs the Debian packages ${missing[*]}: as root, run" >&2
            echo "  apt-get install ${missing[*]}" >&2
            exit 4
        fi
        sudo="sudo"
    fi
    echo "== installing ${missing[*]} from Debian's packages ($why)"
    if [ "$_apt_updated" = 0 ]; then
        $sudo apt-get update -qq
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

odoo_serie() {  # odoo_serie PYTHON: the serie of the Odoo that PYTHON imports, empty when none
    "$1" -c "import odoo.release as r; print(r.serie)" 2>/dev/null || true
}

require_odoo() {
    # Odoo installed in $PYTHON (editable or as a package) is used as it is, unless ODOO_SRC asks
    # for a source tree; otherwise bin/setup prepares $CM_VENV with Odoo 19.0 as a source tree.
    local serie
    serie=$(odoo_serie "$PYTHON")
    if [ -n "${ODOO_SRC:-}" ] || [ "$serie" != "19.0" ]; then
        if [ -z "${ODOO_SRC:-}" ]; then
            if [ -n "$serie" ]; then
                echo "== '$PYTHON' imports Odoo $serie, not 19.0: using Odoo 19.0 in a virtual environment"
            else
                echo "== '$PYTHON' cannot import Odoo: using Odoo 19.0 in a virtual environment"
            fi
        fi
        PYTHON="$PYTHON" CM_VENV="$CM_VENV" CM_ODOO_DIR="$CM_ODOO_DIR" "$REPO_ROOT/bin/setup" || exit $?
        local CM_ODOO_SRC=""
        # shellcheck source=/dev/null
        source "$CM_VENV/cm-setup.env"
        # Exported, so that the commands started from here (tests that run bin/run) use them too.
        export PYTHON="$CM_VENV/bin/python"
        export PYTHONPATH="$CM_ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
        [ ! -f "$CM_ODOO_SRC/odoo-bin" ] || ODOO_BIN="$CM_ODOO_SRC/odoo-bin"
        serie=$(odoo_serie "$PYTHON")
        if [ "$serie" != "19.0" ]; then
            echo "ERROR: $PYTHON with PYTHONPATH=$CM_ODOO_SRC does not import Odoo 19.0 (bin/setup)." >&2
            exit 3
        fi
    fi
    ODOO_CORE_ADDONS=$("$PYTHON" -c "
import os
from odoo.tools import config
print(','.join(p for p in (config.addons_community_dir, config.addons_base_dir) if os.path.isdir(p)))")
    ADDONS_PATH="$REPO_ROOT,${ODOO_CORE_ADDONS}${EXTRA_ADDONS_PATH:+,$EXTRA_ADDONS_PATH}"
    if [ -n "$ODOO_BIN" ]; then
        ODOO_CMD=("$PYTHON" "$ODOO_BIN")
    else
        ODOO_CMD=("$PYTHON" -c "import sys; from odoo.cli.command import main; sys.argv[0] = 'odoo'; main()")
    fi
}

run_odoo() {
    "${ODOO_CMD[@]}" "$@"
}

ensure_chromium() {  # Odoo's browser tours (HttpCase.start_tour) need a Chromium or Chrome
    local browser
    for browser in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$browser" >/dev/null 2>&1 && return 0
    done
    apt_install "Odoo's browser tours" chromium
}

_as_postgres() {  # _as_postgres COMMAND: runs a shell command as the OS user postgres
    if [ "$(id -u)" = 0 ]; then
        su postgres -c "$1"
    else
        sudo -u postgres sh -c "$1"
    fi
}

ensure_postgres() {  # a PostgreSQL server that the OS user reaches (Debian's, installed when missing)
    if psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        return 0
    fi
    if ! command -v psql >/dev/null 2>&1 || ! { command -v pg_ctlcluster || command -v pg_ctl; } >/dev/null 2>&1; then
        apt_install "Odoo's database server" postgresql postgresql-client
    fi
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    if command -v pg_lsclusters >/dev/null 2>&1; then
        # Debian's PostgreSQL: start every cluster that is down.
        pg_lsclusters --no-header 2>/dev/null | while read -r ver name _port status _rest; do
            if [ "$status" != "online" ]; then
                $sudo pg_ctlcluster "$ver" "$name" start || true
            fi
        done
    fi
    for _ in $(seq 1 30); do
        pg_isready -q 2>/dev/null && break
        sleep 1
    done
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        # Odoo connects as the OS user: give it a PostgreSQL superuser role.
        local me
        me=$(id -un)
        _as_postgres "psql -Atqc \"select 1 from pg_roles where rolname='$me'\"" 2>/dev/null | grep -q 1 \
            || _as_postgres "createuser --superuser $me" || true
    fi
    if ! psql -d postgres -Atqc "select 1" >/dev/null 2>&1; then
        echo "ERROR: PostgreSQL does not answer for user $(id -un) (see README.md, 'Prerequisites')." >&2
        exit 4
    fi
}

cm_addons() {  # cm_addons SEPARATOR [SUFFIX]: client_management and its bridges, joined
    local sep=$1 suffix=${2:-} out="" manifest
    for manifest in "$REPO_ROOT"/client_management*/__manifest__.py; do
        out+="${out:+$sep}$(basename "$(dirname "$manifest")")$suffix"
    done
    printf '%s' "$out"
}
