#!/usr/bin/env bash
# The ha-upgrade lab: real keepalived nodes on this machine.
#
# Each node is a network namespace (hulab-nN) in which `unshare` makes fresh mount, UTS, IPC and PID
# namespaces; node-init.sh is PID 1 there, mounts the node's own /opt /etc/ssh /etc/keepalived /var/log
# /root /usr/local/sbin (the lab's systemctl) and private /run /tmp /dev/shm, and starts sshd, the
# versioned HTTP service and keepalived.
# A bridge namespace (hulab-br) joins the nodes and the client namespace (hulab-client) where the tool
# under test and the probe run. Lab addresses (10.213.0.0/24) exist only inside these namespaces; an
# `unreachable` route for that range in the root namespace makes a command run in the wrong namespace
# fail here instead of sending traffic anywhere.
#
# Usage: lab.sh check | up | down | node-up NODE | node-kill NODE
# Settings come from the environment (io.haupgrade.lab.Lab sets them):
#   LAB_DIR      this run's directory, named hulab-*; holds scripts/ (this script and its files) and
#                the nodes' files. Other hulab-* directories beside it are leftovers of killed runs.
#   LAB_NODES    number of nodes (default 3)          LAB_VIP     the VIP (default 10.213.0.10)
#   LAB_ADVERT   VRRP advert interval, s (0.1)         LAB_WARMUP  service warm-up, s (1.5)
#   LAB_VERSION  version the nodes start with (1.0.0) LAB_UP_TIMEOUT  longest wait for readiness, s (30)
#
# One lab per machine: `up` and `down` remove every hulab-* namespace and directory they find.
# Every step is idempotent and every wait is bounded.
set -euo pipefail

readonly PREFIX=hulab
readonly NET=10.213.0
readonly CIDR=$NET.0/24
readonly CLIENT_ADDR=$NET.100
readonly BRIDGE_NS=$PREFIX-br
readonly CLIENT_NS=$PREFIX-client
readonly VRID=51

LAB_NODES=${LAB_NODES:-3}
LAB_VIP=${LAB_VIP:-$NET.10}
LAB_ADVERT=${LAB_ADVERT:-0.1}
LAB_WARMUP=${LAB_WARMUP:-1.5}
LAB_VERSION=${LAB_VERSION:-1.0.0}
LAB_UP_TIMEOUT=${LAB_UP_TIMEOUT:-30}
SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { echo "lab: $*" >&2; }
die() { echo "lab: error: $*" >&2; exit 1; }

# Runs "$@" every 0.1 s until it succeeds, at most $1 seconds; fails with $2 as the message.
await() {
  local seconds=$1 what=$2; shift 2
  local tries=$(( ${seconds%.*} * 10 + 1 )) i
  for (( i = 0; i < tries; i++ )); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "timed out after ${seconds}s waiting for $what"
}

require_lab_dir() {
  [ -n "${LAB_DIR:-}" ] || die "LAB_DIR is not set"
  case "$(basename "$LAB_DIR")" in "$PREFIX"-*) ;; *) die "LAB_DIR must be named $PREFIX-*: $LAB_DIR" ;; esac
}

node_name() { echo "n$1"; }
node_addr() { echo "$NET.$(( 10 + $1 ))"; }
node_dir() { echo "$LAB_DIR/nodes/$1"; }
# Priorities: n1 is the preferred master, then n2, n3...
node_priority() { echo $(( 160 - 10 * $1 )); }

# --- check: can the lab run here? Prints the reason and exits 3 when it cannot. ---
check() {
  local missing=() c
  [ "$(id -u)" = 0 ] || { echo "not root (namespaces, bridges and mounts need root)"; exit 3; }
  for c in ip unshare setsid hostname keepalived /usr/sbin/sshd ssh ssh-keygen /usr/bin/python3 curl nft sysctl ps; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing commands: ${missing[*]} (Debian packages: iproute2 util-linux hostname keepalived openssh-server openssh-client python3 curl nftables procps)"
    exit 3
  fi
  local probe=$PREFIX-check-$$
  if ! { ip netns add "$probe" && ip netns exec "$probe" \
      unshare --mount --uts --ipc --pid --fork --mount-proc true; } >/dev/null 2>&1; then
    ip netns del "$probe" >/dev/null 2>&1 || true
    echo "network, mount or PID namespaces do not work here (ip netns add / unshare failed)"
    exit 3
  fi
  ip netns del "$probe"
  echo "ok"
}

# --- teardown ---------------------------------------------------------------------------------------
lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX-" || true; }

# Kills every process in a namespace (node inits take their whole PID namespace with them).
kill_namespace_processes() {
  local ns=$1 pids i
  for (( i = 0; i < 50; i++ )); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.1
  done
  die "processes still running in namespace $ns after 5s: $(ip netns pids "$ns" | tr '\n' ' ')"
}

# Removes every lab namespace, the root namespace's route and the lab directories; $1 = "keep" spares
# this run's own directory (used before `up`).
teardown() {
  local ns dir pid_file
  # Watchers first (they would act on their node's death), then everything inside the namespaces.
  for pid_file in "$(dirname "$LAB_DIR")/$PREFIX"-*/nodes/*/watcher.pid; do
    [ -f "$pid_file" ] || continue
    if grep -q node-watcher "/proc/$(cat "$pid_file")/cmdline" 2>/dev/null; then kill -9 "$(cat "$pid_file")" || true; fi
  done
  for ns in $(lab_namespaces); do kill_namespace_processes "$ns"; done
  for ns in $(lab_namespaces); do ip netns del "$ns" 2>/dev/null || true; done
  [ -z "$(lab_namespaces)" ] || die "could not delete namespaces: $(lab_namespaces | tr '\n' ' ')"
  while ip route del unreachable "$CIDR" 2>/dev/null; do :; done
  for dir in "$(dirname "$LAB_DIR")/$PREFIX"-*; do
    [ -d "$dir" ] || continue
    if [ "${1:-}" = keep ] && [ "$dir" = "$LAB_DIR" ]; then continue; fi
    rm -rf -- "$dir"
  done
}

# --- network ----------------------------------------------------------------------------------------
ensure_namespace() {
  local ns=$1
  ip netns list | awk '{print $1}' | grep -qx "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
}

# A veth pair from the bridge (port $2) to eth0 in namespace $1 with address $3.
attach() {
  local ns=$1 port=$2 addr=$3
  ensure_namespace "$ns"
  if ! ip -n "$BRIDGE_NS" link show "$port" >/dev/null 2>&1; then
    ip -n "$BRIDGE_NS" link add "$port" type veth peer name eth0 netns "$ns"
  fi
  ip -n "$BRIDGE_NS" link set "$port" master br0 up
  ip -n "$ns" addr replace "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
}

network_up() {
  ip route replace unreachable "$CIDR"
  ensure_namespace "$BRIDGE_NS"
  if ! ip -n "$BRIDGE_NS" link show br0 >/dev/null 2>&1; then
    # No STP (ports forward at once) and no multicast snooping (VRRP adverts reach every port).
    ip -n "$BRIDGE_NS" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  fi
  ip -n "$BRIDGE_NS" link set br0 up
  attach "$CLIENT_NS" vclient "$CLIENT_ADDR"
}

# --- nodes ------------------------------------------------------------------------------------------
client_up() {
  local dir=$LAB_DIR/client
  mkdir -p "$dir"
  [ -f "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C hulab-client -f "$dir/id_ed25519"
  : >"$dir/known_hosts"
}

# The files of node $1 (index): host keys, sshd and keepalived configuration, the service.
node_files() {
  local i=$1 name dir addr
  name=$(node_name "$i"); dir=$(node_dir "$name"); addr=$(node_addr "$i")
  mkdir -p "$dir"/{etc-ssh,etc-keepalived,var-log,root/.ssh,opt/app,sbin}
  chmod 700 "$dir/root" "$dir/root/.ssh"
  [ -f "$dir/etc-ssh/ssh_host_ed25519_key" ] \
    || ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$dir/etc-ssh/ssh_host_ed25519_key"
  cat >"$dir/etc-ssh/sshd_config" <<EOF
# sshd of lab node $name: keys only, root by key, no PAM (no systemd or logind here).
ListenAddress $addr
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys
MaxStartups 50:30:100
AcceptEnv LANG LC_*
EOF
  cp "$LAB_DIR/client/id_ed25519.pub" "$dir/root/.ssh/authorized_keys"
  chmod 600 "$dir/root/.ssh/authorized_keys"
  echo "$addr $(cut -d' ' -f1,2 "$dir/etc-ssh/ssh_host_ed25519_key.pub")" >>"$LAB_DIR/client/known_hosts"

  install -m 755 "$SCRIPTS/app-server.py" "$dir/opt/app/server.py"
  install -m 755 "$SCRIPTS/appctl" "$dir/opt/app/appctl"
  [ -f "$dir/opt/app/VERSION" ] || echo "$LAB_VERSION" >"$dir/opt/app/VERSION"
  echo "$name" >"$dir/opt/app/NODE"
  echo "$LAB_WARMUP" >"$dir/opt/app/WARMUP"

  install -m 755 "$SCRIPTS/keepalived-notify.sh" "$dir/etc-keepalived/notify.sh"
  install -m 755 "$SCRIPTS/systemctl" "$dir/sbin/systemctl"
  [ -f "$dir/etc-keepalived/keepalived.conf" ] || cat >"$dir/etc-keepalived/keepalived.conf" <<EOF
# keepalived of lab node $name. The switchover procedure edits the priority line and reloads (SIGHUP).
global_defs {
  router_id $name
  vrrp_version 3
  script_user root
  enable_script_security
  # The second burst of gratuitous ARPs 1 s after becoming master (default 5 s): a client that ignored the
  # first because its ARP entry had changed less than locktime (1 s) before takes this one.
  vrrp_garp_master_delay 1
}

# The service must answer, or this node leaves the election (FAULT).
vrrp_script service {
  script "/opt/app/appctl check"
  interval 1
  timeout 1
  fall 2
  rise 2
}

# Fence: a non-zero value in this file takes the node out of the election (FAULT) until it is 0 again.
track_file fence {
  file "/etc/keepalived/fence"
  weight 0
  init_file 0
}

vrrp_instance lab {
  state BACKUP
  interface eth0
  virtual_router_id $VRID
  priority $(node_priority "$i")
  advert_int $LAB_ADVERT
  virtual_ipaddress {
    $LAB_VIP/24 dev eth0
  }
  track_script {
    service
  }
  track_file {
    fence
  }
  notify /etc/keepalived/notify.sh
}
EOF
}

init_pid_file() { echo "$(node_dir "$1")/init.pid"; }

node_alive() {
  local pid_file pid
  pid_file=$(init_pid_file "$1")
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file")
  [ -d "/proc/$pid" ] && grep -q node-init.sh "/proc/$pid/cmdline" 2>/dev/null
}

# Starts node $1 (name) unless its init runs: a boot. Records the init's host PID.
# A watcher (the subshell around `unshare`, in the root namespace) takes the node's eth0 down when the init dies,
# however it dies: a crashed node neither answers ARP for the VIP nor refuses connections, it is silent.
node_up() {
  local name=$1 dir ns watcher_pid unshare_pid init_pid i
  dir=$(node_dir "$name")
  ns=$PREFIX-$name
  [ -d "$dir" ] || die "no such node: $name"
  node_alive "$name" && return 0
  # A booting machine has only its own address: no VIP left over from before a crash.
  ip -n "$ns" addr flush dev eth0
  ip -n "$ns" addr add "$(node_addr "${name#n}")/24" dev eth0
  ip -n "$ns" link set eth0 up
  setsid bash -c 'ip netns exec "$1" unshare --mount --uts --ipc --pid --fork --mount-proc --propagation private \
      /bin/bash "$2" "$3" "$4"; ip -n "$1" link set eth0 down 2>/dev/null; true' \
    node-watcher "$ns" "$SCRIPTS/node-init.sh" "$name" "$dir" >>"$dir/init.log" 2>&1 </dev/null &
  watcher_pid=$!
  echo "$watcher_pid" >"$dir/watcher.pid"
  # unshare is the watcher's child and forks the init; both exist within milliseconds.
  init_pid=
  for (( i = 0; i < 50; i++ )); do
    unshare_pid=$(cat /proc/"$watcher_pid"/task/*/children 2>/dev/null | awk '{print $1}' || true)
    if [ -n "$unshare_pid" ]; then
      init_pid=$(cat /proc/"$unshare_pid"/task/*/children 2>/dev/null | awk '{print $1}' || true)
      [ -n "$init_pid" ] && break
    fi
    sleep 0.1
  done
  [ -n "$init_pid" ] || die "node $name: init did not start (see $dir/init.log)"
  echo "$init_pid" >"$(init_pid_file "$name")"
}

# Kills node $1's init, and with it every process of the node: a node crash.
node_kill() {
  local name=$1 pid
  node_alive "$name" || return 0
  pid=$(cat "$(init_pid_file "$name")")
  # Power off: the NIC goes silent with the node (no RST or ARP reply from a half-dead kernel), then the node dies.
  ip -n "$PREFIX-$name" link set eth0 down
  kill -9 "$pid"
  await 5 "node $name to die and go silent" node_down "$name" "$pid"
}

node_down() {
  ! [ -d "/proc/$2" ] && ! ip -n "$PREFIX-$1" link show eth0 up | grep -q .
}

node_ready() {
  local name=$1 root
  root=/proc/$(cat "$(init_pid_file "$name")")/root
  [ -s "$root/run/sshd.pid" ] && [ -s "$root/run/keepalived.state" ] \
    && ip netns exec "$CLIENT_NS" curl -fsS -m 1 -o /dev/null "http://$(node_addr "${name#n}"):8080/health"
}

holds_vip() { ip -n "$PREFIX-$1" -o addr show dev eth0 up | grep -q " $LAB_VIP/"; }

# n1 (highest priority) holds the VIP alone. Checked in the node namespaces only: the client must not contact
# the VIP while a lower-priority node holds it for a moment during the first election (its ARP entry would be
# fresh when n1's gratuitous ARP arrives, and Linux ignores ARP updates within locktime, 1 s).
n1_alone_holds_vip() {
  local i
  holds_vip n1 || return 1
  for (( i = 2; i <= LAB_NODES; i++ )); do ! holds_vip "n$i" || return 1; done
  [ "$(cat "/proc/$(cat "$(init_pid_file n1)")/root/run/keepalived.state")" = MASTER ]
}

up() {
  local i name
  case "$LAB_VIP" in "$NET".*) ;; *) die "LAB_VIP $LAB_VIP is outside the lab range $CIDR" ;; esac
  [[ "$LAB_NODES" =~ ^[1-9]$ ]] || die "LAB_NODES must be 1..9: $LAB_NODES"
  teardown keep
  network_up
  client_up
  for (( i = 1; i <= LAB_NODES; i++ )); do
    name=$(node_name "$i")
    attach "$PREFIX-$name" "v$name" "$(node_addr "$i")"
    node_files "$i"
  done
  for (( i = 1; i <= LAB_NODES; i++ )); do node_up "$(node_name "$i")"; done
  for (( i = 1; i <= LAB_NODES; i++ )); do
    await "$LAB_UP_TIMEOUT" "node n$i (sshd, keepalived state, service)" node_ready "n$i"
  done
  await "$LAB_UP_TIMEOUT" "n1 to be MASTER and hold the VIP $LAB_VIP alone" n1_alone_holds_vip
  await 5 "the service to answer through the VIP" \
    ip netns exec "$CLIENT_NS" curl -fsS -m 1 -o /dev/null "http://$LAB_VIP:8080/"
  log "up: $LAB_NODES nodes, VIP $LAB_VIP, client $CLIENT_ADDR in $CLIENT_NS, files in $LAB_DIR"
}

main() {
  local command=${1:-}
  case "$command" in
    check) check ;;
    up) require_lab_dir; up ;;
    down) require_lab_dir; teardown ;;
    node-up)
      require_lab_dir
      node_up "${2:?node name}"
      await "$LAB_UP_TIMEOUT" "node $2 (sshd, keepalived state, service)" node_ready "$2" ;;
    node-kill) require_lab_dir; node_kill "${2:?node name}" ;;
    *) die "usage: lab.sh check | up | down | node-up NODE | node-kill NODE" ;;
  esac
}

main "$@"
