package io.haupgrade.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Host keys on record in OpenSSH known_hosts format, from a file or from text written in the spec. Understands
 * {@code [host]:port} names, comma-separated patterns with {@code *}, {@code ?} and {@code !}, hashed names
 * ({@code |1|salt|hash}) and the {@code @revoked} marker; {@code @cert-authority} lines are not used.
 */
public final class KnownHostsPolicy implements HostKeyPolicy {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final String source;
    private final Path file;
    private final List<Entry> entries;

    private KnownHostsPolicy(String source, Path file, List<Entry> entries) {
        this.source = source;
        this.file = file;
        this.entries = new CopyOnWriteArrayList<>(entries);
    }

    /** The keys in {@code file}; a missing file holds no keys, so every host is unknown. */
    public static KnownHostsPolicy fromFile(Path file) {
        String source = "known_hosts file " + file;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return new KnownHostsPolicy(source, file, parse(source, lines));
    }

    /** The keys in known_hosts {@code text}; {@code sourceName} says where it came from in error messages. */
    public static KnownHostsPolicy fromText(String sourceName, String text) {
        String source = "known hosts of " + sourceName;
        return new KnownHostsPolicy(source, null, parse(source, List.of(text.split("\\R"))));
    }

    private static List<Entry> parse(String source, List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            entries.add(parseLine(source, i + 1, line));
        }
        return entries;
    }

    private static Entry parseLine(String source, int lineNumber, String line) {
        String[] fields = WHITESPACE.split(line);
        int first = 0;
        String marker = "";
        if (fields[0].startsWith("@")) {
            marker = fields[0];
            first = 1;
            if (!marker.equals("@revoked") && !marker.equals("@cert-authority")) {
                throw new IllegalArgumentException(source + ", line " + lineNumber + ": unknown marker " + marker
                        + "; known_hosts knows @revoked and @cert-authority");
            }
        }
        if (fields.length < first + 3) {
            throw new IllegalArgumentException(source + ", line " + lineNumber
                    + ": expected '<hosts> <key type> <base64 key>' (as ssh-keyscan prints it), found "
                    + (fields.length - first) + " field(s)");
        }
        HostKey key;
        try {
            key = HostKey.fromBase64(fields[first + 1], fields[first + 2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ", line " + lineNumber + ": bad " + fields[first + 1]
                    + " key: " + e.getMessage() + "; copy the line again from ssh-keyscan", e);
        }
        return new Entry(lineNumber, marker, List.of(fields[first].split(",")), key);
    }

    @Override
    public Verdict verify(PresentedHostKey presented) {
        String name = presented.knownHostsName();
        boolean changed = false;
        for (Entry entry : entries) {
            if (entry.marker.equals("@cert-authority") || !entry.matches(name)) {
                continue;
            }
            boolean sameKey = entry.key.equals(presented.key());
            if (entry.marker.equals("@revoked")) {
                if (sameKey) {
                    return Verdict.CHANGED;
                }
            } else if (sameKey) {
                return Verdict.TRUSTED;
            } else if (entry.key.type().equals(presented.key().type())) {
                changed = true;
            }
        }
        return changed ? Verdict.CHANGED : Verdict.UNKNOWN;
    }

    @Override
    public String howToTrust(PresentedHostKey presented, Verdict verdict) {
        String key = presented.key().type() + " key " + presented.key().sha256Fingerprint();
        String check = "compare " + presented.key().sha256Fingerprint()
                + " with the node's own (on its console: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub)";
        if (verdict == Verdict.CHANGED) {
            return source + " holds another key for " + presented.knownHostsName() + " (line "
                    + changedLines(presented) + "): the node was reinstalled or someone is in between. " + check
                    + "; only if they match, replace the old entry"
                    + (file == null ? "" : " (ssh-keygen -R '" + presented.knownHostsName() + "' -f " + file + ")")
                    + " with: " + presented.knownHostsLine();
        }
        List<String> otherTypes = knownKeyTypes(presented.host(), presented.port());
        String others = otherTypes.isEmpty() ? "" : source + " has only " + String.join(", ", otherTypes)
                + " keys for " + presented.knownHostsName() + " and the server did not offer those; ";
        return others + check + "; if they match, add " + key + " to " + source + ": " + presented.knownHostsLine()
                + " (or: ssh-keyscan -p " + presented.port() + " -t " + presented.key().type() + " "
                + presented.host() + ")";
    }

    private String changedLines(PresentedHostKey presented) {
        List<String> lines = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.matches(presented.knownHostsName()) && !entry.key.equals(presented.key())) {
                lines.add(String.valueOf(entry.lineNumber));
            }
        }
        return String.join(", ", lines);
    }

    @Override
    public List<String> knownKeyTypes(String host, int port) {
        String name = PresentedHostKey.knownHostsName(host, port);
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.marker.isEmpty() && entry.matches(name)) {
                types.add(entry.key.type());
            }
        }
        return List.copyOf(types);
    }

    /** Adds {@code presented} to the record (appended to the file when there is one); says where it went. */
    synchronized String record(PresentedHostKey presented) {
        int lineNumber = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).lineNumber + 1;
        entries.add(new Entry(lineNumber, "", List.of(presented.knownHostsName()), presented.key()));
        if (file == null) {
            return source + " (in memory, for this run only)";
        }
        try {
            Files.writeString(file, presented.knownHostsLine() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the host key of " + presented + " in " + source, e);
        }
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    private record Entry(int lineNumber, String marker, List<String> patterns, HostKey key) {

        boolean matches(String name) {
            boolean matched = false;
            for (String pattern : patterns) {
                boolean negated = pattern.startsWith("!");
                String body = negated ? pattern.substring(1) : pattern;
                if (nameMatches(body, name)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }

        private static boolean nameMatches(String pattern, String name) {
            if (pattern.startsWith("|1|")) {
                return hashedMatches(pattern, name);
            }
            return glob(pattern.toLowerCase(Locale.ROOT), 0, name.toLowerCase(Locale.ROOT), 0);
        }

        private static boolean glob(String pattern, int p, String name, int n) {
            while (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    for (int rest = n; rest <= name.length(); rest++) {
                        if (glob(pattern, p + 1, name, rest)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (n >= name.length() || (c != '?' && c != name.charAt(n))) {
                    return false;
                }
                p++;
                n++;
            }
            return n == name.length();
        }

        private static boolean hashedMatches(String pattern, String name) {
            String[] parts = pattern.split("\\|");
            if (parts.length != 4) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
                byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(hash, Base64.getDecoder().decode(parts[3]));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }
}
