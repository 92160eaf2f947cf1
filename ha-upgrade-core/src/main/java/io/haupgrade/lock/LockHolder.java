package io.haupgrade.lock;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Who holds a cluster lock on a node, as written in the lock's owner file. */
public record LockHolder(String owner, String runId, String host, Instant acquired, Instant expires) {

    /** The owner file: one key=value per line, no secrets. */
    String toOwnerFile() {
        return "owner=" + owner + "\nrun=" + runId + "\nhost=" + host + "\nacquired=" + acquired.getEpochSecond()
                + "\nexpires=" + expires.getEpochSecond() + "\n";
    }

    static LockHolder parse(String ownerFile) {
        Map<String, String> values = new HashMap<>();
        for (String line : ownerFile.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return new LockHolder(values.getOrDefault("owner", "unknown"), values.getOrDefault("run", "unknown"),
                values.getOrDefault("host", "unknown"), epoch(values.get("acquired")), epoch(values.get("expires")));
    }

    private static Instant epoch(String value) {
        try {
            return value == null ? null : Instant.ofEpochSecond(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "alice@ops1 (run 20261123-1100-ab12, since 2026-11-23T11:00:00Z, expires ...)". */
    public String describe() {
        return owner + "@" + host + " (run " + runId + (acquired == null ? "" : ", since " + acquired)
                + (expires == null ? "" : ", expires " + expires) + ")";
    }
}
