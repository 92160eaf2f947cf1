#!/usr/bin/env bash
# The ha-upgrade lab: real keepalived or Pacemaker nodes on this machine.
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
# LAB_KIND=pacemaker makes a Pacemaker 2.1 / Corosync 3 cluster instead (see pacemaker_files): namespaces and
# directories hupm-*, addresses 10.214.0.0/24, corosync and pacemakerd instead of keepalived, the service run by
# Pacemaker as a clone with the VIP (ocf:heartbeat:IPaddr2) on one of its instances. The two kinds never touch each
# other's namespaces, directories or route, so both can run at the same time.
#
# Usage: lab.sh check | up | down | node-up NODE | node-kill NODE
# Settings come from the environment (io.haupgrade.lab.Lab sets them):
#   LAB_KIND     keepalived (default) or pacemaker
#   LAB_DIR      this run's directory, named hulab-* (hupm-*); holds scripts/ (this script and its files) and
#                the nodes' files. Other directories of the same prefix beside it are leftovers of killed runs.
#   LAB_NODES    number of nodes (default 3)          LAB_VIP     the VIP (default 10.213.0.10)
#   LAB_ADVERT   VRRP advert interval, s (0.1)         LAB_WARMUP  service warm-up, s (1.5)
#   LAB_VERSION  version the nodes start with (1.0.0) LAB_UP_TIMEOUT  longest wait for readiness, s (30)
#
# One lab of each kind per machine: `up` and `down` remove every namespace and directory of their prefix they find.
# Every step is idempotent and every wait is bounded.
set -euo pipefail

LAB_KIND=${LAB_KIND:-keepalived}
case "$LAB_KIND" in
  keepalived) readonly PREFIX=hulab NET=10.213.0 ;;
  pacemaker) readonly PREFIX=hupm NET=10.214.0 ;;
  *) echo "lab: error: LAB_KIND must be keepalived or pacemaker: $LAB_KIND" >&2; exit 1 ;;
esac
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
  local commands=(ip unshare setsid hostname /usr/sbin/sshd ssh ssh-keygen /usr/bin/python3 curl sysctl ps)
  local packages="iproute2 util-linux hostname openssh-server openssh-client python3 curl procps"
  if [ "$LAB_KIND" = pacemaker ]; then
    commands+=(corosync corosync-cfgtool pacemakerd crm_mon crm_resource cibadmin crm_node pcs)
    packages+=" pacemaker corosync pacemaker-cli-utils pcs resource-agents"
    [ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ] || missing+=(/usr/lib/ocf/resource.d/heartbeat/IPaddr2)
  else
    commands+=(keepalived nft)
    packages+=" keepalived nftables"
  fi
  for c in "${commands[@]}"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing commands: ${missing[*]} (Debian packages: $packages)"
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

# The files of node $1 (index): host keys, sshd configuration, the service, then those of the lab's kind.
node_files() {
  local i=$1 name dir addr
  name=$(node_name "$i"); dir=$(node_dir "$name"); addr=$(node_addr "$i")
  mkdir -p "$dir"/{etc-ssh,var-log,root/.ssh,opt/app,sbin}
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
  install -m 755 "$SCRIPTS/systemctl" "$dir/sbin/systemctl"
  if [ "$LAB_KIND" = pacemaker ]; then pacemaker_files "$i"; else keepalived_files "$i"; fi
}

# keepalived configuration of node $1 (index).
keepalived_files() {
  local i=$1 name dir
  name=$(node_name "$i"); dir=$(node_dir "$name")
  mkdir -p "$dir/etc-keepalived"
  install -m 755 "$SCRIPTS/keepalived-notify.sh" "$dir/etc-keepalived/notify.sh"
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

# The cluster's configuration (CIB), built offline once and put on every node before the first start: Pacemaker's
# first election waits dc-deadtime while the CIB is still empty otherwise. The service runs as a clone (an instance
# on every node: a standby or a move of the VIP stops no instance that serves), the VIP on a node where an instance
# runs, stopped before that instance stops (optional order: only when both change in one transition). Location
# preferences n1 > n2 > n3 make where the VIP goes predictable; stickiness 100 keeps it where it is otherwise.
pacemaker_cib() {
  local cib=$LAB_DIR/cib.xml nodes="" i
  for (( i = 1; i <= LAB_NODES; i++ )); do nodes+="<node id=\"$i\" uname=\"n$i\"/>"; done
  cibadmin --empty >"$cib"
  # The nodes first, so that location constraints name known nodes.
  CIB_file=$cib cibadmin --modify --scope nodes --xml-text "<nodes>$nodes</nodes>"
  pcs -f "$cib" property set stonith-enabled=false dc-deadtime=2s cluster-recheck-interval=1min >/dev/null
  pcs -f "$cib" resource defaults update resource-stickiness=100 >/dev/null
  # The lab's own agent (lab-app-agent, provider haupgrade) exists only inside the nodes: written as XML, not
  # through pcs, which would look for the agent on this machine.
  CIB_file=$cib cibadmin --create --scope resources --xml-text '<clone id="app-clone">
      <meta_attributes id="app-clone-meta"><nvpair id="app-clone-interleave" name="interleave" value="true"/></meta_attributes>
      <primitive id="app" class="ocf" provider="haupgrade" type="app">
        <operations>
          <op id="app-start" name="start" interval="0s" timeout="40s"/>
          <op id="app-stop" name="stop" interval="0s" timeout="20s"/>
          <op id="app-monitor" name="monitor" interval="2s" timeout="10s"/>
        </operations>
      </primitive></clone>'
  pcs -f "$cib" resource create vip ocf:heartbeat:IPaddr2 ip="$LAB_VIP" cidr_netmask=24 nic=eth0 \
    op monitor interval=5s >/dev/null
  pcs -f "$cib" constraint colocation add vip with app-clone INFINITY >/dev/null
  pcs -f "$cib" constraint order start app-clone then start vip kind=Optional >/dev/null
  pcs -f "$cib" constraint location vip prefers n1=50 n2=20 >/dev/null
}

# Corosync, Pacemaker and the lab's OCF agent of node $1 (index).
pacemaker_files() {
  local i=$1 name dir j two_node=""
  name=$(node_name "$i"); dir=$(node_dir "$name")
  mkdir -p "$dir"/{etc-corosync,var-lib-corosync,var-lib-pacemaker/{cib,pengine,blackbox,cores},var-log/pacemaker,var-log/crmsh,ocf}
  chown -R hacluster:haclient "$dir/var-lib-pacemaker" "$dir/var-log/pacemaker"
  chmod 750 "$dir"/var-lib-pacemaker/*
  [ "$LAB_NODES" = 2 ] && two_node="  two_node: 1"
  {
    cat <<EOF
# corosync of lab node $name: knet over the lab network, no encryption (the lab network is private).
totem {
  version: 2
  cluster_name: $PREFIX
  transport: knet
  crypto_cipher: none
  crypto_hash: none
}
logging {
  to_logfile: yes
  logfile: /var/log/corosync.log
  to_syslog: no
  to_stderr: no
  timestamp: on
}
quorum {
  provider: corosync_votequorum
$two_node
}
nodelist {
EOF
    for (( j = 1; j <= LAB_NODES; j++ )); do
      printf '  node {\n    ring0_addr: %s\n    name: n%d\n    nodeid: %d\n  }\n' "$(node_addr "$j")" "$j" "$j"
    done
    echo "}"
  } >"$dir/etc-corosync/corosync.conf"
  if [ ! -f "$dir/var-lib-pacemaker/cib/cib.xml" ]; then
    install -o hacluster -g haclient -m 600 "$LAB_DIR/cib.xml" "$dir/var-lib-pacemaker/cib/cib.xml"
  fi
  install -m 755 "$SCRIPTS/lab-app-agent" "$dir/ocf/app"
  # Node names resolve to the lab addresses (crmsh reaches nodes by name, and only warns when it cannot).
  {
    echo "127.0.0.1 localhost"
    for (( j = 1; j <= LAB_NODES; j++ )); do echo "$(node_addr "$j") n$j"; done
  } >"$dir/etc-hosts"
}

# Root SSH between the Pacemaker nodes, by name or address, strict host keys (crmsh's cluster-wide commands): the
# client's key (root's authorized key everywhere) as each node's root key, every node's host key in its known_hosts.
pacemaker_peer_ssh() {
  local i j dir
  for (( i = 1; i <= LAB_NODES; i++ )); do
    dir=$(node_dir "n$i")
    install -m 600 "$LAB_DIR/client/id_ed25519" "$dir/root/.ssh/id_ed25519"
    : >"$dir/root/.ssh/known_hosts"
    for (( j = 1; j <= LAB_NODES; j++ )); do
      echo "n$j,$(node_addr "$j") $(cut -d' ' -f1,2 "$(node_dir "n$j")/etc-ssh/ssh_host_ed25519_key.pub")" \
        >>"$dir/root/.ssh/known_hosts"
    done
  done
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
      /bin/bash "$2" "$3" "$4" "$5"; ip -n "$1" link set eth0 down 2>/dev/null; true' \
    node-watcher "$ns" "$SCRIPTS/node-init.sh" "$name" "$dir" "$LAB_KIND" >>"$dir/init.log" 2>&1 </dev/null &
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
  [ -s "$root/run/sshd.pid" ] || return 1
  if [ "$LAB_KIND" = pacemaker ]; then
    # Pacemaker starts the service (a clone instance on every node) once the node has joined.
    [ -s "$root/run/lab-pacemaker.pid" ] || return 1
  else
    [ -s "$root/run/keepalived.state" ] || return 1
  fi
  ip netns exec "$CLIENT_NS" curl -fsS -m 1 -o /dev/null "http://$(node_addr "${name#n}"):8080/health"
}

# Runs a command inside node $1 (its namespaces: what ssh to the node would give, without ssh).
in_node() {
  local name=$1; shift
  nsenter --target "$(cat "$(init_pid_file "$name")")" --all "$@"
}

# Every node online (not standby, not in maintenance), no failed action, the VIP started on exactly one node
# and answering: as crm_mon on n1 says it.
pacemaker_settled() {
  local xml i
  xml=$(in_node n1 crm_mon -1 --inactive --output-as=xml) || return 1
  for (( i = 1; i <= LAB_NODES; i++ )); do
    grep -q "<node name=\"n$i\" [^>]*online=\"true\" standby=\"false\" standby_onfail=\"false\" maintenance=\"false\"" <<<"$xml" || return 1
  done
  ! grep -q '<failure ' <<<"$xml" || return 1
  [ "$(grep -c '<resource id="app" [^>]*role="Started"' <<<"$xml")" = "$LAB_NODES" ] || return 1
  grep -q '<resource id="vip" [^>]*role="Started"[^>]*nodes_running_on="1"' <<<"$xml" || return 1
  # The VIP on eth0 of exactly one node.
  [ "$(for (( i = 1; i <= LAB_NODES; i++ )); do holds_vip "n$i" && echo "n$i"; done | wc -l)" = 1 ]
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
  [ "$LAB_KIND" = pacemaker ] && pacemaker_cib
  for (( i = 1; i <= LAB_NODES; i++ )); do
    name=$(node_name "$i")
    attach "$PREFIX-$name" "v$name" "$(node_addr "$i")"
    node_files "$i"
  done
  [ "$LAB_KIND" = pacemaker ] && pacemaker_peer_ssh
  for (( i = 1; i <= LAB_NODES; i++ )); do node_up "$(node_name "$i")"; done
  if [ "$LAB_KIND" = pacemaker ]; then
    for (( i = 1; i <= LAB_NODES; i++ )); do
      await "$LAB_UP_TIMEOUT" "node n$i (sshd, pacemakerd, the service started by Pacemaker)" node_ready "n$i"
    done
    await "$LAB_UP_TIMEOUT" "Pacemaker to settle: every node online, the service clone and the VIP started" \
      pacemaker_settled
  else
    for (( i = 1; i <= LAB_NODES; i++ )); do
      await "$LAB_UP_TIMEOUT" "node n$i (sshd, keepalived state, service)" node_ready "n$i"
    done
    await "$LAB_UP_TIMEOUT" "n1 to be MASTER and hold the VIP $LAB_VIP alone" n1_alone_holds_vip
  fi
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
      await "$LAB_UP_TIMEOUT" "node $2 (sshd, $LAB_KIND, service)" node_ready "$2" ;;
    node-kill) require_lab_dir; node_kill "${2:?node name}" ;;
    *) die "usage: lab.sh check | up | down | node-up NODE | node-kill NODE" ;;
  esac
}

main "$@"
