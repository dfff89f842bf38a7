#!/usr/bin/env bash
# A three-node NATS JetStream cluster on loopback for trying `pgtriage consume` (see
# docs/scale-out.md). Usage: cluster.sh start|stop [partitions]
set -euo pipefail
dir="${TMPDIR:-/tmp}/pgtriage-nats-demo"
partitions="${2:-4}"
case "${1:-}" in
  start)
    command -v nats-server >/dev/null || { echo "nats-server is not installed (apt-get install nats-server)" >&2; exit 2; }
    mkdir -p "$dir"
    for i in 0 1 2; do
      routes=""
      for j in 0 1 2; do [ "$j" = "$i" ] || routes="${routes:+$routes, }\"nats-route://127.0.0.1:$((6222 + j))\""; done
      cat > "$dir/n$i.conf" <<CONF
server_name: n$i
listen: "127.0.0.1:$((4222 + i))"
jetstream { store_dir: "$dir/n$i" }
cluster { name: pgtriage-demo, listen: "127.0.0.1:$((6222 + i))", routes: [$routes] }
mappings = { "logs.*.*": "plogs.{{partition($partitions,1)}}.{{wildcard(1)}}.{{wildcard(2)}}" }
CONF
      nats-server -c "$dir/n$i.conf" > "$dir/n$i.log" 2>&1 &
      echo $! > "$dir/n$i.pid"
    done
    sleep 3
    echo "cluster up: nats://127.0.0.1:4222,nats://127.0.0.1:4223,nats://127.0.0.1:4224 ($partitions partitions; logs in $dir)"
    ;;
  stop)
    for i in 0 1 2; do [ -f "$dir/n$i.pid" ] && kill "$(cat "$dir/n$i.pid")" 2>/dev/null || true; done
    sleep 1
    rm -rf "$dir"
    echo "cluster stopped"
    ;;
  *)
    echo "usage: $0 start|stop [partitions]" >&2
    exit 2
    ;;
esac
