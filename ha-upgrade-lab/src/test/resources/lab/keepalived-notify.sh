#!/bin/bash
# keepalived notify script: records the node's VRRP state (MASTER, BACKUP, FAULT, STOP) where role
# detection reads it, and keeps a history in the log. keepalived calls it as: TYPE NAME STATE PRIORITY
state=${3:-UNKNOWN}
echo "$state" >/run/keepalived.state.tmp && mv /run/keepalived.state.tmp /run/keepalived.state
echo "$(date -u +%FT%T.%3NZ) $1 $2 $state priority=${4:-?}" >>/var/log/keepalived-state.log
