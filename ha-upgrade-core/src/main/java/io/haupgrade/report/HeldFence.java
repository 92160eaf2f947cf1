package io.haupgrade.report;

/**
 * A node the run left out of service: fenced (standby, maintenance, drained, cordoned) and not unfenced.
 *
 * @param phase  the phase that fenced it, usually {@code fence}
 * @param reason why it is still fenced, e.g. {@code upgrade failed: exit 1; onFailure: abort}
 * @param undo   what brings it back (the node's unfence commands, masked); null when unknown
 */
public record HeldFence(String node, String phase, String reason, String undo) {
}
