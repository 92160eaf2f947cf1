#!/bin/bash
# PID 1 of a lab node (run by lab.sh inside `ip netns exec` + `unshare`): gives the node its own
# files and private runtime directories, starts its daemons, then reaps orphans until killed.
# Killing this process kills every process of the node.
# Arguments: NODE_NAME NODE_DIR [KIND]  (KIND: keepalived, the default, or pacemaker)
set -euo pipefail
name=$1
dir=$2
kind=${3:-keepalived}

hostname "$name"
# The copied mount table holds the other namespaces' bind mounts; they would pin those namespaces.
umount -l /run/netns 2>/dev/null || true
# sysfs of this network namespace (/sys/class/net shows eth0 and lo only).
umount -l /sys 2>/dev/null || true
mount -t sysfs sysfs /sys

# The node's own directories: bind mounts first, while the node directory (under /tmp) is visible.
mount --bind "$dir/etc-ssh" /etc/ssh
mount --bind "$dir/var-log" /var/log
mount --bind "$dir/root" /root
mount --bind "$dir/opt" /opt
# The lab's systemctl (start/stop of the node's daemons), first in root's PATH.
mount --bind "$dir/sbin" /usr/local/sbin
if [ "$kind" = pacemaker ]; then
  mount --bind "$dir/etc-corosync" /etc/corosync
  mount --bind "$dir/var-lib-corosync" /var/lib/corosync
  mount --bind "$dir/var-lib-pacemaker" /var/lib/pacemaker
  mount --bind "$dir/etc-hosts" /etc/hosts
  # pcs calls /usr/bin/systemctl by its absolute path.
  mount --bind "$dir/sbin/systemctl" /usr/bin/systemctl
  # The OCF agent directory is fixed in Pacemaker's build: a tmpfs over it holds the distribution's providers (bound
  # from a view of the directory taken before it is covered) and the lab's agent as provider haupgrade.
  ocf=/usr/lib/ocf/resource.d
  mkdir -p "$dir/ocf-dist"
  mount --bind "$ocf" "$dir/ocf-dist"
  mount -t tmpfs -o mode=755 tmpfs "$ocf"
  for provider in "$dir"/ocf-dist/*; do
    mkdir "$ocf/${provider##*/}"
    mount --bind "$provider" "$ocf/${provider##*/}"
  done
  mkdir "$ocf/haupgrade"
  mount --bind "$dir/ocf" "$ocf/haupgrade"
else
  mount --bind "$dir/etc-keepalived" /etc/keepalived
fi
# Private runtime directories: pid files, the keepalived state, sockets (libqb IPC of corosync and pacemaker lives
# in /dev/shm: shared between nodes it breaks them).
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /run/sshd
chmod 755 /run/sshd
cd /

if [ "$kind" = pacemaker ]; then
  mkdir -p /run/crm /run/pacemaker
fi

/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log
if [ "$kind" = pacemaker ]; then
  # Pacemaker starts the service (a clone instance on every node), and the VIP on one of them.
  /usr/local/sbin/systemctl start pacemaker
else
  /opt/app/appctl start
  # keepalived as the lab's systemctl starts it (the keepalived profile's unfence does the same over SSH).
  /usr/local/sbin/systemctl start keepalived
fi
echo "node $name up: $(date -u +%FT%T.%3NZ)"

# Reap: bash collects every exited child, orphans included, while it waits.
sleep infinity &
while :; do wait -n 2>/dev/null || sleep 1; done
