#!/bin/sh
# server.sh start|stop|status DIR PORT_BASE — one clickhouse-server on loopback for
# development and tests, with everything it writes under DIR.
#
#   native (TCP) port  PORT_BASE       what entente connects to: clickhouse://127.0.0.1:PORT_BASE/DB
#   HTTP port          PORT_BASE + 1   GET /ping, and the clickhouse-client-free way to run SQL
#   interserver port   PORT_BASE + 2
#
# Extra configuration (the cluster's remote_servers) goes in DIR/config.d/*.xml, which
# clickhouse-server merges into DIR/config.xml. The server runs as the clickhouse user when
# started by root (its data must not be owned by root in production either), else as the
# caller. Its pid is in DIR/clickhouse.pid; stop sends SIGTERM to that pid only, and
# SIGKILL after 30 s.
set -eu

usage() { echo "usage: $0 start|stop|status DIR PORT_BASE" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
dir=$2
pidfile=$dir/clickhouse.pid

alive() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
	base=$1
	bin=$(command -v clickhouse-server || true)
	for b in /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
		if [ -z "$bin" ] && [ -x "$b" ]; then bin=$b; fi
	done
	if [ -z "$bin" ]; then
		echo "server.sh: clickhouse-server is not installed (Debian: apt-get install clickhouse-server)" >&2
		exit 3
	fi
	if alive; then
		echo "server.sh: a server already runs from $dir (pid $(cat "$pidfile"))" >&2
		exit 1
	fi
	mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log" "$dir/config.d"
	dir=$(cd "$dir" && pwd)
	pidfile=$dir/clickhouse.pid
	cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$dir/log/clickhouse-server.log</log>
        <errorlog>$dir/log/clickhouse-server.err.log</errorlog>
        <size>10M</size>
        <count>2</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$base</tcp_port>
    <http_port>$((base + 1))</http_port>
    <interserver_http_port>$((base + 2))</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>/etc/clickhouse-server/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <max_concurrent_queries>100</max_concurrent_queries>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
</yandex>
XML
	runas=""
	if [ "$(id -u)" = 0 ] && id clickhouse >/dev/null 2>&1; then
		chown -R clickhouse:clickhouse "$dir"
		runas="setpriv --reuid=clickhouse --regid=clickhouse --init-groups"
	fi
	# setpriv execs, so $! is the server's own pid.
	cd "$dir"
	$runas "$bin" --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 </dev/null &
	echo $! >"$pidfile"
	i=0
	while ! curl -fsS "http://127.0.0.1:$((base + 1))/ping" >/dev/null 2>&1; do
		if ! alive; then
			echo "server.sh: clickhouse-server in $dir exited at start; its log:" >&2
			tail -n 20 "$dir/log/stdout.log" "$dir/log/clickhouse-server.err.log" >&2 2>/dev/null || true
			rm -f "$pidfile"
			exit 1
		fi
		i=$((i + 1))
		if [ $i -ge 300 ]; then
			echo "server.sh: clickhouse-server in $dir did not answer /ping on port $((base + 1)) within 30 s" >&2
			exit 1
		fi
		sleep 0.1
	done
	echo "clickhouse-server pid $(cat "$pidfile"): clickhouse://127.0.0.1:$base (http $((base + 1))), data in $dir"
}

stop() {
	if ! [ -f "$pidfile" ]; then
		return 0
	fi
	pid=$(cat "$pidfile")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		i=0
		while kill -0 "$pid" 2>/dev/null; do
			i=$((i + 1))
			if [ $i -ge 300 ]; then
				kill -KILL "$pid" 2>/dev/null || true
				break
			fi
			sleep 0.1
		done
	fi
	rm -f "$pidfile"
}

case $cmd in
start) [ $# -eq 3 ] || usage; start "$3" ;;
stop) stop ;;
status) if alive; then echo "running, pid $(cat "$pidfile")"; else echo "stopped"; exit 1; fi ;;
*) usage ;;
esac
