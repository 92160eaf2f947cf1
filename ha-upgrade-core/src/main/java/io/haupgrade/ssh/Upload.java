package io.haupgrade.ssh;

/** A file that reached a node intact: its absolute path there, its size and its SHA-256 (hex), checked on the node. */
public record Upload(String node, String remotePath, long size, String sha256) {
}
