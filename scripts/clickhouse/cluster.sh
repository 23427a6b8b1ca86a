#!/bin/sh
# cluster.sh up|down|status DIR [PORT_BASE] — a 2-shard ClickHouse cluster on loopback for
# development and tests: two clickhouse-server processes (server.sh), data in DIR/shard1
# and DIR/shard2, native ports PORT_BASE and PORT_BASE + 10 (default 19000 and 19010), and
# a remote_servers config in each naming both as the shards of the cluster "entente".
#
#   entente --store 'clickhouse://127.0.0.1:19000/entente?cluster=entente' ...
#
# down stops both by the pids in DIR/shard*/clickhouse.pid.
set -eu

usage() { echo "usage: $0 up|down|status DIR [PORT_BASE]" >&2; exit 2; }
[ $# -ge 2 ] || usage
here=$(cd "$(dirname "$0")" && pwd)
cmd=$1
dir=$2
base=${3:-19000}

case $cmd in
up)
	for i in 1 2; do
		mkdir -p "$dir/shard$i/config.d"
		cat >"$dir/shard$i/config.d/remote_servers.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <remote_servers>
        <entente>
            <shard><replica><host>127.0.0.1</host><port>$base</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>$((base + 10))</port></replica></shard>
        </entente>
    </remote_servers>
</yandex>
XML
	done
	if ! "$here/server.sh" start "$dir/shard1" "$base"; then
		exit 1
	fi
	if ! "$here/server.sh" start "$dir/shard2" $((base + 10)); then
		"$here/server.sh" stop "$dir/shard1"
		exit 1
	fi
	echo "cluster entente: clickhouse://127.0.0.1:$base/entente?cluster=entente"
	;;
down)
	"$here/server.sh" stop "$dir/shard2"
	"$here/server.sh" stop "$dir/shard1"
	;;
status)
	"$here/server.sh" status "$dir/shard1" && "$here/server.sh" status "$dir/shard2"
	;;
*) usage ;;
esac
