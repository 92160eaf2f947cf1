#!/bin/bash
# PID 1 of a lab node (run by lab.sh inside `ip netns exec` + `unshare`): gives the node its own
# files and private runtime directories, starts its daemons, then reaps orphans until killed.
# Killing this process kills every process of the node.
# Arguments: NODE_NAME NODE_DIR
set -euo pipefail
name=$1
dir=$2

hostname "$name"
# The copied mount table holds the other namespaces' bind mounts; they would pin those namespaces.
umount -l /run/netns 2>/dev/null || true
# sysfs of this network namespace (/sys/class/net shows eth0 and lo only).
umount -l /sys 2>/dev/null || true
mount -t sysfs sysfs /sys

# The node's own directories: bind mounts first, while the node directory (under /tmp) is visible.
mount --bind "$dir/etc-ssh" /etc/ssh
mount --bind "$dir/etc-keepalived" /etc/keepalived
mount --bind "$dir/var-log" /var/log
mount --bind "$dir/root" /root
mount --bind "$dir/opt" /opt
# The lab's systemctl (start/stop keepalived), first in root's PATH.
mount --bind "$dir/sbin" /usr/local/sbin
# Private runtime directories: pid files, the keepalived state, sockets.
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /run/sshd
chmod 755 /run/sshd
cd /

/usr/sbin/sshd -f /etc/ssh/sshd_config -E /var/log/sshd.log
/opt/app/appctl start
# keepalived as the lab's systemctl starts it (the keepalived profile's unfence does the same over SSH).
/usr/local/sbin/systemctl start keepalived
echo "node $name up: $(date -u +%FT%T.%3NZ)"

# Reap: bash collects every exited child, orphans included, while it waits.
sleep infinity &
while :; do wait -n 2>/dev/null || sleep 1; done
